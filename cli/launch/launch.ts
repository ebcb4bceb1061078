/**
 * Starts the hub in one of its roles and returns it running; `calhub start`, `serve` and `worker`
 * (cli/commands/start.ts) and the tests that need the real shape call this.
 *
 * `start` is one command and one process, but three threads:
 * - the store thread: the embedded PGlite and its socket server (store-thread.ts), when there is
 *   no DATABASE_URL;
 * - the sync thread: the worker role (sync-thread.ts);
 * - this, the main thread: the managed redis-server, the HTTP API and the push receivers.
 * PGlite runs its statements synchronously and the sync work parses and expands provider data:
 * on one event loop either held every HTTP answer (issue 12: another tenant's free/busy p99 went
 * from 42 ms to 330-528 ms under a hostile CalDAV tenant). The threads share nothing in memory:
 * the store is reached through its socket and the queue through Redis, as separate `serve` and
 * `worker` processes do, with one addition: the sync thread reports its store writes to this
 * thread over a BroadcastChannel, so the API keeps free/busy's calendar facts in memory
 * (freebusy/calendar-memo.ts) instead of waiting for PGlite's one session on every request.
 * `serve` and `worker` stay one thread each: in production they are separate processes, and
 * their free/busy reads the store per request (busy_version keeps the span cache fresh).
 */
import { randomBytes } from 'node:crypto';
import { buildApp } from '../../api/index.ts';
import { announceKeyRing, migrationState, migrationsSaid, openHub, type Hub } from '../../hub/index.ts';
import { loadConfig, type Config } from '../../shared/config/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import { createLogger } from '../../shared/logger.ts';
import { createMetrics } from '../../shared/metrics.ts';
import { webhookRoutes, webhooksOf } from '../../webhooks/index.ts';
import type { OperationsServer } from '../operations-server.ts';
import type { SandboxProviders } from '../sandbox/sandbox.ts';
import { applyHeapGrowth } from './heap-growth.ts';
import { startThread, type HubThread, type ThreadName } from './threads.ts';
import { threadMemoryGauge } from './thread-memory.ts';
import { serveWorkerMetrics } from './worker-metrics.ts';
import { startWorkerRole } from './worker-role.ts';

export type Role = 'start' | 'serve' | 'worker';

/**
 * Each thread's young generation (V8's default grows to 48 MB a thread). The store thread only
 * relays the wire protocol to PGlite and the sync thread's garbage is short-lived page by page:
 * the default cost `calhub start` ~25 MB of RSS for no measurable speed (issue 15; the 10,000-event
 * user path synced no slower). The main thread cannot be given one: its heap exists before any
 * code of ours runs.
 */
const YOUNG_GENERATION: Record<ThreadName, { maxYoungGenerationSizeMb: number }> = {
  store: { maxYoungGenerationSizeMb: 4 },
  sync: { maxYoungGenerationSizeMb: 12 },
};

export interface LaunchOptions {
  role: Role;
  /** Overrides PORT (`--port`; 0 picks a free one). */
  port?: number;
  /** Google and Microsoft emulators with a connected demo tenant (start only). */
  sandbox?: boolean;
  /** Default: process.env. The threads get the same (with the sandbox's additions). */
  env?: NodeJS.ProcessEnv;
}

export interface RunningHub {
  /** The main thread's hub: the API's, with the queue producer and the managed redis-server. */
  readonly hub: Hub;
  /** Where the API listens; null for the worker role. */
  readonly url: string | null;
  /** The threads besides the main one (start only). */
  readonly threads: HubThread[];
  /** Resolves when a thread ended on its own: the hub is no longer whole and should be closed. */
  readonly crashed: Promise<Error>;
  /** Stops the operations socket and the API, then the sync thread, the main hub (Redis), the store thread and the emulators. */
  close(): Promise<void>;
}

