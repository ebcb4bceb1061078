/**
 * A reconnect names its account to the provider: the authorize URL carries `login_hint` with the
 * account's address (Google and Microsoft both take it, provider-facts B.7/B.8), so the emulators'
 * consent pages pre-select that account rather than the first one (which would end the callback in
 * ACCOUNT_MISMATCH). A loginHint the product gives wins.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { openHub, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { openTestStore } from '../support/test-store.ts';

const BACK = 'https://tenant.example.com/connected';
const PUBLIC = 'http://127.0.0.1:3993';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('reconnect sign-ins carry login_hint', () => {
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  let hub: Hub;
  let app: FastifyInstance;
  let key: string;
  let tenantId: string;
  let msUser = '';

  before(async () => {
    google = await startGoogleEmulator();
    for (const email of ['u1@g.test', 'u2@g.test', 'u3@g.test']) google.control.createUser({ email });
    ms = await startMicrosoftEmulator();
    ms.control.createUser({ email: 'first@contoso.test' });
    msUser = ms.control.createUser({ email: 'second@contoso.test' }).id;
    ms.control.registerApp({ clientId: 'hint-app', clientSecret: 'hint-secret-for-tests', redirectUris: [`${PUBLIC}/oauth/microsoft/callback`], name: 'calhub' });
    const store = await openTestStore();
    await store.migrate();
    hub = await openHub({
      store,
      config: loadConfig({
        GOOGLE_CLIENT_ID: 'hint-google', GOOGLE_OAUTH_BASE_URL: google.url, GOOGLE_API_BASE_URL: google.url,
        MICROSOFT_LOGIN_BASE_URL: ms.url, MICROSOFT_GRAPH_BASE_URL: ms.url, MICROSOFT_CLIENT_ID: 'hint-app', MICROSOFT_CLIENT_SECRET: 'hint-secret-for-tests',
        PORT: '3993', CALHUB_PUBLIC_URL: PUBLIC, CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback',
      }),
      logger: createLogger({ level: 'silent' }),
      keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    });
    app = await buildApp({ hub });
    const t = await store.tenants.create('login-hint');
    key = t.apiKey;
    tenantId = t.tenant.id;
    assert.equal((await api('POST', '/v1/oauth/redirect-uris', { uri: BACK })).status, 200);
  });
  after(async () => {
    await app.close();
    await hub.close();
    await hub.store.close();
    await google.close();
    await ms.close();
  });

  async function api(method: 'GET' | 'POST', url: string, body?: unknown) {
    const r = await app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
    return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : null };
  }
  /** The account the provider's consent page has pre-selected. */
  async function preselected(authorizeUrl: string): Promise<string | undefined> {
    const html = await (await fetch(authorizeUrl)).text();
    return /<option value="([^"]+)" selected>/.exec(html)?.[1] ?? /<input type="radio" name="user" value="([^"]+)" checked>/.exec(html)?.[1];
  }
  /** The hosted page's sign-in for a reconnect session: where it sends the browser. */
  async function hostedStart(accountId: string, provider: 'google' | 'microsoft'): Promise<string> {
    const r = await api('POST', '/v1/connect/sessions', { redirectUri: BACK, access: 'read', accountId });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const session = new URL(r.json.url).searchParams.get('session')!;
    const go = await app.inject({ method: 'POST', url: `/connect/oauth/${provider}`, headers: FORM, payload: new URLSearchParams({ session }).toString() });
    assert.equal(go.statusCode, 303, go.body);
    return String(go.headers.location);
  }

  it('Google: a reconnect session and authorize-url with accountId pre-select the account; a given loginHint wins', async () => {
    const acc = await hub.store.tenant(tenantId).accounts.upsert({ provider: 'google', externalId: 'u3@g.test', displayName: 'u3@g.test', email: 'u3@g.test' });
    const hosted = await hostedStart(acc.id, 'google');
    assert.equal(new URL(hosted).searchParams.get('login_hint'), 'u3@g.test');
    assert.equal(await preselected(hosted), 'u3@g.test');
    const a = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read', accountId: acc.id });
    assert.equal(a.status, 200, JSON.stringify(a.json));
    assert.equal(await preselected(a.json.url), 'u3@g.test');
    const given = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read', accountId: acc.id, loginHint: 'u2@g.test' });
    assert.equal(new URL(given.json.url).searchParams.get('login_hint'), 'u2@g.test');
    const fresh = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read' });
    assert.equal(new URL(fresh.json.url).searchParams.get('login_hint'), null, 'a new connection names nobody');
  });

  it('Microsoft: a reconnect session pre-selects the mailbox the account was connected with', async () => {
    const acc = await hub.store.tenant(tenantId).accounts.upsert({ provider: 'microsoft', externalId: msUser, displayName: 'second@contoso.test', config: { email: 'second@contoso.test' } });
    const hosted = await hostedStart(acc.id, 'microsoft');
    assert.equal(new URL(hosted).searchParams.get('login_hint'), 'second@contoso.test');
    assert.equal(await preselected(hosted), msUser);
  });
});
