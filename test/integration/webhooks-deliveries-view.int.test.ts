/**
 * The delivery log agrees with its endpoint while the endpoint backs off (a real receiver process,
 * a simulated clock). An outside operator saw `webhooks show` say `failing … next retry 03:24:23Z`
 * while `webhooks deliveries` listed most rows `due now`: messages of the endpoint's other streams
 * go no earlier than its next probe, and now show that time. And `webhooks update <id> --enable`
 * on a failing (not disabled) endpoint sends what it owes now, not at the next backoff step: with
 * the receiver back, delivery waited up to one more step (~6 min) and no command could shorten it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { KeyRing } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { parseEvent } from '../../shared/model/index.ts';
import { Store, webhookDeliveries } from '../../shared/store/index.ts';
import { createWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint, webhookDeliveryView, WebhookDispatcher, type WebhookDeps } from '../../hub/index.ts';
import { deliveriesText } from '../../cli/commands/webhooks.ts';
import { startReceiver, type Receiver } from '../support/webhook-receiver.ts';

describe('webhook delivery log while its endpoint backs off', () => {
  let store: Store;
  let redis: Redis;
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher;
  let deps: WebhookDeps;
  let tenantId: string;
  let calendars: string[];
  let endpointId: string;
  const clock = Date.now();
  const now = () => new Date(clock);

  const write = async (cal: string, uid: string) =>
    store.tenant(tenantId).events.applyRemoteChanges(cal, [
      { kind: 'upsert', remoteId: uid, version: '"1"', events: [parseEvent({ uid, title: uid, start: { dateTime: '2026-12-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T10:00:00Z', timeZone: 'UTC' } })] },
    ]);
  async function waitUntil(pred: () => Promise<boolean>, what: string, ms = 15_000) {
    const until = Date.now() + ms;
    while (!(await pred())) {
      if (Date.now() > until) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    tenantId = (await store.tenants.create('view')).tenant.id;
    const acc = await store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: 'v@example.com' });
    const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
    receiver = await startReceiver();
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    dispatcher = new WebhookDispatcher({
      connection: redis, store, keyring, log: createLogger({ level: 'silent' }), allowPrivateNetworks: true, now, random: () => 0.5,
      prefix: `t-whv-${randomBytes(4).toString('hex')}`, composeIntervalMs: 50, sweepIntervalMs: 200,
    });
    deps = { store, keyring, allowPrivateNetworks: true, kick: (s) => dispatcher.kick(s), now };
    const ep = await createWebhookEndpoint(deps, tenantId, { url: receiver.url, events: ['event.created', 'event.updated', 'event.deleted'] });
    endpointId = ep.id;
    await receiver.control({ secrets: [ep.secret] });
    calendars = (await store.tenant(tenantId).calendars.upsertMany(acc.id, ['one', 'two'].map((n) => ({ providerCalendarId: n, name: n, timeZone: 'UTC', color: null, readOnly: false })))).map((c) => c.id);
    dispatcher.startWorker();
  });
  after(async () => {
    await dispatcher?.close();
    redis?.disconnect();
    await receiver?.close();
    await store?.close();
  });

  it('rows held behind the backoff show the endpoint next retry; the tried one its attempts and status; --enable retries now', async () => {
    await receiver.control({ failing: true });
    await write(calendars[0]!, 'a0');
    await waitUntil(async () => (await receiver.state()).failedOnPurpose >= 1, 'the first attempt');
    await waitUntil(async () => (await getWebhookEndpoint(deps, tenantId, endpointId)).failures > 0, 'the endpoint failing');
    const retryAt = (await getWebhookEndpoint(deps, tenantId, endpointId)).retryAt!;
    // The other calendar's change: a stream never tried, held by the endpoint's backoff alone.
    await write(calendars[1]!, 'b0');
    await waitUntil(async () => (await webhookDeliveries.deliveryLog(store.db, tenantId, endpointId, 10)).length === 2, 'the second message composed');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await receiver.state()).failedOnPurpose, 1, 'nothing else was tried during the backoff');
    const log = await webhookDeliveries.deliveryLog(store.db, tenantId, endpointId, 10);
    const [held, tried] = log;
    assert.deepEqual([tried!.status, tried!.attempts, tried!.lastStatus], ['pending', 1, 503]);
    assert.match(tried!.lastError ?? '', /^HTTP 503/);
    assert.deepEqual([held!.status, held!.attempts], ['pending', 0]);
    assert.equal(held!.nextAttemptAt, new Date(retryAt).toISOString(), "a row held behind the endpoint's backoff goes at its next retry, not now");

    // A page smaller than what is owed (newest first) leaves the tried message out: it still shows, last, marked.
    const paged = await webhookDeliveryView(deps, tenantId, endpointId, 1);
    assert.deepEqual(paged.rows.map((r) => [r.messageId, r.beingTried]), [[held!.messageId, false], [tried!.messageId, true]]);
    assert.equal(paged.triedOffPage, true);
    assert.deepEqual([paged.tried?.messageId, paged.tried?.attempts, paged.tried?.lastStatus], [tried!.messageId, 1, 503]);
    const text = deliveriesText(paged, clock);
    assert.match(text.split('\n')[0]!, new RegExp(`^Being tried: ${tried!.messageId} \\(event\\.created, owed since [^)]+\\): 1 attempt\\(s\\), last HTTP 503 \\(HTTP 503[^)]*\\), next retry ${retryAt.replace(/[.]/g, '\\.')}; older than this page, listed last$`));
    assert.match(text, new RegExp(`\\* ${tried!.messageId}\\s+event\\.created\\s+pending\\s+1\\s+503`));
    // On the page, it is marked where it stands, not listed twice.
    const whole = await webhookDeliveryView(deps, tenantId, endpointId, 10);
    assert.deepEqual(whole.rows.map((r) => [r.messageId, r.beingTried]), [[held!.messageId, false], [tried!.messageId, true]]);
    assert.equal(whole.triedOffPage, false);

    // The receiver is back; the operator retries now instead of waiting for the next step (the clock does not move).
    await receiver.control({ failing: false });
    await updateWebhookEndpoint(deps, tenantId, endpointId, { enabled: true });
    await waitUntil(async () => (await webhookDeliveries.deliveryLog(store.db, tenantId, endpointId, 10)).every((l) => l.status === 'delivered'), 'both delivered without waiting for the backoff');
    assert.equal((await getWebhookEndpoint(deps, tenantId, endpointId)).failures, 0);
  });
});
