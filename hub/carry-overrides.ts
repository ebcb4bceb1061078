/**
 * What becomes of a series' overrides (and EXDATEs) when its master changes, as Google Calendar
 * does when "all events" move by a time shift: the series' rules stay and its start moves by some
 * offset, so every occurrence moves by it. An occurrence edited but not moved (a new title, room,
 * guest list) follows to the new time with its edits; one the user moved keeps its own offset from
 * its slot; a cancelled one stays cancelled at the new time. Dropped, the edits were lost with
 * every move of a series; kept in place, each was listed beside the series' new occurrence and the
 * day was busy twice.
 *
 * Where the rules change (weekly Monday becomes Tuesday and Thursday, a COUNT is cut) there is no
 * one offset to follow: an override whose occurrence the new series still has stays, the others
 * are dropped. Graph discards a series' exceptions when its pattern or start changes (as Outlook
 * does, MS-OXOCAL 3.1.4.7.3.5); the push writes the carried ones again after the master.
 */
import { eventTimeKey, type CanonicalEvent, type EventTime } from '../shared/model/index.ts';
import { expandSeries, localToUtcMs, resolveZone, utcMsToLocal } from '../shared/time/index.ts';
import { timesAt } from '../sync-engine/index.ts';

const DAY = 86_400_000;

export interface ChangedSeries {
  /** The new master; its EXDATEs moved with the series when the change was a time shift. */
  master: CanonicalEvent;
  /** The overrides that stay: carried ones carry their new original start and no provider id. */
  overrides: CanonicalEvent[];
}

/** The overrides (and EXDATEs) of `before`'s series as they stand once its master is `after`. */
export function carryOverrides(before: CanonicalEvent, after: CanonicalEvent, overrides: CanonicalEvent[], calendarZone: string): ChangedSeries {
  if (!after.recurrence) return { master: after, overrides };
  const shift = timeShift(before, after, calendarZone);
  if (shift === null) return { master: after, overrides: overrides.filter((o) => o.originalStart === null || isOccurrence(after, o.originalStart, calendarZone)) };
  const carried = overrides.flatMap((o) => {
    if (o.originalStart === null) return [o];
    const slot = shift(o.originalStart);
    return slot && isOccurrence(after, slot, calendarZone) ? [moved(before, after, o, slot)] : [];
  });
  return { master: withShiftedExdates(before, after, shift, calendarZone), overrides: carried };
}

/** A RECURRENCE-ID value moved with the series; null where the shift names no time (a wall clock the zone skips is still one). */
type Shift = (t: EventTime) => EventTime | null;

/**
 * The series' move as one offset on its wall clock, or null when the change is not a pure time
 * shift: other rules, another form of time (all-day to timed), or no move at all. The wall clock
 * (not the instant) moves, so a weekly 09:00 stays at 10:00 across a DST change.
 */
function timeShift(before: CanonicalEvent, after: CanonicalEvent, calendarZone: string): Shift | null {
  const rules = (e: CanonicalEvent) => JSON.stringify(e.recurrence?.rrules ?? []);
  if (!before.recurrence || rules(before) !== rules(after)) return null;
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

/** `ms` (on msOf's axis) in the form of `like`. */
function spelled(ms: number, like: EventTime): EventTime {
  const text = new Date(ms).toISOString().slice(0, 19);
  if ('date' in like) return { date: text.slice(0, 10) };
  if ('dateTime' in like) return { dateTime: `${text}Z`, timeZone: like.timeZone };
  return { local: text };
}

/**
 * The override at its new slot. Not moved by the user (it starts at its slot and lasts as its
 * series did): the new series' times there, so a longer or shorter series changes it too. Moved:
 * its own offset from the slot and its own length. A new original start is a new instance at
 * Google and Graph, so its provider id goes; the push settles the old one.
 */
function moved(before: CanonicalEvent, after: CanonicalEvent, o: CanonicalEvent, slot: EventTime): CanonicalEvent {
  const was = timesAt(before, o.originalStart!);
  const untouched = eventTimeKey(o.start) === eventTimeKey(was.start) && eventTimeKey(o.end) === eventTimeKey(was.end);
  const fresh = { providerEventId: null, providerVersion: null, providerUpdatedAt: null };
  if (untouched) return { ...o, ...fresh, originalStart: slot, ...timesAt(after, slot) };
  const offset = msOf(o.start) - msOf(was.start);
  const length = msOf(o.end) - msOf(o.start);
  const start = msOf(timesAt(after, slot).start) + offset;
  return { ...o, ...fresh, originalStart: slot, start: spelled(start, o.start), end: spelled(start + length, o.end) };
}

/**
 * The series' EXDATEs moved with it when the client left them as they were (a cancelled occurrence
 * stays cancelled); EXDATEs the client changed with the move are its own and stand as sent.
 */
function withShiftedExdates(before: CanonicalEvent, after: CanonicalEvent, shift: Shift, calendarZone: string): CanonicalEvent {
  const rec = after.recurrence!;
  const keys = (xs: EventTime[]) => JSON.stringify(xs.map(eventTimeKey).sort());
  if (rec.exdates.length === 0 || keys(rec.exdates) !== keys(before.recurrence!.exdates)) return after;
  const exdates = rec.exdates.flatMap((x) => {
    const slot = shift(x);
    return slot && isOccurrence(after, slot, calendarZone) ? [slot] : [];
  });
  return { ...after, recurrence: { ...rec, exdates } };
}

/** Whether `originalStart` names an occurrence of the series' rules (its EXDATEs aside). */
function isOccurrence(master: CanonicalEvent, originalStart: EventTime, calendarZone: string): boolean {
  const key = eventTimeKey(originalStart);
  const at = msOf(originalStart);
  const bare = { ...master, recurrence: { ...master.recurrence!, exdates: [] } };
  const window = { start: new Date(at - 2 * DAY), end: new Date(at + 2 * DAY) };
  return expandSeries({ master: bare, overrides: [], calendarTimeZone: calendarZone, window }).some((x) => x.originalStartKey === key);
}
