/** SQL for the sync engine's own tables (migration 0002). Each function is one statement. */
import type { CanonicalEvent } from '../model/index.ts';
import type { Queryable } from './db.ts';

export interface LedgerEntry {
  remoteId: string;
  uid: string;
  base: CanonicalEvent[];
  baseHash: string;
  providerVersion: string | null;
}

export async function ledgerGet(q: Queryable, calendarId: string, remoteIds: string[]): Promise<Map<string, LedgerEntry>> {
  const rows = await q.query<LedgerRow>('SELECT * FROM sync_ledger WHERE calendar_id = $1 AND remote_id = ANY($2)', [calendarId, remoteIds]);
  return new Map(rows.map((r) => [r.remote_id, toEntry(r)]));
}

type LedgerRow = { remote_id: string; uid: string; base: CanonicalEvent[]; base_hash: string; provider_version: string | null };
const toEntry = (r: LedgerRow): LedgerEntry => ({ remoteId: r.remote_id, uid: r.uid, base: r.base, baseHash: r.base_hash, providerVersion: r.provider_version });

export async function ledgerByUid(q: Queryable, calendarId: string, uid: string): Promise<LedgerEntry[]> {
  const rows = await q.query<LedgerRow>('SELECT * FROM sync_ledger WHERE calendar_id = $1 AND uid = $2 ORDER BY remote_id', [calendarId, uid]);
  return rows.map(toEntry);
}

export async function ledgerPut(q: Queryable, calendarId: string, entries: LedgerEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await q.query(
    `INSERT INTO sync_ledger (calendar_id, remote_id, uid, base, base_hash, provider_version)
     SELECT $1, x.r, x.u, x.b, x.h, x.v FROM jsonb_to_recordset($2::jsonb) AS x(r text, u text, b jsonb, h text, v text)
     ON CONFLICT (calendar_id, remote_id) DO UPDATE SET uid = EXCLUDED.uid, base = EXCLUDED.base, base_hash = EXCLUDED.base_hash,
       provider_version = EXCLUDED.provider_version, updated_at = now()`,
    [calendarId, JSON.stringify(entries.map((e) => ({ r: e.remoteId, u: e.uid, b: e.base, h: e.baseHash, v: e.providerVersion })))],
  );
}

export async function ledgerDelete(q: Queryable, calendarId: string, remoteIds: string[]): Promise<void> {
  if (remoteIds.length) await q.query('DELETE FROM sync_ledger WHERE calendar_id = $1 AND remote_id = ANY($2)', [calendarId, remoteIds]);
}

export async function ledgerCount(q: Queryable, calendarId: string): Promise<number> {
  const [r] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_ledger WHERE calendar_id = $1', [calendarId]);
  return r?.n ?? 0;
}

export async function seenReset(q: Queryable, calendarId: string): Promise<void> {
  await q.query('DELETE FROM sync_seen WHERE calendar_id = $1', [calendarId]);
}

