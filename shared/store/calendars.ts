import type { AccessRole, Calendar, SyncStage } from '../model/index.ts';
import { spansLayout, type BusyLayout } from './busy-layout.ts';
import type { Db, Queryable } from './db.ts';
import { newId } from './ids.ts';
import { followZoneChange } from './zone-change.ts';
import { providerChangesNow } from './channel-activity.ts';

type Row = {
  id: string;
  tenant_id: string;
  account_id: string;
  provider_calendar_id: string;
  name: string;
  time_zone: string;
  /** Absent on a benchmark's schema from before migration 0069. */
  provider_time_zone?: string;
  time_zone_chosen?: boolean;
  color: string | null;
  access_role: AccessRole;
  sync_cursor: string | null;
  sync_stage: SyncStage;
  stage_started_at: Date | null;
  failure_count: number;
  last_success_at: Date | null;
  last_error: string | null;
  missing_since: Date | null;
  counts_for_busy: boolean | null;
  sync_enabled?: boolean;
  /** Absent on a benchmark's schema from before migration 0091. */
  is_primary?: boolean;
  created_at: Date;
  updated_at: Date;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** A calendars row as the store reads it (sync-switch.ts answers with one). */
export type CalendarRow = Row;

export const toCalendar = (r: Row): Calendar => ({
  id: r.id,
  tenantId: r.tenant_id,
  accountId: r.account_id,
  providerCalendarId: r.provider_calendar_id,
  name: r.name,
  timeZone: r.time_zone,
  providerTimeZone: r.provider_time_zone ?? r.time_zone,
  timeZoneChosen: r.time_zone_chosen === true,
  color: r.color,
  accessRole: r.access_role,
  syncCursor: r.sync_cursor,
  syncStage: r.sync_stage,
  stageStartedAt: iso(r.stage_started_at),
  failureCount: r.failure_count,
  lastSuccessAt: iso(r.last_success_at),
  lastError: r.last_error,
  missingSince: iso(r.missing_since),
  countsForBusy: r.counts_for_busy,
  // Absent on a benchmark's schema from before migration 0021, where every calendar syncs.
  syncEnabled: r.sync_enabled !== false,
  primary: r.is_primary === true,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export interface ListingChanges {
  added: Calendar[];
  /** Listed before and now, with a new name, colour, zone (the provider's), access or primary flag. */
  updated: Calendar[];
  /** Missing from an earlier listing and listed again. */
  found: Calendar[];
  /** Known but not in this listing: each with `missingSince` (this listing's time when it is the first to leave it out). */
  missing: Calendar[];
}

export interface CalendarInput {
  providerCalendarId: string;
  name: string;
  timeZone: string | null;
  color: string | null;
  readOnly: boolean;
  /** As the provider states it; absent: from readOnly (owner when writable, reader when not). */
  accessRole?: AccessRole;
  /** The provider's primary/default flag; absent: false. */
  primary?: boolean;
}

const roleOf = (c: CalendarInput): AccessRole => c.accessRole ?? (c.readOnly ? 'reader' : 'owner');

/** Calendars of one tenant; every query carries the tenant id. */
export class CalendarRepo {
  /**
   * `write` runs a unit of work (its own transaction, or the caller's): a zone change and the busy
   * spans that follow it commit together. The default is for a caller that is in one already.
   */
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
    private readonly write: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T> = (fn) => fn(db),
    private readonly busy: BusyLayout = spansLayout,
  ) {}

  /**
   * Runs a statement writing calendar rows. `zoneBefore` is the zone the calendar had when the
   * caller looked, given when the write may move it to another: then the calendar's busy spans are
   * rebuilt in the new zone in the same transaction.
   */
  private async writeRows(sql: string, params: unknown[], zoneBefore?: string): Promise<Row[]> {
    if (zoneBefore === undefined) return this.db.query<Row>(sql, params);
    return this.write(async (tx) => {
      const rows = await tx.query<Row>(sql, params);
      for (const r of rows) {
        if (r.time_zone !== zoneBefore) await followZoneChange(tx, this.busy, { tenantId: this.tenantId, calendarId: r.id, timeZone: r.time_zone });
      }
      return rows;
    });
  }

  /**
   * Records the calendars a provider listed for an account; known ones keep their id, cursor and
   * sync switch. `syncShared: false` records a new read-only one with its sync off (CALHUB_SYNC_SHARED_CALENDARS).
   */
  async upsertMany(accountId: string, cals: CalendarInput[], opts: { syncShared?: boolean } = {}): Promise<Calendar[]> {
    const out: Calendar[] = [];
    // A known calendar listed in another zone (a reconnect's discovery) takes it with its busy spans,
    // unless the tenant chose its zone: then only the provider's zone is recorded.
    // Not list(): a benchmark's schema from before migration 0021 has no sync_enabled to filter on.
    const known = cals.some((c) => c.timeZone !== null)
      ? await this.db.query<{ p: string; z: string }>('SELECT provider_calendar_id AS p, time_zone AS z FROM calendars WHERE tenant_id = $1 AND account_id = $2', [this.tenantId, accountId])
      : [];
    const zones = new Map(known.map((k) => [k.p, k.z]));
    for (const c of cals) {
      // Named only when off: a benchmark's schema from before migration 0021 has no such column.
      const off = c.readOnly && opts.syncShared === false;
      // Named only when true: a benchmark's schema from before migration 0091 has no such column.
      const prim = c.primary === true;
      const was = zones.get(c.providerCalendarId);
      const rows = await this.writeRows(
        `INSERT INTO calendars (id, tenant_id, account_id, provider_calendar_id, name, time_zone, provider_time_zone, color, access_role${off ? ', sync_enabled' : ''}${prim ? ', is_primary' : ''})
         SELECT $1, $2, $3, $4, $5, $6, $6, $7, $8${off ? ', false' : ''}${prim ? ', true' : ''} WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $3 AND tenant_id = $2)
         ON CONFLICT (account_id, provider_calendar_id) DO UPDATE SET
           name = EXCLUDED.name, provider_time_zone = COALESCE($9, calendars.provider_time_zone),
           time_zone = CASE WHEN calendars.time_zone_chosen THEN calendars.time_zone ELSE COALESCE($9, calendars.time_zone) END, color = EXCLUDED.color,
           access_role = EXCLUDED.access_role,${c.primary !== undefined ? ` is_primary = ${prim},` : ''} updated_at = now()
         RETURNING *`,
        [newId('cal'), this.tenantId, accountId, c.providerCalendarId, c.name, c.timeZone ?? 'UTC', c.color, roleOf(c), c.timeZone],
        was !== undefined && c.timeZone !== null && c.timeZone !== was ? was : undefined,
      );
      if (rows[0]) out.push(toCalendar(rows[0]));
    }
    return out;
  }

  /**
   * A fresh listing of the account's calendars against those recorded: new ones are added, known
   * ones take the provider's name, colour, zone (under a zone the tenant chose, only as the
   * provider's) and access where they differ (untouched rows are
   * not written, so a listing that changed nothing changes nothing), and known ones the listing
   * left out are marked missing from now on (a calendar listed again is no longer missing).
   * Returns what changed, and which calendars are missing now with since when.
   */
  async applyListing(accountId: string, cals: CalendarInput[], opts: { syncShared?: boolean } = {}): Promise<ListingChanges> {
    const known = new Map((await this.list({ accountId })).map((c) => [c.providerCalendarId, c]));
    const out: ListingChanges = { added: [], updated: [], found: [], missing: [] };
    const fresh: CalendarInput[] = [];
    for (const c of cals) {
      const k = known.get(c.providerCalendarId);
      known.delete(c.providerCalendarId);
      if (!k) {
        fresh.push(c);
        continue;
      }
      const role = roleOf(c); // as upsertMany records it
      const zone = c.timeZone ?? k.providerTimeZone;
      const primary = c.primary === true;
      if (k.name === c.name && k.color === c.color && k.providerTimeZone === zone && k.accessRole === role && k.primary === primary && k.missingSince === null) continue;
      const rows = await this.writeRows(
        // A calendar listed again after a listing left it out may be another collection at the same
        // address (deleted and made again): its cursor may name the new one too (Radicale's token
        // of an empty collection is always the same), so the next pull lists it in full. The epoch
        // moves so that a pull already running cannot write its cursor back (calendar-cursor.ts).
        `UPDATE calendars SET name = $3, color = $4, provider_time_zone = $5, time_zone = CASE WHEN time_zone_chosen THEN time_zone ELSE $5 END,
           access_role = $6, is_primary = $7, missing_since = NULL,
           sync_cursor = CASE WHEN missing_since IS NULL THEN sync_cursor END,
           cursor_epoch = cursor_epoch + CASE WHEN missing_since IS NULL THEN 0 ELSE 1 END,
           cursor_reset_reason = CASE WHEN missing_since IS NULL THEN cursor_reset_reason ELSE 'missing' END, updated_at = now()
          WHERE id = $1 AND tenant_id = $2 RETURNING *`,
        [k.id, this.tenantId, c.name, c.color, zone, role, primary],
        zone !== k.providerTimeZone ? k.timeZone : undefined,
      );
      if (!rows[0]) continue;
      (k.missingSince !== null ? out.found : out.updated).push(toCalendar(rows[0]));
    }
    out.added = await this.upsertMany(accountId, fresh, opts);
    const gone = [...known.values()];
    const newlyGone = gone.filter((c) => c.missingSince === null).map((c) => c.id);
    const marked = newlyGone.length
      ? await this.db.query<Row>('UPDATE calendars SET missing_since = now(), updated_at = now() WHERE tenant_id = $1 AND id = ANY($2) RETURNING *', [this.tenantId, newlyGone])
      : [];
    const markedById = new Map(marked.map((r) => [r.id, toCalendar(r)]));
    out.missing = gone.map((c) => markedById.get(c.id) ?? c);
    return out;
  }

  /** The name the provider now has for it (a rename through calhub). */
  async rename(id: string, name: string): Promise<Calendar | null> {
    const rows = await this.db.query<Row>('UPDATE calendars SET name = $3, updated_at = now() WHERE id = $1 AND tenant_id = $2 RETURNING *', [id, this.tenantId, name]);
    return rows[0] ? toCalendar(rows[0]) : null;
  }

  /** The tenant's choice whether the calendar counts for its account's busy time; null: by its access again. */
  async setCountsForBusy(id: string, counts: boolean | null): Promise<Calendar | null> {
    const rows = await this.db.query<Row>('UPDATE calendars SET counts_for_busy = $3, updated_at = now() WHERE id = $1 AND tenant_id = $2 RETURNING *', [id, this.tenantId, counts]);
    return rows[0] ? toCalendar(rows[0]) : null;
  }

  async get(id: string): Promise<Calendar | null> {
    const rows = await this.db.query<Row>('SELECT * FROM calendars WHERE id = $1 AND tenant_id = $2', [id, this.tenantId]);
    return rows[0] ? toCalendar(rows[0]) : null;
  }

  /** `synced`: only calendars whose sync is on. */
  async list(filter: { accountId?: string; ids?: string[]; synced?: boolean } = {}): Promise<Calendar[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM calendars WHERE tenant_id = $1
         AND ($2::text IS NULL OR account_id = $2) AND ($3::text[] IS NULL OR id = ANY($3)) AND (NOT $4::boolean OR sync_enabled)
       ORDER BY created_at, id`,
      [this.tenantId, filter.accountId ?? null, filter.ids ?? null, filter.synced === true],
    );
    return rows.map(toCalendar);
  }

  /**
   * A pull stored a change made at the provider (migration 0093): called in the transaction that
   * stores it. Not a change of the calendar itself: updated_at and the calendar webhook stay. One
   * more provider change in the calendar's decayed count (migration 0096), the silence check's usual rate.
   */
  async noteProviderChange(id: string): Promise<void> {
    await this.db.query(
      `UPDATE calendars c SET provider_change_rate = 1 + ${providerChangesNow('c')}, provider_changed_at = now() WHERE c.id = $1 AND c.tenant_id = $2`,
      [id, this.tenantId],
    );
  }

  async setCursor(id: string, cursor: string | null): Promise<void> {
    await this.db.query('UPDATE calendars SET sync_cursor = $3, updated_at = now() WHERE id = $1 AND tenant_id = $2', [id, this.tenantId, cursor]);
  }

  /**
   * Takes the calendar's sync slot: one sync per calendar at a time, enforced here rather than
   * assumed from the queue. A run older than staleMs is presumed dead (its worker was killed).
   */
  async claimSync(id: string, owner: string, staleMs: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE calendars SET sync_stage = 'running', stage_started_at = now(), stage_owner = $3, updated_at = now()
        WHERE id = $1 AND tenant_id = $2
          AND (sync_stage <> 'running' OR stage_started_at < now() - ($4::int * interval '1 millisecond'))
        RETURNING id`,
      [id, this.tenantId, owner, staleMs],
    );
    return rows.length > 0;
  }

  /**
   * Inside a run's commit: proves the run still holds the calendar's sync slot and records a sign
   * of life (stage_started_at doubles as the heartbeat the reaper reads). False: the slot was
   * reaped or taken over, and the caller must not commit.
   */
  async fence(id: string, owner: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE calendars SET stage_started_at = now() WHERE id = $1 AND tenant_id = $2 AND stage_owner = $3 AND sync_stage = 'running' RETURNING id`,
      [id, this.tenantId, owner],
    );
    return rows.length > 0;
  }

  /**
   * Ends a run this owner holds; a run taken over by the reaper is left alone. ok resets the failure count, an error counts one more failure (the first sends
   * `sync.failed`); `stopped` (a shutdown, a budget spent while committing) records neither and
   * leaves the stage as the last finished run left it. An error with `graceMs` is taken as stopped
   * while the calendar has no failure and synced (or was added) within the grace.
   */
  async releaseSync(id: string, owner: string, outcome: { ok: true } | { ok: false; error: string; graceMs?: number } | { stopped: true }): Promise<void> {
    if ('stopped' in outcome || ('graceMs' in outcome && outcome.graceMs !== undefined)) {
      // A grace (a provider's rate limit): no failure while the calendar synced within it (or was
      // added within it); past it, the failure counts as any other.
      const grace = 'graceMs' in outcome ? (outcome.graceMs ?? null) : null;
      const stopped = await this.db.query(
        `UPDATE calendars SET
           sync_stage = CASE WHEN failure_count > 0 AND sync_enabled THEN 'failed' ELSE 'idle' END,
           stage_started_at = NULL, stage_owner = NULL, updated_at = now()
         WHERE id = $1 AND tenant_id = $2 AND stage_owner = $3
           AND ($4::float8 IS NULL OR (failure_count = 0 AND COALESCE(last_success_at, created_at) > now() - make_interval(secs => $4::float8 / 1000)))
         RETURNING id`,
        [id, this.tenantId, owner, grace],
      );
      if (grace === null || stopped.length > 0) return;
    }
    if ('stopped' in outcome) return;
    await this.db.query(
      `UPDATE calendars SET
         sync_stage = CASE WHEN $4::boolean OR NOT sync_enabled THEN 'idle' ELSE 'failed' END,
         stage_started_at = NULL, stage_owner = NULL,
         failure_count = CASE WHEN $4::boolean THEN 0 WHEN NOT sync_enabled THEN failure_count ELSE failure_count + 1 END,
         last_success_at = CASE WHEN $4::boolean AND sync_enabled THEN now() ELSE last_success_at END,
         last_error = CASE WHEN $4::boolean OR NOT sync_enabled THEN NULL ELSE $5 END,
         updated_at = now()
       WHERE id = $1 AND tenant_id = $2 AND stage_owner = $3`,
      [id, this.tenantId, owner, outcome.ok, outcome.ok ? null : outcome.error],
    );
  }

}


export interface SyncSettings {
  conflictPolicy: 'hub-wins' | 'provider-wins' | 'latest-wins' | 'manual';
  deletePolicy: 'modify-wins' | 'delete-wins';
  flaggedReason: string | null;
  /** What the mass-change guard counted when it flagged the calendar (null: not flagged, or flagged before migration 0049). */
  guardTripped: GuardTally | null;
  /** What an unflag approved for the next run (migration 0049); spent when a pull completes. */
  guardAllowance: GuardTally | null;
}

/** A run's removals (deletions and cancellations) and rewrites, as the mass-change guard counts them. */
export interface GuardTally {
  removed: number;
  rewritten: number;
}

const asCounts = (v: unknown): GuardTally | null => {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  return { removed: Number(o['removed']) || 0, rewritten: Number(o['rewritten']) || 0 };
};

/** A flag's counts read from its reason, for calendars flagged before migration 0049 recorded them. */
export function countsOfReason(reason: string): GuardTally | null {
  const removed = /delete or cancel (\d+) of/.exec(reason) ?? /empty while (\d+) objects/.exec(reason);
  const rewritten = /rewrite (\d+) of/.exec(reason);
  if (!removed && !rewritten) return null;
  return { removed: removed ? Number(removed[1]) : 0, rewritten: rewritten ? Number(rewritten[1]) : 0 };
}

/** The sync engine's per-calendar settings and flags (migration 0002). */
export class CalendarSyncRepo {
  constructor(private readonly db: Queryable, private readonly tenantId: string) {}

  async settings(id: string): Promise<SyncSettings | null> {
    const [r] = await this.db.query<{ conflict_policy: SyncSettings['conflictPolicy']; delete_policy: SyncSettings['deletePolicy']; flagged_reason: string | null; guard_tripped: unknown; guard_allowance: unknown }>(
      'SELECT conflict_policy, delete_policy, flagged_reason, guard_tripped, guard_allowance FROM calendars WHERE id = $1 AND tenant_id = $2',
      [id, this.tenantId],
    );
    return r
      ? { conflictPolicy: r.conflict_policy, deletePolicy: r.delete_policy, flaggedReason: r.flagged_reason, guardTripped: asCounts(r.guard_tripped), guardAllowance: asCounts(r.guard_allowance) }
      : null;
  }

  /** Every calendar's conflict policy, by id (one query for a list; settings() reads one calendar's). */
  async conflictPolicies(): Promise<Map<string, SyncSettings['conflictPolicy']>> {
    const rows = await this.db.query<{ id: string; conflict_policy: SyncSettings['conflictPolicy'] }>('SELECT id, conflict_policy FROM calendars WHERE tenant_id = $1', [this.tenantId]);
    return new Map(rows.map((r) => [r.id, r.conflict_policy]));
  }

  async setPolicies(id: string, p: { conflictPolicy?: SyncSettings['conflictPolicy']; deletePolicy?: SyncSettings['deletePolicy'] }): Promise<void> {
    await this.db.query(
      `UPDATE calendars SET conflict_policy = COALESCE($3, conflict_policy), delete_policy = COALESCE($4, delete_policy), updated_at = now()
        WHERE id = $1 AND tenant_id = $2`,
      [id, this.tenantId, p.conflictPolicy ?? null, p.deletePolicy ?? null],
    );
  }

  /** Flags the calendar with what the guard counted; an approval not yet spent goes (the run exceeded it). */
  async flag(id: string, reason: string, counts: GuardTally | null = null): Promise<void> {
    await this.db.query(
      'UPDATE calendars SET flagged_reason = $3, guard_tripped = $4::jsonb, guard_allowance = NULL, updated_at = now() WHERE id = $1 AND tenant_id = $2',
      [id, this.tenantId, reason, counts ? JSON.stringify(counts) : null],
    );
  }

  /**
   * Clears the flag and approves the change it was flagged for: the next run may remove and
   * rewrite as many objects as the stopped one would have (sync-engine/guard.ts), once. Without
   * it the next run met the same deletions and was flagged again. False: no such calendar.
   * Returns the approval (null when the calendar was not flagged, or its counts are unknown).
   */
  async unflag(id: string): Promise<{ allowance: GuardTally | null } | false> {
    const [r] = await this.db.query<{ flagged_reason: string | null; guard_tripped: unknown }>(
      'SELECT flagged_reason, guard_tripped FROM calendars WHERE id = $1 AND tenant_id = $2',
      [id, this.tenantId],
    );
    if (!r) return false;
    const allowance = r.flagged_reason === null ? null : (asCounts(r.guard_tripped) ?? countsOfReason(r.flagged_reason));
    // Not flagged: an approval already granted stays as it is.
    const rows = await this.db.query(
      `UPDATE calendars SET flagged_reason = NULL, guard_tripped = NULL,
         guard_allowance = CASE WHEN flagged_reason IS NULL THEN guard_allowance ELSE $3::jsonb END, updated_at = now()
        WHERE id = $1 AND tenant_id = $2 RETURNING id`,
      [id, this.tenantId, allowance ? JSON.stringify(allowance) : null],
    );
    return rows.length > 0 ? { allowance } : false;
  }

  /** A run's pull completed: the approval an unflag gave is spent, and the guard is whole again. */
  async spendAllowance(id: string): Promise<void> {
    await this.db.query('UPDATE calendars SET guard_allowance = NULL WHERE id = $1 AND tenant_id = $2 AND guard_allowance IS NOT NULL', [id, this.tenantId]);
  }
}

/** Frees sync slots whose runs went silent (all tenants): the stale-run reaper. */
export async function reapStaleSyncs(db: Db, staleMs: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `UPDATE calendars SET sync_stage = CASE WHEN sync_enabled THEN 'failed' ELSE 'idle' END, stage_owner = NULL, stage_started_at = NULL,
       last_error = CASE WHEN sync_enabled THEN 'sync run went stale and was reaped' END,
       failure_count = failure_count + CASE WHEN sync_enabled THEN 1 ELSE 0 END, updated_at = now()
     WHERE sync_stage = 'running' AND stage_started_at < now() - ($1::int * interval '1 millisecond')
     RETURNING id`,
    [staleMs],
  );
  return rows.map((r) => r.id);
}
