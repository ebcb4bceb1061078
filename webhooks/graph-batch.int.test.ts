/**
 * Graph resends a whole batch it got no 2xx for within 3 s (provider-facts B.6). A batch of 1,000
 * lifecycle items must be answered well inside that window, and a batch sent again (to this API
 * process or another one on the same Redis) must not be counted or acted on twice.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { hashSecret } from '../shared/channel-secret.ts';
import { createLogger } from '../shared/logger.ts';
import { createMetrics, type Metrics } from '../shared/metrics.ts';
import { Store } from '../shared/store/index.ts';
import { openHub, type Hub } from '../hub/index.ts';
import { webhookRoutes } from './index.ts';

const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const prefix = `calhub-test-graph-batch-${randomBytes(4).toString('hex')}`;
const KNOWN = 300;
// PostgreSQL, as a deployment with several API processes runs: PGlite would run its queries on this test's own thread.
const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `t_graph_batch_${process.pid}_${randomBytes(3).toString('hex')}`;

describe('Graph batches: answered fast, a redelivered batch counted once', () => {
  let store: Store;
  let hub: Hub;
  const apps: FastifyInstance[] = [];
  const urls: string[] = [];
  const metrics: Metrics[] = [];
  const pulls: string[] = [];
  let tenantId = '';
  let googleCal = '';

  before(async () => {
    store = await Store.open({ databaseUrl: PG, schema });
    await store.migrate();
    const { tenant } = await store.tenants.create('graph-batch');
    tenantId = tenant.id;
    const t = store.tenant(tenant.id);
    const acc = await t.accounts.upsert({ provider: 'microsoft', externalId: 'adele@contoso.test' });
    const cals = await t.calendars.upsertMany(acc.id, Array.from({ length: KNOWN }, (_, i) => ({ providerCalendarId: `cal-${i}`, name: `c${i}`, timeZone: 'UTC', color: null, readOnly: false })));
    await t.channels.trackAccount(acc.id, new Date());
    for (const [i, c] of cals.entries()) {
      await t.channels.saveActive(c.id, { channelId: `sub-${i}`, resourceId: null, secretHash: hashSecret(`state-${i}`), address: 'https://hub.example/webhooks/microsoft', expiresAt: new Date(Date.now() + 3_600_000), nextCheckAt: new Date(Date.now() + 3_000_000) });
    }
    const g = await t.accounts.upsert({ provider: 'google', externalId: 'g@example.test' });
    const [gcal] = await t.calendars.upsertMany(g.id, [{ providerCalendarId: 'primary', name: 'g', timeZone: 'UTC', color: null, readOnly: false }]);
    await t.channels.trackAccount(g.id, new Date());
    await t.channels.saveActive(gcal!.id, { channelId: 'g-ch', resourceId: null, secretHash: hashSecret('g-tok'), address: 'https://hub.example/webhooks/google', expiresAt: new Date(Date.now() + 3_600_000), nextCheckAt: new Date(Date.now() + 3_000_000) });
    googleCal = gcal!.id;
    hub = await openHub({ store, logger: createLogger({ level: 'silent' }), metrics: createMetrics(), redis, engine: { prefix, attempts: 1 } });
    // Two API processes on one store and one Redis: the real queue's requestPull, no worker.
    for (let k = 0; k < 2; k++) {
      const m = createMetrics();
      const app = Fastify();
      await app.register(webhookRoutes, {
        store, metrics: m, redis: { connection: redis, prefix },
        requestPull: async (tid: string, c: string) => {
          pulls.push(c);
          await hub.engine!.requestPull(tid, c);
        },
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      apps.push(app);
      metrics.push(m);
      urls.push(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhooks/microsoft`);
    }
  });
  after(async () => {
    for (const a of apps) await a.close();
    await hub?.engine?.queue.obliterate({ force: true }).catch(() => {});
    await hub?.close();
    await store?.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await store?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  const counted = async () => {
    const out: Record<string, number> = {};
    for (const m of metrics) {
      for (const v of (await m.registry.getSingleMetric('calhub_webhook_notifications_total')!.get()).values) out[String(v.labels.verdict)] = (out[String(v.labels.verdict)] ?? 0) + v.value;
    }
    return out;
  };
  const post = async (url: string, value: unknown[]) => {
    const started = performance.now();
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value }) });
    await r.arrayBuffer();
    return { status: r.status, ms: performance.now() - started };
  };
  const expiry = new Date(Date.now() + 86_400_000).toISOString();
  // 300 subscriptions calhub holds, 700 it has already dropped (the operator's case: removals of subscriptions gone).
  const batch = Array.from({ length: 1000 }, (_, i) => ({ subscriptionId: `sub-${i}`, clientState: `state-${i}`, lifecycleEvent: 'subscriptionRemoved', subscriptionExpirationDateTime: expiry }));

  it('answers a batch of 1,000 lifecycle items well inside Graph\'s 3 s', async () => {
    const r = await post(urls[0]!, batch);
    assert.equal(r.status, 202);
    assert.ok(r.ms < 2500, `answered in ${Math.round(r.ms)} ms`);
    console.log(`# 1,000 lifecycle items answered in ${Math.round(r.ms)} ms`);
  });

  it('the same batch sent again, to either process, is counted and acted on once', async () => {
    for (const url of [urls[0]!, urls[1]!]) assert.equal((await post(url, batch)).status, 202);
    const deadline = Date.now() + 10_000;
    while (pulls.length < KNOWN && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    const c = await counted();
    assert.equal(c.unknown_channel, 1000 - KNOWN);
    assert.equal(c.lifecycle, KNOWN);
    assert.equal(c.redelivered, 2000);
    assert.equal(pulls.length, KNOWN, 'one catch-up pull per removed subscription');
    const removed = (await store.tenant(tenantId).channels.list()).filter((ch) => ch.status === 'removed');
    assert.equal(removed.length, KNOWN, 'every held subscription marked for re-creation');
  });

  it('a new notice for the same subscription (another event) is not a redelivery', async () => {
    const before = await counted();
    assert.equal((await post(urls[1]!, [{ subscriptionId: 'sub-999', clientState: 'x', lifecycleEvent: 'missed', subscriptionExpirationDateTime: expiry }])).status, 202);
    const c = await counted();
    assert.equal(c.unknown_channel, before.unknown_channel! + 1);
  });

  it('Google: the same message number sent again, at once or later, to either process, is counted once', async () => {
    const before = await counted();
    const pullsBefore = pulls.filter((c) => c === googleCal).length;
    const google = (url: string, channel: string, n: number) =>
      fetch(url.replace('/microsoft', '/google'), { method: 'POST', headers: { 'x-goog-channel-id': channel, 'x-goog-channel-token': 'g-tok', 'x-goog-resource-state': 'exists', 'x-goog-message-number': String(n) } }).then((r) => r.status);
    // Google's retry while the first copy is still being recorded, then one after it was.
    const statuses = await Promise.all([google(urls[0]!, 'g-ch', 7), google(urls[1]!, 'g-ch', 7)]);
    statuses.push(await google(urls[1]!, 'g-ch', 7));
    assert.deepEqual(statuses.sort(), [200, 409, 409]);
    for (const url of urls) assert.equal(await google(url, 'g-gone', 3), 200);
    const c = await counted();
    const added = (verdict: string) => (c[verdict] ?? 0) - (before[verdict] ?? 0);
    assert.equal(added('accepted'), 1);
    assert.equal(added('unknown_channel'), 1, 'a stray message sent twice is one stray');
    assert.equal(added('redelivered'), 3);
    assert.equal(pulls.filter((x) => x === googleCal).length - pullsBefore, 1);
  });
});