export async function seenAdd(q: Queryable, calendarId: string, remoteIds: string[]): Promise<void> {
  if (remoteIds.length === 0) return;
  await q.query('INSERT INTO sync_seen (calendar_id, remote_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [calendarId, remoteIds]);
}

/** Remote ids the hub knows (ledger or events) that the completed full listing did not return. */
export async function unseenRemoteIds(q: Queryable, calendarId: string): Promise<string[]> {
  const rows = await q.query<{ remote_id: string }>(
    `SELECT remote_id FROM sync_ledger l WHERE calendar_id = $1
       AND NOT EXISTS (SELECT 1 FROM sync_seen s WHERE s.calendar_id = l.calendar_id AND s.remote_id = l.remote_id)
     UNION
     SELECT DISTINCT remote_id FROM events e WHERE calendar_id = $1 AND remote_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sync_seen s WHERE s.calendar_id = e.calendar_id AND s.remote_id = e.remote_id)`,
    [calendarId],
  );
  return rows.map((r) => r.remote_id);
}

export interface OutboxEntry {
  /** Changes whenever the entry is replaced: a push only clears the entry it pushed. */
  token: string;
  calendarId: string;
  tenantId: string;
  uid: string;
  op: 'put' | 'delete';
  attempts: number;
}

export async function outboxUpsert(q: Queryable, e: { calendarId: string; tenantId: string; uid: string; op: 'put' | 'delete' }): Promise<void> {
  await q.query(
    `INSERT INTO outbox (calendar_id, tenant_id, uid, op, updated_at) VALUES ($1, $2, $3, $4, clock_timestamp())
     ON CONFLICT (calendar_id, uid) DO UPDATE SET op = EXCLUDED.op, attempts = 0, last_error = NULL, updated_at = clock_timestamp()`,
    [e.calendarId, e.tenantId, e.uid, e.op],
  );
}

export async function outboxPending(q: Queryable, calendarId: string): Promise<OutboxEntry[]> {
  const rows = await q.query<{ token: string; calendar_id: string; tenant_id: string; uid: string; op: 'put' | 'delete'; attempts: number }>(
    'SELECT updated_at::text AS token, calendar_id, tenant_id, uid, op, attempts FROM outbox WHERE calendar_id = $1 ORDER BY created_at, uid',
    [calendarId],
  );
  return rows.map((r) => ({ token: r.token, calendarId: r.calendar_id, tenantId: r.tenant_id, uid: r.uid, op: r.op, attempts: r.attempts }));
}

/** Pending local changes among the given UIDs: uid -> when the local edit was made (ms). */
export async function outboxUids(q: Queryable, calendarId: string, uids: string[]): Promise<Map<string, number>> {
  const rows = await q.query<{ uid: string; at: number }>(
    'SELECT uid, (extract(epoch FROM updated_at) * 1000)::float8 AS at FROM outbox WHERE calendar_id = $1 AND uid = ANY($2)',
    [calendarId, uids],
  );
  return new Map(rows.map((r) => [r.uid, Number(r.at)]));
}

/** Removes the entry only if it is still the one that was pushed; false when it was replaced. */
export async function outboxDone(q: Queryable, calendarId: string, uid: string, token: string | null): Promise<boolean> {
  const rows = await q.query('DELETE FROM outbox WHERE calendar_id = $1 AND uid = $2 AND ($3::text IS NULL OR updated_at::text = $3) RETURNING uid', [
    calendarId,
    uid,
    token,
  ]);
  return rows.length > 0;
}

export async function outboxToken(q: Queryable, calendarId: string, uid: string): Promise<string | null> {
  const [r] = await q.query<{ token: string }>('SELECT updated_at::text AS token FROM outbox WHERE calendar_id = $1 AND uid = $2', [calendarId, uid]);
  return r?.token ?? null;
}

export async function outboxFailed(q: Queryable, calendarId: string, uid: string, error: string): Promise<void> {
  await q.query('UPDATE outbox SET attempts = attempts + 1, last_error = $3 WHERE calendar_id = $1 AND uid = $2', [calendarId, uid, error]);
}

export async function journalAdd(
  q: Queryable,
  j: { runId: string; tenantId: string; calendarId: string; uid: string; remoteId: string | null; op: 'create' | 'update' | 'delete'; before: unknown; after: unknown },
): Promise<void> {
  await q.query(
    'INSERT INTO write_journal (run_id, tenant_id, calendar_id, uid, remote_id, op, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [j.runId, j.tenantId, j.calendarId, j.uid, j.remoteId, j.op, JSON.stringify(j.before ?? null), JSON.stringify(j.after ?? null)],
  );
}

export async function journalOfRun(q: Queryable, tenantId: string, runId: string) {
  return q.query<{ calendar_id: string; uid: string; remote_id: string | null; op: string; before: CanonicalEvent[] | null; after: CanonicalEvent[] | null }>(
    'SELECT calendar_id, uid, remote_id, op, before, after FROM write_journal WHERE tenant_id = $1 AND run_id = $2 ORDER BY seq DESC',
    [tenantId, runId],
  );
}

export interface ConflictRow {
  id: string;
  calendarId: string;
  uid: string;
  remoteId: string | null;
  policy: string;
  fields: string[];
  base: CanonicalEvent[] | null;
  local: CanonicalEvent[] | null;
  remote: CanonicalEvent[] | null;
  outcome: string;
  resolvedAt: string | null;
  createdAt: string;
}

type ConflictDbRow = {
  id: string; calendar_id: string; uid: string; remote_id: string | null; policy: string; fields: string[];
  base: CanonicalEvent[] | null; local: CanonicalEvent[] | null; remote: CanonicalEvent[] | null; outcome: string; resolved_at: Date | null; created_at: Date;
};
const toConflict = (r: ConflictDbRow): ConflictRow => ({
  id: r.id, calendarId: r.calendar_id, uid: r.uid, remoteId: r.remote_id, policy: r.policy, fields: r.fields, base: r.base, local: r.local,
  remote: r.remote, outcome: r.outcome, resolvedAt: r.resolved_at?.toISOString() ?? null, createdAt: r.created_at.toISOString(),
});

export async function conflictsList(q: Queryable, tenantId: string, opts: { unresolvedOnly?: boolean } = {}): Promise<ConflictRow[]> {
  const rows = await q.query<ConflictDbRow>(
    'SELECT * FROM conflicts WHERE tenant_id = $1 AND (NOT $2::boolean OR resolved_at IS NULL) ORDER BY created_at DESC, id LIMIT 500',
    [tenantId, opts.unresolvedOnly ?? false],
  );
  return rows.map(toConflict);
}

export async function conflictGet(q: Queryable, tenantId: string, id: string): Promise<ConflictRow | null> {
  const rows = await q.query<ConflictDbRow>('SELECT * FROM conflicts WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  return rows[0] ? toConflict(rows[0]) : null;
}

export async function conflictResolve(q: Queryable, tenantId: string, id: string, outcome: string): Promise<void> {
  await q.query('UPDATE conflicts SET resolved_at = now(), outcome = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, id, outcome]);
}

/** The tenant an account belongs to (operators address accounts by id alone). */
export async function accountTenant(q: Queryable, accountId: string): Promise<string | null> {
  const [r] = await q.query<{ tenant_id: string }>('SELECT tenant_id FROM accounts WHERE id = $1', [accountId]);
  return r?.tenant_id ?? null;
}

/** Calendars whose last successful sync is older than the interval: the polling backstop. */
export async function dueForPoll(q: Queryable, intervalMs: number, limit = 500): Promise<Array<{ tenantId: string; calendarId: string }>> {
  const rows = await q.query<{ tenant_id: string; id: string }>(
    `SELECT c.tenant_id, c.id FROM calendars c JOIN accounts a ON a.id = c.account_id AND a.status = 'active'
      WHERE c.flagged_reason IS NULL AND c.sync_stage <> 'running'
        AND (c.last_success_at IS NULL OR c.last_success_at < now() - ($1::int * interval '1 millisecond'))
      ORDER BY c.last_success_at NULLS FIRST LIMIT $2`,
    [intervalMs, limit],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, calendarId: r.id }));
}

/** Runs that wrote to providers, newest first, with how many writes each made. */
export async function journalRuns(q: Queryable, tenantId: string, limit = 50): Promise<Array<{ runId: string; writes: number; firstAt: string; lastAt: string }>> {
  const rows = await q.query<{ run_id: string; writes: number; first_at: Date; last_at: Date }>(
    `SELECT run_id, count(*)::int AS writes, min(created_at) AS first_at, max(created_at) AS last_at
       FROM write_journal WHERE tenant_id = $1 GROUP BY run_id ORDER BY max(seq) DESC LIMIT $2`,
    [tenantId, limit],
  );
  return rows.map((r) => ({ runId: r.run_id, writes: r.writes, firstAt: r.first_at.toISOString(), lastAt: r.last_at.toISOString() }));
}

/**
 * Inside a run's commit: proves the run still holds its calendar's sync slot and records a sign
 * of life (stage_started_at doubles as the heartbeat the reaper reads). False: the slot was reaped
 * or taken over, and the caller must not commit.
 */
export async function fenceSync(q: Queryable, calendarId: string, owner: string): Promise<boolean> {
  const rows = await q.query(`UPDATE calendars SET stage_started_at = now() WHERE id = $1 AND stage_owner = $2 AND sync_stage = 'running' RETURNING id`, [calendarId, owner]);
  return rows.length > 0;
}
