import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { eventTimeKey, type CanonicalEvent } from '../shared/model/index.ts';
import type { StoredEvent } from '../shared/store/index.ts';
import { EventWriterService, writeUid, type EngineDeps } from '../sync-engine/index.ts';
import { ifMatchGuard, type EventWriter } from './event-writer.ts';

const keyOf = (e: CanonicalEvent) => (e.originalStart ? eventTimeKey(e.originalStart) : '');

/**
 * API writes through the sync engine: the rows and an outbox entry change in one transaction and
 * the push job writes them to the provider with preconditions.
 */
export class EngineEventWriter implements EventWriter {
  constructor(private readonly deps: EngineDeps) {}

  async create(tenantId: string, calendarId: string, event: CanonicalEvent): Promise<StoredEvent> {
    const t = this.deps.store.tenant(tenantId);
    const uid = event.uid || `${randomUUID()}@calhub`;
    if ((await t.events.byUid(calendarId, uid)).length) throw new ValidationError(`an event with uid ${uid} already exists in this calendar`);
    await writeUid(this.deps, tenantId, calendarId, uid, [{ ...event, uid, providerEventId: null, providerVersion: null }]);
    return (await t.events.byUid(calendarId, uid)).find((r) => keyOf(r.event) === keyOf(event))!;
  }

  async update(tenantId: string, eventId: string, next: CanonicalEvent, ifMatch?: string): Promise<StoredEvent> {
    const { current, siblings } = await this.load(tenantId, eventId);
    const events = siblings.map((s) => (s.id === current.id ? { ...next, providerEventId: s.remoteId } : s.event));
    await writeUid(this.deps, tenantId, current.calendarId, current.event.uid, events, ifMatchGuard(eventId, ifMatch));
    return (await this.deps.store.tenant(tenantId).events.get(eventId))!;
  }

  /** Deleting an override cancels that occurrence; deleting a master or single event deletes it. */
  async delete(tenantId: string, eventId: string, ifMatch?: string): Promise<void> {
    await new EventWriterService(this.deps).delete(tenantId, eventId, ifMatch);
  }

  private async load(tenantId: string, eventId: string) {
    const t = this.deps.store.tenant(tenantId);
    const current = await t.events.get(eventId);
    if (!current) throw new NotFoundError(`event ${eventId}`);
    return { current, siblings: await t.events.byUid(current.calendarId, current.event.uid) };
  }
}
