/**
 * Disconnecting an account stops its push channels at the provider: retried through passing
 * failures, tried also when the account needs reauth, and channels it could not stop are reported
 * with their expiry (queued, or live at Google until then), never counted as stopped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext } from '../connectors/index.ts';
import { createConnector } from '../connectors/registry.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../emulators/google/index.ts';
import { disconnectAccount, type Hub as AppHub } from '../hub/index.ts';
import { disconnectRedis, startHub, type Hub } from './test-support/hub.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const STOP = '/calendar/v3/channels/stop';

describe('disconnect stops the account\'s push channels', () => {
  let emu: RunningGoogleEmulator;
  let hub: Hub;
  let calId = '';
  const email = 'leaving@example.com';
  before(async () => {
    emu = await startGoogleEmulator({ allowHttpPush: true });
    emu.control.createUser({ email, timeZone: 'UTC' });
    calId = emu.control.createCalendar({ ownerEmail: email, summary: 'push', timeZone: 'UTC' }).id;
    const { accessToken } = emu.control.issueGrant({ email });
    const ctx: ConnectorContext = { credentials: { kind: 'oauth', getAccessToken: async () => accessToken }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
    hub = await startHub({ provider: 'google', externalId: email, providerCalendarId: calId, connector: await createConnector('google', { baseUrl: emu.url }), ctx, ttlSeconds: 3600 });
  });
  after(async () => {
    await hub?.close();
    await emu?.close();
    disconnectRedis();
  });
  const appHub = (): AppHub => ({ ...hub.hub, config: { ...hub.hub.config, publicUrl: hub.url }, supervisor: hub.supervisor }) as AppHub;
  const live = () => emu.control.channels().filter((c) => !c.stopped);
  /** Another account of the tenant on the same Google calendar, with its channels. */
  const second = async () => {
    const t = hub.store.tenant(hub.tenantId);
    const acc = await t.accounts.upsert({ provider: 'google', externalId: `other-${email}` });
    await t.calendars.upsertMany(acc.id, [{ providerCalendarId: calId, name: 'again', timeZone: 'UTC', color: null, readOnly: false }]);
    assert.deepEqual(await hub.supervisor.connectAccount(hub.tenantId, acc.id), { created: 2 });
    return acc.id;
  };

  it('an account that needs reauth still has its channels stopped, through passing 503s', async () => {
    assert.deepEqual(await hub.supervisor.connectAccount(hub.tenantId, hub.accountId), { created: 2 });
    await hub.idle();
    assert.equal(live().length, 2);
    await hub.store.tenant(hub.tenantId).accounts.setStatus(hub.accountId, 'needs_reauth', 'invalid_grant');
    emu.control.injectFault({ status: 503, reason: 'backendError', pathPrefix: STOP, count: 3 });
    const r = await disconnectAccount(appHub(), hub.tenantId, hub.accountId);
    assert.equal(r.channelsStopped, 2);
    assert.deepEqual(r.channelsLeftRunning, []);
    assert.deepEqual(live(), [], 'no channel left at Google');
  });

  it('channels whose stops keep failing are reported as queued with their expiry, not counted as stopped', async () => {
    const accountId = await second();
    await hub.idle();
    emu.control.injectFault({ status: 503, reason: 'backendError', pathPrefix: STOP, count: 1_000 });
    try {
      const r = await disconnectAccount(appHub(), hub.tenantId, accountId);
      assert.equal(r.channelsStopped, 0);
      // This test hub's accounts hold no stored grant: nothing to queue the stops with.
      assert.equal(r.channelsStopQueued.length + r.channelsLeftRunning.length, 2);
      for (const c of [...r.channelsStopQueued, ...r.channelsLeftRunning]) {
        assert.ok(c.expiresAt && Date.parse(c.expiresAt) > Date.now(), JSON.stringify(c));
        assert.match(c.error, /CONNECTOR_TRANSIENT/);
      }
      assert.equal(live().length, 2);
    } finally {
      emu.control.clearFaults();
    }
  });
});
