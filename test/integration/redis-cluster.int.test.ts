/**
 * calhub on a real three-node Redis Cluster (Debian's redis-server, started on loopback here):
 * the hub opened from REDIS_CLUSTER_NODES syncs a Radicale calendar through the sync queue and
 * delivers the outbound webhooks through the webhook queue, BullMQ's multi-key scripts and
 * calhub's own (budgets, fair shares, tenant turns, API rate limits) all running on the cluster.
 * Every key lands in the one slot of the `{calhub}` hash tag; a prefix without a tag is refused
 * before any script could fail with CROSSSLOT.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Cluster, Redis } from 'ioredis';
import { SharedRateLimiter } from '../../shared/shared-rate-limit.ts';
import { connectCaldav, createWebhookEndpoint, openHub, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { ConfigError } from '../../shared/errors.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { SyncEngine } from '../../sync-engine/index.ts';
import { calhub } from '../support/cli.ts';
import { putEvent } from '../support/dav-content.ts';
import { hasBinary, makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { redisMissing, startRedisCluster, type RedisClusterProcess } from '../support/redis-servers.ts';
import { startReceiver, type Receiver } from '../support/webhook-receiver.ts';

const missing = redisMissing() ?? (hasBinary('radicale') ? null : 'radicale is not installed (apt-get install radicale)');
const EVENTS = 12;
const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `t_cluster_${process.pid}_${randomBytes(3).toString('hex')}`;

describe('a three-node Redis Cluster carries the sync and webhook queues', { skip: missing ?? false, timeout: 120_000 }, () => {
  let cluster: RedisClusterProcess;
  let dav: DavServer;
  let receiver: Receiver;
  let store: Store;
  let hub: Hub;
  let dataDir: string;

  before(async () => {
    [cluster, dav, receiver] = await Promise.all([startRedisCluster(3), startRadicale(), startReceiver()]);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'calhub-cluster-'));
    // PostgreSQL in a schema of its own: the production store, and faster to migrate than PGlite.
    store = await Store.open({ databaseUrl: `${PG}?options=${encodeURIComponent(`-c search_path=${SCHEMA},public`)}`, schema: SCHEMA });
    await store.migrate();
    const config = loadConfig({
      REDIS_CLUSTER_NODES: cluster.nodesEnv,
      CALHUB_DATA_DIR: dataDir,
      CALDAV_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true',
      LOG_LEVEL: 'silent',
    });
    hub = await openHub({ config, store, keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`), queue: 'required', redisAnswerWithinMs: 10_000 });
    await hub.startWorkers();
  });
  after(async () => {
    await hub?.close();
    await store?.db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await store?.close();
    await Promise.all([cluster?.stop(), dav?.stop(), receiver?.close()]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('syncs a Radicale calendar through the queue and delivers its webhooks', async () => {
    assert.ok(hub.redis?.connection instanceof Cluster, 'the hub is on the cluster');
    assert.equal(hub.redis.prefix, '{calhub}');
    // Workers are found on a cluster too (CLI commands decide by it whether to hand work to the queue).
    // (The worker names its connection once it is connected: wait for that, not for a fixed time.)
    for (const until = Date.now() + 15_000; (await hub.engine!.queue.getWorkersCount()) < 1; ) {
      assert.ok(Date.now() < until, 'the sync worker is seen on the cluster');
      await new Promise((r) => setTimeout(r, 100));
    }
    const calUrl = await makeCalendar(dav, 'work');
    for (let i = 0; i < EVENTS; i++) {
      const day = String(10 + (i % 10)).padStart(2, '0');
      await putEvent(dav, calUrl, { uid: `cl-${i}`, summary: `cluster ${i}`, start: `DTSTART:202612${day}T0${i % 9}0000Z`, end: `DTEND:202612${day}T0${i % 9}3000Z` });
    }
    const tenantId = (await store.tenants.create('cluster')).tenant.id;
    const ep = await createWebhookEndpoint(hub.webhooks, tenantId, { url: receiver.url, events: ['event.created'] });
    await receiver.control({ secrets: [ep.secret] });
    const { calendars } = await connectCaldav(hub, tenantId, { serverUrl: dav.url, username: dav.username, password: dav.password });
    const cal = calendars.find((c) => c.providerCalendarId === calUrl);
    assert.ok(cal, `the calendar was discovered: ${calendars.map((c) => c.providerCalendarId).join(', ')}`);

    const started = Date.now();
    await hub.requestPull(tenantId, cal.id);
    const t = store.tenant(tenantId);
    for (;;) {
      const row = await t.calendars.get(cal.id);
      if (row?.lastSuccessAt) break;
      assert.ok(row?.syncStage !== 'failed', `the sync failed: ${row?.lastError}`);
      assert.ok(Date.now() - started < 60_000, `no sync within 60 s (stage ${row?.syncStage})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await t.events.list(cal.id)).length, EVENTS);
    const got = await receiver.waitFor((a) => new Set(a.filter((x) => x.type === 'event.created').map((x) => x.payload.data.event?.uid)).size >= EVENTS, 30_000, `${EVENTS} event.created webhooks`);
    const uids = new Set(got.filter((x) => x.type === 'event.created').map((x) => x.payload.data.event?.uid as string));
    assert.deepEqual([...uids].sort(), Array.from({ length: EVENTS }, (_, i) => `cl-${i}`).sort());

    // The jobs really went through the cluster: the queues' keys are there, all in one slot.
    const keys: string[] = [];
    for (const n of cluster.nodes) {
      const r = new Redis(n.port, '127.0.0.1');
      keys.push(...(await r.keys('*')));
      r.disconnect();
    }
    assert.ok(keys.some((k) => k.startsWith('{calhub}:calhub-sync:')), `sync queue keys: ${keys.slice(0, 10).join(' ')}`);
    assert.ok(keys.some((k) => k.startsWith('{calhub}:webhooks-out:')), `webhook queue keys: ${keys.filter((k) => k.includes('webhook')).slice(0, 5).join(' ')}`);
    // An operator's command finds the jobs from the same environment (REDIS_CLUSTER_NODES parsed by the CLI).
    const listed = await calhub(['queue', 'list', '--state', 'completed', '--tenant', tenantId, '--json'], {
      REDIS_CLUSTER_NODES: cluster.nodesEnv,
      REDIS_URL: '',
      DATABASE_URL: `${PG}?options=${encodeURIComponent(`-c search_path=${SCHEMA},public`)}`,
      CALHUB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      CALHUB_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok((JSON.parse(listed.stdout) as Array<{ calendarId: string; name: string }>).some((j) => j.calendarId === cal.id && j.name === 'pull'), listed.stdout);
    const slots = new Set<number>();
    for (const k of keys) slots.add(Number(await hub.redis.connection.cluster('KEYSLOT', k)));
    assert.equal(slots.size, 1, `every calhub key in one slot: ${keys.length} keys over ${slots.size} slots`);
  });

  it('shares an API rate limit on the cluster', async () => {
    const log = createLogger({ level: 'silent' });
    const a = new SharedRateLimiter({ perSecond: 0.001, burst: 5 }, { redis: hub.redis, name: 'key', log });
    const b = new SharedRateLimiter({ perSecond: 0.001, burst: 5 }, { redis: hub.redis, name: 'key', log });
    const id = `k-${randomBytes(4).toString('hex')}`;
    let allowed = 0;
    for (let i = 0; i < 10; i++) if ((await (i % 2 ? a : b).take(id)) === 0) allowed++;
    assert.equal(allowed, 5, 'two limiters (two API processes) share one bucket of 5');
  });

  it('refuses a prefix without a hash tag on a cluster, before any script runs', () => {
    assert.throws(
      () => new SyncEngine({ connection: hub.redis!.connection, prefix: 'calhub', deps: hub.deps }),
      (e: unknown) => e instanceof ConfigError && /REDIS_PREFIX: expected a hash tag/.test(e.message),
    );
  });
});

if (missing) {
  it(`Redis Cluster test skipped: ${missing}`, { skip: missing }, () => {});
}
