/**
 * Readiness during a Redis outage: `serve` answered 503 not_ready while it served every free/busy
 * and write (writes wait in the store's outbox), so a load balancer would pull every API process
 * and turn a survivable Redis outage into a full one. Now: 200 degraded, with the reason.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, it } from 'node:test';
import { openHub, type Hub } from '../hub/index.ts';
import { connectRedis } from '../hub/redis.ts';
import { KeyRing } from '../oauth/index.ts';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import type { Store } from '../shared/store/index.ts';
import { redisMissing, startRedis } from '../test/support/redis-servers.ts';
import { buildApp } from './app.ts';
import { openTestStore } from '../test/support/test-store.ts';

let hub: Hub | undefined;
let store: Store | undefined;
let redis: ReturnType<typeof connectRedis> | undefined;
after(async () => {
  // The connection is the test's: left reconnecting to the stopped server, it kept the file from
  // ever ending (and a queue's close waits on a connection that reconnects).
  redis?.disconnect();
  await hub?.close();
  await store?.close();
});

it('with Redis stopped, /readyz is 200 degraded naming why, /metrics says redis is down, the log says it once', { skip: redisMissing() ?? false }, async () => {
  const server = await startRedis();
  const logs: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, cb) => (logs.push(String(chunk)), cb()) });
  store = await openTestStore();
  await store.migrate();
  redis = connectRedis(server.url);
  hub = await openHub({ store, redis, logger: createLogger({ level: 'info', destination }), metrics: createMetrics(), keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`), engine: { prefix: `calhub-test-${randomBytes(4).toString('hex')}` } });
  const app = await buildApp({ hub });
  try {
    // Connected first, so the first answer is about Redis, not about the probe's wait for the first connect.
    await redis.ping();
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200, ready.body);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { store: 'ok', redis: 'ok' } });
    await server.stop();
    // Asked at once, as a load balancer may ask just as the connection drops (before its first
    // reconnect has failed): that probe logged `readiness probe failed`. Then until it says why.
    let degraded = await app.inject({ method: 'GET', url: '/readyz' });
    for (const end = Date.now() + 60_000; !/refused/.test(degraded.body) && Date.now() < end; ) {
      await new Promise((r) => setTimeout(r, 200));
      degraded = await app.inject({ method: 'GET', url: '/readyz' });
    }
    assert.equal(degraded.statusCode, 200, degraded.body);
    assert.deepEqual(degraded.json(), { status: 'degraded', checks: { store: 'ok', redis: 'unavailable' }, reasons: { redis: 'connection refused' } });
    assert.match((await app.inject({ method: 'GET', url: '/metrics' })).body, /^calhub_dependency_up\{dependency="redis"\} 0$/m);
    const msgs = logs.map((l) => (JSON.parse(l) as { msg: string }).msg);
    assert.equal(msgs.filter((m) => m === 'Redis unreachable').length, 1, msgs.join('\n'));
    assert.ok(!msgs.includes('readiness probe failed'), msgs.join('\n'));
  } finally {
    await app.close();
  }
});
