/** Shapes of ical.js's jCal output, and the one error the mapping throws. */
import { InvalidRemoteDataError } from '../../errors.ts';

export type JProp = [string, Record<string, string | string[]>, string, ...unknown[]];
export type JComp = [string, JProp[], JComp[]];

export function invalid(message: string): InvalidRemoteDataError {
  return new InvalidRemoteDataError(message, { provider: 'caldav' });
}
