import { parseEvent, type CanonicalEvent, type CanonicalEventInput, type EventTime } from '../model/index.ts';
import { localToUtcMs } from './zone.ts';
import type { ExpandInput } from './types.ts';

/** Test-only builders: a zoned EventTime from wall time, events with defaults filled. */
export function zoned(local: string, zone: string): EventTime {
  const iso = new Date(localToUtcMs(local, zone)).toISOString();
  return { dateTime: `${iso.slice(0, 19)}Z`, timeZone: zone };
}

export function event(fields: Partial<CanonicalEventInput> & Pick<CanonicalEventInput, 'start' | 'end'>): CanonicalEvent {
  return parseEvent({ uid: 'u1', ...fields });
}

export function series(
  start: EventTime,
  end: EventTime,
  rrules: string[],
  extra: { exdates?: EventTime[]; rdates?: EventTime[] } = {},
): CanonicalEvent {
  return event({ start, end, recurrence: { rrules, exdates: extra.exdates ?? [], rdates: extra.rdates ?? [] } });
}

export function input(
  master: CanonicalEvent | null,
  from: string,
  to: string,
  overrides: CanonicalEvent[] = [],
  calendarTimeZone = 'UTC',
): ExpandInput {
  return { master, overrides, calendarTimeZone, window: { start: new Date(from), end: new Date(to) } };
}

export const isoZ = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
