/**
 * The sync engine's own tables (migration 0002) as repositories: the ledger, what a full listing
 * has seen, the outbox, conflicts and the write journal. Each method is one statement; they run on
 * whatever they were handed — the pool, or one transaction of a unit of work
 * (`store.tenant(id).transaction(fn)`). The ledger and the listing are keyed by calendar (their
 * tables carry no tenant): callers reach them with a calendar already resolved for the tenant.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SEND_UPDATES, type CanonicalEvent, type SendUpdates } from '../model/index.ts';
import type { Queryable } from './db.ts';

export interface LedgerEntry {
  remoteId: string;
  uid: string;
  base: CanonicalEvent[];
  baseHash: string;
  providerVersion: string | null;
  /**
   * The base is exactly the event rows stored for this remote id (a pull applied the object as
   * the provider sent it): the ledger keeps no copy and reads them back. Leave unset when the rows
   * differ (a merge, a push, an object the store quarantined).
   */
  baseStored?: boolean;
}

type LedgerRow = { remote_id: string; uid: string; base: CanonicalEvent[]; base_hash: string; provider_version: string | null; stored: boolean };
const toEntry = (r: LedgerRow): LedgerEntry => ({
  remoteId: r.remote_id,
  uid: r.uid,
  base: r.base,
  baseHash: r.base_hash,
  providerVersion: r.provider_version,
  ...(r.stored ? { baseStored: true } : {}),
});

/** The object's stored rows, in key order (master first), as its base when the ledger keeps none. */
const STORED_BASE = `(SELECT coalesce(jsonb_agg(e.data ORDER BY e.original_start_key), '[]'::jsonb)
   FROM events e WHERE e.calendar_id = l.calendar_id AND e.remote_id = l.remote_id)`;
const LEDGER_COLUMNS = `l.remote_id, l.uid, l.base_hash, l.provider_version, l.base IS NULL AS stored, coalesce(l.base, ${STORED_BASE}) AS base`;

/**
 * Copies the stored rows into the ledger entries that point at them (base NULL) and match
 * `where` (SQL on sync_ledger l; $1 is the calendar id). Every writer that changes event rows
 * other than by applying the ledger's own object calls it first, in its transaction: otherwise
 * the entry's base would silently become the new rows.
 */
export const PIN_LEDGER_BASES = (where: string): string =>
  `UPDATE sync_ledger l SET base = ${STORED_BASE} WHERE l.calendar_id = $1 AND l.base IS NULL AND (${where})`;

/** What both sides last agreed on, per remote object: the base of three-way merges. */
export class LedgerRepo {
  constructor(private readonly q: Queryable) {}

  async get(calendarId: string, remoteIds: string[]): Promise<Map<string, LedgerEntry>> {
    const rows = await this.q.query<LedgerRow>(`SELECT ${LEDGER_COLUMNS} FROM sync_ledger l WHERE l.calendar_id = $1 AND l.remote_id = ANY($2)`, [calendarId, remoteIds]);
    return new Map(rows.map((r) => [r.remote_id, toEntry(r)]));
  }

  async byUid(calendarId: string, uid: string): Promise<LedgerEntry[]> {
    const rows = await this.q.query<LedgerRow>(`SELECT ${LEDGER_COLUMNS} FROM sync_ledger l WHERE l.calendar_id = $1 AND l.uid = $2 ORDER BY l.remote_id`, [calendarId, uid]);
    return rows.map(toEntry);
  }

  async put(calendarId: string, entries: LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.q.query(
      `INSERT INTO sync_ledger (calendar_id, remote_id, uid, base, base_hash, provider_version)
       SELECT $1, x.r, x.u, x.b, x.h, x.v FROM jsonb_to_recordset($2::jsonb) AS x(r text, u text, b jsonb, h text, v text)
       ON CONFLICT (calendar_id, remote_id) DO UPDATE SET uid = EXCLUDED.uid, base = EXCLUDED.base, base_hash = EXCLUDED.base_hash,
         provider_version = EXCLUDED.provider_version, updated_at = now()`,
      [calendarId, JSON.stringify(entries.map((e) => ({ r: e.remoteId, u: e.uid, b: e.baseStored ? null : e.base, h: e.baseHash, v: e.providerVersion })))],
    );
  }

  async delete(calendarId: string, remoteIds: string[]): Promise<void> {
    if (remoteIds.length) await this.q.query('DELETE FROM sync_ledger WHERE calendar_id = $1 AND remote_id = ANY($2)', [calendarId, remoteIds]);
  }

  async count(calendarId: string): Promise<number> {
    const [r] = await this.q.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_ledger WHERE calendar_id = $1', [calendarId]);
    return r?.n ?? 0;
  }
}

/** Remote ids a full listing has returned so far (survives a crash between pages). */
export class ListingRepo {
  constructor(private readonly q: Queryable) {}

  async reset(calendarId: string): Promise<void> {
    await this.q.query('DELETE FROM sync_seen WHERE calendar_id = $1', [calendarId]);
  }

