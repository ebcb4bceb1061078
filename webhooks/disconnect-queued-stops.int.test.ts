/**
 * A disconnect whose channel stops keep failing inline queues them (migration 0056): the worker's
 * sweep retries them with the grant envelope the queued row carries (the account row is gone),
 * and revokes the grant only after the last one, since a revoked grant could not stop anything.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../emulators/google/index.ts';
import { FIRST_RETRY_MS } from '../hub/accounts/disconnect.ts';
import { disconnectAccount, listQueuedStops, openHub, type Hub } from '../hub/index.ts';
import { KeyRing } from '../oauth/index.ts';
import { loadConfig } from '../shared/config/index.ts';
import { createLogger } from '../shared/logger.ts';
import type { Store } from '../shared/store/index.ts';
import { channelStops } from '../shared/store/index.ts';
import { openTestStore } from '../test/support/test-store.ts';

const STOP = '/calendar/v3/channels/stop';

describe('disconnect: channel stops that fail inline are queued and retried until they succeed', () => {
  let emu: RunningGoogleEmulator;
  let store: Store;
  let hub: Hub;
  let tenantId = '';
  let accountId = '';
  let refreshToken = '';
  const email = 'queued@example.com';

  before(async () => {
    emu = await startGoogleEmulator({ allowHttpPush: true });
    emu.control.createUser({ email, timeZone: 'UTC' });
    store = await openTestStore();
    await store.migrate();
    hub = await openHub({
      store,
      // The receiver is not listening: notifications are lost, which this test does not need.
      config: loadConfig({ GOOGLE_CLIENT_ID: 'emulator-client', GOOGLE_CLIENT_SECRET: 'emulator-secret', GOOGLE_OAUTH_BASE_URL: emu.url, GOOGLE_API_BASE_URL: emu.url, CALHUB_PUBLIC_URL: 'http://127.0.0.1:9', CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback' }),
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    });
    tenantId = (await store.tenants.create('queued-stops')).tenant.id;
    const grant = emu.control.issueGrant({ email });
    refreshToken = grant.refreshToken;
    const credentials = hub.tokens.encrypt({ accessToken: grant.accessToken, refreshToken, expiresAt: Date.now() + 3_600_000, scope: 'https://www.googleapis.com/auth/calendar', app: 'default', access: 'readwrite' });
    const t = store.tenant(tenantId);
    accountId = (await t.accounts.upsert({ provider: 'google', externalId: email, credentials })).id;
    await t.calendars.upsertMany(accountId, [{ providerCalendarId: email, name: 'primary', timeZone: 'UTC', color: null, readOnly: false }]);
  });
  after(async () => {
    await hub?.close();
    await store?.close();
    await emu?.close();
  });

  const live = () => emu.control.channels().filter((c) => !c.stopped);
  const grantRevoked = async () => (await fetch(`${emu.url}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: hub.config.oauth.google.clientId ?? 'x', client_secret: hub.config.oauth.google.clientSecret ?? 'x' }) })).status !== 200;

  it('stops failing through 503s are queued, the grant revoked only after the queue stopped them', async () => {
    assert.deepEqual(await hub.supervisor.connectAccount(tenantId, accountId), { created: 2 });
    assert.equal(live().length, 2);
    emu.control.injectFault({ status: 503, reason: 'backendError', pathPrefix: STOP, count: 1_000 });
    const r = await disconnectAccount(hub, tenantId, accountId);
    assert.equal(r.channelsStopped, 0);
    assert.deepEqual(r.channelsLeftRunning, []);
    assert.equal(r.channelsStopQueued.length, 2);
    for (const c of r.channelsStopQueued) assert.match(c.error, /CONNECTOR_TRANSIENT/);
    assert.equal(r.revoked, 'deferred', 'a revoked grant could not stop the queued channels');
    assert.equal(await store.tenant(tenantId).accounts.get(accountId), null, 'the account is gone all the same');
    const queued = await channelStops.listStops(store.db);
    assert.equal(queued.length, 2);
    assert.ok(queued.every((s) => s.credentials && !s.credentials.includes(refreshToken)), 'the grant is kept encrypted');
    assert.equal(await grantRevoked(), false);

    // The first retry is due within seconds (it waited a minute, then for the next tick), and
    // `channels list` shows the stops (it showed nothing: the channels had left push_channels).
    const shown = await listQueuedStops(hub, { tenantId });
    assert.deepEqual(shown.map((s) => [s.state, s.provider, s.tries]), [['stopping', 'google', 0], ['stopping', 'google', 0]]);
    assert.ok(shown.every((s) => s.nextTryInSeconds !== null && s.nextTryInSeconds <= FIRST_RETRY_MS / 1000 && /CONNECTOR_TRANSIENT/.test(s.lastError ?? '')), JSON.stringify(shown));
    // Not due yet; then Google still fails: retried later, nothing lost.
    assert.deepEqual(await hub.supervisor.runStops(), {});
    await store.db.query("UPDATE channel_stops SET next_try_at = now() - interval '1 second'"); // the claim's JS clock (ms) may read the same millisecond as now() (µs)
    assert.deepEqual(await hub.supervisor.runStops(), { retrying: 2 });
    assert.equal(live().length, 2);
    assert.ok((await channelStops.listStops(store.db)).every((s) => s.tries === 1 && s.nextTryAt.getTime() > Date.now()));
    assert.deepEqual((await listQueuedStops(hub, {})).map((s) => s.tries), [1, 1]);

    // Google recovers: the next due try stops both, then the grant is revoked.
    emu.control.clearFaults();
    await store.db.query("UPDATE channel_stops SET next_try_at = now() - interval '1 second'"); // the claim's JS clock (ms) may read the same millisecond as now() (µs)
    assert.deepEqual(await hub.supervisor.runStops(), { stopped: 2 });
    assert.deepEqual(live(), []);
    assert.deepEqual(await channelStops.listStops(store.db), []);
    assert.deepEqual(await listQueuedStops(hub, { tenantId }), []);
    assert.equal(await grantRevoked(), true, 'revoked after the last stop');
  });
});
