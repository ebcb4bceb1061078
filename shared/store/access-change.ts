/**
 * What a reconnect with other access (migration 0027) changes in the store, in the caller's
 * transaction: scrubbing the details a freebusy connection may not keep, parking writes a read-only
 * account cannot take, and making the next pull read every object again.
 */
import { contentHash, objectHash, withoutDetails, type CanonicalEvent } from '../model/index.ts';
import type { Queryable } from './db.ts';
import { REFUSALS_BEFORE_PARKING } from './sync-repo.ts';

/**
 * A provider version no object has. Set on the ledger when the access changes: a pull never takes
 * an object for an echo of the version it agreed on (a freebusy pull agreed on it without details,
 * so after more access is granted the full listing must store it again), and a push's If-Match
 * meets a 412, fetches the provider's side and merges against the scrubbed base — which gives the
 * provider's details back instead of writing the empty ones over them.
 */
export const VERSION_UNKNOWN = '"calhub-access-changed"';

/** The last_error of outbox entries parked because the account cannot write (access-change.ts). */
export const READ_ONLY_PARKED = 'ACCOUNT_READ_ONLY';

const OF_ACCOUNT = 'SELECT id FROM calendars WHERE account_id = $1 AND tenant_id = $2';

const scrubList = (events: CanonicalEvent[] | null): CanonicalEvent[] | null => events && events.map(withoutDetails);
/** As a text parameter cast to jsonb: SQL NULL stays NULL, not the JSON null. */
const scrubbedJson = (events: CanonicalEvent[] | null): string | null => (events === null ? null : JSON.stringify(scrubList(events)));

export class AccessChangeRepo {
  constructor(private readonly q: Queryable, private readonly tenantId: string) {}

  /**
   * Drops titles, notes, places, guests, organizers and meeting links from everything stored of
   * the account's calendars: event rows, the ledger's merge bases (with their hashes, so base and
   * rows still agree and no pull or push sees a change the hub did not make), conflicts, the write
   * journal and quarantined raw data. The busy index is not touched: busy time does not change.
   * Returns how many event rows changed.
   */
  async scrubDetails(accountId: string): Promise<number> {
    const rows = await this.q.query<{ id: string; data: CanonicalEvent }>(
      `SELECT id, data FROM events WHERE tenant_id = $2 AND calendar_id IN (${OF_ACCOUNT})`,
      [accountId, this.tenantId],
    );
    const changed = rows
      .map((r) => ({ id: r.id, d: withoutDetails(r.data), was: JSON.stringify(r.data) }))
      .filter((r) => JSON.stringify(r.d) !== r.was)
      .map((r) => ({ ...r, h: contentHash(r.d) }));
    if (changed.length) {
      const [mark] = await this.q.query<{ seq: string }>(`SELECT coalesce(max(seq), 0)::text AS seq FROM webhook_outbox WHERE txid = txid_current()`);
      await this.q.query(
        `UPDATE events e SET data = x.d::jsonb, content_hash = x.h, updated_at = now()
           FROM unnest($1::text[], $2::text[], $3::text[]) AS x(id, d, h) WHERE e.id = x.id AND e.tenant_id = $4`,
        [changed.map((r) => r.id), changed.map((r) => JSON.stringify(r.d)), changed.map((r) => r.h), this.tenantId],
      );
      // One event.updated per event (10,000 for a large calendar) would tell a receiver nothing the
      // transaction's account.updated (access freebusy, oldAccess) does not: the details of every
      // event of the account are gone. The README's webhook section says so.
      await this.q.query(
        `DELETE FROM webhook_outbox WHERE txid = txid_current() AND seq > $1::bigint AND kind = 'event' AND op = 'updated' AND subject_id = ANY($2::text[])`,
        [mark!.seq, changed.map((r) => r.id)],
      );
    }
    // Read after the rows: a base the ledger does not copy is the (now scrubbed) rows themselves.
    const ledger = await this.q.query<{ calendar_id: string; remote_id: string; stored: boolean; base: CanonicalEvent[] }>(
      `SELECT l.calendar_id, l.remote_id, l.base IS NULL AS stored,
              coalesce(l.base, (SELECT coalesce(jsonb_agg(e.data ORDER BY e.original_start_key), '[]'::jsonb)
                                  FROM events e WHERE e.calendar_id = l.calendar_id AND e.remote_id = l.remote_id)) AS base
         FROM sync_ledger l WHERE l.calendar_id IN (${OF_ACCOUNT})`,
      [accountId, this.tenantId],
    );
    if (ledger.length) {
      const bases = ledger.map((l) => scrubList(l.base)!);
      await this.q.query(
        `UPDATE sync_ledger l SET base = CASE WHEN x.stored THEN NULL ELSE x.b::jsonb END, base_hash = x.h, updated_at = now()
           FROM unnest($1::text[], $2::text[], $3::boolean[], $4::text[], $5::text[]) AS x(c, r, stored, b, h)
          WHERE l.calendar_id = x.c AND l.remote_id = x.r`,
        [ledger.map((l) => l.calendar_id), ledger.map((l) => l.remote_id), ledger.map((l) => l.stored), bases.map((b) => JSON.stringify(b)), bases.map((b) => objectHash(b))],
      );
    }
    const conflicts = await this.q.query<{ id: string; base: CanonicalEvent[] | null; local: CanonicalEvent[] | null; remote: CanonicalEvent[] | null }>(
      `SELECT id, base, local, remote FROM conflicts WHERE tenant_id = $2 AND calendar_id IN (${OF_ACCOUNT})`,
      [accountId, this.tenantId],
    );
    if (conflicts.length) {
      await this.q.query(
        `UPDATE conflicts c SET base = x.b::jsonb, local = x.l::jsonb, remote = x.r::jsonb
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(id, b, l, r) WHERE c.id = x.id`,
        [conflicts.map((c) => c.id), ...(['base', 'local', 'remote'] as const).map((k) => conflicts.map((c) => scrubbedJson(c[k])))],
      );
    }
    const journal = await this.q.query<{ seq: string; before: CanonicalEvent[] | null; after: CanonicalEvent[] | null }>(
      `SELECT seq::text AS seq, before, after FROM write_journal WHERE tenant_id = $2 AND calendar_id IN (${OF_ACCOUNT})`,
      [accountId, this.tenantId],
    );
    if (journal.length) {
      await this.q.query(
        `UPDATE write_journal w SET before = x.b::jsonb, after = x.a::jsonb
           FROM unnest($1::bigint[], $2::text[], $3::text[]) AS x(seq, b, a) WHERE w.seq = x.seq`,
        [journal.map((j) => j.seq), journal.map((j) => scrubbedJson(j.before)), journal.map((j) => scrubbedJson(j.after))],
      );
    }
    // The provider's own text of items that could not be read: kept to debug them, it is the event whole.
    await this.q.query(`UPDATE quarantine SET raw = NULL WHERE tenant_id = $2 AND calendar_id IN (${OF_ACCOUNT})`, [accountId, this.tenantId]);
    return changed.length;
  }