  async seen(calendarId: string, remoteIds: string[]): Promise<void> {
    if (remoteIds.length === 0) return;
    await this.q.query('INSERT INTO sync_seen (calendar_id, remote_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [calendarId, remoteIds]);
  }

  /**
   * Objects this hub has just written, as seen by a full listing under way. A listing resumed in a
   * later run (after a crash, or its run's budget) keeps the pages of the earlier one, whose names
   * were listed before these objects existed: unmarked, they counted as gone and were deleted
   * (kill-hub.int.test.ts in CI: 5 pushed events lost). With no listing under way, nothing is kept.
   */
  async written(calendarId: string, remoteIds: string[]): Promise<void> {
    if (remoteIds.length === 0) return;
    await this.q.query(
      `INSERT INTO sync_seen (calendar_id, remote_id) SELECT $1, unnest($2::text[])
       WHERE EXISTS (SELECT 1 FROM sync_seen WHERE calendar_id = $1) ON CONFLICT DO NOTHING`,
      [calendarId, remoteIds],
    );
  }

  /** Remote ids the hub knows (ledger or events) that the completed full listing did not return. */
  async unseen(calendarId: string): Promise<string[]> {
    const rows = await this.q.query<{ remote_id: string }>(
      `SELECT remote_id FROM sync_ledger l WHERE calendar_id = $1
         AND NOT EXISTS (SELECT 1 FROM sync_seen s WHERE s.calendar_id = l.calendar_id AND s.remote_id = l.remote_id)
       UNION
       SELECT DISTINCT remote_id FROM events e WHERE calendar_id = $1 AND remote_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM sync_seen s WHERE s.calendar_id = e.calendar_id AND s.remote_id = e.remote_id)`,
      [calendarId],
    );
    return rows.map((r) => r.remote_id);
  }
}

/**
 * Objects calhub wrote or deleted in a calendar that no completed pull has covered yet (migration
 * 0085), for connectors whose listing may not report them (capabilities.listingMayMissOwnWrites).
 */
export class WrittenRepo {
  constructor(private readonly q: Queryable) {}

  /** A write again moves the name past every pull under way, so the next one checks it. */
  async record(calendarId: string, remoteIds: string[]): Promise<void> {
    if (remoteIds.length === 0) return;
    await this.q.query(
      `INSERT INTO sync_written (calendar_id, remote_id) SELECT $1, unnest($2::text[])
       ON CONFLICT (calendar_id, remote_id) DO UPDATE SET seq = nextval('sync_written_seq')`,
      [calendarId, remoteIds],
    );
  }

  /** The names written so far and the mark that clears exactly these (null: none). */
  async pending(calendarId: string): Promise<{ remoteIds: string[]; upTo: string | null }> {
    const rows = await this.q.query<{ remote_id: string; seq: string }>('SELECT remote_id, seq::text AS seq FROM sync_written WHERE calendar_id = $1 ORDER BY seq', [calendarId]);
    return { remoteIds: rows.map((r) => r.remote_id), upTo: rows.length ? rows[rows.length - 1]!.seq : null };
  }

