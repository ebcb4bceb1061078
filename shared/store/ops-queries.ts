/**
 * Deployment-wide reads for operators (`calhub status`, `calhub channels`, /metrics). They span
 * tenants on purpose: an operator looks at the whole deployment. Each function is one statement.
 */
import type { DeploymentGauges } from '../metrics.ts';
import type { Queryable } from './db.ts';

/** The provider and account of a calendar, for run-scoped logs and metric labels. */
export async function calendarOwner(q: Queryable, calendarId: string): Promise<{ accountId: string; provider: string } | null> {
  const [r] = await q.query<{ account_id: string; provider: string }>(
    'SELECT c.account_id, a.provider FROM calendars c JOIN accounts a ON a.id = c.account_id WHERE c.id = $1',
    [calendarId],
  );
  return r ? { accountId: r.account_id, provider: r.provider } : null;
}

export async function accountsByStatus(q: Queryable): Promise<DeploymentGauges['accounts']> {
  const rows = await q.query<{ provider: string; status: string; n: number }>('SELECT provider, status, count(*)::int AS n FROM accounts GROUP BY 1, 2 ORDER BY 1, 2');
  return rows;
}

/** Active accounts whose calendar list was never read (migration 0068), a few ids each with the count. */
export async function accountsUnlisted(q: Queryable, shown = 10): Promise<{ n: number; accountIds: string[] }> {
  const rows = await q.query<{ id: string; n: number }>(
    `SELECT id, count(*) OVER ()::int AS n FROM accounts WHERE status = 'active' AND NOT calendars_listed ORDER BY created_at, id LIMIT $1`,
    [shown],
  );
  return { n: rows[0]?.n ?? 0, accountIds: rows.map((r) => r.id) };
}

const LIVE_GRANTS = `provider IN ('google', 'microsoft') AND credentials IS NOT NULL AND status <> 'needs_reauth'`;

/**
 * Google and Microsoft grants that could still work but whose client is not recorded beside them
 * (stored before migration 0059 and not refreshed since), with the grant, for the one read that
 * records it. Shrinks to none as they are recorded.
 */
export async function grantsWithoutClientColumns(q: Queryable): Promise<Array<{ id: string; tenantId: string; credentials: string }>> {
  const rows = await q.query<{ id: string; tenant_id: string; credentials: string }>(
    `SELECT id, tenant_id, credentials FROM accounts WHERE ${LIVE_GRANTS} AND grant_app IS NULL ORDER BY tenant_id, id`,
  );
  return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, credentials: r.credentials }));
}

/** Grants of one client (one provider, app and client id; a tenant's own app: of one tenant), counted. */
export interface GrantClientGroup {
  provider: string;
  app: 'default' | 'tenant';
  /** Set for a tenant's own app only: the hub-wide app's client is the same for every tenant. */
  tenantId: string | null;
  clientId: string | null;
  n: number;
  /** A few of them, first by tenant and id. */
  accountIds: string[];
  /** The tenant of the first of them, for ordering groups as their accounts are ordered. */
  firstTenantId: string;
}

/**
 * The grants that could still work, grouped by the client that issued them (migration 0059's
 * columns): one row per client, however many accounts, so `calhub status` costs the same at ten
 * accounts and at a hundred thousand. Grants whose client is not recorded are left out.
 */
export async function grantClientGroups(q: Queryable, shown = 10): Promise<GrantClientGroup[]> {
  const rows = await q.query<{ provider: string; app: 'default' | 'tenant'; tenant_id: string | null; client_id: string | null; n: number; ids: string[]; first_tenant: string }>(
    `SELECT provider, grant_app AS app, CASE WHEN grant_app = 'tenant' THEN tenant_id END AS tenant_id, grant_client_id AS client_id, count(*)::int AS n,
            (array_agg(id ORDER BY tenant_id, id))[1:$1] AS ids, min(tenant_id) AS first_tenant
       FROM accounts WHERE ${LIVE_GRANTS} AND grant_app IS NOT NULL
      GROUP BY 1, 2, 3, 4 ORDER BY min(tenant_id), (array_agg(id ORDER BY tenant_id, id))[1]`,
    [shown],
  );
  return rows.map((r) => ({ provider: r.provider, app: r.app, tenantId: r.tenant_id, clientId: r.client_id, n: r.n, accountIds: r.ids, firstTenantId: r.first_tenant }));
}

