import { z } from 'zod';
import { isoKey } from '../time/iso.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/**
 * One of three forms (architecture §2):
 * - `{ date }`: all-day, `YYYY-MM-DD`; an end date is exclusive.
 * - `{ dateTime, timeZone }`: a UTC instant (`…Z`) plus the IANA zone it was written in
 *   (the zone drives recurrence expansion; `UTC` when the source had none).
 * - `{ local }`: floating wall-clock time `YYYY-MM-DDTHH:mm:ss`, resolved in the calendar's zone.
 */
export const eventTimeSchema = z.union([
  z.strictObject({ date: z.string().regex(DATE, 'date must be YYYY-MM-DD') }),
  z.strictObject({
    dateTime: z.string().regex(UTC_INSTANT, 'dateTime must be a UTC instant ending in Z'),
    timeZone: z.string().min(1),
  }),
  z.strictObject({ local: z.string().regex(LOCAL, 'local must be YYYY-MM-DDTHH:mm:ss') }),
]);

export type DateOnly = { date: string };
export type ZonedTime = { dateTime: string; timeZone: string };
export type FloatingTime = { local: string };
export type EventTime = DateOnly | ZonedTime | FloatingTime;

export const isAllDay = (t: EventTime): t is DateOnly => 'date' in t;
export const isZoned = (t: EventTime): t is ZonedTime => 'dateTime' in t;
export const isFloating = (t: EventTime): t is FloatingTime => 'local' in t;

/**
 * A stable string key for an event time, used to identify overrides (UID + originalStart) and
 * EXDATE/RDATE membership: the date for all-day, the UTC instant for zoned, the wall time for
 * floating. Two spellings of the same instant in different zones give the same key.
 */
export function eventTimeKey(t: EventTime): string {
  if ('date' in t) return t.date;
  if ('dateTime' in t) return normalizeInstant(t.dateTime);
  return `${t.local}~floating`;
}

/** `2026-01-02T03:04:05.000Z` and `2026-01-02T03:04:05Z` → the same second-precision form. */
export function normalizeInstant(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${iso}`);
  return isoKey(ms);
}
