/**
 * A newly connected account's account.connected reaches the receiver before its calendars'
 * calendar.created: the account's and the calendars' streams were sent side by side, so a
 * tenant could be told of a calendar of an account it had never heard of.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { KeyRing } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { createWebhookEndpoint, WebhookDispatcher, type WebhookDeps } from '../../hub/index.ts';
import { startReceiver, type Receiver } from '../support/webhook-receiver.ts';
import { openTestStore } from '../support/test-store.ts';

describe('outbound webhooks: an account before its calendars', () => {
  let store: Store;
  let redis: Redis;
  let receiver: Receiver;
  let tenantId: string;
  let endpointId: string;
  const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
  const dispatchers: WebhookDispatcher[] = [];
  const dispatcher = (opts: { sweepIntervalMs?: number } = {}) => {
    const d = new WebhookDispatcher({
      connection: redis, store, keyring, log: createLogger({ level: 'silent' }), allowPrivateNetworks: true,
      prefix: `t-whf-${randomBytes(4).toString('hex')}`, composeIntervalMs: 50, ...opts,
    });
    dispatchers.push(d);
    return d;
  };
  const connect = async (externalId: string) => {
    const t = store.tenant(tenantId);
    const acc = await t.accounts.upsert({ provider: 'memory', externalId });
    const [cal] = await t.calendars.upsertMany(acc.id, [{ providerCalendarId: `${externalId}/work`, name: 'Work', timeZone: 'UTC', color: null, readOnly: false }]);
    return { accountId: acc.id, calendarId: cal!.id };
  };
  const typesFor = (got: Array<{ type: string; payload: { data: Record<string, unknown> } }>, accountId: string) =>
    got.filter((g) => g.payload.data.accountId === accountId).map((g) => g.type);

  before(async () => {
    store = await openTestStore();
    await store.migrate();
    tenantId = (await store.tenants.create('account-first')).tenant.id;
    receiver = await startReceiver();
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const deps: WebhookDeps = { store, keyring, allowPrivateNetworks: true, kick: async () => undefined };
    const ep = await createWebhookEndpoint(deps, tenantId, { url: receiver.url, events: ['account.connected', 'calendar.created'] });
    endpointId = ep.id;
    await receiver.control({ secrets: [ep.secret] });
  });
  after(async () => {
    for (const d of dispatchers) await d.close();
    redis?.disconnect();
    await receiver?.close();
    await store?.close();
  });

  it("a calendar's stream sent first sends nothing while its account's connected message is owed", async () => {
    const d = dispatcher();
    const { accountId, calendarId } = await connect('first@example.com');
    await d.composeOnce();
    // The worst order the queue can pick: the calendar's stream drained before the account's.
    await d.drain({ endpointId, stream: calendarId });
    await d.drain({ endpointId, stream: accountId });
    await d.drain({ endpointId, stream: calendarId });
    const got = await receiver.waitFor((a) => typesFor(a, accountId).length >= 2, 10_000, 'both messages');
    assert.deepEqual(typesFor(got, accountId), ['account.connected', 'calendar.created']);
  });

  it('with a worker and no sweep, the held-back calendar stream is woken by its account stream', async () => {
    const d = dispatcher({ sweepIntervalMs: 600_000 });
    d.startWorker();
    for (let i = 0; i < 5; i++) {
      const { accountId } = await connect(`worker-${i}@example.com`);
      const got = await receiver.waitFor((a) => typesFor(a, accountId).length >= 2, 10_000, `account ${i}'s messages`);
      assert.deepEqual(typesFor(got, accountId), ['account.connected', 'calendar.created']);
    }
  });
});
