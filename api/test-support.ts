/** Test helpers: an app on an in-memory PGlite store with two tenants, and event seeding. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { KeyRing } from '../oauth/index.ts';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { parseEvent, type CanonicalEventInput } from '../shared/model/index.ts';
import { Store } from '../shared/store/index.ts';
import { listedAccount } from '../shared/test-support.ts';
import { openHub, type Hub, type HubOptions, type WebhookDeps } from '../hub/index.ts';
import { loadConfig } from '../shared/config/index.ts';
import { buildApp, type AppDeps } from './app.ts';

export interface TestTenant {
  id: string;
  key: string;
  accountId: string;
  calendarId: string;
}

export interface TestApi {
  app: FastifyInstance;
  hub: Hub;
  store: Store;
  a: TestTenant;
  b: TestTenant;
  /** Every line the server logged (to check that nothing secret leaks). */
  logs: string[];
  close(): Promise<void>;
}

async function tenant(store: Store, name: string, timeZone: string): Promise<TestTenant> {
  const { tenant: t, apiKey } = await store.tenants.create(name);
  const { account, calendars } = await listedAccount(store.tenant(t.id), { provider: 'memory', externalId: `${name}@example.com`, credentials: 'sealed-secret-envelope' }, [
    { providerCalendarId: 'primary', name: `${name} work`, timeZone, color: null, readOnly: false },
  ]);
  return { id: t.id, key: apiKey, accountId: account.id, calendarId: calendars[0]!.id };
}

/** Set by api-pg.int.test.ts: the same suites then run against a PostgreSQL server. */
export const PG_ENV = 'CALHUB_API_TEST_DATABASE_URL';

/** The tests' now: the store's (busy horizon) and the API's (availability offers no slot before it). */
const testNow = () => new Date('2026-11-01T00:00:00Z');

async function openStore(): Promise<{ store: Store; dispose: () => Promise<void> }> {
  const now = testNow;
  const url = process.env[PG_ENV];
  if (!url) {
    const store = await Store.open({ dataDir: null, now });
    return { store, dispose: () => store.close() };
  }
  const schema = `t_api_${process.pid}_${randomBytes(4).toString('hex')}`;
  const store = await Store.open({ databaseUrl: url, schema, now });
  return {
    store,
    dispose: async () => {
      await store.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await store.close();
    },
  };
}

/**
 * The hub of `calhub start`'s API thread on a data dir of its own: it opens its embedded store and
 * keeps free/busy's calendar memo, dropped by the writes it reports (launch.ts). A benchmark of
 * what one tenant's writes cost another's free/busy must run the memo the server runs: without it
 * every free/busy request waited for PGlite's one session behind the writer's transaction.
 */
async function openStartLikeHub(base: Omit<HubOptions, 'store'>, storeThread?: StoreThread): Promise<{ hub: Hub; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'calhub-api-'));
  const stop = storeThread ? await storeThread(dir) : null;
  const config = loadConfig({ ...process.env, CALHUB_DATA_DIR: dir, CALHUB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`, DATABASE_URL: '', REDIS_URL: '' });
  const hub = await openHub({ ...base, config, shareEmbedded: true, embeddedClient: stop !== null, changes: { channel: `calhub-api-test-${randomBytes(4).toString('hex')}`, memo: {} } });
  return {
    hub,
    dispose: async () => {
      await stop?.();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Serves the embedded store of a data dir from a thread of its own (`calhub start`'s store thread); resolves to its stop. */
export type StoreThread = (dataDir: string) => Promise<() => Promise<void>>;

export interface TestApiOptions {
  /** The API thread of `calhub start` (own embedded store on a temporary data dir, calendar memo) instead of an in-memory store. */
  startLike?: boolean;
  /** With startLike: the store served by this thread, as `calhub start` serves it; without, PGlite runs on the API's own thread. */
  storeThread?: StoreThread;
}

export async function startTestApi(over: Partial<AppDeps> = {}, webhooks: Partial<Pick<WebhookDeps, 'allowPrivateNetworks' | 'resolver'>> = {}, opts: TestApiOptions = {}): Promise<TestApi> {
  const logs: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, cb) => (logs.push(String(chunk)), cb()) });
  // No connector and no queue: event writes, mirror passes and conflict resolutions only write the store and its outbox here.
  const base = {
    metrics: createMetrics(),
    logger: createLogger({ level: 'info', destination }),
    connect: () => Promise.reject(new Error('no provider in API tests')),
    keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    webhooks: { allowPrivateNetworks: true, ...webhooks },
  } satisfies Omit<HubOptions, 'store'>;
  let hub: Hub;
  let dispose: () => Promise<void>;
  if (opts.startLike) {
    const started = await openStartLikeHub(base, opts.storeThread);
    hub = started.hub;
    dispose = async () => {
      await hub.close();
      await started.dispose();
    };
  } else {
    const opened = await openStore();
    await opened.store.migrate();
    hub = await openHub({ ...base, store: opened.store });
    dispose = opened.dispose;
  }
  const store = hub.store;
  const app = await buildApp({ hub, now: testNow, ...over });
  await app.ready();
  const a = await tenant(store, 'alpha', 'Europe/Berlin');
  const b = await tenant(store, 'beta', 'America/New_York');
  return {
    app,
    hub,
    store,
    a,
    b,
    logs,
    close: async () => {
      await app.close();
      await dispose();
    },
  };
}

export const ev = (input: Partial<CanonicalEventInput> & { uid: string }): CanonicalEventInput => ({
  start: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' },
  end: { dateTime: '2026-11-10T10:00:00Z', timeZone: 'UTC' },
  title: input.uid,
  ...input,
});

export const at = (iso: string, timeZone = 'UTC') => ({ dateTime: iso, timeZone });

/** Stores events as if the provider had reported them (each its own remote object unless grouped). */
export async function seed(store: Store, tenantId: string, calendarId: string, ...groups: Array<CanonicalEventInput | CanonicalEventInput[]>): Promise<void> {
  await store.tenant(tenantId).events.applyRemoteChanges(
    calendarId,
    groups.map((g, i) => {
      const events = (Array.isArray(g) ? g : [g]).map((e) => parseEvent(e));
      return { kind: 'upsert' as const, remoteId: `${events[0]!.uid}#${i}`, version: '"1"', events };
    }),
  );
}

export function call(api: TestApi, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, opts: { key?: string | null; body?: unknown; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
  const key = opts.key === undefined ? api.a.key : opts.key;
  const headers: Record<string, string> = { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...opts.headers };
  return api.app.inject({ method, url, headers, ...(opts.body === undefined ? {} : { payload: opts.body as object }) });
}

export const json = <T = Record<string, unknown>>(r: LightMyRequestResponse): T => r.json() as T;