/** A calendar fails when its last run failed, or the mass-change guard flagged it. */
export async function failingCalendarsByProvider(q: Queryable): Promise<DeploymentGauges['failingCalendars']> {
  return q.query<{ provider: string; n: number }>(
    `SELECT a.provider, count(*)::int AS n FROM calendars c JOIN accounts a ON a.id = c.account_id
      WHERE c.sync_stage = 'failed' OR c.flagged_reason IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
}

export interface FailingCalendar {
  id: string;
  tenantId: string;
  accountId: string;
  provider: string;
  name: string;
  failureCount: number;
  lastError: string | null;
  flaggedReason: string | null;
  lastSuccessAt: Date | null;
}

export async function failingCalendars(q: Queryable, limit: number): Promise<FailingCalendar[]> {
  const rows = await q.query<{ id: string; tenant_id: string; account_id: string; provider: string; name: string; failure_count: number; last_error: string | null; flagged_reason: string | null; last_success_at: Date | null }>(
    `SELECT c.id, c.tenant_id, c.account_id, a.provider, c.name, c.failure_count, c.last_error, c.flagged_reason, c.last_success_at
       FROM calendars c JOIN accounts a ON a.id = c.account_id
      WHERE c.sync_stage = 'failed' OR c.flagged_reason IS NOT NULL
      ORDER BY c.failure_count DESC, c.id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, accountId: r.account_id, provider: r.provider, name: r.name, failureCount: r.failure_count, lastError: r.last_error, flaggedReason: r.flagged_reason, lastSuccessAt: r.last_success_at }));
}

/** The calendar synced longest ago (never synced first), of accounts that are meant to sync; one whose sync is off waits for none. */
export async function oldestUnsyncedCalendar(q: Queryable): Promise<{ id: string; tenantId: string; name: string; provider: string; lastSuccessAt: Date | null } | null> {
  const [r] = await q.query<{ id: string; tenant_id: string; name: string; provider: string; last_success_at: Date | null }>(
    `SELECT c.id, c.tenant_id, c.name, a.provider, c.last_success_at FROM calendars c JOIN accounts a ON a.id = c.account_id
      WHERE a.status <> 'disabled' AND c.sync_enabled ORDER BY c.last_success_at ASC NULLS FIRST, c.id LIMIT 1`,
  );
  return r ? { id: r.id, tenantId: r.tenant_id, name: r.name, provider: r.provider, lastSuccessAt: r.last_success_at } : null;
}

/** What decides whether a rule makes copies (sync-engine/rule-state.ts), for one side of a rule. */
export type RuleSideFacts = { accessRole: string | null; missing: boolean; accountStatus: string | null; accountAccess: string | null } | null;

/**
 * The rules not being deleted, grouped by what decides their state (a user's pause, two-way, each
 * calendar's role and listing and its account's status and access), counted by tenant: one row a
 * kind of rule, not a row a rule, and the state is derived from each row by the one derivation
 * the engine runs rules by (hub/status.ts).
 */
export async function ruleFactsByTenant(q: Queryable): Promise<Array<{ tenantId: string; n: number; userPaused: boolean; twoWay: boolean; source: RuleSideFacts; target: RuleSideFacts }>> {
  // Each side as one JSON text, so rules alike group together whatever their calendars.
  const sideOf = (c: string, a: string) => `json_build_object('exists', ${c}.id IS NOT NULL, 'role', ${c}.access_role, 'missing', ${c}.missing_since IS NOT NULL, 'status', ${a}.status, 'access', ${a}.access)::text`;
  const rows = await q.query<{ tenant_id: string; n: number; user_paused: boolean; two_way: boolean; s: string; t: string }>(
    `SELECT r.tenant_id, (r.paused_at IS NOT NULL) AS user_paused, COALESCE((r.config->>'twoWay')::boolean, false) AS two_way,
            ${sideOf('sc', 'sa')} AS s, ${sideOf('tc', 'ta')} AS t, count(*)::int AS n
       FROM mirror_rules r
       LEFT JOIN calendars sc ON sc.id = r.source_calendar_id LEFT JOIN accounts sa ON sa.id = sc.account_id
       LEFT JOIN calendars tc ON tc.id = r.target_calendar_id LEFT JOIN accounts ta ON ta.id = tc.account_id
      WHERE r.deleting_since IS NULL
      GROUP BY 1, 2, 3, 4, 5 ORDER BY 1`,
  );
  const side = (text: string): RuleSideFacts => {
    const x = JSON.parse(text) as { exists: boolean; role: string | null; missing: boolean; status: string | null; access: string | null };
    return x.exists ? { accessRole: x.role, missing: x.missing, accountStatus: x.status, accountAccess: x.access } : null;
  };
  return rows.map((r) => ({ tenantId: r.tenant_id, n: Number(r.n), userPaused: r.user_paused, twoWay: r.two_way, source: side(r.s), target: side(r.t) }));
}

