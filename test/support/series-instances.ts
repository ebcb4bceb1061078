/**
 * A series as a provider's objects show it: every instance in `window`, expanded from the master
 * and its overrides by the hub's own expander, one line each as `show` writes it. Tests compare
 * these lines with what they expect the provider (or the hub) to hold.
 */
import type { CanonicalEvent } from '../../shared/model/index.ts';
import { expandSeries } from '../../shared/time/index.ts';

type Occurrence = ReturnType<typeof expandSeries>[number];

export const startAnd = (field: 'title' | 'location') => (o: Occurrence): string => `${new Date(o.startMs).toISOString()} ${o.event[field]}`;

export function seriesInstances(objects: Array<{ events: CanonicalEvent[] }>, uid: string, window: { start: Date; end: Date }, show: (o: Occurrence) => string): string[] {
  const events = objects.flatMap((o) => o.events).filter((e) => e.uid === uid);
  const master = events.find((e) => e.originalStart === null) ?? null;
  return expandSeries({ master, overrides: events.filter((e) => e !== master), calendarTimeZone: 'UTC', window }).map(show);
}
