/**
 * `calhub status`: one screen of the deployment — store and Redis, workers seen, queue depths,
 * accounts by status, calendars failing, channels expiring soon, the oldest unsynced calendar,
 * outgoing (tenant) webhooks: endpoints by state and the messages they are owed.
 * Reads only. Each part answers within a few seconds or says it could not be reached: a status
 * command that hangs on a dead Redis is no help in an outage.
 */
import { tenantLabel } from '../shared/tenant-label.ts';
import { scrubSecrets } from '../shared/logger.ts';
import type { OutboundWebhookHealth } from '../shared/metrics.ts';
import type { AccountStatus } from '../shared/model/index.ts';
import { listChannelViews, opsQueries, type AccessLevel, type FailingCalendar } from '../shared/store/index.ts';
import { PAUSED_CODES, ruleStateFrom, type DelayedJobsSummary, type FailedJobsSummary, type PausedCode, type RuleSide } from '../sync-engine/index.ts';
import { channelRow, pushFellBack, type ChannelRow } from './channels/list-channels.ts';
import { grantClients, type ClientUnknown } from './oauth-clients.ts';
import type { Hub } from './open-hub.ts';

const PROBE_MS = 3000;
const NO_WEBHOOKS: OutboundWebhookHealth = { endpoints: [], pending: { active: 0, failing: 0, disabled: 0 }, oldestPendingSeconds: { active: 0, failing: 0 } };
/** A message owed this long to an endpoint that is not failing means calhub is not sending (as the CalhubOutboundWebhooksStuck alert). */
const WEBHOOK_STUCK_SECONDS = 600;

/** The database the hub uses: `pglite` for the embedded one, which a command reaches over its socket like a server. */
const storeKind = (hub: Hub): string => (hub.store.db.embedded ? 'pglite' : hub.store.driver);

/** A failing calendar as the report carries it: plain JSON, so that a command shows the same whether it read the store itself or a running hub answered (cli/operations.ts). */
export type FailingCalendarView = Omit<FailingCalendar, 'lastSuccessAt'> & { lastSuccessAt: string | null };

export interface StatusReport {
  at: string;
  store: { driver: string; ok: boolean; error: string | null };
  redis: { ok: boolean; error: string | null };
  workers: Array<{ name: string; addr: string | null; idleSeconds: number | null }> | null;
  queue: { counts: Record<string, number>; oldestWaitingSeconds: number } | null;
  accounts: Array<{ provider: string; status: string; n: number }>;
  failingCalendars: { total: number; shown: FailingCalendarView[] };
  /**
   * The soonest live push channels expiring within the horizon (24 h, or --expiring-within), at
   * most `channelsExpiringShown` of them unless all were asked for (`calhub status --all`); before,
   * every one (with 10,000 Google accounts on 7-day channels, ~1,400 rows a day).
   */
  channelsExpiringSoon: ChannelRow[];
  /** How many live channels expire within the horizon, all of them (channelsExpiringSoon may show fewer). */
  channelsExpiringTotal: number;
  /** How many of them lapse within the hour. */
  channelsLapsingWithinHour: number;
  /** The most channelsExpiringSoon lists; null: all of them (`--all`). */
  channelsExpiringShown: number | null;
  /**
   * Sync jobs waiting in the delayed state — put back to wait (rate limit, run budget, slot) or
   * failed and retrying — counted, with the most common reason and soonest next try of the
   * soonest read (sync-engine/job-delay.ts); `calhub queue list --state delayed` lists them. Null without Redis.
   */
  delayedJobs: DelayedJobsSummary | null;
  /**
   * The failed jobs (the 1,000 most recent read): `selfRetried`, pulls, pushes and resyncs that used
   * up their attempts on a retryable error, which the calendar's next poll takes up again (its
   * success removes them); `needsOperator`, the rest (sync-engine/failed-jobs.ts). Null without
   * Redis; absent from a running hub of an older version.
   */
  failedJobs?: FailedJobsSummary | null;
  /** SYNC_POLL_INTERVAL_MS in seconds: within it, the next poll takes up `failedJobs.selfRetried` (absent from an older hub). */
  pollIntervalSeconds?: number;
  /** Mirror rules with refused copies standing (GET /v1/rules `refusals`), by tenant, the first 10 tenants; `calhub rules list --tenant <id>` shows them. */
  refusedCopies: { rules: number; copies: number; tenants: number; byTenant: Array<{ tenantId: string; rules: number; copies: number }> };
  /**
   * Calendars polled because their channel could not be created (retried with a backoff; `calhub
   * channels renew` tries now): the first `PUSH_FELL_BACK_SHOWN` (10) by calendar list order, or every
   * one with `--all`; before, every one (1,053 rows in a provider's outage).
   * `calhub channels list --state fell-back` lists them all.
   */
  pushFellBack: ChannelRow[];
  /** How many calendars fell back to polling, all of them (pushFellBack may show fewer; absent from a running hub of an older version). */
  pushFellBackTotal?: number;
  oldestUnsynced: { id: string; tenantId: string; name: string; provider: string; lastSuccessAt: string | null } | null;
  /** Outgoing (tenant) webhooks, as /metrics reports them (calhub_outbound_webhook_*). */
  outboundWebhooks: OutboundWebhookHealth;
  /** Paused mirror rules by tenant, `n` in all and by pausedCode (as GET /v1/rules shows them; calhub rules list says why). */
  pausedRules: Array<{ tenantId: string; n: number; byCode: Partial<Record<PausedCode, number>> }>;
  /** The names of the tenants this report names, by id (absent from a running hub of an older version). */
  tenantNames?: Record<string, string>;
  /**
   * Accounts (not needs_reauth) whose grant was issued by an OAuth client the hub no longer has —
   * GOOGLE_/MICROSOFT_CLIENT_ID changed without the old one in *_RETIRED_CLIENTS — by client: their
   * tokens cannot be refreshed (AUTH_CLIENT_REJECTED). A few account ids each; `accounts list` has all.
   */
  clientsMissing: Array<{ provider: string; app: 'default' | 'tenant'; clientId: string; n: number; accountIds: string[] }>;
  /**
   * Grants with no recorded client (stored before client ids were, not refreshed since), by provider
   * and app: they are taken to be from the current client, and fail at their next refresh if that
   * changed since they were issued. Not a problem by itself; each is recorded at its next refresh.
   */
  clientUnknown: ClientUnknown[];
  /** Active accounts whose calendars were never listed (a connect cut short after storing the account): the sweep lists them. */
  calendarsUnlisted: { n: number; accountIds: string[] };
  /** One line per thing that needs an operator, most urgent first; empty when all is well. */
  attention: string[];
}

