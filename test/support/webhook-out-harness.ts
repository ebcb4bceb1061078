/**
 * The outbound-webhook set-up the webhooks-out-*.int tests share: an in-memory store with one
 * tenant, a memory account with two calendars, a receiver process (webhook-receiver.ts) verifying
 * every signature, and a dispatcher on a real Redis with short compose and sweep intervals, on the
 * test's clock (`now`). Started before the describe block's tests, stopped after them; read the
 * fields inside the tests.
 */
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { Redis } from 'ioredis';
import { createWebhookEndpoint, WebhookDispatcher, type WebhookDeps } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { parseEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { startReceiver, type Receiver } from './webhook-receiver.ts';
import { openTestStore } from './test-store.ts';

export interface WebhookOutHarness {
  readonly store: Store;
  readonly receiver: Receiver;
  readonly deps: WebhookDeps;
  readonly tenantId: string;
  readonly calendars: string[];
  /** Subscribed to event.created, event.updated and event.deleted, at the receiver's URL. */
  readonly endpointId: string;
  /** A change of event `uid` pulled into calendar `cal`, as a provider listing brings it. */
  write(cal: string, uid: string): Promise<unknown>;
  waitUntil(pred: () => Promise<boolean>, what: string, ms?: number): Promise<void>;
}

export function webhookOutHarness(o: { tenant: string; prefix: string; now: () => Date }): WebhookOutHarness {
  let store: Store;
  let redis: Redis;
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher;
  let deps: WebhookDeps;
  let tenantId: string;
  let calendars: string[];
  let endpointId: string;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
    tenantId = (await store.tenants.create(o.tenant)).tenant.id;
    const acc = await store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: `${o.tenant}@example.com` });
    const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
    receiver = await startReceiver();
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    dispatcher = new WebhookDispatcher({
      connection: redis, store, keyring, log: createLogger({ level: 'silent' }), allowPrivateNetworks: true, now: o.now, random: () => 0.5,
      prefix: `${o.prefix}-${randomBytes(4).toString('hex')}`, composeIntervalMs: 50, sweepIntervalMs: 200,
    });
    deps = { store, keyring, allowPrivateNetworks: true, kick: (s) => dispatcher.kick(s), now: o.now };
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
  return {
    get store() { return store; },
    get receiver() { return receiver; },
    get deps() { return deps; },
    get tenantId() { return tenantId; },
    get calendars() { return calendars; },
    get endpointId() { return endpointId; },
    write: (cal, uid) =>
      store.tenant(tenantId).events.applyRemoteChanges(cal, [
        { kind: 'upsert', remoteId: uid, version: '"1"', events: [parseEvent({ uid, title: uid, start: { dateTime: '2026-12-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T10:00:00Z', timeZone: 'UTC' } })] },
      ]),
    // A deadline for what must happen, not a measure: under load one step took most of the 15 s it had.
    async waitUntil(pred, what, ms = 60_000) {
      const until = Date.now() + ms;
      while (!(await pred())) {
        if (Date.now() > until) throw new Error(`timed out: ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
