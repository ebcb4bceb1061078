/**
 * The hub's Prometheus series. Labels stay bounded: provider (a handful), job kind, queue state,
 * and outcomes drawn from closed sets (`ok` or a stable error code, a verdict, a conflict
 * outcome). Never an account, calendar, event or tenant id: those belong in logs, not in series.
 *
 * Gauges about the whole deployment (accounts by status, failing calendars, channel expiry) are
 * read from the store when Prometheus scrapes; every process of a deployment reports the same
 * values, so dashboards and alerts take `max` over instances.
 */
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from 'prom-client';

/** What the store says about the deployment at scrape time (shared/store ops queries). */
export interface DeploymentGauges {
  accounts: Array<{ provider: string; status: string; n: number }>;
  failingCalendars: Array<{ provider: string; n: number }>;
  /** Seconds until the soonest active push channel lapses, per provider (negative: lapsed). */
  channelHorizon: Array<{ provider: string; seconds: number }>;
  channels: Array<{ provider: string; state: string; n: number }>;
  /** Outgoing (tenant) webhooks: endpoints by state, messages owed, the oldest owed to an active endpoint. */
  outboundWebhooks: OutboundWebhookHealth;
}

export interface OutboundWebhookHealth {
  /** state: active, failing (an owed message failed: backing off), disabled_by_tenant, disabled_after_failures. */
  endpoints: Array<{ state: string; n: number }>;
  /** Undelivered messages owed to active endpoints (should go now), failing ones (backing off) and disabled ones (parked). */
  pending: { active: number; failing: number; disabled: number };
  /** Age in seconds of the oldest message owed to an active endpoint, and to a failing one (0 when none). */
  oldestPendingSeconds: { active: number; failing: number };
}

/** The outcomes of an outgoing webhook attempt (calhub_outbound_webhook_attempts_total{outcome}). */
export const OUTBOUND_WEBHOOK_OUTCOMES = ['delivered', 'http_4xx', 'http_5xx', 'http_other', 'no_answer', 'secret_unreadable'] as const;
export type OutboundWebhookOutcome = (typeof OUTBOUND_WEBHOOK_OUTCOMES)[number];
export const ENDPOINT_STATES = ['active', 'failing', 'disabled_by_tenant', 'disabled_after_failures'] as const;

export interface QueueGauges {
  counts: Record<string, number>;
  /** Age in seconds of the oldest job per waiting-like state (0 when none). */
  oldestAge: Record<string, number>;
}

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300];

/** A metric family as another thread's registry reports it (plain data: it crosses postMessage). */
export type MetricFamily = MetricObjectWithValues<MetricValue<string>>;

/** How long a scrape waits for the store or Redis before it answers without their gauges. */
export const SOURCE_TIMEOUT_MS = 1500;

/**
 * A scrape-time read that never holds the scrape longer than `ms`. While Redis or the store was
 * down, /metrics hung for the whole outage (ioredis queues commands until it reconnects), so
 * Prometheus lost every counter too. A read still running when the next scrape comes is waited on
 * again, not started twice, so a hung source does not pile reads up. `last` says whether the
 * latest scrape got an answer (calhub_metrics_source_up).
 */
function boundedRead<T>(read: () => Promise<T> | null, ms: number) {
  let inflight: Promise<T | null> | null = null;
  let scrape: Promise<T | null> | null = null;
  const get = (): Promise<T | null> => {
    if (scrape) return scrape;
    if (!inflight) {
      const started = read();
      if (!started) return Promise.resolve(null);
      const mine: Promise<T | null> = started.catch(() => null);
      inflight = mine;
      void mine.finally(() => {
        if (inflight === mine) inflight = null;
      });
    }
    const mine = inflight;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ms);
    });
    scrape = Promise.race([mine, timeout]).then((v) => {
      clearTimeout(timer);
      get.last = v === null ? 0 : 1;
      return v;
    });
    // Shared by the gauges of one scrape only: the next scrape reads again.
    void scrape.finally(() => setTimeout(() => (scrape = null), 0));
    return scrape;
  };
  get.last = -1 as -1 | 0 | 1;
  return get;
}

/**
 * One registry per thread. The one that serves /metrics has Node's defaults too (`defaults`, the
 * process's CPU, memory and its own event loop); a thread of `calhub start` that does sync work
 * has only the hub's series, which `counted` hands to the serving thread at scrape time.
 */
