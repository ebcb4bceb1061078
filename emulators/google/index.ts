export { startGoogleEmulator, type RunningGoogleEmulator, type StartOptions } from './server.ts';
export { FULL_SCOPE, type FaultInput, type GoogleEmulatorControl, type GrantOutput, type StoredEventView } from './control.ts';
export type { GEvent, GEventDateTime, GAttendee } from './types.ts';
