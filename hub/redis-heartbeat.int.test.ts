/**
 * A process whose event loop stalls past the heartbeat's deadline (a long synchronous step, a
 * loaded machine) read Redis's answer, already in its socket, only after the deadline's timer:
 * `Redis unreachable`, the gauge at 0 and then `Redis reachable again`, with Redis up throughout.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { Redis } from 'ioredis';
import { DependencyOutage, type OutageLogger } from '../shared/outage-log.ts';
import { redisHeartbeat } from './redis-heartbeat.ts';

const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
after(() => redis.disconnect());

it('a loop stalled past the deadline while Redis answered is not an outage', async () => {
  await redis.ping();
  const lines: string[] = [];
  const log: OutageLogger = { error: (_o, m) => lines.push(m), warn: (_o, m) => lines.push(m), info: (_o, m) => lines.push(m) };
  const outage = new DependencyOutage('Redis');
  let pings = 0;
  const ping = redis.ping.bind(redis);
  // Redis answers each PING after ~50 ms (a BLPOP ahead of it on the connection runs out first),
  // within the 100 ms deadline; the loop is held from 10 ms to 310 ms, as a long synchronous step
  // (an I/O callback's, an immediate's) holds it, so the answer waits in the socket while the deadline passes.
  redis.ping = ((...a: []) => {
    void redis.blpop(`heartbeat-test-none-${process.pid}`, 0.05);
    const sent = ping(...a);
    setTimeout(() => setImmediate(() => {
      const until = performance.now() + 300;
      while (performance.now() < until);
      pings += 1;
    }), 10);
    return sent;
  }) as typeof redis.ping;
  const stop = redisHeartbeat(redis, log, { everyMs: 50, deadlineMs: 100, outage });
  try {
    const end = Date.now() + 30_000;
    while (pings < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    assert.ok(pings >= 3, `only ${pings} heartbeat PINGs`);
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    stop();
    redis.ping = ping;
  }
  assert.equal(outage.down, false);
  assert.deepEqual(lines, [], 'nothing logged: Redis answered every PING');
});