  /** Forgets the names a completed pull covered; those written again since (a higher seq) stay. */
  async covered(calendarId: string, upTo: string): Promise<void> {
    await this.q.query('DELETE FROM sync_written WHERE calendar_id = $1 AND seq <= $2::bigint', [calendarId, upTo]);
  }
}

/**
 * A local change whose content the provider refused this many times is parked: it stays in the
 * outbox, named in the calendar's health, and is not offered to the provider again until it is
 * changed (a new edit resets the count). Without it a refused write was retried on every push.
 */
export const REFUSALS_BEFORE_PARKING = 3;

/**
 * A parked delete is offered to the provider again this long after its last refusal, doubling with
 * each further refusal, at most PARKED_DELETE_MAX_WAIT_MS. An edit waits for a new edit, but a
 * deleted event is never edited again (a mirror copy whose source went, an event deleted through
 * the API): parked for good, its delete was never sent and the copy blocked time at the provider.
 */
export const PARKED_DELETE_WAIT_MS = 3_600_000;
export const PARKED_DELETE_MAX_WAIT_MS = 86_400_000;

/** When a parked delete refused `attempts` times, last at `refusedAt`, is offered again; null when it is not one. */
export function parkedDeleteRetryAt(op: 'put' | 'delete', attempts: number, refusedAt: Date | null): Date | null {
  if (op !== 'delete' || attempts < REFUSALS_BEFORE_PARKING || refusedAt === null) return null;
  const wait = Math.min(PARKED_DELETE_WAIT_MS * 2 ** (attempts - REFUSALS_BEFORE_PARKING), PARKED_DELETE_MAX_WAIT_MS);
  return new Date(refusedAt.getTime() + wait);
}

/**
 * SQL: the outbox row is to be pushed — not parked, or a parked delete whose wait is over (as
 * parkedDeleteRetryAt). A null refused_at (parked because the account cannot write) never is.
 */
const PUSHABLE = `(attempts < ${REFUSALS_BEFORE_PARKING} OR (op = 'delete' AND refused_at IS NOT NULL
  AND refused_at + least(${PARKED_DELETE_WAIT_MS}::float8 * power(2::float8, (attempts - ${REFUSALS_BEFORE_PARKING})::float8), ${PARKED_DELETE_MAX_WAIT_MS}::float8) * interval '1 millisecond' <= clock_timestamp()))`;

export interface OutboxEntry {
  /** Changes whenever the entry is replaced: a push only clears the entry it pushed. */
  token: string;
  calendarId: string;
  tenantId: string;
  uid: string;
  op: 'put' | 'delete';
  /** Times the provider refused this content (see REFUSALS_BEFORE_PARKING). */
  attempts: number;
  /** When the local change was last made: where outbound propagation lag counts from. */
  changedAt: Date;
  /** Who the provider write should tell (the writes' highest; null: no preference, the provider's default). */
  sendUpdates: SendUpdates | null;
  /**
   * Who the write of each changed occurrence should tell, by occurrence key ('' the master or single
   * event): the highest of the writes that changed that occurrence. A key missing had no preference.
   */
  sendUpdatesByKey: Record<string, SendUpdates>;
  /** Add the provider's own video conference to the event if it has none (any of the writes asked). */
  conference: boolean;
}

/** The outbox's `send_updates` rank (migration 0016) as the value it stands for. */
export const sendUpdatesOf = (rank: number | null): SendUpdates | null => (rank === null ? null : (SEND_UPDATES[rank] ?? null));

/** The outbox's `send_updates_by_key` (ranks, migration 0026) as the values they stand for. */
export function sendUpdatesByKeyOf(raw: Record<string, number> | string | null): Record<string, SendUpdates> {
  const ranks: Record<string, number> = typeof raw === 'string' ? JSON.parse(raw) : (raw ?? {});
  const out: Record<string, SendUpdates> = {};
  for (const [k, rank] of Object.entries(ranks)) {
    const v = sendUpdatesOf(rank);
    if (v) out[k] = v;
  }
  return out;
}

/** Local changes waiting to be written to the provider; one pending entry per UID. */
export class OutboxRepo {
  constructor(
    private readonly q: Queryable,
    private readonly tenantId: string,
  ) {}

  /**
   * `sendUpdates` joins the entry's: the highest of the two stands (greatest() skips a NULL), so a
   * create that asked for invitations still sends them when a quiet edit lands before its push.
   * `conference` (the ask for a video conference) stays once any write of the entry made it, until
   * the provider answers the entry with an error: then the next write's own ask stands, so an ask the
   * provider refuses (Meet turned off) does not hold every later edit of the event back with it.
   */
  /**
   * `changedKeys`: the occurrences this write changed (see OutboxEntry.sendUpdatesByKey); each
   * takes the highest of its own writes' `sendUpdates` in the same way.
   */
  /**
   * `ifFree`: the write was checked for a free slot in its own calendar and these (migration 0086);
   * kept until the entry is pushed, since a later change without it (a retitle) still carries the
   * time that was checked. A parked conflict takes it over (ConflictRepo.record).
   */
  /**
   * `deletedIds`: a delete's removed rows (occurrence key -> event id, migration 0101), so that a
   * provider's change winning over the delete brings them back under the same ids; a put clears them.
   */
  async upsert(
    calendarId: string,
    uid: string,
    op: 'put' | 'delete',
    sendUpdates: SendUpdates | null = null,
    conference = false,
    changedKeys: string[] = [],
    ifFree: string[] | null = null,
    deletedIds: Record<string, string> | null = null,
  ): Promise<void> {
    const rank = sendUpdates === null ? null : SEND_UPDATES.indexOf(sendUpdates);
    const byKey = JSON.stringify(rank === null ? {} : Object.fromEntries(changedKeys.map((k) => [k, rank])));
    await this.q.query(
      `INSERT INTO outbox (calendar_id, tenant_id, uid, op, send_updates, add_conference, send_updates_by_key, if_free, deleted_ids, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, clock_timestamp())
       ON CONFLICT (calendar_id, uid) DO UPDATE SET op = EXCLUDED.op, send_updates = greatest(outbox.send_updates, EXCLUDED.send_updates),
         deleted_ids = CASE WHEN EXCLUDED.op = 'delete' THEN coalesce(outbox.deleted_ids, '{}'::jsonb) || coalesce(EXCLUDED.deleted_ids, '{}'::jsonb) END,
         if_free = coalesce(EXCLUDED.if_free, outbox.if_free),
         send_updates_by_key = outbox.send_updates_by_key || (
           SELECT coalesce(jsonb_object_agg(n.key, greatest((outbox.send_updates_by_key ->> n.key)::int, (n.value #>> '{}')::int)), '{}'::jsonb)
             FROM jsonb_each(EXCLUDED.send_updates_by_key) AS n),
         add_conference = CASE WHEN outbox.last_error IS NULL THEN outbox.add_conference OR EXCLUDED.add_conference ELSE EXCLUDED.add_conference END,
         attempts = 0, last_error = NULL, refused_at = NULL, updated_at = clock_timestamp()`,
      [calendarId, this.tenantId, uid, op, rank, conference, byKey, ifFree === null ? null : JSON.stringify(ifFree), op === 'delete' && deletedIds ? JSON.stringify(deletedIds) : null],
    );
  }

