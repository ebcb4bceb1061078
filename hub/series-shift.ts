/**
 * A series' master changed so that some of its overrides name no occurrence of it any more (its
 * start moved to another time, its rule changed). Kept, each was listed on its own beside the
 * series' new occurrence, busy twice, and the provider disagreed: Graph discards a series'
 * exceptions when its pattern or start changes (as Outlook does, MS-OXOCAL 3.1.4.7.3.5). They are
 * dropped with the change, as there.
 */
import { eventTimeKey, type CanonicalEvent } from '../shared/model/index.ts';
import { expandSeries } from '../shared/time/index.ts';

const DAY = 86_400_000;

/** The overrides of `master` that still name one of its occurrences. */
export function attachedOverrides(master: CanonicalEvent, overrides: CanonicalEvent[], calendarZone: string): CanonicalEvent[] {
  if (!master.recurrence) return overrides;
  return overrides.filter((o) => o.originalStart === null || isOccurrence(master, o, calendarZone));
}

function isOccurrence(master: CanonicalEvent, o: CanonicalEvent, calendarZone: string): boolean {
  const original = o.originalStart!;
  const key = eventTimeKey(original);
  const at = 'date' in original ? Date.parse(original.date) : 'local' in original ? Date.parse(`${original.local}Z`) : Date.parse(original.dateTime);
  const window = { start: new Date(at - 2 * DAY), end: new Date(at + 2 * DAY) };
  return expandSeries({ master, overrides: [], calendarTimeZone: calendarZone, window }).some((x) => x.originalStartKey === key);
}
