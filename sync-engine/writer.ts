/**
 * Local changes (API writes, mirror copies, conflict resolutions): the store's rows and an outbox
 * entry change in one transaction; the push job later writes them to the provider.
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { parseEvent, type CanonicalEvent, type CanonicalEventInput } from '../shared/model/index.ts';
import { syncRepo, type Queryable, type StoredEvent } from '../shared/store/index.ts';
import type { EngineDeps } from './deps.ts';

/** Checked inside the write's transaction after the calendar lock; a throw aborts the write. */
export type WriteGuard = (tx: Queryable) => Promise<unknown>;

/** Replaces every event of one UID in a calendar with `events` (none: delete) and queues the write. */
export async function writeUid(deps: EngineDeps, tenantId: string, calendarId: string, uid: string, events: CanonicalEvent[], guard?: WriteGuard): Promise<void> {
  const t = deps.store.tenant(tenantId);
  await t.events.writeLocal(calendarId, uid, events, {
    ...(guard ? { guard } : {}),
    alsoInTransaction: (tx) => syncRepo.outboxUpsert(tx, { calendarId, tenantId, uid, op: events.length ? 'put' : 'delete' }),
  });
  deps.onOutbox?.(tenantId, calendarId);
  deps.onCalendarChanged?.(tenantId, calendarId);
}

export class EventWriterService {
  constructor(private readonly deps: EngineDeps) {}

  async create(tenantId: string, calendarId: string, input: CanonicalEventInput): Promise<StoredEvent> {
    const t = this.deps.store.tenant(tenantId);
    if (!(await t.calendars.get(calendarId))) throw new NotFoundError(`calendar ${calendarId}`);
    const uid = input.uid ?? `${randomUUID()}@calhub`;
    if ((await t.events.byUid(calendarId, uid)).length) throw new ValidationError(`an event with uid ${uid} already exists in this calendar`);
    const event = parseEvent({ ...input, uid, providerEventId: null, providerVersion: null, originalStart: null });
    await writeUid(this.deps, tenantId, calendarId, uid, [event]);
    return (await t.events.byUid(calendarId, uid))[0]!;
  }

  /** Updates one stored event (a master, single event or override); other events of its UID stay. */
  async update(tenantId: string, eventId: string, patch: Partial<CanonicalEventInput>): Promise<StoredEvent> {
    const t = this.deps.store.tenant(tenantId);
    const current = await t.events.get(eventId);
    if (!current) throw new NotFoundError(`event ${eventId}`);
    const updated = parseEvent({ ...current.event, ...patch, uid: current.event.uid, originalStart: current.event.originalStart });
    const siblings = (await t.events.byUid(current.calendarId, current.event.uid)).map((r) => (r.id === eventId ? updated : r.event));
    await writeUid(this.deps, tenantId, current.calendarId, current.event.uid, siblings);
    return (await t.events.get(eventId))!;
  }

  /**
   * Deletes a series, single event or one occurrence: deleting an override cancels that
   * occurrence (the series stays), as every provider models it.
   */
  async delete(tenantId: string, eventId: string, guard?: WriteGuard): Promise<void> {
    const t = this.deps.store.tenant(tenantId);
    const current = await t.events.get(eventId);
    if (!current) throw new NotFoundError(`event ${eventId}`);
    const rows = await t.events.byUid(current.calendarId, current.event.uid);
    const isOverride = current.event.originalStart !== null && rows.some((r) => r.event.originalStart === null);
    const next = isOverride
      ? rows.map((r) => (r.id === eventId ? { ...r.event, status: 'cancelled' as const } : r.event))
      : [];
    await writeUid(this.deps, tenantId, current.calendarId, current.event.uid, next, guard);
  }
}

