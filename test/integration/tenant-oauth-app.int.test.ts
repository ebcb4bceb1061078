/**
 * A tenant bringing its own OAuth app: with no Microsoft app configured for the hub, the tenant
 * registers its own through the API; authorize URLs, the connect page and token refreshes then use
 * it (the emulator checks the client secret on refresh), its secret is stored only encrypted and
 * never shown again, and the app cannot be removed while an account hangs on it. Also: a hosted
 * connect-page session that has expired shows the expired page.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { openHub, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { listSecretCells } from '../../shared/store/index.ts';
import { consent } from '../support/consent.ts';
import { openTestStore } from '../support/test-store.ts';

const BACK = 'https://tenant.example.com/connected';
const PUBLIC = 'http://127.0.0.1:3998';
const OWN_SECRET = `own-${randomBytes(12).toString('hex')}`;

describe("a tenant's own OAuth app (Microsoft emulator, no hub-wide app)", () => {
  let ms: MicrosoftEmulator;
  let hub: Hub;
  let app: FastifyInstance;
  let key: string;
  let userId: string;

  before(async () => {
    ms = await startMicrosoftEmulator();
    userId = ms.control.createUser({ email: 'own.app@contoso.test' }).id;
    ms.control.registerApp({ clientId: 'tenant-own-app', clientSecret: OWN_SECRET, redirectUris: [`${PUBLIC}/oauth/microsoft/callback`], name: 'Tenant app' });
    const store = await openTestStore();
    await store.migrate();
    hub = await openHub({
      store,
      config: loadConfig({ MICROSOFT_LOGIN_BASE_URL: ms.url, MICROSOFT_GRAPH_BASE_URL: ms.url, PORT: '3998', CALHUB_PUBLIC_URL: PUBLIC, CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback' }),
      logger: createLogger({ level: 'silent' }),
      keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    });
    app = await buildApp({ hub });
    const t = await store.tenants.create('own-app');
    key = t.apiKey;
  });
  after(async () => {
    await app.close();
    await hub.close();
    await hub.store.close();
    await ms.close();
  });

  const api = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const r = await app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
    return { status: r.statusCode, body: r.body, json: r.body ? JSON.parse(r.body) : null };
  };

  it('without an app, Microsoft cannot be connected and the connect page does not offer it', async () => {
    await api('POST', '/v1/oauth/redirect-uris', { uri: BACK });
    const refused = await api('POST', '/v1/oauth/microsoft/authorize-url', { redirectUri: BACK, access: 'read' });
    assert.equal(refused.status, 400);
    assert.equal(refused.json.error.code, 'PROVIDER_NOT_CONFIGURED');
    assert.equal((await api('GET', '/v1/oauth/microsoft/app')).status, 404);
    const session = await api('POST', '/v1/connect/sessions', { redirectUri: BACK, access: 'read' });
    const page = await app.inject({ method: 'GET', url: new URL(session.json.url).pathname + new URL(session.json.url).search });
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Microsoft 365/);
  });

  it('PUT sets the app; the answer and GET never show the secret; the store holds it only encrypted', async () => {
    const bad = await api('PUT', '/v1/oauth/microsoft/app', { clientId: 'has space' });
    assert.equal(bad.status, 400);
    assert.equal((await api('PUT', '/v1/oauth/yahoo/app', { clientId: 'x' })).status, 400);
    const set = await api('PUT', '/v1/oauth/microsoft/app', { clientId: 'tenant-own-app', clientSecret: OWN_SECRET });
    assert.equal(set.status, 200, set.body);
    assert.deepEqual(set.json, { provider: 'microsoft', clientId: 'tenant-own-app', hasSecret: true, accounts: 0, retiredClients: [] });
    const got = await api('GET', '/v1/oauth/microsoft/app');
    assert.deepEqual(got.json, set.json);
    assert.ok(!got.body.includes(OWN_SECRET));
    const raw = JSON.stringify(await hub.store.db.query('SELECT * FROM tenant_oauth_apps'));
    assert.ok(raw.includes('tenant-own-app') && !raw.includes(OWN_SECRET), 'the client secret is stored encrypted');
  });

  let accountId = '';
  it("authorize URLs and the connect page use the tenant's app; the connection succeeds and refreshes with its secret", async () => {
    const a = await api('POST', '/v1/oauth/microsoft/authorize-url', { redirectUri: BACK, access: 'read' });
    assert.equal(a.status, 200, a.body);
    assert.equal(new URL(a.json.url).searchParams.get('client_id'), 'tenant-own-app');
    const session = await api('POST', '/v1/connect/sessions', { redirectUri: BACK, access: 'read' });
    const page = await app.inject({ method: 'GET', url: new URL(session.json.url).pathname + new URL(session.json.url).search });
    assert.match(page.body, /Microsoft 365/);

    const back = await consent(a.json.url, { account: userId, decision: 'allow' });
    const cb = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    assert.equal(cb.statusCode, 302, cb.body);
    const landed = new URL(cb.headers.location as string);
    accountId = landed.searchParams.get('accountId') ?? '';
    assert.match(accountId, /^acc_/, landed.search);
    assert.equal((await api('GET', '/v1/oauth/microsoft/app')).json.accounts, 1);

    const account = (await hub.store.tenant((await hub.store.tenants.list())[0]!.id).accounts.get(accountId))!;
    const before = await hub.tokens.credentialsFor(account).getAccessToken();
    const refreshed = await hub.tokens.credentialsFor(account).getAccessToken(true);
    assert.ok(refreshed && refreshed !== before, 'a forced refresh at the emulator (client secret checked) gave a new token');
  });

  it("a wrong client secret is the app's fault: AUTH_CLIENT_REJECTED, the account stays active, and fixing the app resumes refreshes", async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    assert.equal((await api('PUT', '/v1/oauth/microsoft/app', { clientId: 'tenant-own-app', clientSecret: wrong })).status, 200);
    const tenantId = (await hub.store.tenants.list())[0]!.id;
    const account = (await hub.store.tenant(tenantId).accounts.get(accountId))!;
    const refused = await hub.tokens.credentialsFor(account).getAccessToken(true).then(() => null, (e: unknown) => e as { code?: string; message: string });
    assert.equal(refused?.code, 'AUTH_CLIENT_REJECTED', refused?.message);
    assert.ok(!refused.message.includes(wrong) && !refused.message.includes(OWN_SECRET), 'no secret in the error');
    assert.match(refused.message, /invalid_client/);
    const after = (await hub.store.tenant(tenantId).accounts.get(accountId))!;
    assert.equal(after.status, 'active', 'the user is not asked to reconnect over the app\'s configuration');

    assert.equal((await api('PUT', '/v1/oauth/microsoft/app', { clientId: 'tenant-own-app', clientSecret: OWN_SECRET })).status, 200);
    const again = await hub.tokens.credentialsFor(after).getAccessToken(true);
    assert.ok(again, 'with the right secret back, the same grant refreshes');
  });

  it('the app cannot be removed while an account uses it (409 OAUTH_APP_IN_USE); after disconnect it can', async () => {
    const refused = await api('DELETE', '/v1/oauth/microsoft/app');
    assert.equal(refused.status, 409);
    assert.equal(refused.json.error.code, 'OAUTH_APP_IN_USE');
    assert.equal((await api('DELETE', `/v1/accounts/${accountId}`)).status, 200);
    assert.equal((await api('DELETE', '/v1/oauth/microsoft/app')).status, 204);
    assert.equal((await api('GET', '/v1/oauth/microsoft/app')).status, 404);
  });

  it('an expired connect-page session shows the expired page, not the chooser', async () => {
    const s = await api('POST', '/v1/connect/sessions', { redirectUri: BACK, access: 'read' });
    const url = new URL(s.json.url);
    assert.equal((await app.inject({ method: 'GET', url: url.pathname + url.search })).statusCode, 200);
    await hub.store.db.query(`UPDATE connect_sessions SET expires_at = now() - interval '1 second'`);
    const expired = await app.inject({ method: 'GET', url: url.pathname + url.search });
    assert.equal(expired.statusCode, 404);
    assert.match(expired.body, /This link is no longer valid/);
    const form = await app.inject({ method: 'POST', url: '/connect/oauth/microsoft', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `session=${url.searchParams.get('session')}` });
    assert.equal(form.statusCode, 404, 'the expired session cannot start a flow either');
  });
});

/**
 * Replacing the tenant's app (another client id) must not strand the grants the old one issued:
 * the emulator in strict app mode binds a refresh token to its client, as Google and Microsoft do.
 * The old client is kept (encrypted) while grants hang on it and dropped when the last one leaves.
 */
