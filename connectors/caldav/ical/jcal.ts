/** Shapes of ical.js's jCal output, and the one error the mapping throws. */
import { InvalidRemoteDataError } from '../../errors.ts';

export type JProp = [string, Record<string, string | string[]>, string, ...unknown[]];
export type JComp = [string, JProp[], JComp[]];

export function invalid(message: string): InvalidRemoteDataError {
  return new InvalidRemoteDataError(message, { provider: 'caldav' });
}

/**
 * A time value that cannot be read. `value` is ical.js's rewriting of it (it turns
 * `DTSTART:None` into `None--T::`), which names nothing the object holds: parse.ts replaces the
 * message with the property's own line (`quoteRaw`). `property` is its name, upper case.
 */
export class BadValueError extends InvalidRemoteDataError {
  constructor(readonly where: string, readonly property: string, readonly problem: string, readonly value: string) {
    super(`${where}: ${problem} "${value}"`, { provider: 'caldav' });
  }
}
