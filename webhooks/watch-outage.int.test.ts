/**
 * A Google outage while channels are renewed: each watch Google answered with an error opened
 * nothing, so it leaves nothing queued to stop (an outage used to leave a `stopping` row per
 * failed attempt, never tried and kept for the channel's whole week). A watch whose answer was
 * lost and whose channel never sent its handshake is settled once the handshake window passes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext } from '../connectors/index.ts';
import { createConnector } from '../connectors/registry.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../emulators/google/index.ts';
import { channelStops } from '../shared/store/index.ts';
import { disconnectRedis, startHub, type Hub } from './test-support/hub.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const HOUR = 3_600_000;

describe('google push: watches during an outage', () => {
  let emu: RunningGoogleEmulator;
  let hub: Hub;
  let calId = '';
  const email = 'watch-outage@example.com';

  before(async () => {
    emu = await startGoogleEmulator({ allowHttpPush: true });
    emu.control.createUser({ email, timeZone: 'UTC' });
    calId = emu.control.createCalendar({ ownerEmail: email, summary: 'outage', timeZone: 'UTC' }).id;
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

  it('watches Google answered with 503 queue no stops; after recovery the renewal makes the one channel', async () => {
    assert.deepEqual(await hub.supervisor.connectAccount(hub.tenantId, hub.accountId), { created: 2 });
    await emu.control.flushNotifications();
    emu.control.injectFault({ status: 503, reason: 'backendError', count: 1_000_000, method: 'POST', pathPrefix: `/calendar/v3/calendars/${encodeURIComponent(calId)}/events/watch` });
    for (let i = 0; i < 3; i++) assert.equal(await renewNow(), 'failed');
    await hub.supervisor.sweep();
    assert.deepEqual(await channelStops.listStops(hub.store.db), [], 'Google refused each watch: there is nothing to stop');
    emu.control.clearFaults();
    assert.equal(await renewNow(), 'replaced');
    assert.deepEqual(live().map((c) => c.id), [(await t().channels.get(hub.calendarId))!.channelId]);
  });

  it('a lost watch whose handshake never came is dropped after the handshake window; a recent one waits', async () => {
    const now = Date.now();
    const record = async (channelId: string, at: number) => {
      await channelStops.recordOpening(hub.store.db, { provider: 'google', channelId, tenantId: hub.tenantId, accountId: hub.accountId, secretHash: 'ab'.repeat(32), expiresAt: new Date(now + 24 * HOUR), now: new Date(at) });
      await channelStops.abandonOpening(hub.store.db, 'google', channelId, 'CONNECTOR_TRANSIENT: google: socket hang up', new Date(at));
    };
    await record('lost-long-ago', now - 2 * HOUR);
    await record('lost-just-now', now);
    await hub.supervisor.sweep();
    assert.deepEqual((await channelStops.listStops(hub.store.db)).map((s) => s.channelId), ['lost-just-now']);
    await channelStops.removeStop(hub.store.db, 'google', 'lost-just-now');
  });
});
