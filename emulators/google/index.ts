export { startGoogleEmulator, type RunningGoogleEmulator, type StartOptions } from './server.ts';
export { FULL_SCOPE, type FaultInput, type GoogleEmulatorControl, type GrantOutput, type StoredEventView } from './control.ts';
export type { GEvent, GEventDateTime, GAttendee } from './types.ts';
export { DEFAULT_TTL_SEC as GOOGLE_DEFAULT_CHANNEL_TTL_SEC } from './routes/watch.ts';
