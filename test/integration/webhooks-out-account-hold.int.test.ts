/**
 * What an account message its receiver keeps failing holds back: the calendar messages of the
 * account's calendars (calendar.updated after account.needs_reauth), and everything of a calendar
 * the endpoint has not heard of before it (a new account's first event), in stream order; not the
 * events of a calendar the endpoint already knows. Those waited for up to the 3-day retry window;
 * now they wait for one backoff step of the endpoint (its failures are the endpoint's).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { KeyRing } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { parseEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { createWebhookEndpoint, WebhookDispatcher, type WebhookDeps } from '../../hub/index.ts';
import { startReceiver, type Receiver, type Received } from '../support/webhook-receiver.ts';
import { openTestStore } from '../support/test-store.ts';

describe('outbound webhooks: what a failing account message holds back', () => {
  let store: Store;
  let redis: Redis;
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher;
  let tenantId: string;
  let endpointId: string;
  let clock = Date.now();
  const now = () => new Date(clock);
  const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);

  const connect = async (externalId: string) => {
    const t = store.tenant(tenantId);
    const acc = await t.accounts.upsert({ provider: 'memory', externalId });
    const [cal] = await t.calendars.upsertMany(acc.id, [{ providerCalendarId: `${externalId}/work`, name: 'Work', timeZone: 'UTC', color: null, readOnly: false }]);
    return { accountId: acc.id, calendarId: cal!.id };
  };
  const write = (calendarId: string, uid: string) =>
    store.tenant(tenantId).events.applyRemoteChanges(calendarId, [
      { kind: 'upsert', remoteId: uid, version: '"1"', events: [parseEvent({ uid, title: uid, start: { dateTime: '2026-12-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T10:00:00Z', timeZone: 'UTC' } })] },
    ]);
  const drainAll = async (streams: string[]) => {
    await dispatcher.composeOnce();
    for (const stream of streams) await dispatcher.drain({ endpointId, stream });
  };
  const seen = (got: Received[], accountId: string) =>
    got.filter((g) => g.payload.data.accountId === accountId).map((g) => (g.type === 'event.created' ? `event:${g.payload.data.event.uid}` : g.type));

  before(async () => {
    store = await openTestStore();
    await store.migrate();
    tenantId = (await store.tenants.create('account-hold')).tenant.id;
    receiver = await startReceiver();
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    dispatcher = new WebhookDispatcher({
      connection: redis, store, keyring, log: createLogger({ level: 'silent' }),
      allowPrivateNetworks: true, now, random: () => 0.5, prefix: `t-whh-${randomBytes(4).toString('hex')}`, composeIntervalMs: 50,
    });
    const deps: WebhookDeps = { store, keyring, allowPrivateNetworks: true, kick: async () => undefined, now };
    // No calendar.created: a calendar's first message for this endpoint is its first event.
    const ep = await createWebhookEndpoint(deps, tenantId, { url: receiver.url, events: ['account.connected', 'account.needs_reauth', 'calendar.updated', 'event.created'] });
    endpointId = ep.id;
    await receiver.control({ secrets: [ep.secret] });
  });
  after(async () => {
    await dispatcher?.close();
    redis?.disconnect();
    await receiver?.close();
    await store?.close();
  });

  it("a known calendar's events go on; its calendar messages and a new account's first event wait, in order", async () => {
    const a = await connect('known@example.com');
    await write(a.calendarId, 'a1');
    await drainAll([a.accountId, a.calendarId]);
    await receiver.waitFor((got) => seen(got, a.accountId).length >= 2, 10_000, "the first account's messages");

    await receiver.control({ failingTypes: ['account.needs_reauth', 'account.connected'] });
    await store.tenant(tenantId).accounts.markNeedsReauth(a.accountId, 'token revoked');
    await write(a.calendarId, 'a2');
    await store.tenant(tenantId).calendars.rename(a.calendarId, 'Renamed');
    await write(a.calendarId, 'a3');
    const b = await connect('new@example.com');
    await write(b.calendarId, 'b1');
    await drainAll([a.accountId, b.accountId, a.calendarId, b.calendarId]);
    // The refusal put the endpoint in backoff (one step, 5 s): its streams wait for it, then the
    // known calendar's stream probes and goes on; the refused message keeps its own backoff.
    clock += 6_000;
    await drainAll([a.calendarId, b.calendarId]);

    const got = await receiver.waitFor((g) => seen(g, a.accountId).includes('event:a2'), 10_000, 'the known calendar\'s next event');
    assert.deepEqual(seen(got, a.accountId), ['account.connected', 'event:a1', 'event:a2'], 'calendar.updated waits for account.needs_reauth, and a3 behind it');
    assert.deepEqual(seen(got, b.accountId), [], "the new account's first event waits for its account.connected");

    // The receiver takes them again: the account streams go first, then what they held, in order.
    await receiver.control({ failingTypes: [] });
    clock += 60_000;
    await drainAll([a.calendarId, b.calendarId, a.accountId, b.accountId, a.calendarId, b.calendarId]);
    const all = await receiver.waitFor((g) => seen(g, b.accountId).length >= 2 && seen(g, a.accountId).length >= 6, 10_000, 'everything');
    assert.deepEqual(seen(all, a.accountId), ['account.connected', 'event:a1', 'event:a2', 'account.needs_reauth', 'calendar.updated', 'event:a3']);
    assert.deepEqual(seen(all, b.accountId), ['account.connected', 'event:b1']);
  });
});