  /** Sets every ledger version of the account's calendars to VERSION_UNKNOWN. */
  async forgetVersions(accountId: string): Promise<void> {
    await this.q.query(`UPDATE sync_ledger SET provider_version = $3 WHERE calendar_id IN (${OF_ACCOUNT})`, [accountId, this.tenantId, VERSION_UNKNOWN]);
  }

  /**
   * Clears the sync cursors of the account's calendars, so each next pull lists everything (a full
   * resync), and takes the sync slot from any run in progress: it read under the old access, and
   * its fence (sync-engine/fence.ts) now refuses its commits, cursor and details both; its job
   * retries as a full listing. Call it first in the transaction: the row lock it takes on each
   * calendar is the one a run's commit takes first too, so neither waits on the other's events.
   */
  async forgetCursors(accountId: string): Promise<void> {
    await this.q.query(
      `UPDATE calendars SET sync_cursor = NULL, cursor_epoch = cursor_epoch + 1, updated_at = now(),
         sync_stage = CASE WHEN sync_stage <> 'running' THEN sync_stage WHEN failure_count > 0 AND sync_enabled THEN 'failed' ELSE 'idle' END,
         stage_owner = NULL, stage_started_at = NULL
       WHERE id IN (${OF_ACCOUNT})`,
      [accountId, this.tenantId],
    );
  }

  /** Parks the account's waiting writes with `reason` (READ_ONLY_PARKED first): no push offers them. Returns how many. */
  async parkWrites(accountId: string, reason: string): Promise<number> {
    const rows = await this.q.query(
      `UPDATE outbox SET attempts = greatest(attempts, $3), last_error = $4, refused_at = NULL
        WHERE tenant_id = $2 AND calendar_id IN (${OF_ACCOUNT}) AND attempts < $3 RETURNING uid`,
      [accountId, this.tenantId, REFUSALS_BEFORE_PARKING, `${READ_ONLY_PARKED}: ${reason}`],
    );
    return rows.length;
  }

  /** Offers the writes parked by parkWrites to the provider again (the account can write again). Returns how many. */
  async unparkWrites(accountId: string): Promise<number> {
    const rows = await this.q.query(
      `UPDATE outbox SET attempts = 0, last_error = NULL, refused_at = NULL
        WHERE tenant_id = $2 AND calendar_id IN (${OF_ACCOUNT}) AND last_error LIKE $3 RETURNING uid`,
      [accountId, this.tenantId, `${READ_ONLY_PARKED}: %`],
    );
    return rows.length;
  }
}