  /** The entries to push: all but the parked ones (a parked delete again once its wait is over: parkedDeleteRetryAt). */
  async pending(calendarId: string): Promise<OutboxEntry[]> {
    const rows = await this.q.query<{ token: string; calendar_id: string; tenant_id: string; uid: string; op: 'put' | 'delete'; attempts: number; updated_at: Date; send_updates: number | null; add_conference: boolean; send_updates_by_key: Record<string, number> | string }>(
      `SELECT updated_at::text AS token, updated_at, calendar_id, tenant_id, uid, op, attempts, send_updates, add_conference, send_updates_by_key FROM outbox
        WHERE calendar_id = $1 AND tenant_id = $2 AND ${PUSHABLE} ORDER BY created_at, uid`,
      [calendarId, this.tenantId],
    );
    return rows.map((r) => ({
      token: r.token,
      calendarId: r.calendar_id,
      tenantId: r.tenant_id,
      uid: r.uid,
      op: r.op,
      attempts: r.attempts,
      changedAt: new Date(r.updated_at),
      sendUpdates: sendUpdatesOf(r.send_updates),
      sendUpdatesByKey: sendUpdatesByKeyOf(r.send_updates_by_key),
      conference: r.add_conference,
    }));
  }

  /** Whether there is anything to push (parked entries wait for a new edit, or a parked delete for its wait to end, not for a push). */
  async any(calendarId: string): Promise<boolean> {
    const rows = await this.q.query(`SELECT 1 FROM outbox WHERE calendar_id = $1 AND tenant_id = $2 AND ${PUSHABLE} LIMIT 1`, [calendarId, this.tenantId]);
    return rows.length > 0;
  }

  /** Pending local changes among the given UIDs: uid -> when the local edit was made (ms). */
  async editedAt(calendarId: string, uids: string[]): Promise<Map<string, number>> {
    const rows = await this.q.query<{ uid: string; at: number }>(
      'SELECT uid, (extract(epoch FROM updated_at) * 1000)::float8 AS at FROM outbox WHERE calendar_id = $1 AND tenant_id = $2 AND uid = ANY($3)',
      [calendarId, this.tenantId, uids],
    );
    return new Map(rows.map((r) => [r.uid, Number(r.at)]));
  }

  /**
   * Records what a create of a UID the provider has not agreed on is about to send (migration
   * 0036), by occurrence key ('' the master or single event), so each object a provider keeps
   * apart (Google, Graph) keeps its own. The token stays: this is no local edit.
   */
  async sending(calendarId: string, uid: string, events: Array<[key: string, event: CanonicalEvent]>): Promise<void> {
    await this.q.query("UPDATE outbox SET sent = coalesce(sent, '{}'::jsonb) || $4::jsonb WHERE calendar_id = $1 AND tenant_id = $2 AND uid = $3", [
      calendarId,
      this.tenantId,
      uid,
      JSON.stringify(Object.fromEntries(events)),
    ]);
  }

  /**
   * Forgets what a create sent for these occurrence keys: the provider refused it (412), so it never
   * held that version. Kept, the next pull took it for the base both sides agreed on, and the
   * provider's version (an occurrence someone else had changed there) won over the hub's change
   * with no conflict recorded.
   */
  async notSent(calendarId: string, uid: string, keys: string[]): Promise<void> {
    await this.q.query('UPDATE outbox SET sent = sent - $4::text[] WHERE calendar_id = $1 AND tenant_id = $2 AND uid = $3 AND sent IS NOT NULL', [calendarId, this.tenantId, uid, keys]);
  }

  /** uid -> what the creates of it sent (sending), for the UIDs that have a record. */
  async sent(calendarId: string, uids: string[]): Promise<Map<string, CanonicalEvent[]>> {
    const rows = await this.q.query<{ uid: string; sent: Record<string, CanonicalEvent> | string }>(
      'SELECT uid, sent FROM outbox WHERE calendar_id = $1 AND tenant_id = $2 AND uid = ANY($3) AND sent IS NOT NULL',
      [calendarId, this.tenantId, uids],
    );
    return new Map(rows.map((r) => [r.uid, Object.values(typeof r.sent === 'string' ? (JSON.parse(r.sent) as Record<string, CanonicalEvent>) : r.sent)]));
  }

  /** Removes the entry only if it is still the one that was pushed (any, when token is null); false when it was replaced. */
  async done(calendarId: string, uid: string, token: string | null): Promise<boolean> {
    const rows = await this.q.query(
      'DELETE FROM outbox WHERE calendar_id = $1 AND tenant_id = $2 AND uid = $3 AND ($4::text IS NULL OR updated_at::text = $4) RETURNING uid',
      [calendarId, this.tenantId, uid, token],
    );
    return rows.length > 0;
  }

