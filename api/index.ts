export { buildApp, type AppDeps, type AppPlugin } from './app.ts';
export type { Probe } from './health.ts';
