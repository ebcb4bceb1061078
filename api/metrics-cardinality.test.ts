/**
 * Label cardinality stays bounded (issue 14; shared/metrics.ts): no series is labelled by an
 * account, calendar, event or tenant id, and HTTP series are labelled by the route pattern, so
 * requests for a thousand different ids make one series, not a thousand.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createMetrics } from '../shared/metrics.ts';
import { call, startTestApi, type TestApi } from './test-support.ts';

/** Every label the hub's own series may carry; each takes values from a small, closed set. */
const BOUNDED = new Set(['provider', 'job', 'outcome', 'status', 'kind', 'verdict', 'state', 'method', 'route', 'direction', 'source', 'dependency']);

describe('metric labels', () => {
  it('the hub declares only bounded labels, never an id', async () => {
    const m = createMetrics();
    const own = m.registry.getMetricsAsArray().filter((x) => x.name.startsWith('calhub_') && !x.name.startsWith('calhub_nodejs_') && !x.name.startsWith('calhub_process_'));
    assert.ok(own.length >= 15, own.map((x) => x.name).join(', '));
    // prom-client keeps a metric's label names on the metric object (its JSON form does not carry them).
    assert.ok(own.some((x) => ((x as unknown as { labelNames?: string[] }).labelNames ?? []).length > 0), 'label names are readable');
    for (const metric of own) {
      const labels = (metric as unknown as { labelNames?: string[] }).labelNames ?? [];
      for (const l of labels) {
        assert.ok(BOUNDED.has(l), `${metric.name} is labelled by ${l}`);
        assert.doesNotMatch(l, /id$|uid|tenant|account|calendar|event|email|url/i, `${metric.name}: ${l}`);
      }
    }
  });

  describe('HTTP series', () => {
    let api: TestApi;
    before(async () => (api = await startTestApi()));
    after(async () => api?.close());

    it('requests for many different ids and unknown paths add no series', async () => {
      for (let i = 0; i < 40; i++) {
        await call(api, 'GET', `/v1/events/evt_${randomUUID()}`, { key: api.a.key });
        await call(api, 'GET', `/no/such/${randomUUID()}`);
      }
      const text = await (await call(api, 'GET', '/metrics')).body;
      const routes = new Set([...text.matchAll(/^calhub_http_requests_total\{[^}]*route="([^"]*)"/gm)].map((x) => x[1]!));
      assert.ok(routes.size <= 3, [...routes].join(', '));
      assert.ok(![...routes].some((r) => /evt_|[0-9a-f]{8}-/.test(r)), [...routes].join(', '));
      assert.ok(routes.has('unmatched'), 'unknown paths share one series');
    });
  });
});
