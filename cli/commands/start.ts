import { buildApp } from '../../api/index.ts';
import { checkSilentChannels, openHub } from '../../hub/index.ts';
import { loadConfig, type Config } from '../../shared/config/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import { createMetrics } from '../../shared/metrics.ts';
import { webhookRoutes, webhooksOf } from '../../webhooks/index.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { populateSandbox, sandboxInstructions, startSandboxProviders, type SandboxProviders } from '../sandbox/sandbox.ts';

/** start = serve + worker in one process, with the embedded defaults (PGlite, managed Redis). */
async function runHub(role: 'start' | 'serve' | 'worker', portOverride: string | undefined, sandbox = false): Promise<number> {
  let providers: SandboxProviders | null = null;
  let config: Config | undefined;
  let fileDir = '';
  if (sandbox) {
    // The emulators first: the hub's configuration points at them (and Microsoft's app lists our callback).
    const base = loadConfig(process.env);
    const port = portOverride === undefined ? base.port : Number(portOverride);
    if (!Number.isInteger(port) || port <= 0) throw new ValidationError('--sandbox needs a fixed port (the emulated Microsoft app registers its callback address)');
    fileDir = base.dataDir;
    providers = await startSandboxProviders({ host: base.host, port, dataDir: base.dataDir });
    config = loadConfig({ ...process.env, ...providers.env, PORT: String(port) });
  }
  const hub = await openHub({ shareEmbedded: true, metrics: createMetrics(), queue: role === 'start' ? 'managed' : 'required', ...(config ? { config } : {}) });
  const log = hub.log;
  let stopApp: (() => Promise<void>) | null = null;
  const shutdown = async () => {
    await stopApp?.().catch((e: unknown) => log.error({ err: e }, 'shutdown step failed'));
    await hub.close();
    await providers?.close();
  };
  try {
    const silentChannels = { name: 'silent-channels', run: () => checkSilentChannels({ store: hub.store, requestPull: (t, c) => hub.requestPull(t, c), log, metrics: hub.metrics }) };
    if (role !== 'serve') await hub.startWorkers([silentChannels]);
    if (role !== 'worker') {
      // The composition root mounts the push receivers: api/ does not know webhooks/.
      // The dashboard shows the maintenance queue in every role; only workers run its jobs.
      const admin = hub.config.adminPassword;
      const app = await buildApp({
        hub,
        plugins: [async (a) => void (await a.register(webhookRoutes, webhooksOf(hub)))],
        adminQueues: admin ? { password: admin, queues: hub.queues() } : undefined,
      });
      const port = portOverride === undefined ? hub.config.port : Number(portOverride);
      await app.listen({ port, host: hub.config.host });
      stopApp = () => app.close();
      const addr = app.server.address();
      const bound = typeof addr === 'object' && addr ? addr.port : port;
      log.info({ url: `http://${hub.config.host}:${bound}`, store: hub.store.driver }, 'calhub is listening');
      if (providers) {
        const file = await populateSandbox(hub, providers, { apiUrl: `http://${hub.config.host}:${bound}`, fileDir });
        process.stdout.write(sandboxInstructions(file, fileDir));
        log.info({ tenantId: file.tenantId, accounts: file.accounts.length }, 'sandbox ready');
      }
    }
  } catch (e) {
    await shutdown();
    throw e;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info('shutting down');
  // A second signal, or a shutdown stuck on a dead dependency, must still end the process.
  const force = setTimeout(() => {
    log.error('shutdown took longer than 20 s; exiting');
    process.exit(1);
  }, 20_000);
  force.unref();
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  await shutdown();
  clearTimeout(force);
  return EXIT.OK;
}

const portOption = { port: { type: 'string' as const, short: 'p' } };

export const start: Command = {
  name: 'start',
  usage: 'calhub start [--port <n>] [--sandbox]',
  summary: 'Run the whole hub in one process (API + worker), with embedded PGlite and a managed redis-server by default; --sandbox: with emulated Google and Microsoft and a connected demo tenant',
  options: { ...portOption, sandbox: { type: 'boolean' } },
  run: ({ values }) => runHub('start', values.port as string | undefined, Boolean(values.sandbox)),
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
