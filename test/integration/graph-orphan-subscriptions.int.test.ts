/**
 * A POST /subscriptions whose answer is lost (the connection cut after Graph made it) leaves a
 * subscription calhub does not know, notifying until it expires (up to 7 days for events). The
 * next pass that opens the channel lists GET /subscriptions (no clientState there: matched by
 * notificationUrl and resource) and deletes those no channel row records. A pass without an
 * earlier failure does not list.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ConnectorContext } from '../../connectors/index.ts';
import { createConnector } from '../../connectors/registry.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { disconnectRedis, startHub, type Hub } from '../../webhooks/test-support/hub.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('Graph: subscriptions left by a create whose answer was lost', () => {
  let emu: MicrosoftEmulator;
  let hub: Hub;
  after(async () => {
    await hub?.close();
    await emu?.close();
    disconnectRedis();
  });

  it('are deleted when the channel is next opened; the recorded one stays', { timeout: 120_000 }, async () => {
    emu = await startMicrosoftEmulator({ switches: { allowHttpPush: true } });
    const user = emu.control.createUser({ email: 'orphans@contoso.test', timeZone: 'UTC' });
    const calId = emu.control.createCalendar({ userId: user.id, name: 'orphans' }).id;
    const token = emu.control.issueToken({ userId: user.id, scopes: ['Calendars.ReadWrite', 'offline_access'] }).accessToken;
    const ctx: ConnectorContext = { credentials: { kind: 'oauth', getAccessToken: async () => token }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
    hub = await startHub({ provider: 'microsoft', externalId: user.email, providerCalendarId: calId, connector: await createConnector('microsoft', { baseUrl: emu.url }), ctx });
    const lists = () => emu.control.requests().filter((r) => r.method === 'GET' && r.path === '/v1.0/subscriptions').length;

    emu.control.injectFault({ status: 201, method: 'POST', pathPrefix: '/subscriptions', dropResponse: true });
    assert.deepEqual(await hub.supervisor.sweep(), { failed: 1 });
    const orphan = emu.control.subscriptions().map((s) => s.id);
    assert.equal(orphan.length, 1, 'Graph made the subscription whose answer was lost');
    assert.equal((await hub.store.tenant(hub.tenantId).channels.get(hub.calendarId))!.channelId, null);

    hub.clock.shiftMs += 10 * 60_000;
    assert.deepEqual(await hub.supervisor.sweep(), { created: 1 });
    const row = (await hub.store.tenant(hub.tenantId).channels.get(hub.calendarId))!;
    assert.deepEqual(emu.control.subscriptions().map((s) => s.id), [row.channelId], 'only the recorded subscription is left');
    assert.notEqual(row.channelId, orphan[0]);
    assert.equal(lists(), 1);

    // Opened again without an earlier failure (the channel removed at Graph): no listing.
    await hub.store.db.query("UPDATE push_channels SET status = 'removed', next_check_at = now() - interval '1 minute'");
    assert.deepEqual(await hub.supervisor.sweep(), { created: 1 });
    assert.equal(lists(), 1);
  });
});
