/**
 * One occurrence of a series, found for a change or cancellation of its own ("this event only").
 * It is named by its series (the master's event id, or any override of the same UID) and its
 * original start key, as the instance listing gives both. A regular occurrence becomes an override
 * when changed (UID + original start, like RECURRENCE-ID) and an EXDATE on the master when
 * cancelled, which all three providers keep (Graph as a deleted occurrence, listed back as
 * `cancelledOccurrences`); an occurrence with an override is that override's change.
 */
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { EventRuleError, eventTimeKey, normalizeInstant, type CanonicalEvent, type EventTime } from '../shared/model/index.ts';
import type { Store, StoredEvent } from '../shared/store/index.ts';
import { expandSeries, isRealDateTime, type Occurrence } from '../shared/time/index.ts';

const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/**
 * An occurrence that has an override, or a regular one with the override it would become (`base`).
 * A cancelled override of a series also carries `restore`: the master's content at that occurrence.
 * A provider may hand a cancelled instance back with nothing but its identity (Google's guaranteed
 * fields), so bringing it back from the override alone would bring back an empty event.
 */
export type OccurrenceAt = { series: StoredEvent[]; key: string } & (
  | { override: StoredEvent; restore: CanonicalEvent | null }
  | { override: null; master: StoredEvent; occurrence: Occurrence; base: CanonicalEvent }
);

/** The key in the series' form: a date, a wall clock with `~floating`, or a UTC instant (any spelling of it). */
export function keyFor(form: CanonicalEvent, raw: string): string {
  const bad = (what: string) => new ValidationError(`occurrence key ${JSON.stringify(raw)} must be ${what}, as the instance listing's originalStartKey gives it`, ['originalStartKey']);
  // Parsed as JavaScript reads dates, 2026-11-31 would name 2026-12-01's occurrence and act on it.
  if (DATE_PREFIX.test(raw) && !isRealDateTime(raw)) throw new EventRuleError('DATE_INVALID', `occurrence key ${JSON.stringify(raw)}: no such date or time`);
  if ('date' in form.start) {
    if (!DATE.test(raw)) throw bad('a date YYYY-MM-DD (the series is all-day)');
    return raw;
  }
  if ('local' in form.start) {
    const local = raw.endsWith('~floating') ? raw.slice(0, -'~floating'.length) : raw;
    if (!LOCAL.test(local)) throw bad('a wall clock YYYY-MM-DDTHH:mm:ss (the series is floating)');
    return `${local}~floating`;
  }
  try {
    return normalizeInstant(raw);
  } catch {
    throw bad('an instant such as 2026-12-08T08:30:00Z');
  }
}

/** Where the occurrence may lie: two days either side of its key, more than any zone's offset. */
function around(key: string): { start: Date; end: Date } {
  const ms = Date.parse(key.length === 10 ? `${key}T00:00:00Z` : key.endsWith('~floating') ? `${key.slice(0, 19)}Z` : key);
  return { start: new Date(ms - 2 * DAY), end: new Date(ms + 2 * DAY) };
}

export async function findOccurrence(store: Store, tenantId: string, eventId: string, rawKey: string): Promise<OccurrenceAt> {
  const t = store.tenant(tenantId);
  const given = await t.events.get(eventId);
  if (!given) throw new NotFoundError(`event ${eventId}`);
  const series = await t.events.byUid(given.calendarId, given.event.uid);
  const master = series.find((s) => s.event.originalStart === null);
  // Without its master (an instance one was invited to alone), a series' overrides are all there is.
  const key = keyFor(master?.event ?? given.event, rawKey);
  const override = series.find((s) => s.event.originalStart !== null && eventTimeKey(s.event.originalStart) === key);
  const regular = async (m: StoredEvent): Promise<Occurrence | undefined> => {
    const cal = await t.calendars.get(given.calendarId);
    return expandSeries({
      master: m.event,
      overrides: series.filter((s) => s !== master && s !== override).map((s) => s.event),
      calendarTimeZone: cal?.timeZone ?? 'UTC',
      window: around(key),
    }).find((o) => !o.isOverride && o.originalStartKey === key);
  };
  if (override) {
    const plain = override.event.status === 'cancelled' && master?.event.recurrence ? await regular(master) : undefined;
    return { series, key, override, restore: master && plain ? overrideOf(master.event, plain, key) : null };
  }
  if (!master) throw new NotFoundError(`occurrence ${key} of event ${eventId}`);
  if (!master.event.recurrence) throw new ValidationError(`event ${eventId} is not part of a recurring series, so it has no occurrences of its own: change or delete the event itself`);
  const occurrence = await regular(master);
  if (!occurrence) throw new NotFoundError(`occurrence ${key} of event ${eventId}`);
  return { series, key, override: null, master, occurrence, base: overrideOf(master.event, occurrence, key) };
}

/**
 * The master's start and end moved to the occurrence at `at` (a RECURRENCE-ID value), in the
 * master's form: what an occurrence holds before anyone changes it. `spanMs` is the occurrence's
 * length where start and end differ in form (a floating start with a zoned end), which only an
 * expansion in the calendar's zone knows; without it such an occurrence ends where it starts.
 */
export function timesAt(master: CanonicalEvent, at: EventTime, spanMs = 0): { start: EventTime; end: EventTime } {
  const { start, end } = master;
  if ('date' in start && 'date' in at) {
    const days = 'date' in end ? Math.round((Date.parse(end.date) - Date.parse(start.date)) / DAY) : 1;
    return { start: { date: at.date }, end: { date: new Date(Date.parse(at.date) + days * DAY).toISOString().slice(0, 10) } };
  }
  if ('local' in start && 'local' in at) {
    const ms = 'local' in end ? Date.parse(`${end.local}Z`) - Date.parse(`${start.local}Z`) : spanMs;
    return { start: { local: at.local }, end: { local: new Date(Date.parse(`${at.local}Z`) + ms).toISOString().slice(0, 19) } };
  }
  if ('dateTime' in start && 'dateTime' in at) {
    const from = Date.parse(at.dateTime);
    const ms = 'dateTime' in end ? Date.parse(end.dateTime) - Date.parse(start.dateTime) : spanMs;
    return { start: { dateTime: utc(from), timeZone: start.timeZone }, end: { dateTime: utc(from + ms), timeZone: 'timeZone' in end ? end.timeZone : start.timeZone } };
  }
  return { start: at, end: at };
}

const utc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * A regular occurrence as an event of its own: the master's content at its time, no rule. One a
 * RANGE=THISANDFUTURE override made is that override's content at its moved time (the expander's
 * event for it), so a change of it starts from what the listing showed.
 */
function overrideOf(master: CanonicalEvent, o: Occurrence, key: string): CanonicalEvent {
  if (o.rangeKey !== undefined) return { ...o.event, recurrence: null, providerEventId: null, providerVersion: null, providerUpdatedAt: null };
  const originalStart: EventTime = 'date' in master.start ? { date: key } : 'local' in master.start ? { local: key.slice(0, 19) } : { dateTime: key, timeZone: master.start.timeZone };
  return { ...master, recurrence: null, originalStart, ...timesAt(master, originalStart, o.endMs - o.startMs), providerEventId: null, providerVersion: null, providerUpdatedAt: null };
}

/** The master with an EXDATE for a regular occurrence, in the form of the series' start. */
export function withExdate(at: Extract<OccurrenceAt, { override: null }>): CanonicalEvent {
  const rec = at.master.event.recurrence!;
  return { ...at.master.event, recurrence: { ...rec, exdates: [...rec.exdates, at.base.originalStart!] } };
}