export async function launchHub(o: LaunchOptions): Promise<RunningHub> {
  let env: NodeJS.ProcessEnv = o.env ?? process.env;
  let providers: SandboxProviders | null = null;
  let fileDir = '';
  // Loaded for --sandbox only: the two emulators' code otherwise sat in the API thread's heap (issue 15).
  const sandbox = o.sandbox ? await import('../sandbox/sandbox.ts') : null;
  if (sandbox) {
    // The emulators first: the hub's configuration points at them (and Microsoft's app lists our callback).
    const base = loadConfig(env);
    const port = o.port ?? base.port;
    if (!Number.isInteger(port) || port <= 0) throw new ValidationError('--sandbox needs a fixed port (the emulated Microsoft app registers its callback address)');
    fileDir = base.dataDir;
    providers = await sandbox.startSandboxProviders({ host: base.host, port, dataDir: base.dataDir, ports: base.sandboxPorts });
    env = { ...env, ...providers.env, PORT: String(port) };
  }
  const config = loadConfig(env);
  applyHeapGrowth(config.heapGrowthPercent);
  const threaded = o.role === 'start';
  const log = createLogger({ level: config.logLevel });
  const threads: HubThread[] = [];
  let hub: Hub | null = null;
  let stopApp: (() => Promise<void>) | null = null;
  let stopWorkerMetrics: (() => Promise<void>) | null = null;
  let operations: OperationsServer | null = null;
  let stopAnnouncing: (() => Promise<void>) | null = null;
  const close = async () => {
    await operations?.close().catch((e: unknown) => log.error({ err: e }, 'shutdown step failed'));
    await stopApp?.().catch((e: unknown) => log.error({ err: e }, 'shutdown step failed'));
    await stopWorkerMetrics?.().catch((e: unknown) => log.error({ err: e }, 'shutdown step failed'));
    // The sync thread before the main hub (it needs Redis and the store to finish its runs); the
    // store thread last, after every client of it closed.
    for (const t of [...threads].reverse().filter((x) => x.name !== 'store')) await t.stop();
    await stopAnnouncing?.().catch((e: unknown) => log.error({ err: e }, 'shutdown step failed'));
    await hub?.close();
    for (const t of threads.filter((x) => x.name === 'store')) await t.stop();
    await providers?.close();
  };
  const thread = (name: ThreadName, extra: Record<string, unknown> = {}) => {
    const stdout = process.stdout as { isTTY?: boolean };
    // The same choice createLogger makes on this thread: pretty and coloured on a terminal.
    const data = { name, pretty: stdout.isTTY === true, colorize: stdout.isTTY === true, logLevel: config.logLevel, nice: config.threadNice, ...extra };
    return startThread({ entry: new URL(`./${name}-thread.ts`, import.meta.url), data, env, log, limits: YOUNG_GENERATION[name] }).then((t) => (threads.push(t), t));
  };
  const embedded = !config.databaseUrl;
  // The sync thread reports its store writes to the API thread's calendar memo over this channel.
  const changes = threaded ? `calhub-changes-${process.pid}-${randomBytes(6).toString('hex')}` : null;
  // Outside the try: a launch that fails while the sync thread still starts (the port taken, say)
  // must wait for it, or that thread is missed by close() and keeps the process alive.
  let workers: Promise<unknown> = Promise.resolve();
  try {
    if (threaded && embedded) await thread('store', { dataDir: config.dataDir });
    hub = await openHub({
      config,
      logger: log,
      shareEmbedded: true,
      embeddedClient: threaded && embedded,
      // The main thread's metrics: Node's defaults for the whole process; the sync thread's series join at scrape time.
      metrics: createMetrics(),
      queue: o.role === 'start' ? 'managed' : 'required',
      // `calhub serve` on PostgreSQL hears other processes' writes (shared/store/change-bus.ts); on a data dir it keeps no memo.
      ...(changes ? { changes: { channel: changes, memo: {} } } : o.role === 'serve' ? { changes: { memo: {} } } : {}),
    });
    const h = hub;
    // The opening migrated the store (the sync thread's hub then finds nothing to do): said once.
    const schema = await migrationState(h);
    log.info({ applied: schema.appliedNow.length, tookMs: schema.tookMs }, migrationsSaid(schema));
    // `keys rotate` on this store reads which ring this process holds (hub/key-ring-holders.ts).
    stopAnnouncing = await announceKeyRing(h, o.role);
    if (threaded) {
      // Started beside the API's setup; the hub says it listens only once its workers take jobs.
      workers = thread('sync', { changes }).then((t) => void h.metrics?.peers.push(() => t.call('metrics')));
    } else if (o.role === 'worker') {
      await startWorkerRole(h, log, h.metrics);
      if (config.workerMetricsPort !== null && h.metrics) {
        const served = await serveWorkerMetrics(h.metrics, config.host, config.workerMetricsPort, log);
        stopWorkerMetrics = served.close;
        log.info({ url: served.url }, 'worker metrics listening (/metrics, /healthz)');
      }
    }
    workers.catch(() => undefined); // awaited below; a failure before that must not be unhandled
    const url = o.role === 'worker' ? null : await listen(h, config, o.port);
    await workers;
    // `accounts connect caldav` and `resync` of this data dir hand their work to this hub
    // (cli/operations.ts). Served before the line below: a script that waits for it and then runs
    // a command must find the socket.
    if (threaded) operations = await (await import('../operations-server.ts')).serveOperations(h);
    // By what runs it: through the store thread's socket, the client's driver says postgres.
    const store = config.databaseUrl ? 'postgres' : 'pglite';
    if (threaded && h.metrics) threadMemoryGauge(h.metrics.registry, threads);
    if (url) log.info({ url, store, ...(threaded ? { threads: threads.map((t) => t.name) } : {}) }, 'calhub is listening');
    if (sandbox && providers && url) {
      const file = await sandbox.populateSandbox(h, providers, { apiUrl: url, fileDir });
      process.stdout.write(sandbox.sandboxInstructions(file, fileDir));
      log.info({ tenantId: file.tenantId, accounts: file.accounts.length }, 'sandbox ready');
    }
    return { hub: h, url, threads, crashed: Promise.race(threads.map((t) => t.crashed)), close };
  } catch (e) {
    await workers.catch(() => undefined);
    await close();
    throw e;
  }

  async function listen(h: Hub, c: Config, port: number | undefined): Promise<string> {
    // The composition root mounts the push receivers: api/ does not know webhooks/.
    // The dashboard shows the maintenance queue in every role; only workers run its jobs.
    const admin = c.adminPassword;
    const app = await buildApp({
      hub: h,
      plugins: [async (a) => void (await a.register(webhookRoutes, webhooksOf(h)))],
      adminQueues: admin ? { password: admin, queues: h.queues() } : undefined,
    });
    const want = port ?? c.port;
    stopApp = () => app.close();
    await app.listen({ port: want, host: c.host });
    const addr = app.server.address();
    const bound = typeof addr === 'object' && addr ? addr.port : want;
    return `http://${c.host}:${bound}`;
  }
}
