import { NotFoundError } from '../errors.ts';
import { contentHash, eventTimeKey, parseEvent, type CanonicalEvent } from '../model/index.ts';
import { rebuildBusy, type Horizon } from './busy.ts';
import type { Db, Queryable } from './db.ts';
import { newId } from './ids.ts';

/** A remote object as a connector reports it (structurally connectors' RemoteChange). */
export type IncomingChange =
  | { kind: 'upsert'; remoteId: string; version: string | null; events: CanonicalEvent[] }
  | { kind: 'delete'; remoteId: string }
  | { kind: 'invalid'; remoteId: string; version: string | null; error: string; raw: string | null };

export interface ApplyResult {
  upserted: number;
  deleted: number;
  quarantined: number;
  busyRows: number;
}

export interface StoredEvent {
  id: string;
  calendarId: string;
  remoteId: string | null;
  contentHash: string;
  event: CanonicalEvent;
}

export interface QuarantinedItem {
  calendarId: string;
  remoteId: string;
  version: string | null;
  error: string;
  raw: string | null;
  firstSeen: string;
  lastSeen: string;
}

type EventRow = { id: string; rid: string | null; uid: string; k: string; d: CanonicalEvent; h: string; v: string | null };

/** Inserts or updates event rows by (calendar, UID, original start); existing rows keep their ids. */
async function upsertRows(tx: Queryable, tenantId: string, calendarId: string, rows: EventRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await tx.query(
      `INSERT INTO events (id, tenant_id, calendar_id, remote_id, uid, original_start_key, data, content_hash, provider_version)
       SELECT x.id, $1, $2, x.rid, x.uid, x.k, x.d, x.h, x.v
         FROM jsonb_to_recordset($3::jsonb) AS x(id text, rid text, uid text, k text, d jsonb, h text, v text)
       ON CONFLICT (calendar_id, uid, original_start_key) DO UPDATE SET
         remote_id = EXCLUDED.remote_id, data = EXCLUDED.data, content_hash = EXCLUDED.content_hash,
         provider_version = EXCLUDED.provider_version, updated_at = now()`,
      [tenantId, calendarId, JSON.stringify(rows.slice(i, i + 2000))],
    );
  }
}

export type HorizonOf = (tx: Queryable, calendarId: string) => Promise<Horizon>;