describe("replacing a tenant's own OAuth app keeps the grants of the old one working (strict Microsoft emulator)", () => {
  const PUB = 'http://127.0.0.1:3997';
  const SECRET_1 = `one-${randomBytes(12).toString('hex')}`;
  const SECRET_2 = `two-${randomBytes(12).toString('hex')}`;
  let ms: MicrosoftEmulator;
  let hub: Hub;
  let app: FastifyInstance;
  let key: string;
  let tenantId: string;
  let userA: string;
  let userB: string;

  before(async () => {
    ms = await startMicrosoftEmulator();
    userA = ms.control.createUser({ email: 'first@contoso.test' }).id;
    userB = ms.control.createUser({ email: 'second@contoso.test' }).id;
    ms.control.registerApp({ clientId: 'app-one', clientSecret: SECRET_1, redirectUris: [`${PUB}/oauth/microsoft/callback`], name: 'App 1' });
    ms.control.registerApp({ clientId: 'app-two', clientSecret: SECRET_2, redirectUris: [`${PUB}/oauth/microsoft/callback`], name: 'App 2' });
    const store = await openTestStore();
    await store.migrate();
    hub = await openHub({
      store,
      config: loadConfig({ MICROSOFT_LOGIN_BASE_URL: ms.url, MICROSOFT_GRAPH_BASE_URL: ms.url, PORT: '3997', CALHUB_PUBLIC_URL: PUB, CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback' }),
      logger: createLogger({ level: 'silent' }),
      keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    });
    app = await buildApp({ hub });
    const t = await store.tenants.create('replaced-app');
    key = t.apiKey;
    tenantId = t.tenant.id;
  });
  after(async () => {
    await app.close();
    await hub.close();
    await hub.store.close();
    await ms.close();
  });

  const api = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const r = await app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
    return { status: r.statusCode, body: r.body, json: r.body ? JSON.parse(r.body) : null };
  };
  const connect = async (userId: string, clientId: string) => {
    const a = await api('POST', '/v1/oauth/microsoft/authorize-url', { redirectUri: BACK, access: 'read' });
    assert.equal(a.status, 200, a.body);
    assert.equal(new URL(a.json.url).searchParams.get('client_id'), clientId);
    const back = await consent(a.json.url, { account: userId, decision: 'allow' });
    const cb = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    assert.equal(cb.statusCode, 302, cb.body);
    const id = new URL(cb.headers.location as string).searchParams.get('accountId') ?? '';
    assert.match(id, /^acc_/);
    return id;
  };
  const noSecrets = (s: string) => assert.ok(!s.includes(SECRET_1) && !s.includes(SECRET_2), 'no client secret shown');

  let first = '';
  let second = '';
  it('an account connected through app 1 stays active after the app is replaced by app 2, its tokens expire and it resyncs', async () => {
    await api('POST', '/v1/oauth/redirect-uris', { uri: BACK });
    assert.equal((await api('PUT', '/v1/oauth/microsoft/app', { clientId: 'app-one', clientSecret: SECRET_1 })).status, 200);
    first = await connect(userA, 'app-one');

    const replaced = await api('PUT', '/v1/oauth/microsoft/app', { clientId: 'app-two', clientSecret: SECRET_2 });
    assert.equal(replaced.status, 200, replaced.body);
    noSecrets(replaced.body);
    assert.deepEqual(replaced.json, { provider: 'microsoft', clientId: 'app-two', hasSecret: true, accounts: 0, retiredClients: [{ clientId: 'app-one', hasSecret: true, accounts: 1 }] });

    ms.control.expireAccessTokens({ userId: userA });
    const r = await api('POST', `/v1/accounts/${first}/resync`, {});
    assert.equal(r.status, 202, r.body);
    const forced = await hub.tokens.credentialsFor((await hub.store.tenant(tenantId).accounts.get(first))!).getAccessToken(true).then(() => 'ok', (e: unknown) => (e as { code?: string }).code ?? 'error');
    assert.equal(forced, 'ok', 'the grant of app 1 refreshes through app 1');
    const row = (await hub.store.tenant(tenantId).accounts.get(first))!;
    assert.equal(row.status, 'active', row.statusReason ?? '');
  });

  it('new connections use app 2, and both accounts refresh through their own client', async () => {
    second = await connect(userB, 'app-two');
    const got = await api('GET', '/v1/oauth/microsoft/app');
    assert.deepEqual(got.json, { provider: 'microsoft', clientId: 'app-two', hasSecret: true, accounts: 1, retiredClients: [{ clientId: 'app-one', hasSecret: true, accounts: 1 }] });
    for (const [id, user] of [[first, userA], [second, userB]] as const) {
      ms.control.expireAccessTokens({ userId: user });
      const token = await hub.tokens.credentialsFor((await hub.store.tenant(tenantId).accounts.get(id))!).getAccessToken(true);
      assert.ok(token);
      assert.equal((await hub.store.tenant(tenantId).accounts.get(id))!.status, 'active');
    }
    const raw = JSON.stringify(await hub.store.db.query('SELECT * FROM tenant_oauth_app_clients'));
    assert.ok(raw.includes('app-one'), 'the old client is kept while a grant hangs on it');
    noSecrets(raw);
  });

  it("a kept client's secret is rotated on its own: refreshes of its accounts use the new one, stored only encrypted", async () => {
    const tenantRow = async () => (await hub.store.tenant(tenantId).accounts.get(first))!;
    const NEW_1 = `one-new-${randomBytes(12).toString('hex')}`;
    // The old secret leaked: app 1's secret is changed at the provider, so the kept one is refused.
    ms.control.registerApp({ clientId: 'app-one', clientSecret: NEW_1, redirectUris: [`${PUB}/oauth/microsoft/callback`], name: 'App 1' });
    ms.control.expireAccessTokens({ userId: userA });
    const refused = await hub.tokens.credentialsFor(await tenantRow()).getAccessToken(true).then(() => 'ok', (e: unknown) => (e as { code?: string }).code ?? 'error');
    assert.equal(refused, 'AUTH_CLIENT_REJECTED');

    assert.equal((await api('PUT', '/v1/oauth/microsoft/app/retired-clients/app-two', { clientSecret: SECRET_2 })).json.error.code, 'INVALID_REQUEST', "the current client's secret is set on the app");
    assert.equal((await api('PUT', '/v1/oauth/microsoft/app/retired-clients/no-such-client', { clientSecret: 'x' })).status, 404);
    const set = await api('PUT', '/v1/oauth/microsoft/app/retired-clients/app-one', { clientSecret: NEW_1 });
    assert.equal(set.status, 200, set.body);
    assert.deepEqual(set.json, { provider: 'microsoft', clientId: 'app-two', hasSecret: true, accounts: 1, retiredClients: [{ clientId: 'app-one', hasSecret: true, accounts: 1 }] });
    assert.ok(!set.body.includes(NEW_1));
    const raw = JSON.stringify(await hub.store.db.query('SELECT * FROM tenant_oauth_app_clients'));
    assert.ok(!raw.includes(NEW_1), 'the new secret is stored encrypted');
    const cells = (await listSecretCells(hub.store.db)).filter((c) => c.table === 'tenant_oauth_app_clients');
    assert.equal(cells.length, 1, '`keys rotate` covers it');
    assert.equal(hub.keyring.decrypt(cells[0]!.envelope), NEW_1);

    const token = await hub.tokens.credentialsFor(await tenantRow()).getAccessToken(true);
    assert.ok(token, 'the grant of app 1 refreshes through app 1 with its new secret');
    assert.equal((await tenantRow()).status, 'active');
  });

  it('a sign-in started before the app was replaced finishes through the client it started with, and the account is bound to it', async () => {
    const SECRET_3 = `three-${randomBytes(12).toString('hex')}`;
    ms.control.registerApp({ clientId: 'app-three', clientSecret: SECRET_3, redirectUris: [`${PUB}/oauth/microsoft/callback`], name: 'App 3' });
    const userC = ms.control.createUser({ email: 'third@contoso.test' }).id;
    // app 3 becomes the app; a flow starts with it; the app is replaced by app 2 again before the callback.
    assert.equal((await api('PUT', '/v1/oauth/microsoft/app', { clientId: 'app-three', clientSecret: SECRET_3 })).status, 200);
    const a = await api('POST', '/v1/oauth/microsoft/authorize-url', { redirectUri: BACK, access: 'read' });
    assert.equal(new URL(a.json.url).searchParams.get('client_id'), 'app-three');
    const replaced = await api('PUT', '/v1/oauth/microsoft/app', { clientId: 'app-two', clientSecret: SECRET_2 });
    assert.deepEqual(replaced.json.retiredClients.map((r: { clientId: string; accounts: number }) => [r.clientId, r.accounts]), [['app-one', 1], ['app-three', 0]], 'app 3 is kept while its sign-in may still come back');

    const back = await consent(a.json.url, { account: userC, decision: 'allow' });
    const cb = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    assert.equal(cb.statusCode, 302, cb.body);
    const landed = new URL(cb.headers.location as string);
    assert.equal(landed.searchParams.get('error'), null, landed.search);
    const third = landed.searchParams.get('accountId') ?? '';
    assert.match(third, /^acc_/);
    const grant = hub.tokens.decrypt((await hub.store.tenant(tenantId).accounts.get(third))!.credentials!);
    assert.deepEqual([grant.app, grant.clientId], ['tenant', 'app-three'], 'bound to the client that issued its tokens');
    const got = await api('GET', '/v1/oauth/microsoft/app');
    assert.deepEqual(got.json.retiredClients.map((r: { clientId: string; accounts: number }) => [r.clientId, r.accounts]), [['app-one', 1], ['app-three', 1]]);
    ms.control.expireAccessTokens({ userId: userC });
    assert.ok(await hub.tokens.credentialsFor((await hub.store.tenant(tenantId).accounts.get(third))!).getAccessToken(true), 'it refreshes through app 3');
    assert.equal((await api('DELETE', `/v1/accounts/${third}`)).status, 200);
    assert.deepEqual((await api('GET', '/v1/oauth/microsoft/app')).json.retiredClients.map((r: { clientId: string }) => r.clientId), ['app-one']);
  });

  it("the connect page's sign-in started before the app was replaced finishes through its client too", async () => {
    const userD = ms.control.createUser({ email: 'fourth@contoso.test' }).id;
    const session = await api('POST', '/v1/connect/sessions', { redirectUri: BACK, access: 'read' });
    const go = await app.inject({ method: 'POST', url: '/connect/oauth/microsoft', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `session=${new URL(session.json.url).searchParams.get('session')}` });
    assert.equal(go.statusCode, 303, go.body);
    assert.equal(new URL(go.headers.location as string).searchParams.get('client_id'), 'app-two');
    const cookie = String(go.headers['set-cookie']).split(';')[0]!;
    const SECRET_4 = `four-${randomBytes(12).toString('hex')}`;
    ms.control.registerApp({ clientId: 'app-four', clientSecret: SECRET_4, redirectUris: [`${PUB}/oauth/microsoft/callback`], name: 'App 4' });
    assert.equal((await api('PUT', '/v1/oauth/microsoft/app', { clientId: 'app-four', clientSecret: SECRET_4 })).status, 200);
    const back = await consent(go.headers.location as string, { account: userD, decision: 'allow' });
    const cb = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: { cookie } });
    assert.equal(cb.statusCode, 302, cb.body);
    const landed = new URL(cb.headers.location as string);
    assert.equal(landed.searchParams.get('error'), null, landed.search);
    const fourth = landed.searchParams.get('accountId')!;
    assert.equal(hub.tokens.decrypt((await hub.store.tenant(tenantId).accounts.get(fourth))!.credentials!).clientId, 'app-two');
    assert.equal((await api('DELETE', `/v1/accounts/${fourth}`)).status, 200);
    // Back to app 2 as the current app for the tests below.
    assert.equal((await api('PUT', '/v1/oauth/microsoft/app', { clientId: 'app-two', clientSecret: SECRET_2 })).status, 200);
    assert.deepEqual((await api('GET', '/v1/oauth/microsoft/app')).json.retiredClients.map((r: { clientId: string }) => r.clientId), ['app-one']);
  });

  it('a sign-in started with a client the app no longer keeps (the app was removed) fails with a clear CODE_EXCHANGE_FAILED', async () => {
    const { tenant, apiKey } = await hub.store.tenants.create('removed-app');
    const as = async (method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
      const r = await app.inject({ method, url, headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
      return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : null };
    };
    await as('POST', '/v1/oauth/redirect-uris', { uri: BACK });
    assert.equal((await as('PUT', '/v1/oauth/microsoft/app', { clientId: 'app-one', clientSecret: 'whatever' })).status, 200);
    const a = await as('POST', '/v1/oauth/microsoft/authorize-url', { redirectUri: BACK, access: 'read' });
    assert.equal((await as('DELETE', '/v1/oauth/microsoft/app')).status, 204);
    const back = await consent(a.json.url, { account: userA, decision: 'allow' });
    const cb = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    const landed = new URL(cb.headers.location as string);
    assert.equal(landed.searchParams.get('error'), 'CODE_EXCHANGE_FAILED');
    assert.match(landed.searchParams.get('error_description') ?? '', /OAuth app this sign-in was started with was removed/);
    assert.equal((await hub.store.tenant(tenant.id).accounts.list()).length, 0);
  });

  it('the old client is dropped when its last grant leaves; the app in use still cannot be removed', async () => {
    const del = await api('DELETE', `/v1/accounts/${first}`);
    assert.equal(del.status, 200, del.body);
    assert.deepEqual((await api('GET', '/v1/oauth/microsoft/app')).json.retiredClients, []);
    assert.equal((await hub.store.db.query('SELECT 1 FROM tenant_oauth_app_clients')).length, 0);
    const refused = await api('DELETE', '/v1/oauth/microsoft/app');
    assert.equal(refused.status, 409);
    assert.equal(refused.json.error.code, 'OAUTH_APP_IN_USE');
  });
});
