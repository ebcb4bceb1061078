/**
 * What becomes of a series' overrides (and EXDATEs, RDATEs) when its master changes, as Google
 * Calendar and Outlook do when "all events" change.
 *
 * A series-wide field (title, description, location, availability) the master changes reaches each
 * override that still held the old master's value: an occurrence edited only in its time takes the
 * series' new title, one retitled by the user keeps its own. So does a new length: an occurrence
 * not moved by the user takes the series' new end. Left alone, the series was renamed but its
 * edited occurrences kept the old name.
 *
 * When the series moves by a time shift (its rules stay and its start moves by some offset) every
 * occurrence moves by it. An occurrence edited but not moved follows to the new time with its
 * edits; one the user moved keeps its own offset from its slot; a cancelled one stays cancelled at
 * the new time; EXDATEs and RDATEs the client left as they were move too. Dropped, the edits were
 * lost with every move of a series; kept in place, each was listed beside the series' new
 * occurrence and the day was busy twice.
 *
 * Where the rules change (weekly Monday becomes Tuesday and Thursday, a COUNT is cut) there is no
 * one offset to follow: an override whose occurrence the new series still has stays, the others
 * are dropped. Graph discards a series' exceptions when its pattern or start changes (as Outlook
 * does, MS-OXOCAL 3.1.4.7.3.5); the push writes the carried ones again after the master.
 */
import { eventTimeKey, type CanonicalEvent, type EventTime } from '../shared/model/index.ts';
import { isOnRule as isOccurrence, seriesShift, type Shift } from '../shared/time/index.ts';
import { timesAt } from '../sync-engine/index.ts';

export interface ChangedSeries {
  /** The new master; its EXDATEs and RDATEs moved with the series when the change was a time shift. */
  master: CanonicalEvent;
  /** The overrides that stay: carried ones carry their new original start and no provider id. */
  overrides: CanonicalEvent[];
  /**
   * Original start key -> new original start key of each override carried to a new slot: the same
   * occurrence re-keyed, so its stored row (and event id) goes with it.
   */
  rekeyed: Map<string, string>;
}

/** The overrides (and EXDATEs, RDATEs) of `before`'s series as they stand once its master is `after`. */
export function carryOverrides(before: CanonicalEvent, after: CanonicalEvent, overrides: CanonicalEvent[], calendarZone: string): ChangedSeries {
  const rekeyed = new Map<string, string>();
  if (!after.recurrence || !before.recurrence) return { master: after, overrides, rekeyed };
  const fields = seriesFields(before, after);
  const shift = seriesShift(before, after, calendarZone);
  if (shift === null) {
    // The same occurrences: every override stays, even one the hub cannot place (it is the provider's).
    const kept = sameOccurrences(before, after) ? overrides : overrides.filter((o) => o.originalStart === null || isOccurrence(after, o.originalStart, calendarZone));
    return { master: after, overrides: kept.map((o) => (o.originalStart === null ? o : fields(retimed(before, after, o)))), rekeyed };
  }
  const master = withShiftedDates(before, after, shift, calendarZone);
  const carried = overrides.flatMap((o) => {
    if (o.originalStart === null) return [o];
    const slot = shift(o.originalStart);
    if (!slot || !isOccurrence(master, slot, calendarZone)) return [];
    if (eventTimeKey(slot) !== eventTimeKey(o.originalStart)) rekeyed.set(eventTimeKey(o.originalStart), eventTimeKey(slot));
    return [fields(moved(before, after, o, slot))];
  });
  return { master, overrides: carried, rekeyed };
}

/** The fields a change to "all events" carries into occurrences that did not change them themselves. */
const SERIES_FIELDS = ['title', 'description', 'location', 'availability'] as const;

/**
 * Each series-wide field the master changed, set on an override that held the master's old value
 * (it had not overridden it); an override's own value stays.
 */
export function seriesFields(before: CanonicalEvent, after: CanonicalEvent): (o: CanonicalEvent) => CanonicalEvent {
  const changed = SERIES_FIELDS.filter((f) => before[f] !== after[f]);
  if (changed.length === 0) return (o) => o;
  return (o) => {
    const next = { ...o };
    for (const f of changed) if (o[f] === before[f]) (next as Record<string, unknown>)[f] = after[f];
    return next;
  };
}

/** Whether both masters have the same occurrences: the same start, rules and RDATEs. */
function sameOccurrences(before: CanonicalEvent, after: CanonicalEvent): boolean {
  const rules = (e: CanonicalEvent) => JSON.stringify([eventTimeKey(e.start), e.recurrence?.rrules ?? [], e.recurrence?.rdates.map(eventTimeKey).sort() ?? []]);
  return rules(before) === rules(after);
}

/**
 * An override at its own slot once the series' times there changed (a new length): one the user
 * had not moved takes the series' new times there; it is the same instance, so it keeps its id.
 */
function retimed(before: CanonicalEvent, after: CanonicalEvent, o: CanonicalEvent): CanonicalEvent {
  if (!untouched(before, o)) return o;
  const now = timesAt(after, o.originalStart!);
  if (eventTimeKey(now.start) === eventTimeKey(o.start) && eventTimeKey(now.end) === eventTimeKey(o.end)) return o;
  return { ...o, ...now };
}

/** Whether the override starts at its slot and lasts as its series did: the user did not move it. */
function untouched(before: CanonicalEvent, o: CanonicalEvent): boolean {
  const was = timesAt(before, o.originalStart!);
  return eventTimeKey(o.start) === eventTimeKey(was.start) && eventTimeKey(o.end) === eventTimeKey(was.end);
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
 * Google and Graph, so its provider id goes; the push settles the old one. It is still the same
 * occurrence to the hub: its row is re-keyed (ChangedSeries.rekeyed) and keeps its event id.
 */
function moved(before: CanonicalEvent, after: CanonicalEvent, o: CanonicalEvent, slot: EventTime): CanonicalEvent {
  const fresh = { providerEventId: null, providerVersion: null, providerUpdatedAt: null };
  if (untouched(before, o)) return { ...o, ...fresh, originalStart: slot, ...timesAt(after, slot) };
  const offset = msOf(o.start) - msOf(timesAt(before, o.originalStart!).start);
  const length = msOf(o.end) - msOf(o.start);
  const start = msOf(timesAt(after, slot).start) + offset;
  return { ...o, ...fresh, originalStart: slot, start: spelled(start, o.start), end: spelled(start + length, o.end) };
}

/**
 * The series' EXDATEs and RDATEs moved with it when the client left them as they were (a cancelled
 * occurrence stays cancelled, an extra date stays the same distance from the series); dates the
 * client changed with the move are its own and stand as sent. RDATEs move first: an EXDATE may
 * cancel a moved RDATE.
 */
function withShiftedDates(before: CanonicalEvent, after: CanonicalEvent, shift: Shift, calendarZone: string): CanonicalEvent {
  const keys = (xs: EventTime[]) => JSON.stringify(xs.map(eventTimeKey).sort());
  const was = before.recurrence!;
  let rec = after.recurrence!;
  if (rec.rdates.length > 0 && keys(rec.rdates) === keys(was.rdates)) rec = { ...rec, rdates: rec.rdates.flatMap((x) => shift(x) ?? []) };
  const master = { ...after, recurrence: rec };
  if (rec.exdates.length === 0 || keys(rec.exdates) !== keys(was.exdates)) return master;
  const exdates = rec.exdates.flatMap((x) => {
    const slot = shift(x);
    return slot && isOccurrence(master, slot, calendarZone) ? [slot] : [];
  });
  return { ...master, recurrence: { ...rec, exdates } };
}
