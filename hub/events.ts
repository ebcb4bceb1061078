/**
 * Event reads and writes for API clients. Writes go through the sync engine's writer: the rows
 * and an outbox entry change in one transaction and the push job writes them to the provider with
 * preconditions. If-Match (the event's etag) is checked inside that transaction.
 */
import { randomUUID } from 'node:crypto';
import { HubError, NotFoundError, ValidationError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { busyStatusOf, eventTimeKey, parseEvent, type Calendar, type CanonicalEvent } from '../shared/model/index.ts';
import { eventsForWindow, pageEvents, type Queryable, type StoredEvent } from '../shared/store/index.ts';
import { expandSeries } from '../shared/time/index.ts';
import { EventWriterService, writeUid } from '../sync-engine/index.ts';
import type { Hub } from './open-hub.ts';

/** The event changed since it was read: answered 412. */
export class WritePreconditionError extends HubError {
  constructor(message = 'the event changed since it was read (If-Match does not match)') {
    super('PRECONDITION_FAILED', 'never', message, { httpStatus: 412 });
    this.name = 'WritePreconditionError';
  }
}

/** An event's etag: its content hash, quoted as HTTP wants it. */
export const etagOf = (e: Pick<StoredEvent, 'contentHash'>): string => `"${e.contentHash}"`;
const sameEtag = (e: Pick<StoredEvent, 'contentHash'>, ifMatch: string | undefined): boolean =>
  ifMatch === undefined || ifMatch === '*' || ifMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etagOf(e));

/** A stored event as clients see it: the canonical fields plus its ids and etag. */
export const showEvent = (s: StoredEvent) => ({ ...s.event, id: s.id, calendarId: s.calendarId, etag: etagOf(s) });

/**
 * If-Match, checked in the write's transaction after it has locked the calendar: checked before
 * it, two writers holding the same etag would both pass and the later one would win. A throw
 * rolls the transaction back.
 */
function ifMatchGuard(tenantId: string, eventId: string, ifMatch: string | undefined) {
  return async (tx: Queryable): Promise<boolean> => {
    const [row] = await tx.query<{ content_hash: string }>('SELECT content_hash FROM events WHERE id = $1 AND tenant_id = $2', [eventId, tenantId]);
    // Deleted since it was read: the same 404 as a request that arrived after the delete.
    if (!row) throw new NotFoundError(`event ${eventId}`);
    if (!sameEtag({ contentHash: row.content_hash }, ifMatch)) throw new WritePreconditionError();
    return true;
  };
}

const READ_ONLY_FIELDS = ['providerEventId', 'providerVersion', 'provenance', 'providerUpdatedAt', 'id', 'calendarId', 'etag'] as const;

function rejectReadOnly(body: Record<string, unknown>, also: string[] = []): void {
  const bad = [...READ_ONLY_FIELDS, ...also].filter((k) => k in body);
  if (bad.length) throw new ValidationError(`invalid event: ${bad.map((k) => `${k}: set by calhub`).join('; ')}`, bad);
}

export async function calendarOf(hub: Hub, tenantId: string, calendarId: string): Promise<Calendar> {
  const cal = await hub.store.tenant(tenantId).calendars.get(calendarId);
  if (!cal) throw new NotFoundError(`calendar ${calendarId}`);
  return cal;
}

export async function getEvent(hub: Hub, tenantId: string, eventId: string): Promise<StoredEvent> {
  const e = await hub.store.tenant(tenantId).events.get(eventId);
  if (!e) throw new NotFoundError(`event ${eventId}`);
  return e;
}

async function writable(hub: Hub, tenantId: string, calendarId: string): Promise<Calendar> {
  const cal = await calendarOf(hub, tenantId, calendarId);
  if (cal.accessRole === 'reader' || cal.accessRole === 'freeBusyReader') throw new HubError('CALENDAR_READ_ONLY', 'never', `calendar ${calendarId} is read-only`);
  return cal;
}

const keyOf = (e: CanonicalEvent) => (e.originalStart ? eventTimeKey(e.originalStart) : '');

/** Creates an event from a client's body (uid generated when absent); fields calhub sets are refused. */
export async function createEvent(hub: Hub, tenantId: string, calendarId: string, body: Record<string, unknown>): Promise<StoredEvent> {
  const cal = await writable(hub, tenantId, calendarId);
  rejectReadOnly(body);
  const event = parseEvent({ uid: `${randomUUID()}@calhub`, ...body });
  const t = hub.store.tenant(tenantId);
  const uid = event.uid;
  if ((await t.events.byUid(cal.id, uid)).length) throw new ValidationError(`an event with uid ${uid} already exists in this calendar`);
  await writeUid(hub.deps, tenantId, cal.id, uid, [{ ...event, uid, providerEventId: null, providerVersion: null }]);
  return (await t.events.byUid(cal.id, uid)).find((r) => keyOf(r.event) === keyOf(event))!;
}

