/**
 * The API's date-time inputs (timeMin and timeMax of event listings, free/busy and availability,
 * updatedSince, a webhook replay's since): one check and one refusal for all of them, said as the
 * event writes say it. Ajv's own date-time format refused a date that does not exist (2027-02-30)
 * as a malformed value (INVALID_REQUEST `must match format "date-time"`) where an event's start is
 * DATE_INVALID, and it let a leap second (23:59:60) through, which JavaScript cannot read.
 */
import { isRealDateTime } from '../shared/time/index.ts';

/** RFC 3339 section 5.6, as Ajv's date-time format reads it (seconds required; an offset or Z). */
const SHAPE = /^\d{4}-[0-1]\d-[0-3]\dt(?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)$/i;

/** The `date-time` format of every route schema (api/app.ts). */
export const isDateTimeInput = (s: string): boolean => SHAPE.test(s) && isRealDateTime(s) && !Number.isNaN(Date.parse(s));

/**
 * A refused date-time input: DATE_INVALID when it is written as one but names a date or time that
 * does not exist (docs/errors.md), else INVALID_REQUEST saying what is wanted. `field`: the dotted path.
 */
export function dateTimeRefusal(field: string, value: unknown): { code: 'DATE_INVALID' | 'INVALID_REQUEST'; message: string } {
  const text = typeof value === 'string' ? value : String(value);
  if (SHAPE.test(text)) return { code: 'DATE_INVALID', message: `${field}: ${text} is no such date or time` };
  const shown = JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
  return { code: 'INVALID_REQUEST', message: `${field} must be an RFC 3339 instant with an offset, such as "2026-12-07T09:00:00Z"; ${shown} is not one` };
}