async function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${PROBE_MS / 1000} s`)), PROBE_MS)));
  // A probe that fails after the timeout won must not surface as an unhandled rejection.
  p.catch(() => undefined);
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const message = (e: unknown) => scrubSecrets(e instanceof Error ? e.message : String(e));

/** How many channels expiring soon status lists unless all are asked for. */
export const CHANNELS_SHOWN = 10;
/** How many calendars fallen back to polling status lists unless all are asked for. */
export const PUSH_FELL_BACK_SHOWN = 10;
/** How many tenants with paused mirror rules the attention list names, one line each. */
const PAUSED_TENANTS_SHOWN = 10;
const DELAYED_SAMPLE = 100;
const FAILED_SAMPLE = 1000;
const NO_REFUSALS: StatusReport['refusedCopies'] = { rules: 0, copies: 0, tenants: 0, byTenant: [] };

export async function deploymentStatus(
  hub: Hub,
  opts: { expiringWithinMs?: number; redisError?: string | null; failingShown?: number; allChannels?: boolean; delayedSample?: number } = {},
): Promise<StatusReport> {
  const now = new Date();
  const store = await within(hub.store.ping(), 'the store').then(
    () => ({ driver: storeKind(hub), ok: true, error: null }),
    (e: unknown) => ({ driver: storeKind(hub), ok: false, error: message(e) }),
  );
  let redis: StatusReport['redis'] = { ok: false, error: opts.redisError ?? 'no queue: REDIS_URL is unset and no `calhub start` runs in this data dir' };
  let workers: StatusReport['workers'] = null;
  let queue: StatusReport['queue'] = null;
  let delayedJobs: StatusReport['delayedJobs'] = null;
  let failedJobs: StatusReport['failedJobs'] = null;
  if (hub.engine) {
    const engine = hub.engine;
    try {
      const seen = await within(engine.workersSeen(), 'Redis');
      workers = seen.map((w) => ({ name: String(w.name ?? ''), addr: w.addr ? String(w.addr) : null, idleSeconds: w.idle === undefined ? null : Number(w.idle) }));
      const g = await within(engine.queueGauges(), 'Redis');
      queue = { counts: g.counts, oldestWaitingSeconds: Math.round(g.oldestAge.waiting ?? 0) };
      delayedJobs = await within(engine.delayedSummary(opts.delayedSample ?? DELAYED_SAMPLE, g.counts.delayed), 'Redis');
      failedJobs = await within(engine.failedSummary(FAILED_SAMPLE, g.counts.failed), 'Redis');
      redis = { ok: true, error: null };
    } catch (e) {
      redis = { ok: false, error: message(e) };
    }
  }
  if (!store.ok) return { at: now.toISOString(), store, redis, workers, queue, accounts: [], failingCalendars: { total: 0, shown: [] }, channelsExpiringSoon: [], channelsExpiringTotal: 0, channelsLapsingWithinHour: 0, channelsExpiringShown: opts.allChannels ? null : CHANNELS_SHOWN, delayedJobs, refusedCopies: NO_REFUSALS, pushFellBack: [], pushFellBackTotal: 0, oldestUnsynced: null, outboundWebhooks: NO_WEBHOOKS, pausedRules: [], clientsMissing: [], clientUnknown: [], calendarsUnlisted: { n: 0, accountIds: [] }, attention: [`the store is unreachable: ${store.error}`] };

  const db = hub.store.db;
  const accounts = await opsQueries.accountsByStatus(db);
  const failingTotal = (await opsQueries.failingCalendarsByProvider(db)).reduce((n, r) => n + r.n, 0);
  const shown = (await opsQueries.failingCalendars(db, opts.failingShown ?? 10)).map((c) => ({ ...c, lastError: c.lastError && scrubSecrets(c.lastError), lastSuccessAt: c.lastSuccessAt?.toISOString() ?? null }));
  const horizon = now.getTime() + (opts.expiringWithinMs ?? 24 * 3_600_000);
  const shownChannels = opts.allChannels ? null : CHANNELS_SHOWN;
  const views = await listChannelViews(db, null, { expiringBefore: new Date(horizon), ...(shownChannels === null ? {} : { expiringShown: shownChannels }) });
  const expiring = await opsQueries.channelsExpiringCount(db, new Date(horizon), new Date(Math.min(horizon, now.getTime() + 3_600_000)));
  const refusedCopies = await opsQueries.refusedCopiesByTenant(db);
  const channels = views.map((v) => channelRow(v, now));
  const channelsExpiringSoon = channels.filter((c) => c.expiresAt !== null && Date.parse(c.expiresAt) <= horizon && (c.state === 'active' || c.state === 'renew' || c.state === 'silent'));
  const oldest = await opsQueries.oldestUnsyncedCalendar(db);
  const outboundWebhooks = await opsQueries.outboundWebhookHealth(db, now);
  const pausedRules = pausedRulesOf(await opsQueries.ruleFactsByTenant(db));
  const calendarsUnlisted = await opsQueries.accountsUnlisted(db);
  const { clientsMissing, clientUnknown } = await grantClients(hub);
  // An account that needs reauth or is disabled polls for that reason alone; its own line says so.
  // (The channel query carries the account's status: no list of inactive accounts, which grows with them.)
  const fellBack = channels.filter((c, i) => pushFellBack(c) && (views[i]!.accountStatus ?? 'active') === 'active');
  const report: StatusReport = {
    at: now.toISOString(),
    store,
    redis,
    workers,
    queue,
    accounts,
    failingCalendars: { total: failingTotal, shown },
    channelsExpiringSoon,
    channelsExpiringTotal: expiring.n,
    channelsLapsingWithinHour: expiring.lapsing,
    channelsExpiringShown: shownChannels,
    delayedJobs,
    failedJobs,
    pollIntervalSeconds: Math.round(hub.config.syncPollIntervalMs / 1000),
    refusedCopies,
    pushFellBack: opts.allChannels ? fellBack : fellBack.slice(0, PUSH_FELL_BACK_SHOWN),
    pushFellBackTotal: fellBack.length,
    oldestUnsynced: oldest && { ...oldest, lastSuccessAt: oldest.lastSuccessAt?.toISOString() ?? null },
    outboundWebhooks,
    pausedRules,
    clientsMissing,
    clientUnknown,
    calendarsUnlisted,
    attention: [],
  };
  report.tenantNames = await tenantNamesOf(hub, report);
  report.attention = attentionOf(report);
  return report;
}

/** The names of the tenants a report names: one query, whatever the number of rows. */
async function tenantNamesOf(hub: Hub, r: StatusReport): Promise<Record<string, string>> {
  return hub.store.tenants.namesOf([...r.failingCalendars.shown, ...r.refusedCopies.byTenant, ...r.pausedRules, ...r.pushFellBack, ...(r.oldestUnsynced ? [r.oldestUnsynced] : [])].map((x) => x.tenantId));
}

const PAUSE_CAUSE: Record<PausedCode, string> = {
  USER_PAUSED: 'paused by a user',
  ACCOUNT_DISABLED: 'with an account disabled',
  CALENDAR_MISSING: 'with a calendar no longer listed by its provider',
  CALENDAR_NOT_WRITABLE: 'writing a calendar that cannot be written (read-only, or its account connected again without write access)',
};

/** Each kind of rule's state by the engine's own derivation (sync-engine/rule-state.ts), counted by tenant and code. */
function pausedRulesOf(facts: Awaited<ReturnType<typeof opsQueries.ruleFactsByTenant>>): StatusReport['pausedRules'] {
  const out: StatusReport['pausedRules'] = [];
  const side = (f: (typeof facts)[number]['source'], calendarId: string): RuleSide =>
    f && { calendarId, accessRole: f.accessRole, missingSince: f.missing ? 'then' : null, account: f.accountStatus ? { id: '-', status: f.accountStatus as AccountStatus, access: f.accountAccess as AccessLevel | null } : null };
  for (const f of facts) {
    const { pausedCode } = ruleStateFrom({ id: '-', pausedAt: f.userPaused ? 'then' : null, deletingSince: null, twoWay: f.twoWay }, side(f.source, 'source'), side(f.target, 'target'));
    if (!pausedCode) continue;
    let t = out.find((p) => p.tenantId === f.tenantId);
    if (!t) out.push((t = { tenantId: f.tenantId, n: 0, byCode: {} }));
    t.n += f.n;
    t.byCode[pausedCode] = (t.byCode[pausedCode] ?? 0) + f.n;
  }
  return out;
}

/** Failed jobs: those calhub takes up again by itself said apart from those an operator must look at. */
export function failedAttention(n: number, f: FailedJobsSummary | null, pollSeconds: number | undefined): string {
  if (!f || f.sampled === 0) return `${n} failed sync job(s): calhub queue list`;
  const of = f.sampled < f.total ? ` (of the ${f.sampled} most recent)` : '';
  const within = pollSeconds ? `within ${Math.max(1, Math.round(pollSeconds / 60))} min (SYNC_POLL_INTERVAL_MS)` : 'at its next poll';
  const self = f.selfRetried ? `${f.selfRetried} used up their retries on a passing error: calhub takes them up again by itself — each calendar's next poll, ${within}, pulls again and pushes its waiting writes, and its success removes them; nothing to do` : '';
  const op = f.needsOperator ? `${f.needsOperator} need an operator${f.mostCommonReason ? ` (most common: ${f.mostCommonReason.reason}, ${f.mostCommonReason.n})` : ''}: calhub queue list says why; calhub queue retry <jobId> once the cause is fixed` : '';
  return `${n} failed sync job(s)${of}: ${[self, op].filter(Boolean).join('; ')}`;
}

