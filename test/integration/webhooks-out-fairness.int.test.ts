/**
 * Receiver faults stay with their endpoint and tenant: tenant A's endpoints that never answer do
 * not hold the worker's job slots from tenant B's healthy endpoint, and a dead receiver behind many
 * calendar streams gets one attempt per backoff step, not one per stream.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { KeyRing } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { parseEvent } from '../../shared/model/index.ts';
import { Store, webhookDeliveries } from '../../shared/store/index.ts';
import { createWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint, WebhookDispatcher, type WebhookDeps } from '../../hub/index.ts';

type Http = { url: string; server: Server; sockets: Set<Socket>; requests: number; open: number; maxOpen: number; answer: ((res: ServerResponse) => void) | null };

/** A real HTTP receiver: `answer` null leaves every request hanging (counted while open). */
async function receiver(answer: Http['answer']): Promise<Http> {
  const h = { sockets: new Set<Socket>(), requests: 0, open: 0, maxOpen: 0, answer } as Http;
  h.server = createServer((req: IncomingMessage, res: ServerResponse) => {
    h.requests += 1;
    h.open += 1;
    h.maxOpen = Math.max(h.maxOpen, h.open);
    res.on('close', () => (h.open -= 1));
    req.resume();
    req.on('end', () => h.answer?.(res));
  });
  h.server.on('connection', (s) => {
    h.sockets.add(s);
    s.on('close', () => h.sockets.delete(s));
  });
  await new Promise<void>((r) => h.server.listen(0, '127.0.0.1', r));
  h.url = `http://127.0.0.1:${(h.server.address() as AddressInfo).port}/hook`;
  return h;
}
const stop = async (h: Http) => {
  for (const s of h.sockets) s.destroy();
  await new Promise((r) => h.server.close(r));
};

async function waitUntil(pred: () => boolean | Promise<boolean>, what: string, ms = 20_000) {
  const until = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > until) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('outbound webhooks: one tenant\'s broken receivers do not starve another', () => {
  let store: Store;
  let redis: Redis;
  let dispatcher: WebhookDispatcher;
  let hanging: Http;
  let healthy: Http;
  const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);

  const tenantWithCalendars = async (name: string, n: number) => {
    const tenantId = (await store.tenants.create(name)).tenant.id;
    const acc = await store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: `${name}@example.com` });
    const cals = await store.tenant(tenantId).calendars.upsertMany(acc.id, Array.from({ length: n }, (_, i) => ({ providerCalendarId: `c${i}`, name: `c${i}`, timeZone: 'UTC', color: null, readOnly: false })));
    return { tenantId, calendars: cals.map((c) => c.id) };
  };
  const write = (tenantId: string, cal: string, uid: string) =>
    store.tenant(tenantId).events.applyRemoteChanges(cal, [
      { kind: 'upsert', remoteId: uid, version: '"1"', events: [parseEvent({ uid, title: uid, start: { dateTime: '2026-12-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T10:00:00Z', timeZone: 'UTC' } })] },
    ]);

  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    hanging = await receiver(null);
    healthy = await receiver((res) => res.writeHead(204).end());
  });
  after(async () => {
    // The receivers first: closing the worker waits for its attempts, which hang until then.
    await stop(hanging);
    await stop(healthy);
    await dispatcher?.close();
    redis?.disconnect();
    await store?.close();
  });

  it("tenant A's 15 hanging endpoints hold at most their tenant's share of the slots; tenant B's webhooks go through meanwhile", async () => {
    const a = await tenantWithCalendars('hangs', 2);
    const b = await tenantWithCalendars('healthy', 1);
    const deps: WebhookDeps = { store, keyring, allowPrivateNetworks: true };
    for (let i = 0; i < 15; i++) await createWebhookEndpoint(deps, a.tenantId, { url: hanging.url, events: ['*'] });
    await createWebhookEndpoint(deps, b.tenantId, { url: healthy.url, events: ['event.created'] });
    // Tenant A's changes first: 30 streams (15 endpoints × 2 calendars) are queued ahead of B's.
    for (const cal of a.calendars) await write(a.tenantId, cal, `a-${cal}`);
    dispatcher = new WebhookDispatcher({
      connection: redis, store, keyring, log: createLogger({ level: 'silent' }), allowPrivateNetworks: true,
      prefix: `t-whf-${randomBytes(4).toString('hex')}`, composeIntervalMs: 50, sweepIntervalMs: 200, concurrency: 16,
      // Longer than the test waits: no attempt of A's fails, so only the slot caps can let B through.
      sendTimeoutMs: 120_000,
    });
    dispatcher.startWorker();
    await waitUntil(() => hanging.open >= 8, 'tenant A taking its share of the slots');
    for (let i = 0; i < 3; i++) await write(b.tenantId, b.calendars[0]!, `b${i}`);
    await waitUntil(() => healthy.requests >= 3, "tenant B's three webhooks while A's receivers hang");
    assert.ok(hanging.maxOpen <= 8, `tenant A held ${hanging.maxOpen} of 16 slots at once; its cap is 8`);
    assert.equal(hanging.requests, hanging.open, 'none of A\'s attempts ended: B went through while all of them hung');
  });
});

