/**
 * The composition root: configuration, logger, store, key ring, the connector factory, the sync
 * engine and its queue, and the channel supervisor, wired once. Every command and the server
 * open a hub and call the use cases (hub/index.ts) with it; nothing else builds these parts.
 */
import { BroadcastChannel, isMainThread } from 'node:worker_threads';
import { BusyCache, CalendarMemo, type CalendarMemoOptions } from '../freebusy/index.ts';
import { ChangeFeed } from './change-feed.ts';
import { isOAuthProvider, KeyRing, keyFileOf, type TokenManager } from '../oauth/index.ts';
import { loadConfig, type Config } from '../shared/config/index.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { startManagedRedis, type ManagedRedis } from '../shared/managed-redis.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { ProviderId } from '../shared/model/index.ts';
import type { RedisConnection } from '../shared/redis-keys.ts';
import { opsQueries, Store, type StoreChange, type StoreOptions } from '../shared/store/index.ts';
import { Queue } from 'bullmq';
import { Maintenance, MAINTENANCE_QUEUE, SyncEngine, type EngineDeps, type EngineOptions, type MaintenanceStep } from '../sync-engine/index.ts';
import { ChannelSupervisor } from './channels/supervisor.ts';
import { WebhookDispatcher } from './webhooks-out/dispatcher.ts';
import type { WebhookDeps } from './webhooks-out/endpoints.ts';
import { connectStoredGrant, makeConnect, newConnector, newTokenManager, type ConnectorFactory } from './connect.ts';
import { revokeGrant } from './accounts/revoke-grant.ts';
import { connectRedis, redisAnswers, redisUrlFor, type RedisTarget } from './redis.ts';
import { redisHeartbeat, type HeartbeatOptions } from './redis-heartbeat.ts';
import { outageLog, redisOutage, StartingError, storeOutage } from '../shared/outage-log.ts';

/**
 * Where sync work goes.
 * - `none`: no queue; a change waits in the outbox (API tests, benchmarks).
 * - `if-worker`: the queue when a worker listens on it, else the work runs in this process (CLI).
 * - `required`: the queue (serve, worker, queue commands): REDIS_URL or a running `calhub start`.
 * - `managed`: the queue, on a redis-server this process starts when REDIS_URL is unset (start).
 */
export type QueueMode = 'none' | 'if-worker' | 'required' | 'managed';

export interface HubOptions {
  /** Default: loadConfig() from the environment. */
  config?: Config;
  /** The PING that tells a hung Redis (hub/redis-heartbeat.ts); tests. Default: REDIS_HEARTBEAT_* (config). */
  redisHeartbeat?: HeartbeatOptions;
  /** An open, migrated store (tests); otherwise opened from the configuration and closed by close(). */
  store?: Store;
  /** Settings of the store opened from the configuration that it does not carry (benchmarks: a schema, a fixed clock, the old busy layout migrated up to its last migration). */
  storeOptions?: Pick<StoreOptions, 'schema' | 'now' | 'busyLayout'> & { migrateUpTo?: number };
  logger?: Logger;
  /** A command's stdout is its result (often --json for a script): its log lines go to stderr. */
  quiet?: boolean;
  /** Serve the embedded store to other processes of the same data dir (start, serve, worker). */
  shareEmbedded?: boolean;
  /** Another thread of this process serves the embedded store (`calhub start`'s store thread): only connect to it. */
  embeddedClient?: boolean;
  metrics?: Metrics;
  queue?: QueueMode;
  /** Replaces the registry-backed connector factory (tests that bring their own connector). */
  connect?: ConnectorFactory;
  keyring?: KeyRing;
  /** The queue's Redis connection (tests); otherwise from `queue`. */
  redis?: RedisConnection;
  /** One-shot commands: the queue's Redis must answer within this many ms, or openHub throws QueueUnreachableError. */
  redisAnswerWithinMs?: number;
  /** Queue key prefix (default REDIS_PREFIX) and attempts (tests sharing one Redis). */
  engine?: Partial<Omit<EngineOptions, 'connection' | 'deps'>>;
  /** Mass-change guard overrides (scenario tests rewrite most of a small calendar on purpose). */
  guard?: EngineDeps['guard'];
  /** Busy spans the free/busy cache keeps in memory, per process (default 2,000,000). */
  busyCacheSpans?: number;
  /**
   * `calhub start`: its threads' hubs report their store writes to each other over a
   * BroadcastChannel of this name (the store is opened here, not passed in). With `memo`, this hub
   * (the API thread's, or `calhub serve`'s) keeps free/busy's calendar facts in memory and drops
   * what a write reported here, there or (on PostgreSQL) by another process may have changed;
   * without, it only reports (the sync thread's). A memo needs a channel or PostgreSQL: it is not
   * kept where other processes' writes cannot be heard of (`calhub serve` on a data dir).
   */
  changes?: { channel?: string; memo?: CalendarMemoOptions };
  /**
   * Without a memo: hear other processes' writes on PostgreSQL in `changes`, so a wait wakes on
   * them instead of its poll (`resync --wait` in a process of its own, beside `calhub worker`).
   */
  hearChanges?: boolean;
  /** Outbound webhook overrides (tests: private receivers, a resolver, a clock). */
  webhooks?: Partial<Pick<WebhookDeps, 'allowPrivateNetworks' | 'resolver' | 'now'>>;
  /** Channel supervisor clock and lifetimes (tests). */
  channels?: { now?: () => Date; ttlSeconds?: Partial<Record<string, number>> };
}