  async token(calendarId: string, uid: string): Promise<string | null> {
    const [r] = await this.q.query<{ token: string }>('SELECT updated_at::text AS token FROM outbox WHERE calendar_id = $1 AND tenant_id = $2 AND uid = $3', [
      calendarId,
      this.tenantId,
      uid,
    ]);
    return r?.token ?? null;
  }

  /**
   * Records why a push of the entry failed. `refused`: the provider refused the content itself
   * (only changing it helps), which counts toward parking; other failures (a permission an operator
   * can grant) leave it to be tried again on the next push. A refusal's time is kept: a parked
   * delete's wait counts from it (parkedDeleteRetryAt). `token` (the pushed entry's, as done()
   * takes it): an entry replaced while its push ran (the event deleted while its create was on its
   * way) is another write, not yet tried, and keeps its own state; null: whichever entry is there.
   * False when the entry was replaced (nothing recorded).
   */
  async failed(calendarId: string, uid: string, error: string, refused: boolean, token: string | null = null): Promise<boolean> {
    const rows = await this.q.query(
      `UPDATE outbox SET attempts = attempts + CASE WHEN $5::boolean THEN 1 ELSE 0 END, last_error = $4,
         refused_at = CASE WHEN $5::boolean THEN clock_timestamp() ELSE refused_at END
        WHERE calendar_id = $1 AND tenant_id = $2 AND uid = $3 AND ($6::text IS NULL OR updated_at::text = $6) RETURNING uid`,
      [calendarId, this.tenantId, uid, error, refused, token],
    );
    return rows.length > 0;
  }
}

export type JournalOp = 'create' | 'update' | 'delete';

export interface JournalEntry {
  calendarId: string;
  uid: string;
  remoteId: string | null;
  op: JournalOp;
  before: CanonicalEvent[] | null;
  after: CanonicalEvent[] | null;
}

/** Every provider write of a run, with the state before it, so a bad run can be reverted. */
export class JournalRepo {
  constructor(
    private readonly q: Queryable,
    private readonly tenantId: string,
  ) {}

  async add(runId: string, j: JournalEntry): Promise<void> {
    await this.q.query(
      'INSERT INTO write_journal (run_id, tenant_id, calendar_id, uid, remote_id, op, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [runId, this.tenantId, j.calendarId, j.uid, j.remoteId, j.op, JSON.stringify(j.before ?? null), JSON.stringify(j.after ?? null)],
    );
  }

  /** A run's writes, newest first. */
  async ofRun(runId: string): Promise<JournalEntry[]> {
    const rows = await this.q.query<{ calendar_id: string; uid: string; remote_id: string | null; op: JournalOp; before: CanonicalEvent[] | null; after: CanonicalEvent[] | null }>(
      'SELECT calendar_id, uid, remote_id, op, before, after FROM write_journal WHERE tenant_id = $1 AND run_id = $2 ORDER BY seq DESC',
      [this.tenantId, runId],
    );
    return rows.map((r) => ({ calendarId: r.calendar_id, uid: r.uid, remoteId: r.remote_id, op: r.op, before: r.before, after: r.after }));
  }

