/**
 * One occurrence of a series, changed or cancelled on its own ("this event only"), the way every
 * provider lets a user do it. An occurrence is named by its series (the master's event id, or any
 * override of the same UID) and its original start key, as the instance listing gives both.
 * Changing a regular occurrence writes a new override (UID + original start, like RECURRENCE-ID);
 * cancelling one adds an EXDATE to the master, which all three providers keep (Graph as a deleted
 * occurrence, listed back as `cancelledOccurrences`). An occurrence that already has an override
 * is that override's update or delete.
 */
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { eventTimeKey, normalizeInstant, parseEvent, validateForWrite, type CanonicalEvent, type EventTime } from '../shared/model/index.ts';
import type { StoredEvent } from '../shared/store/index.ts';
import { canonicalTimes, expandSeries, type Occurrence } from '../shared/time/index.ts';
import { ifMatches, writeUid } from '../sync-engine/index.ts';
import { deleteEvent, getEvent, rejectReadOnly, updateEvent, writable, type WriteOptions, type WrittenEvent } from './events.ts';
import type { Hub } from './open-hub.ts';

const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

type Found = { series: StoredEvent[]; master: StoredEvent } & ({ override: StoredEvent } | { override: null; occurrence: Occurrence; key: string });

/** The key in the master's form: a date, a wall clock with `~floating`, or a UTC instant (any spelling of it). */
function keyFor(master: CanonicalEvent, raw: string): string {
  const bad = (form: string) => new ValidationError(`occurrence key ${JSON.stringify(raw)} must be ${form}, as the instance listing's originalStartKey gives it`, ['originalStartKey']);
  if ('date' in master.start) {
    if (!DATE.test(raw)) throw bad('a date YYYY-MM-DD (the series is all-day)');
    return raw;
  }
  if ('local' in master.start) {
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

/** Where the occurrence may lie: a day either side of its key, enough for any zone's offset. */
function around(key: string): { start: Date; end: Date } {
  const ms = Date.parse(key.length === 10 ? `${key}T00:00:00Z` : key.endsWith('~floating') ? `${key.slice(0, 19)}Z` : key);
  return { start: new Date(ms - 2 * DAY), end: new Date(ms + 2 * DAY) };
}

async function findOccurrence(hub: Hub, tenantId: string, eventId: string, rawKey: string): Promise<Found> {
  const given = await getEvent(hub, tenantId, eventId);
  const series = await hub.store.tenant(tenantId).events.byUid(given.calendarId, given.event.uid);
  const master = series.find((s) => s.event.originalStart === null);
  // Without its master (an instance one was invited to alone), a series' overrides are all there is.
  const key = keyFor(master?.event ?? given.event, rawKey);
  const override = series.find((s) => s.event.originalStart !== null && eventTimeKey(s.event.originalStart) === key);
  if (override) return { series, master: master ?? override, override };
  if (!master?.event.recurrence) {
    if (master) throw new ValidationError(`event ${eventId} is not part of a recurring series: change it with PATCH /v1/events/${eventId}`);
    throw new NotFoundError(`occurrence ${key} of event ${eventId}`);
  }
  const cal = await hub.store.tenant(tenantId).calendars.get(given.calendarId);
  const occurrence = expandSeries({
    master: master.event,
    overrides: series.filter((s) => s !== master).map((s) => s.event),
    calendarTimeZone: cal?.timeZone ?? 'UTC',
    window: around(key),
  }).find((o) => !o.isOverride && o.originalStartKey === key);
  if (!occurrence) throw new NotFoundError(`occurrence ${key} of event ${eventId}`);
  return { series, master, override: null, occurrence, key };
}

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const addMs = (local: string, ms: number): string => new Date(Date.parse(`${local}Z`) + ms).toISOString().slice(0, 19);
const utc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** The occurrence as an event of its own, before the caller's changes: the master's content at its time. */
function asOverride(master: CanonicalEvent, o: Occurrence, key: string): CanonicalEvent {
  let originalStart: EventTime;
  let start: EventTime;
  let end: EventTime;
  if ('date' in master.start) {
    const days = 'date' in master.end ? Math.round((Date.parse(master.end.date) - Date.parse(master.start.date)) / DAY) : 1;
    originalStart = { date: key };
    start = { date: key };
    end = { date: addDays(key, days) };
  } else if ('local' in master.start) {
    const local = key.slice(0, 19);
    const ms = 'local' in master.end ? Date.parse(`${master.end.local}Z`) - Date.parse(`${master.start.local}Z`) : o.endMs - o.startMs;
    originalStart = { local };
    start = { local };
    end = { local: addMs(local, ms) };
  } else {
    originalStart = { dateTime: key, timeZone: master.start.timeZone };
    start = { dateTime: utc(o.startMs), timeZone: master.start.timeZone };
    end = { dateTime: utc(o.endMs), timeZone: 'timeZone' in master.end ? master.end.timeZone : master.start.timeZone };
  }
  return { ...master, recurrence: null, originalStart, start, end, providerEventId: null, providerVersion: null, providerUpdatedAt: null };
}

/**
 * Changes one occurrence: its override when it has one, else a new override made from the master
 * at that occurrence with `input` applied. If-Match is the override's etag, or the master's for a
 * regular occurrence (what the occurrence was read from).
 */
export async function updateOccurrence(hub: Hub, tenantId: string, eventId: string, rawKey: string, input: Record<string, unknown>, ifMatch?: string, opts: WriteOptions = {}): Promise<WrittenEvent> {
  const found = await findOccurrence(hub, tenantId, eventId, rawKey);
  if (found.override) return updateEvent(hub, tenantId, found.override.id, input, ifMatch, opts);
  const { master, series, occurrence, key } = found;
  const cal = await writable(hub, tenantId, master.calendarId);
  rejectReadOnly(input, ['uid', 'originalStart', 'recurrence']);
  const { body: patch, notes } = canonicalTimes(input, cal.timeZone);
  const next = parseEvent({ ...asOverride(master.event, occurrence, key), ...patch });
  validateForWrite(next);
  await opts.admit?.(null, next);
  const events = [...series.map((s) => ({ ...s.event, providerEventId: s.remoteId })), next];
  await writeUid(hub.deps, tenantId, master.calendarId, master.event.uid, events, ifMatches(master.id, ifMatch));
  const saved = (await hub.store.tenant(tenantId).events.byUid(master.calendarId, master.event.uid)).find((s) => s.event.originalStart !== null && eventTimeKey(s.event.originalStart) === key);
  // Another writer replaced the series between the write and this read.
  if (!saved) throw new NotFoundError(`occurrence ${key} of event ${eventId}`);
  return { ...saved, timeNotes: notes };
}

/**
 * Cancels one occurrence: its override is cancelled when it has one, else the master gains an
 * EXDATE for it. If-Match as for updateOccurrence.
 */
export async function deleteOccurrence(hub: Hub, tenantId: string, eventId: string, rawKey: string, ifMatch?: string, opts: WriteOptions = {}): Promise<void> {
  const found = await findOccurrence(hub, tenantId, eventId, rawKey);
  if (found.override) return deleteEvent(hub, tenantId, found.override.id, ifMatch, opts);
  const { master, series, key } = found;
  await writable(hub, tenantId, master.calendarId);
  const rec = master.event.recurrence!;
  const exdate = asOverride(master.event, found.occurrence, key).originalStart!;
  const next: CanonicalEvent = { ...master.event, recurrence: { ...rec, exdates: [...rec.exdates, exdate] } };
  await opts.admit?.(master.event, next);
  const events = series.map((s) => (s.id === master.id ? { ...next, providerEventId: s.remoteId } : { ...s.event, providerEventId: s.remoteId }));
  await writeUid(hub.deps, tenantId, master.calendarId, master.event.uid, events, ifMatches(master.id, ifMatch));
}