describe('outbound webhooks: a dead receiver behind many calendar streams backs off as one', () => {
  let store: Store;
  let redis: Redis;
  let dispatcher: WebhookDispatcher;
  let dead: Http;
  let clock = Date.now();
  const now = () => new Date(clock);
  const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);

  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    dead = await receiver((res) => res.writeHead(503).end('down'));
    // No worker: the test drains every stream itself, so what is attempted is decided by the code, not by timing.
    dispatcher = new WebhookDispatcher({ connection: redis, store, keyring, log: createLogger({ level: 'silent' }), allowPrivateNetworks: true, now, random: () => 0.5, prefix: `t-whs-${randomBytes(4).toString('hex')}` });
  });
  after(async () => {
    await dispatcher?.close();
    redis?.disconnect();
    await stop(dead);
    await store?.close();
  });

  it('12 streams, one endpoint: one attempt per backoff step; when it answers again every stream resumes', async () => {
    const tenantId = (await store.tenants.create('storm')).tenant.id;
    const acc = await store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: 'storm@example.com' });
    const cals = (await store.tenant(tenantId).calendars.upsertMany(acc.id, Array.from({ length: 12 }, (_, i) => ({ providerCalendarId: `c${i}`, name: `c${i}`, timeZone: 'UTC', color: null, readOnly: false })))).map((c) => c.id);
    const deps: WebhookDeps = { store, keyring, allowPrivateNetworks: true, now };
    const ep = await createWebhookEndpoint(deps, tenantId, { url: dead.url, events: ['event.created'] });
    const write = (cal: string, uid: string) =>
      store.tenant(tenantId).events.applyRemoteChanges(cal, [
        { kind: 'upsert', remoteId: uid, version: '"1"', events: [parseEvent({ uid, title: uid, start: { dateTime: '2026-12-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T10:00:00Z', timeZone: 'UTC' } })] },
      ]);
    for (const cal of cals) for (const n of [1, 2]) await write(cal, `${cal}-${n}`);
    await dispatcher.composeOnce();
    const drainAll = async () => {
      for (const cal of cals) await dispatcher.drain({ endpointId: ep.id, stream: cal });
    };

    await drainAll();
    assert.equal(dead.requests, 1, 'the first failure puts the endpoint in backoff: the other 11 streams wait');
    for (const step of [5_000, 15_000, 45_000]) {
      clock += step + 1_000;
      const sent: number = dead.requests;
      await drainAll();
      assert.equal(dead.requests - sent, 1, `one probe after the ${step / 1000} s step, not one per stream`);
    }

    dead.answer = (res) => res.writeHead(204).end();
    clock += 3 * 60_000;
    await drainAll();
    const log = await webhookDeliveries.deliveryLog(store.db, tenantId, ep.id, 100);
    assert.equal(log.length, 24);
    assert.ok(log.every((l) => l.status === 'delivered'), 'every stream resumed once the probe succeeded');
    assert.equal(dead.requests, 4 + 24, 'after the four failed attempts, each message once');
    const shown = await getWebhookEndpoint(deps, tenantId, ep.id);
    assert.equal(shown.status, 'active');
  });

  it("a new URL sends what the endpoint owes now, not at the failing URL's next retry", async () => {
    const tenantId = (await store.tenants.create('new-url')).tenant.id;
    const acc = await store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: 'moved@example.com' });
    const cals = (await store.tenant(tenantId).calendars.upsertMany(acc.id, ['x', 'y'].map((n) => ({ providerCalendarId: n, name: n, timeZone: 'UTC', color: null, readOnly: false })))).map((c) => c.id);
    const deps: WebhookDeps = { store, keyring, allowPrivateNetworks: true, now };
    const gone = await receiver((res) => res.writeHead(503).end());
    const moved = await receiver((res) => res.writeHead(204).end());
    try {
      const ep = await createWebhookEndpoint(deps, tenantId, { url: gone.url, events: ['event.created'] });
      for (const cal of cals) await store.tenant(tenantId).events.applyRemoteChanges(cal, [
        { kind: 'upsert', remoteId: cal, version: '"1"', events: [parseEvent({ uid: cal, title: cal, start: { dateTime: '2026-12-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T10:00:00Z', timeZone: 'UTC' } })] },
      ]);
      await dispatcher.composeOnce();
      for (const cal of cals) await dispatcher.drain({ endpointId: ep.id, stream: cal });
      assert.equal(gone.requests, 1);
      await updateWebhookEndpoint(deps, tenantId, ep.id, { url: moved.url });
      // The clock has not moved: only the fix can make these due.
      for (const cal of cals) await dispatcher.drain({ endpointId: ep.id, stream: cal });
      assert.equal(moved.requests, 2, 'both owed messages went to the new URL at once');
    } finally {
      await stop(gone);
      await stop(moved);
    }
  });
});