  /**
   * Runs that wrote to providers, newest first: how many writes each made, of each kind (objects
   * created, updated, deleted at the provider), and the calendars it wrote to.
   */
  async runs(limit = 50): Promise<JournalRun[]> {
    const rows = await this.q.query<{ run_id: string; writes: number; created: number; updated: number; deleted: number; calendar_ids: string[]; first_at: Date; last_at: Date }>(
      `SELECT run_id, count(*)::int AS writes,
              count(*) FILTER (WHERE op = 'create')::int AS created,
              count(*) FILTER (WHERE op = 'update')::int AS updated,
              count(*) FILTER (WHERE op = 'delete')::int AS deleted,
              array_agg(DISTINCT calendar_id ORDER BY calendar_id) AS calendar_ids,
              min(created_at) AS first_at, max(created_at) AS last_at
         FROM write_journal WHERE tenant_id = $1 GROUP BY run_id ORDER BY max(seq) DESC LIMIT $2`,
      [this.tenantId, limit],
    );
    return rows.map((r) => ({
      runId: r.run_id,
      writes: r.writes,
      created: r.created,
      updated: r.updated,
      deleted: r.deleted,
      calendarIds: r.calendar_ids,
      firstAt: r.first_at.toISOString(),
      lastAt: r.last_at.toISOString(),
    }));
  }
}

/** A run that wrote to providers, as the write journal holds it. */
export interface JournalRun {
  runId: string;
  writes: number;
  created: number;
  updated: number;
  deleted: number;
  calendarIds: string[];
  firstAt: string;
  lastAt: string;
}

/** local | remote | merged: which side the result took, but remote when any field in conflict went against the hub's side (merge.ts recordedOutcome); parked: kept aside for an operator (manual policy). */
export type ConflictOutcome = 'local' | 'remote' | 'merged' | 'parked' | 'deleted' | 'recreated';

/** A conflict as the engine records it: what both sides last agreed on, both sides, and what became of it. */
export interface ConflictRecord {
  uid: string;
  remoteId: string | null;
  /** The conflict or delete policy that decided it. */
  policy: string;
  fields: string[];
  base: CanonicalEvent[] | null;
  local: CanonicalEvent[] | null;
  remote: CanonicalEvent[] | null;
  outcome: ConflictOutcome;
  /**
   * The two times latest-wins compares (sync-engine/latest.ts), ISO, kept whatever the policy so an
   * operator sees why a side won (migration 0099): when the hub-side change was made in the hub, and
   * the provider's own modification time of its version (null: it gave none; absent: not a merge).
   */
  localChangedAt?: string | null;
  remoteChangedAt?: string | null;
}

/** A recorded conflict as it is read back. */
export interface ConflictRow extends ConflictRecord {
  id: string;
  calendarId: string;
  resolvedAt: string | null;
  createdAt: string;
}

type ConflictDbRow = {
  id: string; calendar_id: string; uid: string; remote_id: string | null; policy: string; fields: string[];
  base: CanonicalEvent[] | null; local: CanonicalEvent[] | null; remote: CanonicalEvent[] | null; outcome: ConflictOutcome; resolved_at: Date | null; created_at: Date;
  local_changed_at: Date | null; remote_changed_at: Date | null;
};
const toConflict = (r: ConflictDbRow): ConflictRow => ({
  id: r.id, calendarId: r.calendar_id, uid: r.uid, remoteId: r.remote_id, policy: r.policy, fields: r.fields, base: r.base, local: r.local,
  remote: r.remote, outcome: r.outcome, resolvedAt: r.resolved_at?.toISOString() ?? null, createdAt: r.created_at.toISOString(),
  localChangedAt: r.local_changed_at ? new Date(r.local_changed_at).toISOString() : null, remoteChangedAt: r.remote_changed_at ? new Date(r.remote_changed_at).toISOString() : null,
});

/** Conflicts of one tenant: recorded by the engine with the change they belong to, resolved by operators. */
export class ConflictRepo {
  constructor(
    private readonly q: Queryable,
    private readonly tenantId: string,
  ) {}

  /**
   * A parked conflict stays open; any other outcome is recorded as already resolved. A parked one
   * keeps the free-slot condition of the local change the outbox holds for its UID (so record it
   * before that entry is dropped): resolving it with the hub's side is checked as the write was.
   */
  async record(calendarId: string, list: ConflictRecord[]): Promise<void> {
    if (list.length === 0) return;
    await this.q.query(
      `INSERT INTO conflicts (id, tenant_id, calendar_id, uid, remote_id, policy, fields, base, local, remote, outcome, resolved_at, if_free, local_changed_at, remote_changed_at)
       SELECT x.id, $1, $2, x.uid, x.rid, x.policy, x.fields, x.base, x.local, x.remote, x.outcome, CASE WHEN x.outcome = 'parked' THEN NULL ELSE now() END,
              CASE WHEN x.outcome = 'parked' THEN (SELECT o.if_free FROM outbox o WHERE o.calendar_id = $2 AND o.tenant_id = $1 AND o.uid = x.uid) END,
              x.lat, x.rat
         FROM jsonb_to_recordset($3::jsonb) AS x(id text, uid text, rid text, policy text, fields jsonb, base jsonb, local jsonb, remote jsonb, outcome text, lat timestamptz, rat timestamptz)`,
      [
        this.tenantId,
        calendarId,
        JSON.stringify(
          list.map((c) => ({
            id: `cfl_${randomBytes(10).toString('base64url')}`,
            uid: c.uid,
            rid: c.remoteId,
            policy: c.policy,
            fields: c.fields,
            base: c.base,
            local: c.local,
            remote: c.remote,
            outcome: c.outcome,
            lat: c.localChangedAt ?? null,
            rat: c.remoteChangedAt ?? null,
          })),
        ),
      ],
    );
  }

  /** Whether the calendar has a conflict recorded for this UID, policy and fields already. */
  async recorded(calendarId: string, uid: string, policy: string, fields: string[]): Promise<boolean> {
    const rows = await this.q.query(
      'SELECT 1 FROM conflicts WHERE tenant_id = $1 AND calendar_id = $2 AND uid = $3 AND policy = $4 AND fields = $5::jsonb LIMIT 1',
      [this.tenantId, calendarId, uid, policy, JSON.stringify(fields)],
    );
    return rows.length > 0;
  }

  async list(opts: { unresolvedOnly?: boolean } = {}): Promise<ConflictRow[]> {
    const rows = await this.q.query<ConflictDbRow>(
      'SELECT * FROM conflicts WHERE tenant_id = $1 AND (NOT $2::boolean OR resolved_at IS NULL) ORDER BY created_at DESC, id LIMIT 500',
      [this.tenantId, opts.unresolvedOnly ?? false],
    );
    return rows.map(toConflict);
  }

