/**
 * An all-day event's dates are read in its calendar's zone: copied as all-day into a calendar of
 * another zone, a busy block blocked other hours than its source (Pacific 2026-12-04 is
 * 08:00Z–08:00Z, the same date in Berlin 23:00Z–23:00Z). A busy block of an all-day event is
 * therefore written timed, from the source zone's midnight to its end midnight, in the source zone;
 * a floating time (a wall clock read in the calendar's zone as well) as that wall clock there.
 */
import type { CanonicalEvent, EventTime } from '../shared/model/index.ts';
import { localToUtcMs, resolveZone } from '../shared/time/index.ts';

/** The zone an all-day or floating time is read in: the calendar's, as the expander resolves it. */
export const zoneOf = (calendarZone: string): string => resolveZone(calendarZone) ?? 'UTC';

/** Whether busy-block copies of `master` must be timed so the target blocks the source's hours. */
export function needsTimedCopy(master: CanonicalEvent, sourceZone: string, targetZone: string): boolean {
  // Same zone: the same dates block the same hours, and an all-day copy shows as all-day. A
  // floating time is a wall clock read in the calendar's zone too, with the same fault.
  return !('dateTime' in master.start) && zoneOf(sourceZone) !== zoneOf(targetZone);
}

// Second precision, as the connectors read instants back: another spelling would differ from the
// copy read back and be written again on every run.
const instant = (local: string, zone: string): string => `${new Date(localToUtcMs(local, zone)).toISOString().slice(0, 19)}Z`;
const midnight = (date: string, zone: string): EventTime => ({ dateTime: instant(`${date}T00:00:00`, zone), timeZone: zone });
const timed = (t: EventTime, zone: string): EventTime =>
  'date' in t ? midnight(t.date, zone) : 'local' in t ? { dateTime: instant(t.local, zone), timeZone: zone } : t;

/**
 * A timed series needs a UTC UNTIL (RFC 5545 3.3.10). An all-day or floating series reads its UNTIL
 * as a wall time (a date: that day's midnight, kept; a date-time, even one ending in Z, as written), so the
 * copy's UNTIL is that wall time in the source zone and keeps the same last occurrence.
 */
function timedRule(rule: string, zone: string): string {
  return rule.replace(/(^|;)UNTIL=(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?(?=;|$)/i, (...m: string[]) => {
    const [, lead, y, mo, d, h = '00', mi = '00', sec = '00'] = m;
    return `${lead}UNTIL=${instant(`${y}-${mo}-${d}T${h}:${mi}:${sec}`, zone).replace(/[-:]/g, '')}`;
  });
}

/**
 * One event of an all-day or floating source (master, override or single) with its dates as the
 * source zone's midnights and its wall times as the source zone's. Override original starts and EXDATEs become the instants the timed series has, so the
 * copy's overrides keep one key per source occurrence (eventTimeKey of a zoned time: its instant).
 */
export function asTimed(e: CanonicalEvent, sourceZone: string): CanonicalEvent {
  const zone = zoneOf(sourceZone);
  return {
    ...e,
    start: timed(e.start, zone),
    end: timed(e.end, zone),
    originalStart: e.originalStart && timed(e.originalStart, zone),
    recurrence: e.recurrence && {
      rrules: e.recurrence.rrules.map((r) => timedRule(r, zone)),
      exdates: e.recurrence.exdates.map((t) => timed(t, zone)),
      rdates: e.recurrence.rdates.map((t) => timed(t, zone)),
    },
  };
}
