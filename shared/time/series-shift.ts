/**
 * A series moved by a time shift: its rules stay and its start moves by some offset on its wall
 * clock, so every occurrence moves by it and an override's original start (its RECURRENCE-ID)
 * moves with it. The API's change of "all events" carries overrides along with it
 * (hub/carry-overrides.ts), and a pull of another client's move of a whole series matches each
 * stored override to the one the object now holds at its moved original start (the same
 * occurrence, re-keyed), so both keep the override's event id.
 */
import type { CanonicalEvent, EventTime } from '../model/index.ts';
import { eventTimeKey } from '../model/index.ts';
import { expandSeries } from './expand.ts';
import { resolveZone } from './resolve-zone.ts';
import { localToUtcMs, utcMsToLocal } from './zone.ts';

const DAY = 86_400_000;

/** A RECURRENCE-ID value moved with the series; null where the shift names no time (a wall clock the zone skips is still one). */
export type Shift = (t: EventTime) => EventTime | null;

/**
 * The series' move as one offset on its wall clock, or null when the change is not a pure time
 * shift: other rules, another form of time (all-day to timed), or no move at all. The wall clock
 * (not the instant) moves, so a weekly 09:00 stays at 10:00 across a DST change.
 */
export function seriesShift(before: CanonicalEvent, after: CanonicalEvent, calendarZone: string): Shift | null {
  const rules = (e: CanonicalEvent) => JSON.stringify(e.recurrence?.rrules ?? []);
  if (!before.recurrence || !after.recurrence || rules(before) !== rules(after)) return null;
  const from = wallOf(before.start, calendarZone);
  const to = wallOf(after.start, calendarZone);
  if (from === null || to === null || from.form !== to.form) return null;
  const offset = to.ms - from.ms;
  if (offset === 0 && from.zone === to.zone) return null;
  return (t) => {
    const w = wallOf(t, from.zone);
    return w && w.form === from.form ? timeOnWall(w.ms + offset, after.start, calendarZone) : null;
  };
}

type Wall = { form: 'date' | 'dateTime' | 'local'; ms: number; zone: string };

/** A time on its series' wall clock: a zoned time in `zone` (the series' own zone when it is the start). */
function wallOf(t: EventTime, zone: string): Wall | null {
  if ('date' in t) return { form: 'date', ms: Date.parse(`${t.date}T00:00:00Z`), zone };
  if ('local' in t) return { form: 'local', ms: Date.parse(`${t.local}Z`), zone };
  const own = resolveZone(t.timeZone) ?? zone;
  const ms = Date.parse(t.dateTime);
  return Number.isNaN(ms) ? null : { form: 'dateTime', ms: Date.parse(`${utcMsToLocal(ms, own)}Z`), zone: own };
}

/** A wall-clock ms as a time in the form (and zone) of `like`. */
function timeOnWall(wallMs: number, like: EventTime, calendarZone: string): EventTime {
  const text = new Date(wallMs).toISOString().slice(0, 19);
  if ('date' in like) return { date: text.slice(0, 10) };
  if ('local' in like) return { local: text };
  const zone = resolveZone(like.timeZone) ?? calendarZone;
  return { dateTime: `${new Date(localToUtcMs(text, zone)).toISOString().slice(0, 19)}Z`, timeZone: like.timeZone };
}

/** Milliseconds on one axis per form: instants for zoned times, wall clock (as UTC) for dates and floating times. */
const msOf = (t: EventTime): number => ('date' in t ? Date.parse(`${t.date}T00:00:00Z`) : 'dateTime' in t ? Date.parse(t.dateTime) : Date.parse(`${t.local}Z`));

/** Whether `originalStart` names an occurrence of the series' rules and RDATEs (its EXDATEs aside). */
export function isOnRule(master: CanonicalEvent, originalStart: EventTime, calendarZone: string): boolean {
  if (!master.recurrence) return false;
  const key = eventTimeKey(originalStart);
  const at = msOf(originalStart);
  const bare = { ...master, recurrence: { ...master.recurrence, exdates: [] } };
  const window = { start: new Date(at - 2 * DAY), end: new Date(at + 2 * DAY) };
  return expandSeries({ master: bare, overrides: [], calendarTimeZone: calendarZone, window }).some((x) => x.originalStartKey === key);
}
