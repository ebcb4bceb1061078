/**
 * An endpoint whose signing secret no key of the ring can read (its key dropped before rotation
 * moved the secret): each attempt is a failed delivery with the reason in the delivery log and one
 * warning, then it backs off. It used to fail the drain job without recording anything, so the
 * stream stayed due and every sweep retried at once, logging `webhook drain failed` ~6 times a second.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { KeyRing } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { parseEvent } from '../../shared/model/index.ts';
import type { Store} from '../../shared/store/index.ts';
import { webhookDeliveries } from '../../shared/store/index.ts';
import { WebhookDispatcher } from '../../hub/index.ts';
import { openTestStore } from '../support/test-store.ts';

describe('outbound webhooks: a signing secret the key ring cannot read', () => {
  let store: Store;
  let redis: Redis;
  let dispatcher: WebhookDispatcher;
  const lines: Array<{ msg: string; endpointId?: string; code?: string }> = [];
  const text: string[] = [];
  const dropped = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
  const plainSecret = `whsec_${randomBytes(24).toString('base64')}`;

  before(async () => {
    store = await openTestStore();
    await store.migrate();
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  });
  after(async () => {
    await dispatcher?.queue.obliterate({ force: true }).catch(() => undefined);
    await dispatcher?.close();
    redis?.disconnect();
    await store?.close();
  });

  it('fails the attempt visibly, warns once, and backs off instead of spinning', async () => {
    const tenantId = (await store.tenants.create('unreadable')).tenant.id;
    const acc = await store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: 'u@example.com' });
    const [cal] = await store.tenant(tenantId).calendars.upsertMany(acc.id, [{ providerCalendarId: 'one', name: 'one', timeZone: 'UTC', color: null, readOnly: false }]);
    // Sealed with k1; the dispatcher's ring has only k2: the operator dropped k1 too early.
    const ep = await store.tenant(tenantId).webhooks.create({ url: 'http://127.0.0.1:9/never-reached', eventTypes: ['event.created'], encryptedSecret: dropped.encrypt(plainSecret) });
    const log = createLogger({
      level: 'info',
      destination: new Writable({ write: (c, _e, cb) => (text.push(String(c)), lines.push(JSON.parse(String(c)) as (typeof lines)[number]), cb()) }) as never,
    });
    dispatcher = new WebhookDispatcher({
      connection: redis, store, keyring: KeyRing.parse(`k2:${randomBytes(32).toString('base64')}`), log, allowPrivateNetworks: true,
      prefix: `t-whu-${randomBytes(4).toString('hex')}`, composeIntervalMs: 50, sweepIntervalMs: 50,
    });
    dispatcher.startWorker();
    await store.tenant(tenantId).events.applyRemoteChanges(cal!.id, [
      { kind: 'upsert', remoteId: 'x', version: '"1"', events: [parseEvent({ uid: 'x', title: 'x', start: { dateTime: '2026-12-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T10:00:00Z', timeZone: 'UTC' } })] },
    ]);
    const tried = async () => (await webhookDeliveries.deliveryLog(store.db, tenantId, ep.id, 10)).some((d) => d.attempts > 0);
    for (const t0 = Date.now(); !(await tried()) && Date.now() - t0 < 5_000; ) await new Promise((r) => setTimeout(r, 50));
    // A second of sweeps every 50 ms: none may try the head again before its backoff (5 s).
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(lines.filter((l) => l.msg === 'webhook drain failed').length, 0, 'the drain job failed instead of recording the attempt');
    const attempts = await webhookDeliveries.deliveryLog(store.db, tenantId, ep.id, 10);
    assert.deepEqual(attempts.map((d) => [d.attempts, d.status]), [[1, 'pending']], 'one failed attempt, then the backoff');
    assert.match(attempts[0]!.lastError ?? '', /^SECRET_UNREADABLE: /);
    const warnings = lines.filter((l) => l.code === 'SECRET_UNREADABLE' && l.endpointId === ep.id);
    assert.equal(warnings.length, 1, `one warning per attempt: ${warnings.length}`);
    assert.ok(!text.join('').includes(plainSecret), 'the secret itself is never logged');
  });
});
