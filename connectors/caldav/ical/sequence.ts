/**
 * SEQUENCE on a write (RFC 5545 §3.8.7.4, RFC 5546 §2.1.4): the organizer's client MUST raise it
 * when it changes DTSTART, DTEND/DURATION, RRULE, RDATE or EXDATE, and raises it for a change of
 * STATUS (a cancellation above all), so other clients and iTIP consumers can tell the revision is
 * newer. A change of title, description, location, attendees' answers… leaves it as it is
 * (Evolution's e_cal_component_commit_sequence and Thunderbird bump on the same set of properties).
 *
 * Per VEVENT (a master and each override carry their own), against what the server holds now:
 * - a component changed significantly: one above the larger of its own and the server's;
 * - otherwise: the larger of the two (a write never lowers it, and an unchanged component keeps it);
 * - a new override of an occurrence: at least its master's sequence, one above when it moves,
 *   resizes or cancels the occurrence (the occurrence it replaces was the master's revision);
 * - an override dropped by the write that had moved or cancelled its occurrence changes that
 *   occurrence back: the master is raised.
 * An attendee's copy of a meeting (the calendar's owner attends, someone else organizes) is the
 * organizer's to revise: it is never raised, only kept at least at the server's.
 */
import { eventTimeKey, normalizeRRule, type CanonicalEvent, type EventTime } from '../../../shared/model/index.ts';

const keyOf = (e: CanonicalEvent) => `${e.uid}\u0000${e.originalStart ? eventTimeKey(e.originalStart) : ''}`;

/** The time's instant (or wall time) and, for a zoned time, its zone: a series expands in it. */
const timeKey = (t: EventTime, withZone: boolean) => ('dateTime' in t && withZone ? `${eventTimeKey(t)}@${t.timeZone}` : eventTimeKey(t));
const timeSet = (ts: EventTime[]) => [...new Set(ts.map((t) => eventTimeKey(t)))].sort().join(',');
const rules = (e: CanonicalEvent) => (e.recurrence?.rrules ?? []).map(normalizeRRule).sort().join('|');

/** Milliseconds of a time on one axis (dates and wall times as if UTC): only differences are used. */
function ms(t: EventTime): number {
  if ('date' in t) return Date.parse(`${t.date}T00:00:00Z`);
  if ('dateTime' in t) return Date.parse(t.dateTime);
  return Date.parse(`${t.local}Z`);
}
const span = (e: CanonicalEvent) => ms(e.end) - ms(e.start);

/** A change RFC 5545 §3.8.7.4 (and STATUS) counts as a new revision of the same component. */
export function significantChange(before: CanonicalEvent, after: CanonicalEvent): boolean {
  const recurs = after.recurrence !== null || before.recurrence !== null;
  if (timeKey(before.start, recurs) !== timeKey(after.start, recurs)) return true;
  if (timeKey(before.end, recurs) !== timeKey(after.end, recurs)) return true;
  if ('date' in before.start !== 'date' in after.start) return true;
  if (before.status !== after.status) return true;
  if (rules(before) !== rules(after)) return true;
  if (timeSet(before.recurrence?.rdates ?? []) !== timeSet(after.recurrence?.rdates ?? [])) return true;
  return timeSet(before.recurrence?.exdates ?? []) !== timeSet(after.recurrence?.exdates ?? []);
}

/** An override differs from the occurrence its master would give at its RECURRENCE-ID in a way that counts. */
export function movesOccurrence(override: CanonicalEvent, master: CanonicalEvent | undefined): boolean {
  if (eventTimeKey(override.start) !== eventTimeKey(override.originalStart!)) return true;
  if (override.status === 'cancelled' && master?.status !== 'cancelled') return true;
  if (master && override.status !== master.status) return true;
  return master !== undefined && span(override) !== span(master);
}

const attendsOnly = (e: CanonicalEvent) => e.organizer !== null && e.attendees.some((a) => a.self && a.email.toLowerCase() !== e.organizer!.email.toLowerCase());

/**
 * `events` with the SEQUENCE each should be written with, given `current`, the server's events of
 * the object at the version the write replaces (null: not known, e.g. a create; nothing changes).
 */
export function withRaisedSequences(events: CanonicalEvent[], current: CanonicalEvent[] | null | undefined): CanonicalEvent[] {
  if (!current || current.length === 0) return events;
  const before = new Map(current.map((e) => [keyOf(e), e]));
  const kept = new Set(events.map(keyOf));
  const master = events.find((e) => e.originalStart === null);
  const oldMaster = current.find((e) => e.originalStart === null);
  const mayRaise = !events.some(attendsOnly);
  const raise = (e: CanonicalEvent, floor: number, changed: boolean) => {
    const seq = Math.max(e.sequence, floor) + (changed && mayRaise ? 1 : 0);
    return seq === e.sequence ? e : { ...e, sequence: seq };
  };

  let newMaster: CanonicalEvent | undefined;
  if (master) {
    const was = before.get(keyOf(master));
    // Overrides the write drops: the occurrences they had moved or cancelled are the master's again.
    const restored = current.some((e) => e.originalStart !== null && !kept.has(keyOf(e)) && movesOccurrence(e, oldMaster));
    newMaster = was ? raise(master, was.sequence, significantChange(was, master) || restored) : master;
  }
  return events.map((e) => {
    if (e.originalStart === null) return e === master ? newMaster! : e;
    const was = before.get(keyOf(e));
    if (was) return raise(e, was.sequence, significantChange(was, e));
    // A new override: it replaces an occurrence of the master's revision.
    const floor = Math.max(newMaster?.sequence ?? 0, oldMaster?.sequence ?? 0);
    return raise(e, floor, movesOccurrence(e, master ?? oldMaster));
  });
}
