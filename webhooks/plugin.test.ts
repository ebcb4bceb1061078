/** The receivers inside the API app, without providers: routes, documentation, error answers, mixed batches. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/index.ts';
import { openHub } from '../hub/index.ts';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { Store } from '../shared/store/index.ts';
import { hashSecret } from '../shared/channel-secret.ts';
import { webhookRoutes } from './index.ts';

describe('webhook receivers in the API app', () => {
  let store: Store;
  let app: FastifyInstance;
  let tenantId = '';
  const cals: string[] = [];
  const pulls: string[] = [];
  let failPulls = false;
  const metrics = createMetrics();

  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    const { tenant } = await store.tenants.create('hooks');
    tenantId = tenant.id;
    const t = store.tenant(tenantId);
    const acc = await t.accounts.upsert({ provider: 'microsoft', externalId: 'x@contoso.test' });
    for (const [i, c] of (await t.calendars.upsertMany(acc.id, ['a', 'b'].map((id) => ({ providerCalendarId: id, name: id, timeZone: 'UTC', color: null, readOnly: false })))).entries()) {
      cals.push(c.id);
      await t.channels.trackAccount(acc.id, new Date());
      await t.channels.saveActive(c.id, { channelId: `sub-${i}`, resourceId: null, secretHash: hashSecret(`state-${i}`), address: 'https://hub.example/webhooks/microsoft', expiresAt: new Date(Date.now() + 3_600_000), nextCheckAt: new Date(Date.now() + 3_000_000) });
    }
    const hub = await openHub({ store, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
    const webhooks = {
      store,
      metrics,
      requestPull: async (_t: string, c: string) => {
        if (failPulls) throw new Error('redis is down');
        pulls.push(c);
      },
    };
    app = await buildApp({ hub, probes: [], plugins: [async (a) => void (await a.register(webhookRoutes, webhooks))] });
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await store?.close();
  });

  const post = (body: unknown, contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/webhooks/microsoft', headers: { 'content-type': contentType }, payload: typeof body === 'string' ? body : JSON.stringify(body) });

  it('are documented in the OpenAPI document and need no API key', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { summary?: string; responses: Record<string, unknown> }>> };
    for (const path of ['/webhooks/google', '/webhooks/microsoft']) {
      const op = doc.paths[path]?.post;
      assert.ok(op?.summary, `${path} summary`);
      assert.ok(op.responses['400'] && op.responses['403'] && op.responses['503'], `${path} error answers`);
    }
    assert.ok(doc.paths['/webhooks/microsoft']!.post!.responses['202']);
    const r = await app.inject({ method: 'POST', url: '/webhooks/google', headers: { 'x-goog-channel-id': 'nope', 'x-goog-resource-state': 'exists', 'x-goog-message-number': '2' } });
    assert.equal(r.statusCode, 200);
  });

  it('a batch for several subscriptions: good items are pulled, a forged one is dropped, the answer is 202', async () => {
    pulls.length = 0;
    const r = await post({ value: [
      { subscriptionId: 'sub-0', clientState: 'state-0', changeType: 'updated' },
      { subscriptionId: 'sub-1', clientState: 'state-0', changeType: 'updated' },
      { subscriptionId: 'sub-0', clientState: 'state-0', changeType: 'created', extra: { anything: true } },
    ] });
    assert.equal(r.statusCode, 202);
    assert.deepEqual([...new Set(pulls)], [cals[0]], 'only the calendar whose clientState matched');
  });

  it('a pull that cannot be recorded answers 503 so the provider retries', async () => {
    failPulls = true;
    try {
      const r = await post({ value: [{ subscriptionId: 'sub-1', clientState: 'state-1', changeType: 'updated' }] });
      assert.equal(r.statusCode, 503);
      assert.equal(r.json().error.code, 'WEBHOOK_UNAVAILABLE');
      assert.doesNotMatch(r.body, /redis/, 'no internals in the answer');
    } finally {
      failPulls = false;
    }
  });

  it('lifecycle items mark the channel for the supervisor', async () => {
    const r = await post({ value: [{ subscriptionId: 'sub-1', clientState: 'state-1', lifecycleEvent: 'reauthorizationRequired' }] });
    assert.equal(r.statusCode, 202);
    const row = (await store.tenant(tenantId).channels.get(cals[1]!))!;
    assert.equal(row.status, 'renew');
    assert.ok(row.nextCheckAt.getTime() <= Date.now(), 'due now');
  });

  it('other media types and oversized validation tokens are 4xx with a stable code', async () => {
    const xml = await post('<value/>', 'application/xml');
    assert.equal(xml.statusCode, 415);
    assert.equal(xml.json().error.code, 'WEBHOOK_INVALID_REQUEST');
    const long = await app.inject({ method: 'POST', url: `/webhooks/microsoft?validationToken=${'x'.repeat(5000)}`, headers: { 'content-type': 'text/plain' }, payload: '' });
    assert.equal(long.statusCode, 400);
    assert.equal(long.json().error.code, 'WEBHOOK_INVALID_REQUEST');
  });

  it('a Graph notification sent as text/plain is refused and counted as invalid', async () => {
    const invalid = async () => (await metrics.webhookNotifications.get()).values.find((v) => v.labels.provider === 'microsoft' && v.labels.verdict === 'invalid')?.value ?? 0;
    const before = await invalid();
    const r = await app.inject({ method: 'POST', url: '/webhooks/microsoft', headers: { 'content-type': 'text/plain' }, payload: '{"value":[]}' });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().error.code, 'WEBHOOK_INVALID_REQUEST');
    assert.equal((await invalid()) - before, 1);
  });

  it('Google notifications with a body still work: the body is never parsed', async () => {
    const r = await app.inject({ method: 'POST', url: '/webhooks/google', headers: { 'content-type': 'application/json', 'x-goog-channel-id': 'nope', 'x-goog-resource-state': 'exists', 'x-goog-message-number': '2' }, payload: '{not json' });
    assert.equal(r.statusCode, 200);
  });

  it("Google's sync handshake for a channel not stored yet is counted as a handshake and pulls nothing", async () => {
    // provider-facts A.7: the sync message can arrive before the watch call returned, so before the row exists.
    const verdicts = async () => Object.fromEntries((await metrics.webhookNotifications.get()).values.filter((v) => v.labels.provider === 'google').map((v) => [v.labels.verdict, v.value]));
    const before = await verdicts();
    pulls.length = 0;
    const sync = await app.inject({ method: 'POST', url: '/webhooks/google', headers: { 'x-goog-channel-id': 'not-stored-yet', 'x-goog-resource-state': 'sync', 'x-goog-message-number': '1' } });
    assert.equal(sync.statusCode, 200);
    const exists = await app.inject({ method: 'POST', url: '/webhooks/google', headers: { 'x-goog-channel-id': 'not-stored-yet', 'x-goog-resource-state': 'exists', 'x-goog-message-number': '2' } });
    assert.equal(exists.statusCode, 200);
    const after = await verdicts();
    const delta = (v: string) => (after[v] ?? 0) - (before[v] ?? 0);
    assert.deepEqual({ handshake: delta('handshake'), unknown_channel: delta('unknown_channel') }, { handshake: 1, unknown_channel: 1 });
    assert.deepEqual(pulls, []);
  });
});