export interface Hub {
  readonly config: Config;
  readonly log: Logger;
  readonly store: Store;
  readonly metrics?: Metrics;
  /** The migrations this hub's opening applied (none when the schema was current, or the store was passed in). */
  readonly migrated: string[];
  /** How long each of `migrated` took, and the whole migration (lock waits included), in ms. */
  readonly migration: { each: Array<{ name: string; ms: number }>; tookMs: number };
  /** Encrypts credentials at rest; created (or read from the data dir) on first use. */
  readonly keyring: KeyRing;
  /** OAuth access tokens: refreshed ahead of expiry, one refresh per account across processes. One per hub. */
  readonly tokens: TokenManager;
  readonly connect: ConnectorFactory;
  /** The engine's dependencies: through the queue when there is one (pushes and mirrors are enqueued). */
  readonly deps: EngineDeps;
  /** The queue, when work goes through one (see QueueMode); null: it happens in this process. */
  readonly engine: SyncEngine | null;
  /** After a change with no queue, sync the touched calendars here and now (the CLI without a worker). */
  readonly syncHere: boolean;
  readonly supervisor: ChannelSupervisor;
  /** Each calendar's busy spans in memory, keyed by busy_version (free/busy and availability). */
  readonly busy: BusyCache;
  /** Calendar lookups and problems in memory, kept current by reported writes (`changes.memo`); null: read per request. */
  readonly calendarMemo: CalendarMemo | null;
  /** The store writes reported to this process (with `calendarMemo`, or `hearChanges` on PostgreSQL); null: a wait polls. */
  readonly changes: ChangeFeed | null;
  /** The outbound webhook endpoints' dependencies; with a queue, a change is delivered at once. */
  readonly webhooks: WebhookDeps;
  /** Schedules a pull of one calendar (through the queue; without one it is a no-op). */
  requestPull(tenantId: string, calendarId: string): Promise<unknown>;
  /** Runs the queue and maintenance workers in this process (start, worker); `steps` join the maintenance tick. */
  startWorkers(steps?: MaintenanceStep[]): Promise<void>;
  /** The sync and maintenance queues (the admin dashboard); empty without a queue. */
  queues(): Queue[];
  /** The queue's Redis (one or a cluster) and the prefix of every key in it; null without a queue. API processes share rate limits through it. */
  readonly redis: { connection: RedisConnection; prefix: string } | null;
  /** Store and Redis answer (readiness probes); `optional`: the API serves without it (api/health.ts). */
  probes: Array<{ name: string; optional?: boolean; check(): Promise<void> }>;
  close(): Promise<void>;
}

/**
 * A ping waits (ioredis queues commands until it reconnects), so a connection that is not up
 * fails at once, saying why: `connection refused`, not `did not answer within 2000 ms`. Except
 * while it is not yet known why: right after start the client is still connecting and Redis was
 * read as unavailable (a process reported `degraded` for its first moments); and right after a
 * connection drops, until its first reconnect fails (ioredis retries after 50 ms), a probe logged
 * `readiness probe failed` beside the outage's own line. The probe waits up to
 * FIRST_CONNECT_WAIT_MS for the connection to be ready or fail; a first connect still under way
 * then says `starting` (StartingError) until it has connected once or failed (a refused or
 * timed-out connect is an outage, reported as such).
 */