export async function channelHorizonByProvider(q: Queryable, now: Date): Promise<DeploymentGauges['channelHorizon']> {
  return q.query<{ provider: string; seconds: number }>(
    `SELECT provider, extract(epoch FROM min(expires_at) - $1::timestamptz)::float8 AS seconds
       FROM push_channels WHERE status IN ('active', 'renew') AND expires_at IS NOT NULL GROUP BY 1 ORDER BY 1`,
    [now],
  );
}

/** `silent` counts apart from the stored status: a silent channel is still active at the provider. */
export async function channelsByState(q: Queryable): Promise<DeploymentGauges['channels']> {
  return q.query<{ provider: string; state: string; n: number }>(
    `SELECT provider, CASE WHEN silent_since IS NOT NULL AND status = 'active' THEN 'silent' ELSE status END AS state, count(*)::int AS n
       FROM push_channels GROUP BY 1, 2 ORDER BY 1, 2`,
  );
}

/**
 * Outgoing (tenant) webhooks across the deployment: endpoints by state — `active`, `failing`
 * (active, but an owed message has failed at least once: the endpoint backs off, one probe at a time), `disabled_by_tenant`,
 * `disabled_after_failures` (the 3-day retry window ran out) — and the messages owed by that
 * state, with the age of the oldest owed to active and to failing endpoints (0 when none). A
 * message old at an `active` endpoint means calhub is not sending (no worker, workers behind); at a
 * `failing` one, that its receiver keeps failing.
 */
export async function outboundWebhookHealth(q: Queryable, now: Date): Promise<DeploymentGauges['outboundWebhooks']> {
  const rows = await q.query<{ state: string; endpoints: number; pending: number; oldest_seconds: number | null }>(
    `WITH owed AS (
       SELECT d.endpoint_id, count(*)::int AS n, bool_or(d.attempts > 0) AS failing, min(m.created_at) AS oldest
         FROM webhook_deliveries d JOIN webhook_messages m ON m.seq = d.message_seq
        WHERE d.status = 'pending' GROUP BY d.endpoint_id)
     SELECT CASE WHEN e.status = 'disabled' AND e.disabled_reason = 'disabled by the tenant' THEN 'disabled_by_tenant'
                 WHEN e.status = 'disabled' THEN 'disabled_after_failures'
                 WHEN o.failing THEN 'failing' ELSE 'active' END AS state,
            count(*)::int AS endpoints, coalesce(sum(o.n), 0)::int AS pending,
            extract(epoch FROM $1::timestamptz - min(o.oldest))::float8 AS oldest_seconds
       FROM webhook_endpoints e LEFT JOIN owed o ON o.endpoint_id = e.id
      GROUP BY 1 ORDER BY 1`,
    [now],
  );
  const of = (state: string) => rows.find((r) => r.state === state);
  const age = (state: string) => Math.max(0, of(state)?.oldest_seconds ?? 0);
  const pending = (state: string) => of(state)?.pending ?? 0;
  return {
    endpoints: rows.map((r) => ({ state: r.state, n: r.endpoints })),
    pending: { active: pending('active'), failing: pending('failing'), disabled: pending('disabled_by_tenant') + pending('disabled_after_failures') },
    oldestPendingSeconds: { active: age('active'), failing: age('failing') },
  };
}

export async function deploymentGauges(q: Queryable, now: Date): Promise<DeploymentGauges> {
  const [accounts, failing, channelHorizon, channels, outboundWebhooks] = [
    await accountsByStatus(q), await failingCalendarsByProvider(q), await channelHorizonByProvider(q, now), await channelsByState(q), await outboundWebhookHealth(q, now),
  ];
  return { accounts, failingCalendars: failing, channelHorizon, channels, outboundWebhooks };
}

/** Every remote object the ledger agrees on, for a dry run's full-listing diff (pull.ts uses sync_seen). */
export async function ledgerRemoteIds(q: Queryable, calendarId: string): Promise<string[]> {
  const rows = await q.query<{ remote_id: string }>('SELECT remote_id FROM sync_ledger WHERE calendar_id = $1 ORDER BY remote_id', [calendarId]);
  return rows.map((r) => r.remote_id);
}

