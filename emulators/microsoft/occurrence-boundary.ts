/**
 * Outlook keeps a series in order: one occurrence cannot be moved onto or past the start of the
 * occurrence before or after it. Exchange answers such a write with ErrorOccurrenceCrossingBoundary
 * (EWS ResponseCodeType: "the modified occurrence is crossing or overlapping adjacent occurrence");
 * Graph passes it on as a 400 with that code. The neighbours are the series' instances as they stand
 * (exceptions where they were moved to, cancelled ones left out), in their original order.
 */
import { GraphHttpError } from './http.ts';
import type { Mailbox, StoredEvent } from './model.ts';
import { addDays } from './recurrence.ts';
import { seriesStarts, startMsOf } from './views.ts';
import { dateOf } from './zones.ts';

export function checkOccurrenceBoundary(mb: Mailbox, master: StoredEvent, date: string, newStartMs: number): void {
  const interval = master.data.recurrence?.pattern.interval ?? 1;
  // Far enough to reach the next occurrence of any pattern (yearly with its interval) past the new start.
  const reach = addDays(date > dateOf(new Date(newStartMs).toISOString()) ? date : dateOf(new Date(newStartMs).toISOString()), 400 * interval);
  const moved = new Map([...mb.events.values()].filter((e) => e.masterKey === master.key).map((e) => [e.occurrenceDate!, startMsOf(e)]));
  let prev: number | null = null;
  let next: number | null = null;
  for (const o of seriesStarts(master, reach)) {
    if (o.date === date || master.cancelledDates.has(o.date)) continue;
    const at = moved.get(o.date) ?? o.startMs;
    if (o.date < date) prev = at;
    else if (next === null) next = at;
  }
  if ((prev !== null && newStartMs <= prev) || (next !== null && newStartMs >= next)) {
    throw new GraphHttpError(400, 'ErrorOccurrenceCrossingBoundary', 'The modified occurrence is crossing or overlapping an adjacent occurrence.');
  }
}
