/**
 * The delivery log agrees with its endpoint while the endpoint backs off (a real receiver process,
 * a simulated clock). An outside operator saw `webhooks show` say `failing … next retry 03:24:23Z`
 * while `webhooks deliveries` listed most rows `due now`: messages of the endpoint's other streams
 * go no earlier than its next probe, and now show that time. And `webhooks update <id> --enable`
 * on a failing (not disabled) endpoint sends what it owes now, not at the next backoff step: with
 * the receiver back, delivery waited up to one more step (~6 min) and no command could shorten it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webhookDeliveries } from '../../shared/store/index.ts';
import { getWebhookEndpoint, updateWebhookEndpoint, webhookDeliveryView } from '../../hub/index.ts';
import { deliveriesText } from '../../cli/commands/webhooks.ts';
import { webhookOutHarness } from '../support/webhook-out-harness.ts';

describe('webhook delivery log while its endpoint backs off', () => {
  const clock = Date.now();
  const now = () => new Date(clock);
  const w = webhookOutHarness({ tenant: 'view', prefix: 't-whv', now });

  it('rows held behind the backoff show the endpoint next retry; the tried one its attempts and status; --enable retries now', async () => {
    const { store, receiver, deps, tenantId, calendars, endpointId, write, waitUntil } = w;
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