/** Events, the busy index and quarantine of one tenant's calendars. */
export class EventRepo {
  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
    private readonly horizonOf: HorizonOf,
  ) {}

  /**
   * Applies a page of remote changes, and the new cursor when given, in one transaction: each
   * upsert replaces everything stored for its remoteId, invalid items go to quarantine, and the
   * busy index of every touched UID is rebuilt before commit. Re-applying a page is harmless.
   */
  async applyRemoteChanges(
    calendarId: string,
    changes: IncomingChange[],
    opts: {
      cursor?: string | null;
      /** Runs first; when it returns false the rows are left alone (the caller's own writes still run). */
      guard?: (tx: Queryable) => Promise<boolean>;
      alsoInTransaction?: (tx: Queryable) => Promise<void>;
    } = {},
  ): Promise<ApplyResult> {
    return this.db.transaction(async (tx) => {
      const [cal] = await tx.query<{ time_zone: string }>('SELECT time_zone FROM calendars WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [
        calendarId,
        this.tenantId,
      ]);
      if (!cal) throw new NotFoundError(`calendar ${calendarId}`);
      if (opts.guard && !(await opts.guard(tx))) changes = [];
      const touched = [...new Set(changes.map((c) => c.remoteId))];
      const rows: EventRow[] = [];
      const quarantine = new Map<string, { version: string | null; error: string; raw: string | null }>();
      for (const c of changes) {
        if (c.kind === 'invalid') quarantine.set(c.remoteId, { version: c.version, error: c.error, raw: c.raw });
        if (c.kind !== 'upsert') continue;
        try {
          const events = c.events.map((e) => parseEvent({ ...e, providerEventId: c.remoteId, providerVersion: c.version }));
          for (const e of events) {
            const k = e.originalStart ? eventTimeKey(e.originalStart) : '';
            rows.push({ id: newId('evt'), rid: c.remoteId, uid: e.uid, k, d: e, h: contentHash(e), v: c.version });
          }
          quarantine.delete(c.remoteId);
        } catch (e) {
          quarantine.set(c.remoteId, { version: c.version, error: (e as Error).message, raw: JSON.stringify(c.events) });
        }
      }
      await upsertRows(tx, this.tenantId, calendarId, rows);
      // Rows of touched objects that the new versions no longer hold (a deleted override, a deleted object).
      const kept = rows.map((r) => `${r.uid}|${r.k}`);
      const removed = await tx.query<{ uid: string }>(
        `DELETE FROM events WHERE calendar_id = $1 AND remote_id = ANY($2) AND (uid || '|' || original_start_key) <> ALL($3) RETURNING uid`,
        [calendarId, touched, kept],
      );
      const healed = touched.filter((id) => !quarantine.has(id));
      if (healed.length) await tx.query('DELETE FROM quarantine WHERE calendar_id = $1 AND remote_id = ANY($2)', [calendarId, healed]);
      for (const [remoteId, q] of quarantine) await this.quarantine(tx, calendarId, remoteId, q);

      const uids = [...new Set([...removed.map((r) => r.uid), ...rows.map((r) => r.uid)])];
      const horizon = await this.horizonOf(tx, calendarId);
      const busy = await rebuildBusy(tx, { tenantId: this.tenantId, calendarId, timeZone: cal.time_zone, horizon }, uids, {
        remoteIds: touched,
        events: rows.map((r) => r.d),
      });
      for (const f of busy.failures) {
        const remoteId = rows.find((r) => r.uid === f.uid)?.rid ?? `uid:${f.uid}`;
        await this.quarantine(tx, calendarId, remoteId, { version: null, error: `recurrence cannot be expanded: ${f.error}`, raw: null });
      }
      if (opts.cursor !== undefined) {
        await tx.query('UPDATE calendars SET sync_cursor = $3, updated_at = now() WHERE id = $1 AND tenant_id = $2', [calendarId, this.tenantId, opts.cursor]);
      }
      if (opts.alsoInTransaction) await opts.alsoInTransaction(tx);
      const deletedIds = changes.filter((c) => c.kind === 'delete').length;
      return { upserted: changes.length - deletedIds - quarantine.size, deleted: deletedIds, quarantined: quarantine.size, busyRows: busy.rows };
    });
  }

  /**
   * A change made in the hub (API write, mirror copy, merge result) to every row of one UID:
   * rows keep their ids and remote ids (from providerEventId), the busy index follows, and
   * `alsoInTransaction` records the outbox entry in the same transaction.
   */
  async writeLocal(calendarId: string, uid: string, events: CanonicalEvent[], alsoInTransaction?: (tx: Queryable) => Promise<void>): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [cal] = await tx.query<{ time_zone: string }>('SELECT time_zone FROM calendars WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [
        calendarId,
        this.tenantId,
      ]);
      if (!cal) throw new NotFoundError(`calendar ${calendarId}`);
      const rows = events.map((e) => {
        const d = parseEvent(e);
        return { id: newId('evt'), rid: d.providerEventId, uid, k: d.originalStart ? eventTimeKey(d.originalStart) : '', d, h: contentHash(d), v: d.providerVersion };
      });
      await upsertRows(tx, this.tenantId, calendarId, rows);
      await tx.query('DELETE FROM events WHERE calendar_id = $1 AND uid = $2 AND original_start_key <> ALL($3)', [calendarId, uid, rows.map((r) => r.k)]);
      const horizon = await this.horizonOf(tx, calendarId);
      await rebuildBusy(tx, { tenantId: this.tenantId, calendarId, timeZone: cal.time_zone, horizon }, [uid]);
      if (alsoInTransaction) await alsoInTransaction(tx);
    });
  }

  /** Every row of one UID in a calendar (master first). */
  async byUid(calendarId: string, uid: string): Promise<StoredEvent[]> {
    const rows = await this.db.query<{ id: string; calendar_id: string; remote_id: string | null; content_hash: string; data: CanonicalEvent }>(
      `SELECT id, calendar_id, remote_id, content_hash, data FROM events WHERE calendar_id = $1 AND tenant_id = $2 AND uid = $3
        ORDER BY original_start_key`,
      [calendarId, this.tenantId, uid],
    );
    return rows.map((r) => ({ id: r.id, calendarId: r.calendar_id, remoteId: r.remote_id, contentHash: r.content_hash, event: r.data }));
  }

  private async quarantine(tx: Queryable, calendarId: string, remoteId: string, q: { version: string | null; error: string; raw: string | null }) {
    await tx.query(
      `INSERT INTO quarantine (calendar_id, tenant_id, remote_id, version, error, raw) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (calendar_id, remote_id) DO UPDATE SET version = EXCLUDED.version, error = EXCLUDED.error, raw = EXCLUDED.raw, last_seen = now()`,
      [calendarId, this.tenantId, remoteId, q.version, q.error, q.raw],
    );
  }

  async list(calendarId: string): Promise<StoredEvent[]> {
    const rows = await this.db.query<{ id: string; calendar_id: string; remote_id: string | null; content_hash: string; data: CanonicalEvent }>(
      `SELECT id, calendar_id, remote_id, content_hash, data FROM events WHERE calendar_id = $1 AND tenant_id = $2
        ORDER BY uid, original_start_key`,
      [calendarId, this.tenantId],
    );
    return rows.map((r) => ({ id: r.id, calendarId: r.calendar_id, remoteId: r.remote_id, contentHash: r.content_hash, event: r.data }));
  }

  async get(id: string): Promise<StoredEvent | null> {
    const rows = await this.db.query<{ id: string; calendar_id: string; remote_id: string | null; content_hash: string; data: CanonicalEvent }>(
      'SELECT id, calendar_id, remote_id, content_hash, data FROM events WHERE id = $1 AND tenant_id = $2',
      [id, this.tenantId],
    );
    const r = rows[0];
    return r ? { id: r.id, calendarId: r.calendar_id, remoteId: r.remote_id, contentHash: r.content_hash, event: r.data } : null;
  }

  /** The remote ids stored for a calendar: a full listing deletes those it did not return. */
  async remoteIds(calendarId: string): Promise<string[]> {
    const rows = await this.db.query<{ remote_id: string }>(
      'SELECT DISTINCT remote_id FROM events WHERE calendar_id = $1 AND tenant_id = $2 AND remote_id IS NOT NULL',
      [calendarId, this.tenantId],
    );
    return rows.map((r) => r.remote_id);
  }

  async quarantined(calendarId?: string): Promise<QuarantinedItem[]> {
    const rows = await this.db.query<{ calendar_id: string; remote_id: string; version: string | null; error: string; raw: string | null; first_seen: Date; last_seen: Date }>(
      `SELECT * FROM quarantine WHERE tenant_id = $1 AND ($2::text IS NULL OR calendar_id = $2) ORDER BY first_seen, remote_id`,
      [this.tenantId, calendarId ?? null],
    );
    return rows.map((r) => ({
      calendarId: r.calendar_id,
      remoteId: r.remote_id,
      version: r.version,
      error: r.error,
      raw: r.raw,
      firstSeen: r.first_seen.toISOString(),
      lastSeen: r.last_seen.toISOString(),
    }));
  }
}
