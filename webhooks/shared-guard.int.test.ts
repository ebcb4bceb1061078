/**
 * Two API processes behind one load balancer (here: two apps on one store and one Redis): a
 * notification replayed to the other process is still a replay, and a flood spread over both is
 * counted as one flood.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { hashSecret } from '../shared/channel-secret.ts';
import type { Store } from '../shared/store/index.ts';
import { webhookRoutes } from './index.ts';
import { openTestStore } from '../test/support/test-store.ts';

const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const prefix = `calhub-test-hooks-${randomBytes(4).toString('hex')}`;

describe('push receivers in two API processes share their guards through Redis', () => {
  let store: Store;
  const apps: FastifyInstance[] = [];
  const pulls: string[] = [];
  let quietCal = '';
  let handshakeCal = '';

  before(async () => {
    store = await openTestStore();
    await store.migrate();
    const { tenant } = await store.tenants.create('hooks');
    const t = store.tenant(tenant.id);
    const acc = await t.accounts.upsert({ provider: 'google', externalId: 'x@example.test' });
    const cals = await t.calendars.upsertMany(acc.id, ['a', 'b', 'c', 'd'].map((id) => ({ providerCalendarId: id, name: id, timeZone: 'UTC', color: null, readOnly: false })));
    await t.channels.trackAccount(acc.id, new Date());
    for (const [i, c] of cals.entries()) {
      await t.channels.saveActive(c.id, { channelId: `ch-${i}`, resourceId: null, secretHash: hashSecret(`tok-${i}`), address: 'https://hub.example/webhooks/google', expiresAt: new Date(Date.now() + 3_600_000), nextCheckAt: new Date(Date.now() + 3_000_000) });
    }
    quietCal = cals[2]!.id;
    handshakeCal = cals[3]!.id;
    for (let k = 0; k < 2; k++) {
      const app = Fastify();
      await app.register(webhookRoutes, { store, requestPull: async (_t: string, c: string) => void pulls.push(c), channelRate: { perSecond: 0.5, burst: 4 }, redis: { connection: redis, prefix } });
      await app.ready();
      apps.push(app);
    }
  });
  after(async () => {
    for (const a of apps) await a.close();
    await store?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  const notify = async (app: FastifyInstance, channel: string, token: string, n: number | string) => {
    const r = await app.inject({ method: 'POST', url: '/webhooks/google', headers: { 'x-goog-channel-id': channel, 'x-goog-channel-token': token, 'x-goog-resource-state': 'exists', 'x-goog-message-number': String(n) } });
    return r.statusCode === 200 ? 200 : (JSON.parse(r.body) as { error: { code: string } }).error.code;
  };

  it('a message accepted by one process is a replay at the other', async () => {
    // A mark past double precision (the Lua compares digit strings); a first number this high would be implausible.
    await redis.set(`${prefix}:webhook:seen:google:ch-1`, '12345678901234567800');
    assert.equal(await notify(apps[0]!, 'ch-1', 'tok-1', '12345678901234567890'), 200);
    assert.equal(await notify(apps[1]!, 'ch-1', 'tok-1', '12345678901234567890'), 'WEBHOOK_REPLAYED');
    assert.equal(await notify(apps[1]!, 'ch-1', 'tok-1', '99'), 'WEBHOOK_REPLAYED');
    assert.equal(await notify(apps[1]!, 'ch-1', 'tok-1', '12345678901234567891'), 200);
    assert.equal(await notify(apps[0]!, 'ch-1', 'tok-1', '12345678901234567891'), 'WEBHOOK_REPLAYED');
  });

  it("a flood alternating between the processes gets one channel's burst, not one per process", async () => {
    const codes = [];
    for (let n = 1; n <= 10; n++) codes.push(await notify(apps[n % 2]!, 'ch-0', 'tok-0', n));
    assert.equal(codes.filter((c) => c === 200).length, 4, codes.join());
    assert.equal(codes.filter((c) => c === 'WEBHOOK_RATE_LIMITED').length, 6, codes.join());
  });

  it('a number implausibly far above the last is refused without moving the mark; a replay is not activity', async () => {
    const stamped = async () => (await store.db.query<{ at: Date | null }>('SELECT last_notification_at AS at FROM push_channels WHERE calendar_id = $1', [quietCal]))[0]?.at ?? null;
    assert.equal(await notify(apps[0]!, 'ch-2', 'tok-2', 5), 200);
    // The accepted one's stamp is written in the background: cleared before it lands, it would
    // land after and read as the replay's (on a PostgreSQL server it often does).
    for (let i = 0; i < 100 && !(await stamped()); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(await stamped(), 'the accepted notification is stamped');
    await store.db.query('UPDATE push_channels SET last_notification_at = NULL WHERE calendar_id = $1', [quietCal]);
    assert.equal(await notify(apps[1]!, 'ch-2', 'tok-2', 5), 'WEBHOOK_REPLAYED');
    assert.equal(await notify(apps[1]!, 'ch-2', 'tok-2', 1_000_000), 'WEBHOOK_INVALID_REQUEST');
    await new Promise((r) => setTimeout(r, 200)); // the stamp is written in the background
    assert.equal(await stamped(), null, 'neither the replay nor the implausible number counts as activity');
    assert.equal(await notify(apps[0]!, 'ch-2', 'tok-2', 8), 200, 'real notifications still pass');
    assert.equal(await notify(apps[1]!, 'ch-2', 'tok-2', 100_000), 200, 'a large step within the bound passes');
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(await stamped(), 'an accepted notification is activity');
  });

  it("a sync handshake announces no change: it is not the channel's last notification (LAG)", async () => {
    const r = await apps[0]!.inject({ method: 'POST', url: '/webhooks/google', headers: { 'x-goog-channel-id': 'ch-3', 'x-goog-channel-token': 'tok-3', 'x-goog-resource-state': 'sync', 'x-goog-message-number': '1' } });
    assert.equal(r.statusCode, 200);
    await new Promise((res) => setTimeout(res, 200)); // the stamp is written in the background
    const [row] = await store.db.query<{ at: Date | null }>('SELECT last_notification_at AS at FROM push_channels WHERE calendar_id = $1', [handshakeCal]);
    assert.equal(row?.at, null);
  });
});