export interface CalendarProgress {
  id: string;
  name: string;
  stage: string;
  events: number;
  writesLeft: number;
  lastSuccessAt: Date | null;
  lastError: string | null;
  tenantId: string;
  /** Set while the mass-change guard holds the calendar: no sync runs until it is unflagged. */
  flaggedReason: string | null;
}

/** What `resync --wait` shows per calendar while it waits: stage, items stored, writes left. */
export async function calendarProgress(q: Queryable, ids: string[]): Promise<CalendarProgress[]> {
  const rows = await q.query<{ id: string; name: string; sync_stage: string; events: number; writes_left: number; last_success_at: Date | null; last_error: string | null; tenant_id: string; flagged_reason: string | null }>(
    `SELECT c.id, c.name, c.sync_stage, c.last_success_at, c.last_error, c.tenant_id, c.flagged_reason,
            (SELECT count(*)::int FROM events e WHERE e.calendar_id = c.id) AS events,
            (SELECT count(*)::int FROM outbox o WHERE o.calendar_id = c.id) AS writes_left
       FROM calendars c WHERE c.id = ANY($1) ORDER BY c.name, c.id`,
    [ids],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, stage: r.sync_stage, events: r.events, writesLeft: r.writes_left, lastSuccessAt: r.last_success_at, lastError: r.last_error, tenantId: r.tenant_id, flaggedReason: r.flagged_reason }));
}

/** Which of these calendar and mirror rule ids still exist (any tenant; a calendar: and syncs): a job naming another is of something gone. */
export async function existingIds(q: Queryable, ids: { calendarIds: string[]; ruleIds: string[] }): Promise<{ calendarIds: Set<string>; ruleIds: Set<string> }> {
  // A calendar whose sync is switched off has no copy left for its jobs to work on: gone, for them.
  const cals = ids.calendarIds.length ? await q.query<{ id: string }>('SELECT id FROM calendars WHERE id = ANY($1) AND sync_enabled', [ids.calendarIds]) : [];
  const rules = ids.ruleIds.length ? await q.query<{ id: string }>('SELECT id FROM mirror_rules WHERE id = ANY($1)', [ids.ruleIds]) : [];
  return { calendarIds: new Set(cals.map((r) => r.id)), ruleIds: new Set(rules.map((r) => r.id)) };
}

/**
 * Live push channels (active, renew) expiring before `before`, counted, and how many of them before
 * `lapseBefore` (within the hour): `calhub status` lists only the soonest few of them.
 */
export async function channelsExpiringCount(q: Queryable, before: Date, lapseBefore: Date): Promise<{ n: number; lapsing: number }> {
  const [r] = await q.query<{ n: number; lapsing: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE expires_at <= $2)::int AS lapsing
       FROM push_channels WHERE status IN ('active', 'renew') AND expires_at <= $1`,
    [before, lapseBefore],
  );
  return { n: Number(r?.n ?? 0), lapsing: Number(r?.lapsing ?? 0) };
}

/**
 * Mirror rules with refused copies standing (copy_refusals, migration 0073), by tenant, most rules
 * first, the first `shown` tenants: rules, and copies refused (a copy counted once, whatever the
 * occurrences and codes refused).
 */
export async function refusedCopiesByTenant(q: Queryable, shown = 10): Promise<{ rules: number; copies: number; tenants: number; byTenant: Array<{ tenantId: string; rules: number; copies: number }> }> {
  const rows = await q.query<{ tenant_id: string; rules: number; copies: number; tenants: number; all_rules: number; all_copies: number }>(
    `SELECT tenant_id, count(DISTINCT rule_id)::int AS rules, count(DISTINCT calendar_id || ' ' || uid)::int AS copies,
            count(*) OVER ()::int AS tenants, (sum(count(DISTINCT rule_id)) OVER ())::int AS all_rules,
            (sum(count(DISTINCT calendar_id || ' ' || uid)) OVER ())::int AS all_copies
       FROM copy_refusals GROUP BY tenant_id ORDER BY rules DESC, tenant_id LIMIT $1`,
    [shown],
  );
  const first = rows[0];
  return {
    rules: Number(first?.all_rules ?? 0),
    copies: Number(first?.all_copies ?? 0),
    tenants: Number(first?.tenants ?? 0),
    byTenant: rows.map((r) => ({ tenantId: r.tenant_id, rules: Number(r.rules), copies: Number(r.copies) })),
  };
}