  async get(id: string): Promise<ConflictRow | null> {
    const rows = await this.q.query<ConflictDbRow>('SELECT * FROM conflicts WHERE tenant_id = $1 AND id = $2', [this.tenantId, id]);
    return rows[0] ? toConflict(rows[0]) : null;
  }

  /** The calendars besides its own the hub's side of a parked conflict was written to be free in (migration 0086); null: it did not ask. */
  async ifFree(id: string): Promise<string[] | null> {
    const rows = await this.q.query<{ if_free: string[] | string | null }>('SELECT if_free FROM conflicts WHERE tenant_id = $1 AND id = $2', [this.tenantId, id]);
    const v = rows[0]?.if_free ?? null;
    return typeof v === 'string' ? (JSON.parse(v) as string[]) : v;
  }

  /**
   * Marks an open conflict resolved; false when it was resolved already (or is not there). Only an
   * open one is marked, so of two resolutions of one conflict only one gets true.
   */
  async resolve(id: string, outcome: 'local' | 'remote'): Promise<boolean> {
    const rows = await this.q.query('UPDATE conflicts SET resolved_at = now(), outcome = $3 WHERE tenant_id = $1 AND id = $2 AND resolved_at IS NULL RETURNING id', [this.tenantId, id, outcome]);
    return rows.length > 0;
  }
}

/** The tenant an account belongs to (operators address accounts by id alone). */
export async function accountTenant(q: Queryable, accountId: string): Promise<string | null> {
  const [r] = await q.query<{ tenant_id: string }>('SELECT tenant_id FROM accounts WHERE id = $1', [accountId]);
  return r?.tenant_id ?? null;
}

/** The calendars the backstop polls (SQL after FROM; `WHERE` included, more conditions may follow with AND). */
const POLLED = `calendars c JOIN accounts a ON a.id = c.account_id AND a.status = 'active'
      WHERE c.sync_enabled AND c.flagged_reason IS NULL AND c.missing_since IS NULL`;
/** A calendar's phase within the interval (ms), as pollPhaseMs computes it; needs clock.every. */
const PHASE = `mod(('x' || substr(md5(c.id), 1, 8))::bit(32)::bigint, clock.every)`;

/** A calendar's poll phase within the interval (ms), as dueForPoll's SQL computes it from the md5 of its id. */
export function pollPhaseMs(calendarId: string, intervalMs: number): number {
  return parseInt(createHash('md5').update(calendarId).digest('hex').slice(0, 8), 16) % intervalMs;
}

/**
 * Calendars due for the polling backstop. Each calendar has a fixed phase within the interval (from
 * a hash of its id), and is polled at each of its phase instants ("slots") unless a pull that began
 * at or after the slot already completed. "Older than the interval" alone kept calendars synced
 * together polled together for ever: after a restart or a mass connect, every poll of N calendars
 * landed in the same tick (measured by bench/accounts.bench.ts). With phases, polls spread evenly
 * over the interval from the first cycle on, one interval apart.
 *
 * It counts from the last pull (last_pull_at, migration 0095), which alone looks at the provider: it
 * counted from the last successful run, a push too, and skipped a slot when that run came within
 * half an interval before it. A busy block pushed into a CalDAV calendar just after a change there
 * stood for its poll, and the change reached the copies after up to two intervals (114 s at 60 s).
 * Now a change is seen by the pull at the calendar's next slot: within one interval.
 */
// A calendar its account's listing left out is not polled: deleted at the provider, each poll only
// failed (every tick, until the recheck removed it); the next listing removes it or lists it again.
// The limit bounds one maintenance tick's enqueueing. At one tick a minute a tick must take
// calendars × 60 s / SYNC_POLL_INTERVAL_MS of them: 500 fell behind past 2,500 calendars at the
// default 5 minutes; 5,000 covers 25,000 (docs/scaling.md).
export async function dueForPoll(q: Queryable, intervalMs: number, limit = 5_000): Promise<Array<{ tenantId: string; calendarId: string }>> {
  const rows = await q.query<{ tenant_id: string; id: string }>(
    `WITH clock AS (SELECT floor(extract(epoch FROM now()) * 1000)::bigint AS now_ms, $1::bigint AS every)
     SELECT c.tenant_id, c.id FROM clock, ${POLLED}
        AND c.sync_stage <> 'running'
        AND (c.last_pull_at IS NULL OR c.last_pull_at < to_timestamp((
          clock.now_ms - mod(clock.now_ms - ${PHASE}, clock.every)
        ) / 1000.0))
      ORDER BY c.last_pull_at NULLS FIRST LIMIT $2`,
    [intervalMs, limit],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, calendarId: r.id }));
}

/**
 * Calendars whose next slot comes within `withinMs`, with how long until it (`inMs`): the
 * maintenance tick sets a timer for each, so a poll starts at its slot rather than at the first
 * tick after it (up to half an interval or a minute later). A timer lost with its worker is made
 * up by the next tick, which finds the calendar due (dueForPoll).
 */
