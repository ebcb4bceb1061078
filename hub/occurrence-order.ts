/**
 * A provider that keeps a series in order (Exchange/Graph: 400 ErrorOccurrenceCrossingBoundary)
 * refuses one occurrence moved onto or past the start of the occurrence before or after it. Asked
 * before such a write is accepted, so it is a 400 now instead of an accepted write that counts as
 * busy at its new time, is mirrored, then parks at push.
 */
import { HubError } from '../shared/errors.ts';
import { eventTimeKey, type CanonicalEvent } from '../shared/model/index.ts';
import { expandSeries } from '../shared/time/index.ts';

const YEAR = 366 * 86_400_000;

/**
 * Throws OCCURRENCE_OUT_OF_ORDER when `after` (an override) starts at or before the occurrence
 * that precedes it in the series, or at or after the one that follows. `series` is the stored
 * series (master and overrides, `after`'s own old version among them or not). Neighbours stand
 * where they are now: moved overrides at their new times, cancelled occurrences are none.
 */
export function checkOccurrenceOrder(series: readonly CanonicalEvent[], after: CanonicalEvent, calendarTimeZone: string): void {
  if (!after.originalStart || after.status === 'cancelled') return;
  const key = eventTimeKey(after.originalStart);
  const master = series.find((e) => e.originalStart === null && e.recurrence);
  const others = series.filter((e) => e.originalStart !== null && eventTimeKey(e.originalStart) !== key);
  const [moved] = expandSeries({ master: null, overrides: [after], calendarTimeZone, window: { start: new Date(-8.64e15), end: new Date(8.64e15) } });
  if (!moved) return;
  // Wide enough for the neighbours of a yearly series on either side of both places.
  const window = { start: new Date(moved.startMs - 5 * YEAR), end: new Date(moved.startMs + 5 * YEAR) };
  const all = expandSeries({ master: master ?? null, overrides: others, calendarTimeZone, window }).filter((o) => o.originalStartKey !== key);
  // Series order is the original order; keys of one series compare as their instants do.
  const prev = all.filter((o) => o.originalStartKey < key).sort((a, b) => (a.originalStartKey < b.originalStartKey ? 1 : -1))[0];
  const next = all.filter((o) => o.originalStartKey > key).sort((a, b) => (a.originalStartKey < b.originalStartKey ? -1 : 1))[0];
  const crossed = prev && moved.startMs <= prev.startMs ? prev : next && moved.startMs >= next.startMs ? next : null;
  if (crossed) {
    const side = crossed === prev ? 'the occurrence before it' : 'the occurrence after it';
    throw new HubError('OCCURRENCE_OUT_OF_ORDER', 'never', `this calendar's provider keeps a series in order: the occurrence of ${key} cannot start at or ${crossed === prev ? 'before' : 'after'} ${side} (${new Date(crossed.startMs).toISOString()}); move it less far, or cancel it and add a single event`);
  }
}
