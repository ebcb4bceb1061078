/**
 * Redis that hangs, and Redis not yet connected, as /readyz and /metrics say them.
 * - A SIGSTOPped redis-server keeps its socket open and answers nothing: no client error, so
 *   calhub_dependency_up{dependency="redis"} read 1 throughout. Now a PING with a deadline
 *   (hub/redis-heartbeat.ts) makes it 0, with one `Redis unreachable` line, and 1 again after SIGCONT.
 * - Right after start the client is still connecting and /readyz read `degraded`; now it waits
 *   briefly for the first connect, and says `starting` while a first connect takes longer.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openHub, type Hub } from '../hub/index.ts';
import { connectRedis } from '../hub/redis.ts';
import { KeyRing } from '../oauth/index.ts';
import { loadConfig } from '../shared/config/index.ts';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { redisMissing, startRedis, type RedisProcess } from '../test/support/redis-servers.ts';
import { buildApp } from './app.ts';
import { openTestStore } from '../test/support/test-store.ts';

type Opened = { app: FastifyInstance; logs: string[]; close(): Promise<void> };
const opened: Opened[] = [];
const servers: RedisProcess[] = [];
after(async () => {
  for (const s of servers) s.resume(); // never leave a stopped redis-server behind
  for (const o of opened) await o.close();
  for (const s of servers) await s.stop();
});

async function open(url: string, heartbeat: { env?: Record<string, string> } = {}): Promise<Opened> {
  const logs: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, cb) => (logs.push(String(chunk)), cb()) });
  const store = await openTestStore();
  await store.migrate();
  const redis = connectRedis(url);
  const hub: Hub = await openHub({ store, redis, logger: createLogger({ level: 'info', destination }), metrics: createMetrics(), keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`), ...(heartbeat.env ? { config: loadConfig(heartbeat.env) } : { redisHeartbeat: { everyMs: 300 } }) });
  const app = await buildApp({ hub });
  const o: Opened = {
    logs,
    app,
    close: async () => {
      await app.close();
      // The test's own connection: left reconnecting, the file would never end.
      redis.disconnect();
      await hub.close();
      await store.close();
    },
  };
  opened.push(o);
  return o;
}

const msgs = (o: Opened) => o.logs.map((l) => (JSON.parse(l) as { msg: string }).msg);
const redisUp = async (o: Opened) => /^calhub_dependency_up\{dependency="redis"\} (\d)$/m.exec((await o.app.inject({ method: 'GET', url: '/metrics' })).body)?.[1];
async function until(what: string, ok: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Redis hung or still connecting', { skip: redisMissing() ?? false }, () => {
  it('a SIGSTOPped Redis reads down (gauge 0, degraded, one log line) and up again after SIGCONT', async () => {
    const server = await startRedis();
    servers.push(server);
    const o = await open(server.url);
    await until('connected', async () => (await redisUp(o)) === '1' && (await o.app.inject({ method: 'GET', url: '/readyz' })).json<{ status: string }>().status === 'ready');
    server.pause();
    await until('the gauge reads 0', async () => (await redisUp(o)) === '0');
    const ready = await o.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200, ready.body);
    assert.deepEqual(ready.json(), { status: 'degraded', checks: { store: 'ok', redis: 'unavailable' }, reasons: { redis: 'did not answer within 2 s' } });
    await new Promise((r) => setTimeout(r, 1000)); // more PINGs go unanswered: still one line
    assert.equal(msgs(o).filter((m) => m === 'Redis unreachable').length, 1, msgs(o).join('\n'));
    assert.ok(!msgs(o).includes('readiness probe failed'), msgs(o).join('\n'));
    server.resume();
    await until('the gauge reads 1 again', async () => (await redisUp(o)) === '1');
    assert.equal((await o.app.inject({ method: 'GET', url: '/readyz' })).json<{ status: string }>().status, 'ready');
    assert.deepEqual(msgs(o).filter((m) => /^Redis /.test(m)), ['Redis unreachable', 'Redis reachable again']);
  });

  it('the PING follows REDIS_HEARTBEAT_INTERVAL_MS and REDIS_HEARTBEAT_DEADLINE_MS (by default 5 s and 2 s: 7 s or more to notice)', async () => {
    const server = await startRedis();
    servers.push(server);
    const o = await open(server.url, { env: { REDIS_HEARTBEAT_INTERVAL_MS: '500', REDIS_HEARTBEAT_DEADLINE_MS: '400' } });
    await until('connected', async () => (await redisUp(o)) === '1');
    server.pause();
    const paused = Date.now();
    await until('the gauge reads 0', async () => (await redisUp(o)) === '0', 20_000);
    const noticedMs = Date.now() - paused;
    server.resume();
    assert.ok(noticedMs < 4500, `noticed after ${noticedMs} ms (every 0.5 s, 0.4 s deadline: about 1 s)`);
    assert.match(o.logs.join(''), /Redis did not answer a PING within 0\.4 s/);
    await until('the gauge reads 1 again', async () => (await redisUp(o)) === '1');
  });

  it('right after start /readyz waits for the first connect: ready, not degraded', async () => {
    const server = await startRedis();
    servers.push(server);
    const o = await open(server.url);
    const ready = await o.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200, ready.body);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { store: 'ok', redis: 'ok' } });
  });

  it('a first connect that takes longer reads starting, then ready', async () => {
    const server = await startRedis();
    servers.push(server);
    server.pause(); // the connection is accepted, the handshake is not answered
    const o = await open(server.url);
    const starting = await o.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(starting.statusCode, 200, starting.body);
    assert.deepEqual(starting.json(), { status: 'starting', checks: { store: 'ok', redis: 'starting' } });
    server.resume();
    await until('ready', async () => (await o.app.inject({ method: 'GET', url: '/readyz' })).json<{ status: string }>().status === 'ready');
    assert.ok(!msgs(o).includes('Redis unreachable'), msgs(o).join('\n'));
  });
});
