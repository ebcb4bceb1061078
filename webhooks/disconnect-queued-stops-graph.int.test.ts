/**
 * Queued subscription deletes of a disconnected Microsoft account and Microsoft's refresh-token
 * rotation. Every refresh returns a new refresh token and the old one is not revoked
 * (refresh-tokens.md: "doesn't revoke old refresh tokens when used to fetch new access tokens";
 * FIELD MicrosoftDocs/azure-docs#104142: an old one reused works), so a queued stop still
 * succeeds with the envelope it was queued with after Graph rotated the token meanwhile. The
 * docs also say to delete the old one once a new one came: a refresh during the disconnect's
 * inline tries wrote the rotated grant to the account row, and the queue carried the row as read
 * before it, with the superseded token; it carries the newest now.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../emulators/microsoft/index.ts';
import { disconnectAccount, openHub, type Hub } from '../hub/index.ts';
import { KeyRing } from '../oauth/index.ts';
import { loadConfig } from '../shared/config/index.ts';
import { createLogger } from '../shared/logger.ts';
import type { Store } from '../shared/store/index.ts';
import { channelStops } from '../shared/store/index.ts';
import { openTestStore } from '../test/support/test-store.ts';

describe('disconnect (Microsoft): queued subscription deletes after the refresh token rotated', () => {
  let emu: MicrosoftEmulator;
  let receiver: Server;
  let store: Store;
  let hub: Hub;
  let tenantId = '';
  let accountId = '';
  let userId = '';
  let firstRefresh = '';

  before(async () => {
    emu = await startMicrosoftEmulator({ switches: { allowHttpPush: true } });
    // Graph validates a subscription's URLs by echoing validationToken (subscription-post); nothing else is needed here.
    receiver = createServer((req, res) => {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken');
      res.writeHead(token === null ? 202 : 200, { 'content-type': 'text/plain' }).end(token ?? '');
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as { port: number }).port;
    const user = emu.control.createUser({ email: 'rotated@contoso.test', timeZone: 'UTC' });
    userId = user.id;
    const second = emu.control.createCalendar({ userId, name: 'second' }).id;
    store = await openTestStore();
    await store.migrate();
    hub = await openHub({
      store,
      config: loadConfig({ MICROSOFT_CLIENT_ID: 'calhub-tests', MICROSOFT_CLIENT_SECRET: 'x', MICROSOFT_LOGIN_BASE_URL: emu.url, MICROSOFT_GRAPH_BASE_URL: emu.url, CALHUB_PUBLIC_URL: `http://127.0.0.1:${port}`, CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback' }),
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    });
    tenantId = (await store.tenants.create('queued-stops-graph')).tenant.id;
    const grant = emu.control.issueToken({ userId });
    firstRefresh = grant.refreshToken!;
    const credentials = hub.tokens.encrypt({ accessToken: grant.accessToken, refreshToken: firstRefresh, expiresAt: Date.now() + 3_600_000, scope: 'Calendars.ReadWrite User.Read offline_access', app: 'default', access: 'readwrite' });
    const t = store.tenant(tenantId);
    accountId = (await t.accounts.upsert({ provider: 'microsoft', externalId: user.email, credentials, config: { email: user.email } })).id;
    await t.calendars.upsertMany(accountId, [user.calendarId, second].map((id) => ({ providerCalendarId: id, name: id, timeZone: 'UTC', color: null, readOnly: false })));
  });
  after(async () => {
    await hub?.close();
    await store?.close();
    await emu?.close();
    receiver?.close();
  });

  it('the queue carries the rotated grant, and stops with it after Graph rotated it again', async () => {
    assert.deepEqual(await hub.supervisor.connectAccount(tenantId, accountId), { created: 2 });
    assert.equal(emu.control.subscriptions().length, 2);
    // The access token expires: the first inline stop refreshes (Graph rotates the refresh token), then Graph fails the deletes.
    emu.control.expireAccessTokens({ userId });
    emu.control.injectFault({ status: 503, code: 'ServiceUnavailable', method: 'DELETE', pathPrefix: '/subscriptions', count: 1_000 });
    const refreshesBefore = emu.control.tokenRequests().length;
    const r = await disconnectAccount(hub, tenantId, accountId);
    assert.equal(r.channelsStopQueued.length, 2, JSON.stringify(r));
    assert.ok(emu.control.tokenRequests().length > refreshesBefore, 'the disconnect refreshed the grant');
    const queued = await channelStops.listStops(store.db);
    assert.equal(queued.length, 2);
    const carried = new Set(queued.map((s) => hub.tokens.decrypt(s.credentials!).refreshToken));
    assert.equal(carried.size, 1);
    assert.equal([...carried][0] === firstRefresh, false, 'the queue carries the rotated refresh token, not the one it superseded'); // compared, not shown: no token in test output

    // Meanwhile the queued token is redeemed elsewhere (Graph rotates it), and the access token the queue holds expires.
    const redeemed = await fetch(`${emu.url}/common/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: [...carried][0]!, client_id: 'calhub-tests', scope: 'Calendars.ReadWrite offline_access' }) });
    const rotated = (await redeemed.json()) as { refresh_token?: string };
    assert.equal(redeemed.status, 200);
    assert.equal(typeof rotated.refresh_token === 'string' && rotated.refresh_token !== [...carried][0], true, 'Graph rotated it');
    emu.control.expireAccessTokens({ userId });
    emu.control.clearFaults();
    // A second back: the claim compares with the JS clock (ms), which can read the same millisecond as now() (µs) and fall before it.
    await store.db.query("UPDATE channel_stops SET next_try_at = now() - interval '1 second'");
    assert.deepEqual(await hub.supervisor.runStops(), { stopped: 2 });
    assert.deepEqual(emu.control.subscriptions(), []);
    assert.deepEqual(await channelStops.listStops(store.db), []);
  });
});
