/** Outgoing (tenant) webhook health for operators: /metrics gauges and `calhub status` (hub/status.ts). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deploymentStatus } from '../hub/index.ts';
import { composeWebhooks, webhookDeliveries } from '../shared/store/index.ts';
import { at, call, json, startTestApi, type TestApi } from './test-support.ts';

describe('outgoing webhook health', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
    const made: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      const r = await call(api, 'POST', '/v1/webhooks', { body: { url: `http://127.0.0.1:9/health-${n}`, events: ['event.created'] } });
      made.push(json<{ id: string }>(r).id);
    }
    const [, failing, paused, gaveUp] = made;
    assert.equal((await call(api, 'PATCH', `/v1/webhooks/${paused}`, { body: { enabled: false } })).statusCode, 200);
    const ev = await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { title: 'owed', start: at('2026-11-10T09:00:00Z'), end: at('2026-11-10T10:00:00Z') } });
    assert.equal(ev.statusCode, 201, ev.body);
    await composeWebhooks(api.store.db, { now: new Date() });
    const [row] = await api.store.db.query<{ message_seq: string }>('SELECT message_seq FROM webhook_deliveries WHERE endpoint_id = $1', [failing]);
    await webhookDeliveries.markFailed(api.store.db, failing!, row!.message_seq, new Date(), { status: 503, error: 'HTTP 503', latencyMs: 4 }, new Date(Date.now() + 60_000));
    await webhookDeliveries.disableEndpoint(api.store.db, gaveUp!, 'deliveries failed for 3 days', new Date());
    // The message has waited two hours.
    await api.store.db.query("UPDATE webhook_messages SET created_at = now() - interval '2 hours'");
  });
  after(() => api.close());

  it('/metrics: endpoints by state, messages owed (active / parked) and the oldest one\'s age, with no id as a label', async () => {
    const text = (await call(api, 'GET', '/metrics', { key: null })).body;
    const value = (series: string) => {
      const m = new RegExp(`^${series.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text);
      assert.ok(m, `no ${series} in /metrics`);
      return Number(m[1]);
    };
    assert.equal(value('calhub_outbound_webhook_endpoints{state="active"}'), 1);
    assert.equal(value('calhub_outbound_webhook_endpoints{state="failing"}'), 1);
    assert.equal(value('calhub_outbound_webhook_endpoints{state="disabled_by_tenant"}'), 1);
    assert.equal(value('calhub_outbound_webhook_endpoints{state="disabled_after_failures"}'), 1);
    assert.equal(value('calhub_outbound_webhook_pending_messages{state="active"}'), 1);
    assert.equal(value('calhub_outbound_webhook_pending_messages{state="failing"}'), 1);
    assert.equal(value('calhub_outbound_webhook_pending_messages{state="disabled"}'), 1);
    for (const state of ['active', 'failing']) {
      const age = value(`calhub_outbound_webhook_oldest_pending_age_seconds{state="${state}"}`);
      assert.ok(age > 7000 && age < 7400, `${state}: ${age}`);
    }
    assert.match(text, /^# TYPE calhub_outbound_webhook_attempts_total counter$/m);
    // One label, state or outcome, from a closed set: never an endpoint or tenant id.
    for (const line of text.split('\n').filter((l) => l.startsWith('calhub_outbound_webhook'))) assert.match(line, /^calhub_outbound_webhook_[a-z_]+(\{(state|outcome)="[a-z_0-9]+"\})? \S+$/, line);
  });

  it('calhub status reports the same and asks for attention', async () => {
    const r = await deploymentStatus(api.hub);
    assert.deepEqual(r.outboundWebhooks.pending, { active: 1, failing: 1, disabled: 1 });
    assert.deepEqual(Object.fromEntries(r.outboundWebhooks.endpoints.map((e) => [e.state, e.n])), { active: 1, failing: 1, disabled_by_tenant: 1, disabled_after_failures: 1 });
    const said = r.attention.join('\n');
    assert.match(said, /outgoing webhooks are not being sent: the oldest owed to a healthy endpoint is 1\d\d min old \(1 message\(s\)\)/);
    assert.match(said, /1 webhook endpoint\(s\) failing, backing off \(1 message\(s\) held, the oldest 1\d\d min old\)/);
    assert.match(said, /1 webhook endpoint\(s\) disabled after failing \(the retry window ran out, or the receiver answered 410 Gone: calhub webhooks list says which\) \(1 message\(s\) parked on disabled endpoints\)/);
  });
});
