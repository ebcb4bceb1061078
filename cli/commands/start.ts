import { buildApp, EngineEventWriter } from '../../api/index.ts';
import { startManagedRedis, type ManagedRedis } from '../../shared/managed-redis.ts';
import { createMetrics } from '../../shared/metrics.ts';
import type { Command } from '../command.ts';
import { openEngine } from '../engine-runtime.ts';
import { Queue } from 'bullmq';
import { MAINTENANCE_QUEUE, Maintenance } from '../../sync-engine/index.ts';
import { opsQueries } from '../../shared/store/index.ts';
import { ChannelSupervisor, checkSilentChannels } from '../../webhooks/index.ts';
import { connectRedis, openRuntime, redisUrlFor } from '../runtime.ts';

/** start = serve + worker in one process, with the embedded defaults (PGlite, managed Redis). */
async function runHub(role: 'start' | 'serve' | 'worker', portOverride: string | undefined): Promise<number> {
  const rt = await openRuntime({ shareEmbedded: true });
  let managed: ManagedRedis | null = null;
  const cleanup: Array<() => Promise<void>> = [];
  const shutdown = async () => {
    for (const fn of cleanup.reverse()) await fn().catch((e: unknown) => rt.logger.error({ err: e }, 'shutdown step failed'));
    await managed?.stop();
    await rt.close();
  };
  try {
    let redisUrl: string;
    if (role === 'start' && !rt.config.redisUrl) {
      managed = await startManagedRedis({ dataDir: rt.config.dataDir, bin: rt.config.redisServerBin });
      redisUrl = managed.url;
      rt.logger.info({ dataDir: rt.config.dataDir }, 'started a managed redis-server');
    } else {
      redisUrl = redisUrlFor(rt.config);
    }
    const redis = connectRedis(redisUrl);
    cleanup.push(async () => void (await redis.quit().catch(() => redis.disconnect())));
    const metrics = createMetrics();
    const engine = openEngine(rt, redis, metrics);
    metrics.storeSource.read = () => opsQueries.deploymentGauges(rt.store.db, new Date());
    cleanup.push(() => engine.close());
    const requestPull = (tenantId: string, calendarId: string) => engine.requestPull(tenantId, calendarId);
    const channels = new ChannelSupervisor({ store: rt.store, connect: engine.deps.connect, publicUrl: rt.config.publicUrl, log: rt.logger, requestPull });
    // The dashboard shows the maintenance queue in every role; only workers run its jobs.
    const maintenanceQueue = new Queue(MAINTENANCE_QUEUE, { connection: redis, prefix: 'calhub' });
    cleanup.push(() => maintenanceQueue.close());
    if (role !== 'serve') {
      engine.startWorker();
      const maintenance = new Maintenance({
        connection: redis,
        store: rt.store,
        log: rt.logger,
        staleRunMs: rt.config.syncStaleRunMs,
        pollIntervalMs: rt.config.syncPollIntervalMs,
        requestPull,
        steps: [
          { name: 'channels', run: () => channels.sweep() },
          { name: 'silent-channels', run: () => checkSilentChannels({ store: rt.store, requestPull, log: rt.logger, metrics }) },
        ],
      });
      await maintenance.schedule();
      maintenance.startWorker();
      cleanup.push(() => maintenance.close());
    }
    if (role !== 'worker') {
      const app = await buildApp({
        store: rt.store,
        config: rt.config.api,
        metrics,
        logger: rt.logger,
        writer: new EngineEventWriter(engine.deps),
        sync: { engine: engine.deps, requestMirror: (tenantId, ruleId) => engine.requestMirror(tenantId, ruleId) },
        adminQueues: rt.config.adminPassword ? { password: rt.config.adminPassword, queues: [engine.queue, maintenanceQueue] } : undefined,
        webhooks: { store: rt.store, requestPull, metrics, onChannelAction: (tenantId, calendarId) => channels.checkCalendar(tenantId, calendarId) },
        probes: [
          { name: 'store', check: () => rt.store.ping() },
          { name: 'redis', check: async () => void (await redis.ping()) },
        ],
      });
      const port = portOverride === undefined ? rt.config.port : Number(portOverride);
      await app.listen({ port, host: rt.config.host });
      const addr = app.server.address();
      const bound = typeof addr === 'object' && addr ? addr.port : port;
      rt.logger.info({ url: `http://${rt.config.host}:${bound}`, store: rt.store.driver }, 'calhub is listening');
      cleanup.push(() => app.close());
    }
  } catch (e) {
    await shutdown();
    throw e;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  rt.logger.info('shutting down');
  // A second signal, or a shutdown stuck on a dead dependency, must still end the process.
  const force = setTimeout(() => {
    rt.logger.error('shutdown took longer than 20 s; exiting');
    process.exit(1);
  }, 20_000);
  force.unref();
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  await shutdown();
  clearTimeout(force);
  return 0;
}

const portOption = { port: { type: 'string' as const, short: 'p' } };

export const start: Command = {
  name: 'start',
  usage: 'calhub start [--port <n>]',
  summary: 'Run the whole hub in one process (API + worker), with embedded PGlite and a managed redis-server by default',
  options: portOption,
  run: ({ values }) => runHub('start', values.port as string | undefined),
};

export const serve: Command = {
  name: 'serve',
  usage: 'calhub serve [--port <n>]',
  summary: 'Run only the HTTP API (production: several behind a load balancer); needs REDIS_URL or a running start',
  options: portOption,
  run: ({ values }) => runHub('serve', values.port as string | undefined),
};

export const worker: Command = {
  name: 'worker',
  usage: 'calhub worker',
  summary: 'Run only the background worker: sync jobs (pull, push, mirror), polling and maintenance',
  options: {},
  run: () => runHub('worker', undefined),
};