function attentionOf(r: StatusReport): string[] {
  const out: string[] = [];
  if (!r.redis.ok) out.push(`Redis: ${r.redis.error}`);
  else if (r.workers && r.workers.length === 0) out.push('no worker is running: jobs wait until one starts (calhub worker or calhub start)');
  if (r.queue && r.queue.oldestWaitingSeconds > 600) out.push(`the oldest waiting sync job is ${Math.round(r.queue.oldestWaitingSeconds / 60)} min old: workers are not keeping up`);
  const d = r.delayedJobs;
  if (d && d.retrying > 0) {
    const of = d.sampled < d.total ? ` of the ${d.sampled} soonest of ${d.total} delayed` : '';
    // The failure, not what the jobs wait on meanwhile (a slot, a share): that names nothing to mend.
    const why = d.mostCommonFailure ?? d.mostCommonReason;
    out.push(`${d.retrying} sync job(s)${of} failed and retrying (most common failure: ${why?.reason ?? '-'}): ${d.listCommand}`);
  }
  if (r.queue && (r.queue.counts.failed ?? 0) > 0) out.push(failedAttention(r.queue.counts.failed!, r.failedJobs ?? null, r.pollIntervalSeconds));
  if (r.failingCalendars.total > 0) out.push(`${r.failingCalendars.total} calendar(s) failing: see below, and calhub accounts list`);
  for (const c of r.clientsMissing) {
    const v = c.provider === 'google' ? 'GOOGLE' : 'MICROSOFT';
    const ids = `${c.accountIds.join(', ')}${c.n > c.accountIds.length ? ', …' : ''}`;
    out.push(
      c.app === 'default'
        ? `${c.n} ${c.provider} account(s) were connected through OAuth client ${c.clientId}, which is no longer configured (${v}_CLIENT_ID changed): their tokens cannot be refreshed until it is listed in ${v}_RETIRED_CLIENTS (client-id:client-secret), or their users reconnect (${ids}; calhub accounts list)`
        : `${c.n} ${c.provider} account(s) were connected through client ${c.clientId} of their tenant's own OAuth app, which is no longer kept: their users must reconnect (${ids})`,
    );
  }
  const reauth = r.accounts.filter((a) => a.status === 'needs_reauth').reduce((n, a) => n + a.n, 0);
  if (reauth > 0) out.push(`${reauth} account(s) need to be reconnected by their user`);
  const u = r.calendarsUnlisted;
  if (u.n > 0) out.push(`${u.n} account(s) connected but their calendars not listed yet (${u.accountIds.join(', ')}${u.n > u.accountIds.length ? ', …' : ''}): calhub lists them within a minute or two; calhub resync <accountId> does it now`);
  const lapsing = r.channelsLapsingWithinHour;
  const w = r.outboundWebhooks;
  if (w.oldestPendingSeconds.active > WEBHOOK_STUCK_SECONDS) {
    out.push(`outgoing webhooks are not being sent: the oldest owed to a healthy endpoint is ${Math.round(w.oldestPendingSeconds.active / 60)} min old (${w.pending.active} message(s)); is a worker running?`);
  }
  const failing = w.endpoints.find((e) => e.state === 'failing')?.n ?? 0;
  if (failing > 0) out.push(`${failing} webhook endpoint(s) failing, backing off (${w.pending.failing} message(s) held, the oldest ${Math.round(w.oldestPendingSeconds.failing / 60)} min old): their receivers answer errors or nothing; calhub webhooks deliveries shows why`);
  const gaveUp = w.endpoints.find((e) => e.state === 'disabled_after_failures')?.n ?? 0;
  if (gaveUp > 0) out.push(`${gaveUp} webhook endpoint(s) disabled after failing (the retry window ran out, or the receiver answered 410 Gone: calhub webhooks list says which) (${w.pending.disabled} message(s) parked on disabled endpoints): their tenants re-enable or replay them`);
  // One line per tenant, the first PAUSED_TENANTS_SHOWN: a screen, whatever the number of tenants.
  const pausedTenants = r.pausedRules.filter((p) => PAUSED_CODES.some((c) => c !== 'USER_PAUSED' && p.byCode[c]));
  for (const p of pausedTenants.slice(0, PAUSED_TENANTS_SHOWN)) {
    // A user's pause is what was asked for: the others make no copies without anyone asking.
    const codes = PAUSED_CODES.filter((c) => c !== 'USER_PAUSED' && p.byCode[c]);
    const n = codes.reduce((sum, c) => sum + p.byCode[c]!, 0);
    out.push(`${n} mirror rule(s) of tenant ${tenantLabel(r.tenantNames, p.tenantId)} paused: ${codes.map((c) => `${p.byCode[c]} ${PAUSE_CAUSE[c]} (${c})`).join(', ')}; calhub rules list --tenant ${p.tenantId} says why`);
  }
  if (pausedTenants.length > PAUSED_TENANTS_SHOWN) out.push(`and ${pausedTenants.length - PAUSED_TENANTS_SHOWN} more tenant(s) with mirror rules paused: calhub status --json lists them (pausedRules), calhub rules list --tenant <id> says why`);
  const fellBack = r.pushFellBackTotal ?? r.pushFellBack.length;
  if (fellBack > 0) {
    out.push(`${fellBack} calendar(s) fell back to polling because their push channel could not be created (retried with a backoff; changes wait for the next poll): calhub channels list --state fell-back shows why, calhub channels renew <calendarId> tries again now`);
  }
  if (lapsing > 0) out.push(`${lapsing} push channel(s) lapse within the hour: calhub channels renew --expiring-within 1h`);
  return out;
}
