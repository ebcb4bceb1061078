import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../shared/errors.ts';
import { eventTimeKey, type CanonicalEvent } from '../shared/model/index.ts';
import type { Store, StoredEvent } from '../shared/store/index.ts';
import { ifMatchGuard, type EventWriter } from './event-writer.ts';

/**
 * Writes straight into the store as if the provider had reported the change: no outbox, no
 * provider push. For tests and provider-less (`memory`) calendars; the engine's writer replaces it.
 */
export class DirectEventWriter implements EventWriter {
  constructor(private readonly store: Store) {}

  async create(tenantId: string, calendarId: string, event: CanonicalEvent): Promise<StoredEvent> {
    const remoteId = `local-${randomUUID()}`;
    await this.store.tenant(tenantId).events.applyRemoteChanges(calendarId, [{ kind: 'upsert', remoteId, version: null, events: [event] }]);
    return this.find(tenantId, calendarId, event);
  }

  async update(tenantId: string, eventId: string, next: CanonicalEvent, ifMatch?: string): Promise<StoredEvent> {
    const { current, siblings } = await this.load(tenantId, eventId);
    const events = siblings.map((s) => (s.id === current.id ? next : s.event));
    await this.store.tenant(tenantId).transaction(async (t) => {
      await t.events.lock(current.calendarId);
      await ifMatchGuard(eventId, ifMatch)(t);
      await t.events.applyRemoteChanges(current.calendarId, [{ kind: 'upsert', remoteId: current.remoteId!, version: null, events }]);
    });
    return this.find(tenantId, current.calendarId, next);
  }

  async delete(tenantId: string, eventId: string, ifMatch?: string): Promise<void> {
    const { current, siblings } = await this.load(tenantId, eventId);
    const rest = siblings.filter((s) => s.id !== current.id).map((s) => s.event);
    const change = rest.length
      ? { kind: 'upsert' as const, remoteId: current.remoteId!, version: null, events: rest }
      : { kind: 'delete' as const, remoteId: current.remoteId! };
    await this.store.tenant(tenantId).transaction(async (t) => {
      await t.events.lock(current.calendarId);
      await ifMatchGuard(eventId, ifMatch)(t);
      await t.events.applyRemoteChanges(current.calendarId, [change]);
    });
  }

  private async load(tenantId: string, eventId: string) {
    const current = await this.store.tenant(tenantId).events.get(eventId);
    if (!current) throw new NotFoundError(`event ${eventId}`);
    const rows = await this.store.db.query<{ id: string }>('SELECT id FROM events WHERE tenant_id = $1 AND calendar_id = $2 AND remote_id = $3', [
      tenantId,
      current.calendarId,
      current.remoteId,
    ]);
    const siblings = (await Promise.all(rows.map((r) => this.store.tenant(tenantId).events.get(r.id)))).filter((x): x is StoredEvent => x !== null);
    return { current, siblings };
  }

  private async find(tenantId: string, calendarId: string, e: CanonicalEvent): Promise<StoredEvent> {
    const key = e.originalStart ? eventTimeKey(e.originalStart) : '';
    const rows = await this.store.db.query<{ id: string }>(
      'SELECT id FROM events WHERE tenant_id = $1 AND calendar_id = $2 AND uid = $3 AND original_start_key = $4',
      [tenantId, calendarId, e.uid, key],
    );
    const got = rows[0] ? await this.store.tenant(tenantId).events.get(rows[0].id) : null;
    if (!got) throw new Error('the written event was quarantined by the store');
    return got;
  }
}