/** Applies a patch (the given fields replace the stored ones); other events of the same UID stay. */
export async function updateEvent(hub: Hub, tenantId: string, eventId: string, patch: Record<string, unknown>, ifMatch?: string): Promise<StoredEvent> {
  const current = await getEvent(hub, tenantId, eventId);
  await writable(hub, tenantId, current.calendarId);
  rejectReadOnly(patch, ['uid', 'originalStart']);
  const next: CanonicalEvent = parseEvent({ ...current.event, ...patch });
  const t = hub.store.tenant(tenantId);
  const siblings = await t.events.byUid(current.calendarId, current.event.uid);
  const events = siblings.map((s) => (s.id === current.id ? { ...next, providerEventId: s.remoteId } : s.event));
  await writeUid(hub.deps, tenantId, current.calendarId, current.event.uid, events, ifMatchGuard(tenantId, eventId, ifMatch));
  return (await t.events.get(eventId))!;
}

/** Deleting an override cancels that occurrence; deleting a master or single event deletes it. */
export async function deleteEvent(hub: Hub, tenantId: string, eventId: string, ifMatch?: string): Promise<void> {
  const current = await getEvent(hub, tenantId, eventId);
  await writable(hub, tenantId, current.calendarId);
  await new EventWriterService(hub.deps).delete(tenantId, eventId, ifMatchGuard(tenantId, eventId, ifMatch));
}

/** Stored rows (masters, singles, overrides) of a calendar in id order, after `afterId`. */
export async function pageOfEvents(hub: Hub, tenantId: string, calendarId: string, afterId: string | null, limit: number): Promise<StoredEvent[]> {
  const cal = await calendarOf(hub, tenantId, calendarId);
  return pageEvents(hub.store.db, tenantId, cal.id, afterId, limit);
}

export type EventInstance = ReturnType<typeof instance>;

/** Instances of every UID overlapping the window, ordered by start; a series that cannot be expanded is left out and logged. */
export async function eventInstances(hub: Hub, tenantId: string, calendarId: string, window: { start: Date; end: Date }, log: Pick<Logger, 'warn'> | { warn(obj: object, msg: string): void } = hub.log): Promise<EventInstance[]> {
  const cal = await calendarOf(hub, tenantId, calendarId);
  const rows = await eventsForWindow(hub.store.db, tenantId, cal.id, window.start, window.end);
  const byUid = new Map<string, StoredEvent[]>();
  for (const r of rows) {
    const l = byUid.get(r.event.uid);
    if (l) l.push(r);
    else byUid.set(r.event.uid, [r]);
  }
  const out: Array<EventInstance & { startMs: number }> = [];
  for (const [uid, group] of byUid) {
    const master = group.find((g) => g.event.originalStart === null) ?? null;
    const rowOf = new Map<CanonicalEvent, StoredEvent>(group.map((g) => [g.event, g]));
    try {
      const occ = expandSeries({ master: master?.event ?? null, overrides: group.filter((g) => g !== master).map((g) => g.event), calendarTimeZone: cal.timeZone, window });
      for (const o of occ) {
        const row = rowOf.get(o.event) ?? master!;
        out.push({ ...instance(row, o.event, o.originalStartKey, o.startMs, o.endMs, o.isOverride, master?.event.recurrence != null), startMs: o.startMs });
      }
    } catch (e) {
      log.warn({ err: e, uid }, 'series could not be expanded for listing');
    }
  }
  out.sort((a, b) => a.startMs - b.startMs || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0) || (a.originalStartKey < b.originalStartKey ? -1 : 1));
  return out.map(({ startMs: _s, ...rest }) => rest);
}

function instance(row: StoredEvent, e: CanonicalEvent, originalStartKey: string, startMs: number, endMs: number, isOverride: boolean, recurring: boolean) {
  return {
    eventId: row.id,
    calendarId: row.calendarId,
    uid: e.uid,
    originalStartKey,
    recurring,
    isOverride,
    allDay: 'date' in e.start,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    title: e.title,
    location: e.location,
    status: e.status,
    availability: e.availability,
    visibility: e.visibility,
    busyStatus: busyStatusOf(e),
  };
}
