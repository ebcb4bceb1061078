export { buildApp, type AppDeps, type AppPlugin } from './app.ts';
export type { Probe } from './health.ts';
export { registerAdminQueues, type AdminQueuesOptions } from './admin-queues.ts';