export async function pollsComing(q: Queryable, intervalMs: number, withinMs: number, limit = 5_000): Promise<Array<{ tenantId: string; calendarId: string; inMs: number }>> {
  const rows = await q.query<{ tenant_id: string; id: string; in_ms: string }>(
    `WITH clock AS (SELECT floor(extract(epoch FROM now()) * 1000)::bigint AS now_ms, $1::bigint AS every),
     slots AS (SELECT c.tenant_id, c.id, clock.every - mod(clock.now_ms - ${PHASE}, clock.every) AS in_ms FROM clock, ${POLLED})
     SELECT tenant_id, id, in_ms FROM slots WHERE in_ms <= $2 ORDER BY in_ms LIMIT $3`,
    [intervalMs, withinMs, limit],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, calendarId: r.id, inMs: Number(r.in_ms) }));
}

/**
 * Calendars that rely on a live push channel and have not synced since `since` (the hub's start
 * after it was down: notifications sent meanwhile were lost, and Google does not send them again).
 * Ordered by each calendar's poll phase hash, so a catch-up handed out in steps is spread as polls are.
 */
export async function pushCalendarsBehind(q: Queryable, since: Date): Promise<Array<{ tenantId: string; calendarId: string }>> {
  const rows = await q.query<{ tenant_id: string; id: string }>(
    `SELECT c.tenant_id, c.id FROM calendars c JOIN accounts a ON a.id = c.account_id AND a.status = 'active'
       JOIN push_channels p ON p.calendar_id = c.id AND p.channel_id IS NOT NULL AND p.status IN ('active', 'renew')
      WHERE c.sync_enabled AND c.flagged_reason IS NULL AND c.missing_since IS NULL
        AND (c.last_success_at IS NULL OR c.last_success_at < $1)
      ORDER BY md5(c.id)`,
    [since],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, calendarId: r.id }));
}

/**
 * Accounts whose calendar list is due to be read again: once per interval at the account's own
 * phase (as dueForPoll spreads calendars), and sooner — `recheckMs` after the last listing — when
 * one of its calendars is missing from a listing or its last sync found it gone at the provider.
 * A notification's standing request (migration 0023) is due once the receiver's own reading had
 * its 10 seconds, then once a minute while readings fail, for at most one interval (after that
 * the account's own phase reads the list anyway). An account never listed (migration 0068: its
 * connect was cut short after storing it) is due a minute after it was stored or last tried.
 */
export async function dueForCalendarList(q: Queryable, intervalMs: number, recheckMs: number, limit: number): Promise<Array<{ tenantId: string; accountId: string }>> {
  const rows = await q.query<{ tenant_id: string; id: string }>(
    `WITH clock AS (SELECT floor(extract(epoch FROM now()) * 1000)::bigint AS now_ms, $1::bigint AS every)
     SELECT a.tenant_id, a.id FROM clock, accounts a
      WHERE a.status = 'active'
        AND (a.calendars_listed_at < to_timestamp((
              clock.now_ms - mod(clock.now_ms - mod(('x' || substr(md5(a.id), 1, 8))::bit(32)::bigint, clock.every), clock.every) - clock.every / 2
            ) / 1000.0)
          OR (a.calendars_listed_at <= now() - ($2::bigint * interval '1 millisecond') AND EXISTS (
                SELECT 1 FROM calendars c WHERE c.account_id = a.id
                   AND (c.missing_since IS NOT NULL OR (c.last_error LIKE 'CONNECTOR_NOT_FOUND:%' AND c.updated_at > a.calendars_listed_at))))
          OR (a.calendars_list_requested_at IS NOT NULL
              AND a.calendars_list_requested_at <= now() - interval '10 seconds'
              AND a.calendars_list_requested_at > now() - ($1::bigint * interval '1 millisecond')
              AND (a.calendars_listed_at < a.calendars_list_requested_at OR a.calendars_listed_at <= now() - interval '1 minute'))
          OR (NOT a.calendars_listed AND a.calendars_listed_at <= now() - interval '1 minute'))
      ORDER BY a.calendars_listed, a.calendars_list_requested_at IS NULL, a.calendars_listed_at LIMIT $3`,
    [intervalMs, recheckMs, limit],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, accountId: r.id }));
}

/** Legacy free functions for callers outside the engine that the application layer is taking over. */
export const conflictsList = (q: Queryable, tenantId: string, opts: { unresolvedOnly?: boolean } = {}) => new ConflictRepo(q, tenantId).list(opts);
export const conflictGet = (q: Queryable, tenantId: string, id: string) => new ConflictRepo(q, tenantId).get(id);
export const conflictResolve = (q: Queryable, tenantId: string, id: string, outcome: 'local' | 'remote') => new ConflictRepo(q, tenantId).resolve(id, outcome);
export const journalRuns = (q: Queryable, tenantId: string, limit = 50) => new JournalRepo(q, tenantId).runs(limit);
