export { buildApp, type AppDeps } from './app.ts';
export type { Probe } from './health.ts';
export type { EventWriter } from './event-writer.ts';
export { WritePreconditionError } from './event-writer.ts';
export { DirectEventWriter } from './direct-event-writer.ts';
export { EngineEventWriter } from './engine-event-writer.ts';
