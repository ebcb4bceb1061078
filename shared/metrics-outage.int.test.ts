/**
 * /metrics answers while a source of its deployment-wide gauges is down (shared/metrics.ts): with
 * Redis stopped a scrape hung for the whole outage and Prometheus lost every counter with it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { connectRedis } from '../hub/redis.ts';
import { SyncEngine } from '../sync-engine/engine.ts';
import { memoryEnv, type MemoryEnv } from '../sync-engine/test-support/memory-env.ts';
import { redisMissing, startRedis } from '../test/support/redis-servers.ts';
import { createMetrics } from './metrics.ts';

describe('/metrics with a gauge source down', () => {
  let env: MemoryEnv | undefined;
  after(async () => env?.close());

  it('a store read that never answers leaves its gauges out, marked, and the counters in', async () => {
    const m = createMetrics({ defaults: false, readTimeoutMs: 200 });
    m.httpRequests.inc({ method: 'GET', route: '/v1/freebusy', status: '200' });
    m.storeSource.read = () => new Promise(() => {});
    const text = await m.text();
    assert.match(text, /calhub_http_requests_total\{method="GET",route="\/v1\/freebusy",status="200"\} 1/);
    assert.match(text, /calhub_metrics_source_up\{source="store"\} 0/);
    assert.doesNotMatch(text, /^calhub_accounts\{/m);
  });

  it('with its Redis stopped, a scrape answers within its bound with the sync counters', { skip: redisMissing() ?? false }, async () => {
    const server = await startRedis();
    const redis = connectRedis(server.url);
    redis.on('error', () => {});
    env = await memoryEnv({ calendars: 1 });
    const metrics = createMetrics({ defaults: false, readTimeoutMs: 500 });
    const engine = new SyncEngine({ connection: redis, prefix: `calhub-test-${randomBytes(4).toString('hex')}`, deps: { ...env.deps, metrics } });
    try {
      metrics.syncRuns.inc({ provider: 'google', job: 'pull', outcome: 'ok' });
      assert.match(await metrics.text(), /calhub_metrics_source_up\{source="queue"\} 1/);
      await server.stop();
      for (let i = 0; i < 2; i++) {
        const text = await Promise.race([metrics.text(), new Promise<string>((r) => setTimeout(() => r('(no answer in 10 s)'), 10_000))]);
        assert.match(text, /calhub_sync_runs_total\{provider="google",job="pull",outcome="ok"\} 1/);
        assert.match(text, /calhub_metrics_source_up\{source="queue"\} 0/);
        assert.doesNotMatch(text, /^calhub_queue_depth\{/m);
      }
    } finally {
      redis.disconnect();
      await engine.close().catch(() => {});
    }
  });
});
