/**
 * A Google watch whose answer is lost (the channel opened at Google, its resourceId never heard):
 * the channel id was recorded before the call, the channel's `sync` handshake names its resource,
 * and the supervisor stops it; the next renewal makes the one channel that stays, so each change is
 * delivered once, not twice for up to the orphan's whole life.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext } from '../connectors/index.ts';
import { createConnector } from '../connectors/registry.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../emulators/google/index.ts';
import { channelStops } from '../shared/store/index.ts';
import { disconnectRedis, startHub, until, type Hub } from './test-support/hub.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('google push: a watch whose answer was lost', () => {
  let emu: RunningGoogleEmulator;
  let hub: Hub;
  let calId = '';
  const email = 'lost-watch@example.com';

  before(async () => {
    emu = await startGoogleEmulator({ allowHttpPush: true });
    emu.control.createUser({ email, timeZone: 'UTC' });
    calId = emu.control.createCalendar({ ownerEmail: email, summary: 'lost', timeZone: 'UTC' }).id;
    const { accessToken } = emu.control.issueGrant({ email });
    const ctx: ConnectorContext = { credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
    hub = await startHub({ provider: 'google', externalId: email, providerCalendarId: calId, connector: await createConnector('google', { baseUrl: emu.url }), ctx, ttlSeconds: 3600 });
  });
  after(async () => {
    await hub?.close();
    await emu?.close();
    disconnectRedis();
  });

  const live = () => emu.control.channels().filter((c) => !c.stopped && c.calendarId === calId);
  const t = () => hub.store.tenant(hub.tenantId);
  const renewNow = async () => {
    await t().channels.markForAction(hub.calendarId, 'renew', new Date());
    return hub.supervisor.checkCalendar(hub.tenantId, hub.calendarId);
  };

  it('the orphan is stopped through the resource id of its handshake; the next renewal leaves one channel; a change is delivered once', async () => {
    assert.deepEqual(await hub.supervisor.connectAccount(hub.tenantId, hub.accountId), { created: 2 });
    await emu.control.flushNotifications();
    const first = (await t().channels.get(hub.calendarId))!;
    assert.deepEqual(await channelStops.listStops(hub.store.db), [], 'an answered watch leaves no record');

    emu.control.injectFault({ status: 200, method: 'POST', dropResponse: true, pathPrefix: `/calendar/v3/calendars/${encodeURIComponent(calId)}/events/watch` });
    assert.equal(await renewNow(), 'failed', 'the watch answer never came');
    assert.equal(live().length, 2, 'yet Google opened the channel: the old one and the orphan');
    const orphan = live().find((c) => c.id !== first.channelId)!;
    assert.equal((await t().channels.get(hub.calendarId))!.channelId, first.channelId, 'the row still names the old channel');

    // Its handshake came: the orphan is stopped with the resource id it named (by the receiver's
    // shortcut, or this sweep, whichever comes first).
    await emu.control.flushNotifications();
    await hub.supervisor.sweep();
    await until(() => emu.control.channels().find((c) => c.id === orphan.id)!.stopped, 10_000, 'the orphan stopped');
    // The record goes in the write after the stop call returns (stop-queue.ts done), and the
    // receiver's shortcut runs in the background: wait for it rather than read it at once.
    await until(async () => (await channelStops.listStops(hub.store.db)).length === 0, 10_000, 'nothing left queued');

    // The renewal is retried: one new channel, the old one stopped.
    assert.equal(await renewNow(), 'replaced');
    const now = (await t().channels.get(hub.calendarId))!;
    assert.deepEqual(live().map((c) => c.id), [now.channelId]);
    await hub.idle();

    const before = emu.control.deliveries().length;
    emu.control.insertEvent(calId, { summary: 'once', start: { dateTime: '2026-12-10T10:00:00Z' }, end: { dateTime: '2026-12-10T11:00:00Z' } });
    await emu.control.flushNotifications();
    const sent = emu.control.deliveries().slice(before).filter((d) => d.state === 'exists');
    assert.deepEqual(sent.map((d) => d.channelId), [now.channelId], 'one notification for one change');
  });

  it('a handshake for a channel id calhub never recorded is still only a handshake; a wrong token cannot claim a recorded one', async () => {
    const stray = { 'x-goog-channel-id': 'never-recorded', 'x-goog-resource-id': 'r1', 'x-goog-resource-state': 'sync', 'x-goog-message-number': '1' };
    assert.equal((await hub.post('/webhooks/google', { headers: stray })).statusCode, 200);
    await channelStops.recordOpening(hub.store.db, { provider: 'google', channelId: 'recorded', tenantId: hub.tenantId, accountId: hub.accountId, secretHash: 'ab'.repeat(32), expiresAt: new Date(Date.now() + 3_600_000), now: new Date() });
    await channelStops.abandonOpening(hub.store.db, 'google', 'recorded', 'lost', new Date());
    const forged = { ...stray, 'x-goog-channel-id': 'recorded', 'x-goog-channel-token': 'not-the-token' };
    assert.equal((await hub.post('/webhooks/google', { headers: forged })).statusCode, 200);
    const [row] = await channelStops.listStops(hub.store.db);
    assert.equal(row!.resourceId, null, 'a forged notification names no resource');
    await channelStops.removeStop(hub.store.db, 'google', 'recorded');
  });
});
