/**
 * The API rate limit shared through Redis: several limiters (one per API process) on one Redis
 * count as one bucket; each key, tenant or address has its own; and when Redis hangs or dies the
 * limit falls back to this process's bucket (logged once), then shares again when Redis is back.
 * A private redis-server, since the test pauses and kills it.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createLogger } from './logger.ts';
import { redisMissing, startRedis, type RedisProcess } from '../test/support/redis-servers.ts';
import { outageLog, RedisOutage } from './outage-log.ts';
import { SharedRateLimiter } from './shared-rate-limit.ts';

const missing = redisMissing();

describe('API rate limits shared through Redis', { skip: missing ?? false, timeout: 60_000 }, () => {
  let server: RedisProcess;
  let redis: Redis;
  let lines: Array<{ msg: string; limiter?: string; reason?: string; redis?: string }> = [];
  const degraded = () => lines.filter((l) => l.msg.includes('counting per process'));
  const log = createLogger({ level: 'info', destination: new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c)) as (typeof lines)[number]), cb()) }) as never });
  const shared = () => ({ redis: { connection: redis, prefix: '{t-rl}' }, name: 'key', log, timeoutMs: 200 });

  before(async () => {
    server = await startRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
    redis.on('error', () => {});
    await redis.ping(); // ready: a connection still connecting counts per process (tested below)
  });
  after(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('two processes share one bucket per key; other keys have their own', async () => {
    const a = new SharedRateLimiter({ perSecond: 0.01, burst: 4 }, shared());
    const b = new SharedRateLimiter({ perSecond: 0.01, burst: 4 }, shared());
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) waits.push(await (i % 2 ? a : b).take('key-1'));
    assert.deepEqual(waits.map((w) => w === 0), [true, true, true, true, false, false, false, false]);
    assert.ok(waits[4]! > 1000, `the wait is the time to one token at 0.01/s: ${waits[4]}`);
    assert.equal(await a.take('key-2'), 0, 'another key is not held up');
    // A cost larger than what is left waits; the whole burst is the most one take can cost.
    assert.equal(await b.take('key-3', 3), 0);
    assert.ok((await a.take('key-3', 3)) > 0);
    assert.equal(await a.take('key-4', 1000), 0, 'a cost above the burst is charged as a full bucket');
    assert.equal(degraded().length, 0);
    assert.deepEqual(await redis.keys('{t-rl}:api:key:*').then((k) => k.sort()), ['{t-rl}:api:key:key-1', '{t-rl}:api:key:key-2', '{t-rl}:api:key:key-3', '{t-rl}:api:key:key-4']);
    assert.ok((await redis.pttl('{t-rl}:api:key:key-1')) > 0, 'idle buckets expire');
  });

  it('takeCounted says what is left from the same take: the shared bucket as Redis answered, plus this process\'s lease', async () => {
    const a = new SharedRateLimiter({ perSecond: 0.01, burst: 4 }, shared());
    const b = new SharedRateLimiter({ perSecond: 0.01, burst: 4 }, shared());
    const seen: Array<[number, number]> = [];
    for (let i = 0; i < 5; i++) {
      const t = await (i % 2 ? a : b).takeCounted('counted');
      seen.push([t.waitMs === 0 ? 0 : 1, t.remaining]);
    }
    assert.deepEqual(seen, [[0, 3], [0, 2], [0, 1], [0, 0], [1, 0]]);
    // A burst of 40 leases 2 tokens ahead: the first take leaves 39, 2 of them this process's.
    const c = new SharedRateLimiter({ perSecond: 0.01, burst: 40 }, shared());
    assert.deepEqual(await c.takeCounted('leased-count'), { waitMs: 0, remaining: 39 });
    assert.deepEqual(await c.takeCounted('leased-count'), { waitMs: 0, remaining: 38 }, 'spent from the lease, no round trip');
  });

  it('leases: tokens taken ahead are spent without a round trip; together the processes admit exactly the bucket', async () => {
    const calls = async () => Number(/cmdstat_evalsha:calls=(\d+)/.exec(await redis.info('commandstats'))?.[1] ?? 0);
    const a = new SharedRateLimiter({ perSecond: 0.01, burst: 200 }, shared());
    const b = new SharedRateLimiter({ perSecond: 0.01, burst: 200 }, shared());
    const before = await calls();
    let admitted = 0;
    for (let i = 0; i < 100; i++) if ((await (i % 2 ? a : b).take('leased')) === 0) admitted++;
    const trips = (await calls()) - before;
    assert.equal(admitted, 100);
    // A lease is 1/20 of the burst (10): each process asks Redis about once per 11 requests.
    assert.ok(trips <= 12, `round trips for 100 requests: ${trips}`);
    // Near the limit no lease is given, and leased tokens are spent before asking again.
    for (let i = 0; i < 300; i++) if ((await (i % 2 ? a : b).take('leased')) === 0) admitted++;
    assert.equal(admitted, 200, 'the shared bucket of 200, not more');
    assert.ok((await a.take('leased')) > 1000, 'refused with the wait for a token');

    // A lease not spent within leaseMs is dropped: the next request asks Redis again.
    const c = new SharedRateLimiter({ perSecond: 0.01, burst: 200 }, { ...shared(), leaseMs: 50 });
    assert.equal(await c.take('expiring'), 0);
    const n = await calls();
    assert.equal(await c.take('expiring'), 0);
    assert.equal((await calls()) - n, 0, 'spent from the lease');
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(await c.take('expiring'), 0);
    assert.equal((await calls()) - n, 1, 'the lease expired: asked Redis');
    assert.equal(degraded().length, 0);
  });

  it('a hung Redis: counted per process within the timeout, one warning; shared again once it answers', async () => {
    lines = [];
    const a = new SharedRateLimiter({ perSecond: 0.01, burst: 2 }, shared());
    server.pause();
    try {
      const t0 = performance.now();
      const waits = [await a.take('hung'), await a.take('hung'), await a.take('hung')];
      const ms = performance.now() - t0;
      assert.deepEqual(waits.map((w) => w === 0), [true, true, false], 'the local bucket of 2 still limits');
      assert.ok(ms < 3 * 200 + 300, `each take gave up after the timeout: ${Math.round(ms)} ms for 3`);
      const warned = degraded();
      assert.equal(warned.length, 1, 'one warning per outage');
      assert.equal(warned[0]!.limiter, 'key');
      // Connected but not answering in time: slow, not "unavailable" (seen at load ~13).
      assert.equal(warned[0]!.redis, 'slow');
      assert.match(warned[0]!.msg, /^API rate limit: Redis slow \(connected, no answer within the timeout\), counting per process/);
      assert.match(warned[0]!.reason!, /did not answer within 200 ms/);
    } finally {
      server.resume();
    }
    await redis.ping();
    assert.equal(await a.take('hung-after'), 0);
    assert.ok(lines.some((l) => l.msg.includes('shared through Redis again')));
    assert.equal(await redis.exists('{t-rl}:api:key:hung-after'), 1, 'counting is back in Redis');
  });

  it('a Redis that is down: no wait at all, the local bucket limits, and the process says so once', async () => {
    lines = [];
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: null, retryStrategy: () => 1000 });
    dead.on('error', () => {});
    const outage = new RedisOutage();
    try {
      const a = new SharedRateLimiter({ perSecond: 0.01, burst: 1 }, { ...shared(), redis: { connection: dead, prefix: '{t-rl}' }, outage });
      const b = new SharedRateLimiter({ perSecond: 0.01, burst: 1 }, { ...shared(), name: 'auth-fail', redis: { connection: dead, prefix: '{t-rl}' }, outage });
      const worker = outageLog(log, 'sync worker', dead, outage);
      const t0 = performance.now();
      assert.equal(await a.take('down'), 0);
      assert.ok((await a.take('down')) > 0);
      assert.ok(performance.now() - t0 < 100, 'a connection that is not ready is not waited on');
      assert.equal(await b.take('down'), 0);
      worker(new Error('connect ECONNREFUSED 127.0.0.1:1'));
      // The serve process logged the outage twice: once from the limiter, once from the worker.
      assert.deepEqual(lines.map((l) => l.msg), ['Redis unreachable']);
      dead.emit('ready');
      assert.deepEqual(lines.map((l) => l.msg), ['Redis unreachable', 'Redis reachable again']);
    } finally {
      dead.disconnect();
    }
  });

  it('without a Redis the limit is per process, as configured', async () => {
    const a = new SharedRateLimiter({ perSecond: 0.01, burst: 1 }, { ...shared(), redis: null });
    assert.equal(a.isShared, false);
    assert.equal(await a.take('x'), 0);
    assert.ok((await a.take('x')) > 0);
  });
});

if (missing) it(`shared rate limit tests skipped: ${missing}`, { skip: missing }, () => {});