async function redisProbe(r: RedisConnection, connectedOnce: () => boolean): Promise<void> {
  if (r.status !== 'ready' && !redisOutage.down) {
    await new Promise<void>((resolve) => {
      const done = () => (clearTimeout(timer), r.off('ready', done), r.off('error', done), resolve());
      const timer = setTimeout(done, FIRST_CONNECT_WAIT_MS);
      r.once('ready', done);
      // After the outage tracker's own listener (openHub): once this runs, a connection error is an outage.
      r.once('error', done);
    });
    // Read again after the wait (a narrowed `r.status` would not be).
    if ((r.status as string) !== 'ready' && !redisOutage.down && !connectedOnce()) throw new StartingError('connecting to Redis for the first time');
  }
  if (r.status !== 'ready') throw new Error(redisOutage.down ? `not connected: ${redisOutage.lastError ?? r.status}` : `not connected (${r.status})`);
  await r.ping();
}

/** Within the readiness probe's 2 s bound (api/health.ts). */
const FIRST_CONNECT_WAIT_MS = 1500;

export async function openHub(opts: HubOptions = {}): Promise<Hub> {
  const config = opts.config ?? loadConfig();
  const log =
    // A command's (quiet): human single lines on stderr, never JSON among its output, even with stderr
    // redirected with stdout (`2>&1 | less`: 70 JSON lines with stacks amid `channels renew`'s table).
    opts.logger ?? (opts.quiet ? createLogger({ level: 'warn', destination: process.stderr, pretty: true, colorize: process.stderr.isTTY === true }) : createLogger({ level: config.logLevel }));
  // The store's outage lines (shared/outage-log.ts) go to this process's log.
  storeOutage.useLog(log);
  const ownStore = !opts.store;
  if (opts.changes && !ownStore) throw new Error('a hub that reports its writes opens its own store');
  const channelName = opts.changes?.channel;
  const channel = channelName ? new BroadcastChannel(channelName) : null;
  const { migrateUpTo, ...storeOptions } = opts.storeOptions ?? {};
  // Set below once the memo exists: writes of migrations before that have nothing to drop.
  let onChange: (c: StoreChange) => void = opts.changes?.memo || !channel ? () => undefined : (c) => publish(channel, c);
  const store =
    opts.store ??
    (await Store.open({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      shareEmbedded: opts.shareEmbedded ?? false,
      embeddedClient: opts.embeddedClient ?? false,
      horizon: config.horizon,
      pgTimeouts: config.databaseTimeouts,
      ...storeOptions,
      // Every hub tells other processes on its PostgreSQL of its writes, for their memos; the
      // threads of one `calhub start` hear each other over their channel, so not by NOTIFY too.
      shareChanges: true,
      ...(channelName ? { changeOrigin: `channel:${channelName}` } : {}),
      // A memo is kept only where other writers can be heard of: a channel, or PostgreSQL's NOTIFY.
      ...(channel || (opts.changes?.memo && config.databaseUrl) ? { onChange: (c: StoreChange) => onChange(c) } : {}),
    }));
  const cleanup: Array<() => Promise<void>> = [];
  if (channel) {
    channel.unref();
    cleanup.push(async () => channel.close());
  }
  if (ownStore) cleanup.push(() => store.close());
  const close = async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn().catch((e: unknown) => log.error({ err: e }, 'shutdown step failed'));
  };
  try {
    const migration = { each: [] as Array<{ name: string; ms: number }>, tookMs: 0 };
    const t0 = performance.now();
    const migrated = ownStore
      ? await store.migrate({
          upTo: migrateUpTo,
          onApplied: (name, ms) => {
            migration.each.push({ name, ms });
            log.info({ migration: name, ms }, `migration ${name} applied in ${ms} ms`);
          },
        })
      : [];
    migration.tookMs = Math.round(performance.now() - t0);
    let keyring = opts.keyring ?? null;
    const ring = () => (keyring ??= KeyRing.load(config.encryptionKeys, { dataDir: config.dataDir, secretsDir: config.secretsDir }));
    // Said at every start, before the key is first needed: the data dir alone must not decrypt its secrets.
    // Once per process: `calhub start`'s sync thread opens a hub of its own on the same dirs.
    if (!keyring && !config.encryptionKeys && isMainThread) {
      const { warning } = keyFileOf(config.dataDir, config.secretsDir);
      if (warning) log.warn(warning);
    }
    let tokens: TokenManager | null = null;
    const tokenManager = () => (tokens ??= newTokenManager({ store, keyring: ring(), config, metrics: opts.metrics }));
    let factory: ReturnType<typeof makeConnect> | null = null;
    const connect: ConnectorFactory = opts.connect ?? ((account) => (factory ??= makeConnect({ store, keyring: ring(), config, log, tokens: tokenManager() }))(account));
    const capabilities = (provider: ProviderId) => newConnector(provider).then((c) => c.capabilities);
    const cannotHold = (provider: ProviderId) => newConnector(provider).then((c) => c.cannotHold?.bind(c) ?? null);
    const direct: EngineDeps = { store, connect, capabilities, cannotHold, log, metrics: opts.metrics, ...(opts.guard ? { guard: opts.guard } : {}) };

    let redis = opts.redis ?? (await queueConnection(opts.queue ?? 'none', config, log, cleanup));
    if (redis && !opts.redis && opts.redisAnswerWithinMs !== undefined) await redisAnswers(redis, opts.redisAnswerWithinMs);
    let engine: SyncEngine | null = null;
    const prefix = opts.engine?.prefix ?? config.redisPrefix;
    if (redis) {
      engine = new SyncEngine({
        connection: redis,
        prefix,
        deps: direct,
        staleRunMs: config.syncStaleRunMs,
        runBudgetMs: config.syncRunBudgetMs,
        fairShare: { perHost: config.syncMaxRunsPerHost, perAccount: config.syncMaxRunsPerAccount, perTenant: config.syncMaxRunsPerTenant, leaseMs: 15_000 },
        ...opts.engine,
      });
      const e = engine;
      cleanup.push(() => e.close());
      if (opts.queue === 'if-worker' && (await engine.workersSeen()).length === 0) {
        // Nobody would take the jobs: this process does the work itself.
        await engine.close();
        redis.disconnect();
        cleanup.splice(cleanup.length - (opts.redis ? 1 : 2), opts.redis ? 1 : 2);
        engine = null;
        redis = null;
      }
    }
    if (redis) {
      // The process's own connection reports to its Redis outage too: `serve` has no worker whose
      // errors would, so it neither logged the outage nor could say Redis was down.
      redis.on('error', outageLog(log, 'redis connection', redis));
      opts.metrics?.dependencies.set('redis', () => !redisOutage.down);
      const stopHeartbeat = redisHeartbeat(redis, log, { ...config.redisHeartbeat, ...opts.redisHeartbeat });
      cleanup.push(async () => stopHeartbeat());
    }
    opts.metrics?.dependencies.set('store', () => !storeOutage.down);
    const requestPull = (tenantId: string, calendarId: string): Promise<unknown> => (engine ? engine.requestPull(tenantId, calendarId) : Promise.resolve(null));
    const deps = engine?.deps ?? direct;
    const supervisor = new ChannelSupervisor({
      store,
      connect: deps.connect,
      connectStored: (s) => connectStoredGrant({ config, tokens: tokenManager(), log }, s),
      revokeStored: async (s) => {
        if (!s.credentials || !s.externalId || !isOAuthProvider(s.provider)) return;
        const revoked = await revokeGrant(tokenManager(), { tenantId: s.tenantId, provider: s.provider, externalId: s.externalId, accountId: s.accountId, credentials: s.credentials });
        log.info({ accountId: s.accountId, revoked }, 'revoked a disconnected account\'s grant after its queued channel stops');
      },
      publicUrl: config.publicUrl,
      log,
      ...(opts.metrics ? { metrics: opts.metrics } : {}),
      requestPull,
      ...opts.channels,
    });
    // Deployment gauges (accounts by status, failing calendars) are read from the store when Prometheus scrapes.
    if (opts.metrics) opts.metrics.storeSource.read = () => opsQueries.deploymentGauges(store.db, new Date());
    let dispatcher: WebhookDispatcher | null = null;
    const outbound = (): WebhookDispatcher => {
      if (!redis) throw new Error('webhook delivery needs a queue');
      if (!dispatcher) {
        const d = new WebhookDispatcher({
          connection: redis,
          store,
          keyring: ring(),
          log,
          allowPrivateNetworks: config.webhooksAllowPrivateNetworks,
          concurrency: config.webhookSlots.concurrency,
          perEndpointConcurrency: config.webhookSlots.perEndpoint,
          perTenantConcurrency: config.webhookSlots.perTenant,
          prefix,
          metrics: opts.metrics,
          ...opts.webhooks,
        });
        dispatcher = d;
        cleanup.push(() => d.close());
      }
      return dispatcher;
    };
    let maintenanceQueue: Queue | null = null;
    const closeMaintenanceQueue = async () => void (await maintenanceQueue?.close());
    const busy = new BusyCache(store.db, { maxSpans: opts.busyCacheSpans, load: store.busyLayout.horizonSpans });
    let calendarMemo: CalendarMemo | null = null;
    let changes: ChangeFeed | null = null;
    const bus = store.changeBus;
    if (opts.changes?.memo && (channel || bus)) {
      const memo = new CalendarMemo(store.db, busy.lookups, opts.changes.memo);
      calendarMemo = memo;
      if (opts.metrics) opts.metrics.memoSource.read = () => ({ reads: memo.reads, changes: memo.changes });
      const feed = new ChangeFeed();
      changes = feed;
      onChange = (c) => {
        memo.invalidate(c);
        feed.publish(c);
      };
      if (channel) {
        channel.onmessage = (m) => onChange((m as { data: StoreChange }).data);
        channel.unref(); // listening must not keep the process alive
      }
      if (bus) await bus.listen((c) => onChange(c));
    } else if (opts.hearChanges && bus) {
      const feed = new ChangeFeed();
      changes = feed;
      await bus.listen((c) => feed.publish(c));
    }
    const probes: Hub['probes'] = [{ name: 'store', check: () => store.ping() }];
    const r = redis;
    if (r) {
      let connectedOnce = r.status === 'ready';
      if (!connectedOnce) r.once('ready', () => void (connectedOnce = true));
      probes.push({ name: 'redis', optional: true, check: () => redisProbe(r, () => connectedOnce) });
    }
    return {
      config,
      log,
      store,
      metrics: opts.metrics,
      migrated,
      migration,
      get keyring() {
        return ring();
      },
      get tokens() {
        return tokenManager();
      },
      connect,
      deps,
      engine,
      get webhooks(): WebhookDeps {
        return {
          store,
          keyring: ring(),
          allowPrivateNetworks: config.webhooksAllowPrivateNetworks,
          ...(r ? { kick: (streams) => outbound().kick(streams) } : {}),
          ...opts.webhooks,
        };
      },
      syncHere: opts.queue === 'if-worker' && engine === null,
      supervisor,
      busy,
      calendarMemo,
      changes,
      redis: r ? { connection: r, prefix } : null,
      requestPull,
      probes,
      queues() {
        if (!engine || !r) return [];
        if (!maintenanceQueue) {
          maintenanceQueue = new Queue(MAINTENANCE_QUEUE, { connection: r, prefix });
          maintenanceQueue.on('error', () => {}); // heard on the connection (hub/redis.ts)
        }
        const q = maintenanceQueue;
        if (!cleanup.includes(closeMaintenanceQueue)) cleanup.push(closeMaintenanceQueue);
        return [engine.queue, q];
      },
      async startWorkers(steps = []) {
        if (!engine || !r) throw new Error('workers need a queue: open the hub with queue "required" or "managed"');
        engine.startWorker();
        const queued = engine;
        outbound().startWorker();
        const maintenance = new Maintenance({
          connection: r,
          prefix,
          store,
          log,
          staleRunMs: config.syncStaleRunMs,
          pollIntervalMs: config.syncPollIntervalMs,
          requestPull,
          steps: [
            { name: 'channels', run: () => supervisor.sweep() },
            { name: 'idempotency-keys', run: () => store.idempotency.purgeExpired(new Date()) },
            { name: 'gone-jobs', run: () => queued.reapGoneJobs() },
            ...steps,
          ],
        });
        await maintenance.schedule();
        maintenance.startWorker();
        cleanup.push(() => maintenance.close());
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

function publish(channel: BroadcastChannel, c: StoreChange): void {
  try {
    channel.postMessage(c);
  } catch {
    // Closed: the hub is shutting down, and no thread is left to tell.
  }
}

async function queueConnection(mode: QueueMode, config: Config, log: Logger, cleanup: Array<() => Promise<void>>): Promise<RedisConnection | null> {
  if (mode === 'none') return null;
  let url: RedisTarget;
  if (mode === 'managed' && !config.redisUrl && !config.redisClusterNodes) {
    const managed: ManagedRedis = await startManagedRedis({
      dataDir: config.dataDir,
      secretsDir: config.secretsDir,
      bin: config.redisServerBin,
      onRestart: (attempt) => log.warn({ attempt }, 'the managed redis-server died; started it again'),
    });
    cleanup.push(() => managed.stop());
    log.info({ dataDir: config.dataDir }, 'started a managed redis-server');
    url = managed.url;
  } else if (mode === 'if-worker') {
    try {
      url = redisUrlFor(config);
    } catch {
      return null;
    }
  } else {
    url = redisUrlFor(config);
  }
  const redis = connectRedis(url);
  // QUIT only on a live connection: one still (re)connecting (Redis down) would wait for it forever.
  cleanup.push(async () => void (redis.status === 'ready' ? await redis.quit().catch(() => redis.disconnect()) : redis.disconnect()));
  return redis;
}