export function createMetrics(opts: { defaults?: boolean; readTimeoutMs?: number } = {}) {
  const registry = new Registry();
  /** Other threads of this process: their counters and histograms join this registry's at scrape time. */
  const peers: Array<() => Promise<MetricFamily[]>> = [];
  /** Set by whoever owns the queue and the store: read when Prometheus scrapes. */
  const queueSource: { read: (() => Promise<QueueGauges>) | null } = { read: null };
  const storeSource: { read: (() => Promise<DeploymentGauges>) | null } = { read: null };
  /** Set by a hub that keeps free/busy's calendar memo (freebusy/calendar-memo.ts). */
  const memoSource: { read: (() => { reads: number; changes: number }) | null } = { read: null };
  /** Whether each dependency this process uses is reachable, from its outage tracker (shared/outage-log.ts). */
  const dependencies = new Map<string, () => boolean>();
  // One store read and one queue read per scrape, shared by the gauges below, each bounded.
  const deployment = boundedRead(() => storeSource.read?.() ?? null, opts.readTimeoutMs ?? SOURCE_TIMEOUT_MS);
  const queue = boundedRead(() => queueSource.read?.() ?? null, opts.readTimeoutMs ?? SOURCE_TIMEOUT_MS);
  if (opts.defaults ?? true) collectDefaultMetrics({ register: registry, prefix: 'calhub_' });
  const r = [registry];
  return {
    registry,
    peers,
    /**
     * The exposition of this registry with its peers' counters and histograms added in. Gauges
     * stay this thread's: the deployment and queue gauges are read from the store and Redis at
     * scrape time, the same in every thread, so adding them up would count them twice.
     */
    async text(): Promise<string> {
      if (peers.length === 0) return registry.metrics();
      const own = await registry.getMetricsAsJSON();
      const others = (await Promise.all(peers.map((p) => p().catch(() => [] as MetricFamily[])))).flat();
      const shared = new Set(others.map((m) => m.name));
      // A family only this thread has keeps its value as it is (Node's defaults say 'omit' or
      // 'average' for the cluster case, which would drop or skew them here); shared ones add up.
      const mine = own.map((m) => ({ ...m, aggregator: shared.has(m.name) ? 'sum' : 'first' }) as MetricFamily);
      return AggregatorRegistry.aggregate([mine, others.map((m) => ({ ...m, aggregator: 'sum' }) as MetricFamily)]).metrics();
    },
    /** This registry's counters and histograms as data, for the thread that serves /metrics. */
    async counted(): Promise<MetricFamily[]> {
      const out: MetricFamily[] = [];
      for (const m of registry.getMetricsAsArray() as unknown as Array<{ type: string; get(): Promise<MetricFamily> }>) {
        if (m.type === 'counter' || m.type === 'histogram') out.push(await m.get());
      }
      return out;
    },
    queueSource,
    storeSource,
    memoSource,
    dependencies,
    dependencyUp: new Gauge({
      name: 'calhub_dependency_up',
      help: "Whether this process reaches each dependency it uses (store, redis): 0 from the first connection failure it sees until a connection works again, the same moments as its `unreachable` / `reachable again` log lines",
      labelNames: ['dependency'],
      registers: r,
      collect() {
        this.reset();
        for (const [dependency, up] of dependencies) this.set({ dependency }, up() ? 1 : 0);
      },
    }),
    httpRequests: new Counter({ name: 'calhub_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: r }),
    httpDuration: new Histogram({ name: 'calhub_http_request_duration_seconds', help: 'HTTP request duration by route', labelNames: ['route'], buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1], registers: r }),
    syncRuns: new Counter({ name: 'calhub_sync_runs_total', help: 'Sync runs (pull, push, mirror) by provider and outcome (ok or a stable error code)', labelNames: ['provider', 'job', 'outcome'], registers: r }),
    syncDuration: new Histogram({ name: 'calhub_sync_run_duration_seconds', help: 'Sync run duration by provider and outcome', labelNames: ['provider', 'job', 'outcome'], buckets: DURATION_BUCKETS, registers: r }),
    propagationLag: new Histogram({ name: 'calhub_propagation_lag_seconds', help: 'Change propagation lag by provider and direction: inbound = provider change to stored in the hub; outbound = change committed in the hub to written at the provider', labelNames: ['provider', 'direction'], buckets: [0.1, 0.25, 0.5, 1, 2, 5, 30, 120, 600], registers: r }),
    conflicts: new Counter({ name: 'calhub_conflicts_total', help: 'Conflicts recorded (both sides changed) by outcome', labelNames: ['outcome'], registers: r }),
    echoesSuppressed: new Counter({ name: 'calhub_echoes_suppressed_total', help: 'Provider changes recognized as our own writes coming back', registers: r }),
    eventsApplied: new Counter({ name: 'calhub_events_applied_total', help: 'Remote changes applied to the store', labelNames: ['kind'], registers: r }),
    quarantined: new Counter({ name: 'calhub_items_quarantined_total', help: 'Remote items quarantined as unreadable', registers: r }),
    seriesTruncated: new Counter({ name: 'calhub_series_truncated_total', help: 'Series whose busy time was cut short by the expansion budget (work, wall clock or occurrence cap)', registers: r }),
    providerRequests: new Counter({ name: 'calhub_provider_requests_total', help: 'Provider requests by provider and status (ok or a stable error code)', labelNames: ['provider', 'status'], registers: r }),
    rateLimitWaits: new Counter({ name: 'calhub_rate_limit_waits_total', help: 'Waits for a request budget or a provider rate limit: slept inline, or the job delayed', labelNames: ['provider', 'kind'], registers: r }),
    rateLimitWaitSeconds: new Counter({ name: 'calhub_rate_limit_wait_seconds_total', help: 'Seconds spent waiting on request budgets and provider rate limits', labelNames: ['provider', 'kind'], registers: r }),
    webhookNotifications: new Counter({ name: 'calhub_webhook_notifications_total', help: 'Push notifications received, by provider and verdict', labelNames: ['provider', 'verdict'], registers: r }),
    tokenRefreshes: new Counter({ name: 'calhub_token_refreshes_total', help: 'OAuth access-token refreshes by provider and outcome', labelNames: ['provider', 'outcome'], registers: r }),
    silentChannels: new Counter({ name: 'calhub_channels_silent_total', help: 'Push channels found silent for longer than their calendar usually changes; the calendar was polled', labelNames: ['provider'], registers: r }),
    channelChecks: new Counter({ name: 'calhub_channels_checked_total', help: 'Silent push channels (quiet too long, or missed changes a pull found) checked at the provider by a supervisor pass: alive (still held, renewed) or recreated (gone there, or replaced as the check)', labelNames: ['provider', 'outcome'], registers: r }),
    calendarMemo: new Counter({
      name: 'calhub_calendar_memo_total',
      help: "Free/busy's calendar memo: calendar reads it made from the store (read) and store writes it was told of by this or another process (change)",
      labelNames: ['kind'],
      registers: r,
      collect() {
        const m = memoSource.read?.();
        if (!m) return;
        this.reset();
        this.inc({ kind: 'read' }, m.reads);
        this.inc({ kind: 'change' }, m.changes);
      },
    }),
    queueDepth: new Gauge({
      name: 'calhub_queue_depth',
      help: 'Sync jobs by state',
      labelNames: ['state'],
      registers: r,
      async collect() {
        const q = await queue();
        this.reset();
        if (q) for (const [state, n] of Object.entries(q.counts)) this.set({ state }, n);
      },
    }),
    queueAge: new Gauge({
      name: 'calhub_queue_oldest_job_age_seconds',
      help: 'Age of the oldest sync job waiting to run, by state',
      labelNames: ['state'],
      registers: r,
      async collect() {
        const q = await queue();
        this.reset();
        if (q) for (const [state, s] of Object.entries(q.oldestAge)) this.set({ state }, s);
      },
    }),
    accounts: new Gauge({
      name: 'calhub_accounts',
      help: 'Accounts by provider and status (active, needs_reauth, disabled, error)',
      labelNames: ['provider', 'status'],
      registers: r,
      async collect() {
        const d = await deployment();
        // Not read at this scrape: no value rather than a stale one (calhub_metrics_source_up says why).
        this.reset();
        if (!d) return;
        for (const p of ['google', 'microsoft', 'caldav']) this.set({ provider: p, status: 'needs_reauth' }, 0);
        for (const a of d.accounts) this.set({ provider: a.provider, status: a.status }, a.n);
      },
    }),
    failingCalendars: new Gauge({
      name: 'calhub_calendars_failing',
      help: 'Calendars whose last sync failed or that the mass-change guard flagged, by provider',
      labelNames: ['provider'],
      registers: r,
      async collect() {
        const d = await deployment();
        // Not read at this scrape: no value rather than a stale one (calhub_metrics_source_up says why).
        this.reset();
        if (!d) return;
        for (const p of ['google', 'microsoft', 'caldav']) this.set({ provider: p }, 0);
        for (const c of d.failingCalendars) this.set({ provider: c.provider }, c.n);
      },
    }),
    channelHorizon: new Gauge({
      name: 'calhub_channel_expiry_horizon_seconds',
      help: 'Seconds until the soonest active push channel expires, by provider',
      labelNames: ['provider'],
      registers: r,
      async collect() {
        const d = await deployment();
        // Not read at this scrape: no value rather than a stale one (calhub_metrics_source_up says why).
        this.reset();
        if (!d) return;
        for (const c of d.channelHorizon) this.set({ provider: c.provider }, c.seconds);
      },
    }),
    outboundWebhookAttempts: new Counter({
      name: 'calhub_outbound_webhook_attempts_total',
      help: 'Attempts to deliver an outgoing (tenant) webhook, by outcome: delivered (2xx), http_4xx, http_5xx, http_other, no_answer (timeout, refused, DNS), secret_unreadable',
      labelNames: ['outcome'],
      registers: r,
    }),
    outboundWebhookEndpoints: new Gauge({
      name: 'calhub_outbound_webhook_endpoints',
      help: 'Outgoing webhook endpoints by state: active, failing (its oldest owed message is backing off), disabled_by_tenant, disabled_after_failures (the retry window ran out, or the receiver answered 410 Gone)',
      labelNames: ['state'],
      registers: r,
      async collect() {
        const d = await deployment();
        // Not read at this scrape: no value rather than a stale one (calhub_metrics_source_up says why).
        this.reset();
        if (!d) return;
        for (const state of ENDPOINT_STATES) this.set({ state }, 0);
        for (const e of d.outboundWebhooks.endpoints) this.set({ state: e.state }, e.n);
      },
    }),
    outboundWebhookPending: new Gauge({
      name: 'calhub_outbound_webhook_pending_messages',
      help: 'Outgoing webhook messages not yet delivered, by the state of their endpoint: active (should go now), failing (backing off), disabled (parked until enabled or replayed)',
      labelNames: ['state'],
      registers: r,
      async collect() {
        const d = await deployment();
        // Not read at this scrape: no value rather than a stale one (calhub_metrics_source_up says why).
        this.reset();
        if (!d) return;
        for (const [state, n] of Object.entries(d.outboundWebhooks.pending)) this.set({ state }, n);
      },
    }),
    outboundWebhookOldest: new Gauge({
      name: 'calhub_outbound_webhook_oldest_pending_age_seconds',
      help: 'Age of the oldest outgoing webhook message not yet delivered, by the state of its endpoint: active (old means calhub is not sending: no worker, or workers behind) or failing (its receiver keeps failing); 0 when none',
      labelNames: ['state'],
      registers: r,
      async collect() {
        const d = await deployment();
        // Not read at this scrape: no value rather than a stale one (calhub_metrics_source_up says why).
        this.reset();
        if (!d) return;
        for (const [state, s] of Object.entries(d.outboundWebhooks.oldestPendingSeconds)) this.set({ state }, s);
      },
    }),
    sourceUp: new Gauge({
      name: 'calhub_metrics_source_up',
      help: 'Whether this scrape could read the deployment-wide gauges from their source within 1.5 s: store (accounts, calendars, channels, outgoing webhooks) and queue (Redis: queue depth and age); 0 means those gauges are left out of this scrape',
      labelNames: ['source'],
      registers: r,
      async collect() {
        await Promise.all([deployment(), queue()]);
        this.reset();
        if (deployment.last >= 0) this.set({ source: 'store' }, deployment.last);
        if (queue.last >= 0) this.set({ source: 'queue' }, queue.last);
      },
    }),
    channels: new Gauge({
      name: 'calhub_push_channels',
      help: 'Push channels by provider and state (new, active, renew, removed, polling, silent)',
      labelNames: ['provider', 'state'],
      registers: r,
      async collect() {
        const d = await deployment();
        // Not read at this scrape: no value rather than a stale one (calhub_metrics_source_up says why).
        this.reset();
        if (!d) return;
        for (const c of d.channels) this.set({ provider: c.provider, state: c.state }, c.n);
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
