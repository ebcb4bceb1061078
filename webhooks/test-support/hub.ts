/**
 * A hub for the webhook tests: an in-memory store, a real SyncEngine on Redis under its own key
 * prefix, the API app with the receivers listening on a real port (providers' emulators POST to
 * it), and a channel supervisor whose clock tests can move forward.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { buildApp } from '../../api/index.ts';
import { ChannelSupervisor, openHub, refreshCalendarList, type Hub as AppHub } from '../../hub/index.ts';
import type { CalendarConnector, ConnectorContext } from '../../connectors/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { createMetrics, type Metrics } from '../../shared/metrics.ts';
import type { ProviderId } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { listedAccount } from '../../shared/test-support.ts';
import type { SyncEngine } from '../../sync-engine/index.ts';
import { webhookRoutes } from '../index.ts';
import type { ChannelRate } from '../channel-guard.ts';
import { openTestStore } from '../../test/support/test-store.ts';

export interface Hub {
  store: Store;
  /** The application layer the receivers' hooks run on. */
  hub: AppHub;
  engine: SyncEngine;
  app: FastifyInstance;
  /** Where the app listens (the public URL the supervisor gives providers). */
  url: string;
  supervisor: ChannelSupervisor;
  tenantId: string;
  accountId: string;
  calendarId: string;
  /** Pull requests made (receivers and supervisor), listChanges calls made (pull rounds), calendar lists read after a notification. */
  counts: { requested: number; listings: number; calendarLists: number };
  /** Added to the supervisor's clock. */
  clock: { shiftMs: number };
  /** The hub's and the supervisor's metrics. */
  metrics: Metrics;
  post(url: string, o?: { headers?: Record<string, string>; body?: unknown; contentType?: string }): Promise<LightMyRequestResponse>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

export const until = async (cond: () => Promise<boolean> | boolean, ms = 20_000, what = 'condition'): Promise<void> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what} not met within ${ms} ms`);
};

const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });

export async function startHub(o: {
  provider: ProviderId;
  externalId: string;
  providerCalendarId: string;
  connector: CalendarConnector;
  ctx: ConnectorContext;
  ttlSeconds?: number;
  /** The receivers' per-channel rate (default theirs: 10/s, burst 60). */
  channelRate?: ChannelRate;
  publicUrl?: string | null;
}): Promise<Hub> {
  const store = await openTestStore();
  await store.migrate();
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const { tenant } = await store.tenants.create(`webhooks-${o.provider}`);
  const t = store.tenant(tenant.id);
  const { account, calendars: [cal] } = await listedAccount(t, { provider: o.provider, externalId: o.externalId }, [{ providerCalendarId: o.providerCalendarId, name: 'webhooks', timeZone: 'UTC', color: null, readOnly: false }]);
  const counts = { requested: 0, listings: 0, calendarLists: 0 };
  // Counts pull rounds without hiding the connector's push subscriber.
  const connector: CalendarConnector = Object.create(o.connector);
  connector.listChanges = (...args) => {
    counts.listings += 1;
    return o.connector.listChanges(...args);
  };
  const prefix = `calhub-test-${randomBytes(4).toString('hex')}`;
  const metrics = createMetrics();
  const hub = await openHub({ store, logger: log, metrics, redis, engine: { prefix, attempts: 3 }, connect: async () => ({ connector, ctx: o.ctx }) });
  const engine = hub.engine!;
  engine.startWorker();
  const requestPull = (tenantId: string, calendarId: string) => {
    counts.requested += 1;
    return engine.requestPull(tenantId, calendarId);
  };
  const clock = { shiftMs: 0 };
  let supervisor: ChannelSupervisor | null = null;
  const webhooks = {
    store, requestPull, channelRate: o.channelRate,
    onChannelAction: (tenantId: string, calendarId: string) => supervisor!.checkCalendar(tenantId, calendarId),
    onChannelStop: () => supervisor!.runStops(),
    onCalendarListChanged: (tenantId: string, accountId: string) => {
      counts.calendarLists += 1;
      return refreshCalendarList(hub, tenantId, accountId);
    },
  };
  const app = await buildApp({ hub, probes: [], plugins: [async (a) => void (await a.register(webhookRoutes, webhooks))] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  supervisor = new ChannelSupervisor({
    store,
    connect: engine.deps.connect,
    publicUrl: o.publicUrl === undefined ? url : o.publicUrl,
    log,
    metrics,
    requestPull,
    now: () => new Date(Date.now() + clock.shiftMs),
    ttlSeconds: o.ttlSeconds ? { [o.provider]: o.ttlSeconds } : undefined,
  });
  const idle = () =>
    until(async () => {
      const c = await engine.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(c).every((n) => n === 0);
    }, 20_000, 'sync queue idle');
  return {
    store,
    hub,
    engine,
    app,
    url,
    supervisor,
    tenantId: tenant.id,
    accountId: account.id,
    calendarId: cal!.id,
    counts,
    clock,
    metrics,
    post: (path, p = {}) =>
      app.inject({
        method: 'POST',
        url: path,
        headers: { ...(p.contentType ? { 'content-type': p.contentType } : {}), ...p.headers },
        ...(p.body === undefined ? {} : { payload: typeof p.body === 'string' ? p.body : JSON.stringify(p.body) }),
      }),
    idle,
    async close() {
      await app.close();
      await engine.queue.obliterate({ force: true }).catch(() => {});
      await hub.close();
      await store.close();
    },
  };
}

export const disconnectRedis = (): void => redis.disconnect();
