/**
 * Recurring series → instances, for singleEvents=true, events.instances and freeBusy. Expansion
 * itself is shared/time's expandSeries (RFC 5545 RRULE/EXDATE/RDATE); this file turns its
 * occurrences back into Google instance resources with Google's instance ids.
 */
import { expandSeries, type Occurrence } from '../../shared/time/index.ts';
import { addDays, daysBetween, instanceSuffix, toCanonical, wireTime, zoneOf } from './event-time.ts';
import type { CalendarState, GEvent, StoredEvent } from './types.ts';

export interface Window {
  start: number;
  end: number;
}

/** With no timeMax, Google still stops somewhere; the emulator expands two years past now. */
export const DEFAULT_HORIZON_MS = 730 * 86_400_000;

export function exceptionsOf(cal: CalendarState, masterId: string): StoredEvent[] {
  return [...cal.events.values()].filter((e) => !e.deleted && e.res.recurringEventId === masterId);
}

/** Live exceptions grouped by master id, for requests that expand many series at once. */
export function exceptionIndex(cal: CalendarState): Map<string, StoredEvent[]> {
  const index = new Map<string, StoredEvent[]>();
  for (const e of cal.events.values()) {
    const m = e.res.recurringEventId;
    if (m && !e.deleted) index.set(m, [...(index.get(m) ?? []), e]);
  }
  return index;
}

export function occurrencesOf(cal: CalendarState, item: StoredEvent, w: Window, index?: Map<string, StoredEvent[]>): Occurrence[] {
  const exceptions = item.res.recurrence?.length ? (index ? (index.get(item.res.id) ?? []) : exceptionsOf(cal, item.res.id)) : [];
  const overrides = exceptions.map((e) => toCanonical(e.res, cal));
  return expandSeries({
    master: toCanonical(item.res, cal),
    overrides,
    calendarTimeZone: cal.timeZone,
    window: { start: new Date(w.start), end: new Date(w.end) },
  });
}

/** A virtual (unmodified) instance the way events.instances returns it. */
export function virtualInstance(cal: CalendarState, master: GEvent, occ: Occurrence): GEvent {
  const { recurrence: _r, id: _id, ...rest } = master;
  const key = occ.originalStartKey;
  const res: GEvent = { ...rest, id: `${master.id}_${instanceSuffix(key)}`, recurringEventId: master.id };
  if (master.start?.date) {
    const len = daysBetween(master.start.date, master.end?.date ?? addDays(master.start.date, 1));
    res.start = { date: key };
    res.end = { date: addDays(key, len) };
    res.originalStartTime = { date: key };
  } else {
    const zone = zoneOf(master.start, cal);
    res.start = wireTime(occ.startMs, zone);
    res.end = wireTime(occ.endMs, zone);
    res.originalStartTime = wireTime(Date.parse(key), zone);
  }
  return res;
}

/** Instances of one master within the window; stored exceptions replace their occurrence. */
export function instancesOf(cal: CalendarState, master: StoredEvent, w: Window): GEvent[] {
  return occurrencesOf(cal, master, w).map((occ) => {
    if (occ.isOverride) {
      const stored = occ.event.providerEventId ? cal.events.get(occ.event.providerEventId) : undefined;
      if (stored) return stored.res;
    }
    return virtualInstance(cal, master.res, occ);
  });
}

/** Finds the occurrence an instance id names, stored or virtual; null when the id names none. */
export function resolveInstanceId(cal: CalendarState, id: string): { master: StoredEvent; instance: GEvent } | null {
  const m = /^(.+)_(\d{8})(T\d{6}Z)?$/.exec(id);
  if (!m) return null;
  const master = cal.events.get(m[1]!);
  if (!master || master.deleted || !master.res.recurrence?.length) return null;
  const d = m[2]!;
  const date = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  const t = m[3];
  const startMs = t ? Date.parse(`${date}T${t.slice(1, 3)}:${t.slice(3, 5)}:${t.slice(5, 7)}Z`) : Date.parse(`${date}T00:00:00Z`);
  // The instance may sit a zone offset away from its UTC date: search a margin around it.
  const w = { start: startMs - 2 * 86_400_000, end: startMs + 2 * 86_400_000 };
  const occ = occurrencesOf(cal, { ...master, res: { ...master.res } }, w).find(
    (o) => instanceSuffix(o.originalStartKey) === `${d}${t ?? ''}`,
  );
  if (!occ) return null;
  return { master, instance: virtualInstance(cal, master.res, occ) };
}

export { zoneOf };
