/**
 * A receiver that answers 410 Gone says its URL is gone for good: the endpoint is disabled at the
 * first such answer (it used to be retried for 3 days like any failure), with the reason shown and
 * a log line, and `enable` sends what it owes. A failing endpoint's health — since when, backoff
 * steps, next probe, last error without the receiver's body, messages owed — is in its view. The
 * delivery log keeps no body either, and a test send answered 410 disables the endpoint too.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { KeyRing } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { parseEvent } from '../../shared/model/index.ts';
import type { Store} from '../../shared/store/index.ts';
import { webhookDeliveries } from '../../shared/store/index.ts';
import { getWebhookEndpoint, testWebhookEndpoint, updateWebhookEndpoint, viewWebhookEndpoints, WebhookDispatcher, type WebhookDeps } from '../../hub/index.ts';
import { openTestStore } from '../support/test-store.ts';

describe('outbound webhooks: 410 Gone disables, health is shown', () => {
  let store: Store;
  let redis: Redis;
  let dispatcher: WebhookDispatcher;
  let server: http.Server;
  let url: string;
  // What the receiver answers, per path; the body carries something secret-looking that must never be shown.
  const answer = new Map<string, number>();
  const received: string[] = [];
  const lines: Array<{ msg: string; endpointId?: string; status?: number }> = [];
  const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
  let deps: WebhookDeps;

  before(async () => {
    store = await openTestStore();
    await store.migrate();
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const status = answer.get(req.url ?? '') ?? 200;
        if (status === 200) received.push(req.url ?? '');
        res.writeHead(status, { 'content-type': 'text/plain' }).end(`internal token=sk_live_SECRET${status}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const log = createLogger({ level: 'info', destination: new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c)) as (typeof lines)[number]), cb()) }) as never });
    dispatcher = new WebhookDispatcher({ connection: redis, store, keyring, log, allowPrivateNetworks: true, prefix: `t-whg-${randomBytes(4).toString('hex')}`, composeIntervalMs: 50, sweepIntervalMs: 50 });
    dispatcher.startWorker();
    deps = { store, keyring, allowPrivateNetworks: true, kick: (s) => dispatcher.kick(s) };
  });
  after(async () => {
    await dispatcher?.queue.obliterate({ force: true }).catch(() => undefined);
    await dispatcher?.close();
    redis?.disconnect();
    server?.close();
    await store?.close();
  });

  async function tenantWithEndpoint(name: string, path: string) {
    const tenantId = (await store.tenants.create(name)).tenant.id;
    const acc = await store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: `${name}@example.com` });
    const [cal] = await store.tenant(tenantId).calendars.upsertMany(acc.id, [{ providerCalendarId: 'one', name: 'one', timeZone: 'UTC', color: null, readOnly: false }]);
    const ep = await store.tenant(tenantId).webhooks.create({ url: `${url}${path}`, eventTypes: ['event.created'], encryptedSecret: keyring.encrypt(`whsec_${randomBytes(24).toString('base64')}`) });
    const change = (uid: string) =>
      store.tenant(tenantId).events.applyRemoteChanges(cal!.id, [
        { kind: 'upsert', remoteId: uid, version: '"1"', events: [parseEvent({ uid, title: uid, start: { dateTime: '2026-12-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T10:00:00Z', timeZone: 'UTC' } })] },
      ]);
    return { tenantId, ep, change };
  }
  const until = async (what: () => Promise<boolean>, ms = 5_000) => {
    for (const t0 = Date.now(); !(await what()); ) {
      if (Date.now() - t0 > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('410 Gone: disabled after one attempt with the reason and a log line; enable sends what it owes', async () => {
    answer.set('/gone', 410);
    const { tenantId, ep, change } = await tenantWithEndpoint('gone', '/gone');
    await change('a');
    await until(async () => (await getWebhookEndpoint(deps, tenantId, ep.id)).status === 'disabled');
    await change('b');
    await new Promise((r) => setTimeout(r, 500));
    const log = await webhookDeliveries.deliveryLog(store.db, tenantId, ep.id, 10);
    assert.deepEqual(log.map((d) => [d.attempts, d.status]), [[1, 'pending']], 'one attempt, nothing retried; b (after the disable) is not sent');
    const [v] = await viewWebhookEndpoints(deps, tenantId, [await getWebhookEndpoint(deps, tenantId, ep.id)]);
    assert.match(v!.disabledReason ?? '', /410 Gone/);
    assert.equal(v!.health.lastErrorStatus, 410);
    assert.equal(v!.pendingMessages, 1);
    assert.ok(lines.some((l) => l.endpointId === ep.id && l.status === 410 && /410 Gone/.test(l.msg)), 'a log line names it');
    answer.set('/gone', 200);
    const enabled = await updateWebhookEndpoint(deps, tenantId, ep.id, { enabled: true });
    assert.equal(enabled.disabledReason, null);
    // A message reaches the receiver before its delivery is marked: wait for the marks, not the arrivals.
    const owedSent = async () => (await viewWebhookEndpoints(deps, tenantId, [await getWebhookEndpoint(deps, tenantId, ep.id)]))[0]!;
    await until(async () => (await owedSent()).pendingMessages === 0, 30_000);
    const after = await owedSent();
    assert.equal(after.health.state, 'healthy');
    assert.equal(received.filter((p) => p === '/gone').length, 2, 'a tried once, then sent after the enable (b, made while disabled, is not owed)');
  });

  it('a failing endpoint shows since when, its backoff steps, the next probe, the last error without the body, and what it owes', async () => {
    answer.set('/down', 503);
    const { tenantId, ep, change } = await tenantWithEndpoint('down', '/down');
    await change('a');
    await until(async () => (await getWebhookEndpoint(deps, tenantId, ep.id)).failures > 0);
    await change('b');
    await change('c');
    await until(async () => (await webhookDeliveries.deliveryLog(store.db, tenantId, ep.id, 10)).length === 3);
    const [v] = await viewWebhookEndpoints(deps, tenantId, [await getWebhookEndpoint(deps, tenantId, ep.id)]);
    assert.equal(v!.status, 'active');
    assert.equal(v!.health.state, 'failing');
    assert.equal(v!.health.consecutiveFailures, 1);
    assert.ok(v!.health.failingSince && v!.health.nextRetryAt && Date.parse(v!.health.nextRetryAt) > Date.parse(v!.health.failingSince));
    assert.equal(v!.health.lastErrorStatus, 503);
    assert.equal(v!.health.lastError, 'HTTP 503');
    assert.ok(!JSON.stringify(v).includes('sk_live'), "the receiver's answer body is not shown");
    assert.deepEqual([v!.pendingMessages, v!.pendingMessagesCapped], [3, false]);
    assert.deepEqual([v!.events, v!.allEvents], [['event.created'], false]);
    // The delivery log keeps the status and what the answer was (media type, size), never its text.
    const log = await webhookDeliveries.deliveryLog(store.db, tenantId, ep.id, 10);
    const failed = log.find((d) => d.lastStatus === 503)!;
    assert.equal(failed.lastError, `HTTP 503: text/plain, ${'internal token=sk_live_SECRET503'.length} bytes`);
    assert.ok(!JSON.stringify(log).includes('sk_live'), "the receiver's answer body is not in the delivery log");
  });

  it('a test send answered 410 Gone disables the endpoint as a delivery does; its answer shows no body', async () => {
    answer.set('/gone-test', 410);
    const { tenantId, ep } = await tenantWithEndpoint('gone-test', '/gone-test');
    const r = await testWebhookEndpoint(deps, tenantId, ep.id);
    assert.deepEqual([r.ok, r.status, r.endpointDisabled], [false, 410, true]);
    assert.match(r.disabledReason ?? '', /410 Gone/);
    assert.ok(!JSON.stringify(r).includes('sk_live'), "the test's answer shows no body");
    const [v] = await viewWebhookEndpoints(deps, tenantId, [await getWebhookEndpoint(deps, tenantId, ep.id)]);
    assert.equal(v!.status, 'disabled');
    assert.match(v!.disabledReason ?? '', /the receiver answered 410 Gone at/);
    assert.equal(v!.health.lastErrorStatus, 410);
    // Another failure of a test leaves the endpoint as it was.
    answer.set('/down-test', 503);
    const other = await tenantWithEndpoint('down-test', '/down-test');
    const r2 = await testWebhookEndpoint(deps, other.tenantId, other.ep.id);
    assert.deepEqual([r2.ok, r2.status, r2.endpointDisabled], [false, 503, false]);
    assert.equal((await getWebhookEndpoint(deps, other.tenantId, other.ep.id)).status, 'active');
  });
});
