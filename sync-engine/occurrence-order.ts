/**
 * A provider that keeps a series in order (Exchange/Graph: 400 ErrorOccurrenceCrossingBoundary)
 * refuses one occurrence moved onto or past the start of the occurrence before or after it. The
 * hub asks before accepting such a write (a 400 then, not an accepted write that counts as busy
 * at its new time, is mirrored, then parks at push); a mirror copy holds it apart (mirror.ts).
 */
import { eventTimeKey, type CanonicalEvent } from '../shared/model/index.ts';
import { expandSeries } from '../shared/time/index.ts';

const YEAR = 366 * 86_400_000;

export interface CrossedNeighbour {
  side: 'before' | 'after';
  startMs: number;
}

/**
 * The neighbour `after` (an override) starts at or before (the occurrence that precedes it in the
 * series) or at or after (the one that follows), or null. `series` is the series as stored (master
 * and overrides, `after`'s own old version among them or not). Neighbours stand where they are
 * now: moved overrides at their new times; cancelled occurrences are none.
 */
export function crossedNeighbour(series: readonly CanonicalEvent[], after: CanonicalEvent, calendarTimeZone: string): CrossedNeighbour | null {
  if (!after.originalStart || after.status === 'cancelled') return null;
  const key = eventTimeKey(after.originalStart);
  const master = series.find((e) => e.originalStart === null && e.recurrence);
  const others = series.filter((e) => e.originalStart !== null && eventTimeKey(e.originalStart) !== key);
  const [moved] = expandSeries({ master: null, overrides: [after], calendarTimeZone, window: { start: new Date(-8.64e15), end: new Date(8.64e15) } });
  if (!moved) return null;
  // Wide enough for the neighbours of a yearly series on either side of both places.
  const window = { start: new Date(moved.startMs - 5 * YEAR), end: new Date(moved.startMs + 5 * YEAR) };
  const all = expandSeries({ master: master ?? null, overrides: others, calendarTimeZone, window }).filter((o) => o.originalStartKey !== key);
  // Series order is the original order; keys of one series compare as their instants do.
  const prev = all.filter((o) => o.originalStartKey < key).sort((a, b) => (a.originalStartKey < b.originalStartKey ? 1 : -1))[0];
  const next = all.filter((o) => o.originalStartKey > key).sort((a, b) => (a.originalStartKey < b.originalStartKey ? -1 : 1))[0];
  if (prev && moved.startMs <= prev.startMs) return { side: 'before', startMs: prev.startMs };
  if (next && moved.startMs >= next.startMs) return { side: 'after', startMs: next.startMs };
  return null;
}
