/**
 * Outbound webhooks against a failing receiver (a real process verifying every signature), on a
 * simulated clock: a receiver that fails for a while then recovers gets everything, in commit
 * order; one that never recovers gets its endpoint disabled after the 3-day retry window, with
 * the reason visible, and a replay then sends the backlog.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webhookDeliveries } from '../../shared/store/index.ts';
import { getWebhookEndpoint, replayWebhooks } from '../../hub/index.ts';
import { webhookOutHarness } from '../support/webhook-out-harness.ts';

const HOUR = 3_600_000;

describe('outbound webhooks: retries, order, disable, replay', () => {
  let clock = Date.now();
  const now = () => new Date(clock);
  const w = webhookOutHarness({ tenant: 'retry', prefix: 't-whr', now });

  const attempts = async () => (await w.receiver.state()).failedOnPurpose;
  const uidsOf = (list: Array<{ payload: { data: { event?: { uid?: string } } } }>) => list.map((a) => a.payload.data.event?.uid).filter(Boolean) as string[];
  const firstSeen = (uids: string[]) => uids.filter((u, i) => uids.indexOf(u) === i);

  it('a receiver failing for a while gets every message once it recovers, in commit order', async () => {
    const { store, receiver, tenantId, calendars, endpointId, write, waitUntil } = w;
    await receiver.control({ failing: true });
    for (let i = 0; i < 5; i++) await write(calendars[0]!, `a${i}`);
    await waitUntil(async () => (await attempts()) >= 1, 'the first attempt');
    // The head failed and holds its stream back: nothing behind it was tried.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await attempts(), 1);
    let log = await webhookDeliveries.deliveryLog(store.db, tenantId, endpointId, 10);
    const head = log.at(-1)!;
    assert.deepEqual([head.status, head.attempts, head.lastStatus], ['pending', 1, 503]);
    assert.equal(Date.parse(head.nextAttemptAt!) - clock, 5_000, 'first retry after 5 s (jitter fixed at its midpoint)');
    assert.ok(log.slice(0, -1).every((l) => l.attempts === 0));
    clock += 6_000;
    await waitUntil(async () => (await attempts()) >= 2, 'the second attempt');
    await receiver.control({ failing: false });
    clock += 60_000;
    const got = await receiver.waitFor((a) => new Set(uidsOf(a)).size >= 5, 15_000, 'five events');
    assert.deepEqual(firstSeen(uidsOf(got)), ['a0', 'a1', 'a2', 'a3', 'a4']);
    log = await webhookDeliveries.deliveryLog(store.db, tenantId, endpointId, 10);
    assert.ok(log.every((l) => l.status === 'delivered'));
    assert.equal(log.at(-1)!.attempts, 3);
  });

  it('a receiver that never recovers: the endpoint is disabled after 3 days with the reason, and replay sends the backlog', async () => {
    const { receiver, deps, tenantId, calendars, endpointId, write, waitUntil } = w;
    const since = new Date();
    await receiver.control({ failing: true, reset: true });
    for (let i = 0; i < 3; i++) await write(calendars[1]!, `b${i}`);
    await waitUntil(async () => (await attempts()) >= 1, 'the first attempt');
    let tries = 1;
    for (let step = 0; step < 20; step++) {
      const ep = await getWebhookEndpoint(deps, tenantId, endpointId);
      if (ep.status === 'disabled') break;
      clock += 9 * HOUR;
      tries += 1;
      await waitUntil(async () => (await attempts()) >= tries || (await getWebhookEndpoint(deps, tenantId, endpointId)).status === 'disabled', `attempt ${tries}`);
    }
    const ep = await getWebhookEndpoint(deps, tenantId, endpointId);
    assert.equal(ep.status, 'disabled');
    assert.match(ep.disabledReason!, /failed for 3 days since .*last error: HTTP 503/);
    // Nothing more is tried while disabled, and what changes meanwhile is still recorded.
    const triedBefore = await attempts();
    await write(calendars[1]!, 'b3');
    clock += 24 * HOUR;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await attempts(), triedBefore);

    await receiver.control({ failing: false });
    const replayed = await replayWebhooks(deps, tenantId, endpointId, since);
    assert.equal(replayed.messages, 4);
    assert.equal((await getWebhookEndpoint(deps, tenantId, endpointId)).status, 'active');
    const got = await receiver.waitFor((a) => new Set(uidsOf(a)).size >= 4, 15_000, 'the backlog');
    assert.deepEqual(firstSeen(uidsOf(got)), ['b0', 'b1', 'b2', 'b3']);
  });
});
