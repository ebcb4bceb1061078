/**
 * The authorization-code flow against both emulators' consent pages: state is single use,
 * short-lived and bound to tenant, provider and redirect URI; the redirect URI must be on the
 * tenant's allow-list; a wrong PKCE verifier fails the exchange; denial and partial grants end
 * with stable codes and nothing stored.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../emulators/microsoft/index.ts';
import { loadConfig } from '../shared/config/index.ts';
import { secretHash, Store } from '../shared/store/index.ts';
import { consent } from '../test/support/consent.ts';
import { AuthorizeError, beginAuthorization, CallbackError, finishAuthorization, type AuthorizationDeps } from './authorization.ts';
import { KeyRing } from './keyring.ts';
import { TokenManager } from './token-manager.ts';

const BACK = 'https://app.example.com/calendar-connected';
const G_EMAIL = 'flow@example.com';

describe('oauth authorization flow', () => {
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  let msUser: string;
  let store: Store;
  let d: AuthorizationDeps;
  let tenantA: string;
  let tenantB: string;

  before(async () => {
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
    google.control.createUser({ email: G_EMAIL });
    msUser = ms.control.createUser({ email: 'flow@contoso.test' }).id;
    ms.control.registerApp({ clientId: 'flow-ms', redirectUris: ['http://127.0.0.1:1/oauth/microsoft/callback'], name: 'calhub' });
    store = await Store.open({ dataDir: null });
    await store.migrate();
    tenantA = (await store.tenants.create('a')).tenant.id;
    tenantB = (await store.tenants.create('b')).tenant.id;
    await store.oauth.allowRedirect(tenantA, BACK);
    const config = loadConfig({
      GOOGLE_CLIENT_ID: 'flow-google', GOOGLE_OAUTH_BASE_URL: google.url, GOOGLE_API_BASE_URL: google.url,
      MICROSOFT_CLIENT_ID: 'flow-ms', MICROSOFT_LOGIN_BASE_URL: ms.url, MICROSOFT_GRAPH_BASE_URL: ms.url,
    });
    const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
    d = {
      store, keyring, oauth: config.oauth,
      tokens: new TokenManager({ store, keyring, oauth: config.oauth }),
      callbackUrl: (p) => `http://127.0.0.1:1/oauth/${p}/callback`,
    };
  });
  after(async () => {
    await store.close();
    await google.close();
    await ms.close();
  });

  const begin = (o: Partial<Parameters<typeof beginAuthorization>[1]> = {}) =>
    beginAuthorization(d, { tenantId: tenantA, provider: 'google', redirectUri: BACK, access: 'read', ...o });
  const rejectsWith = (p: Promise<unknown>, code: string, redirect: string | null) =>
    assert.rejects(p, (e: unknown) => e instanceof CallbackError && e.callbackCode === code && e.redirectUri === redirect);

  it('google: the URL carries PKCE S256, state, offline access and the fewest scopes; the callback yields the account', async () => {
    const { url, expiresAt } = await begin({ loginHint: G_EMAIL });
    const q = new URL(url).searchParams;
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('code_challenge')!, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(q.get('access_type'), 'offline');
    assert.equal(q.get('prompt'), 'consent');
    assert.equal(q.get('scope'), 'https://www.googleapis.com/auth/calendar.readonly');
    assert.equal(q.get('redirect_uri'), 'http://127.0.0.1:1/oauth/google/callback');
    assert.ok(Date.parse(expiresAt) > Date.now());
    const back = await consent(url, { account: G_EMAIL, decision: 'allow' });
    const done = await finishAuthorization(d, 'google', back.searchParams);
    assert.deepEqual([done.tenantId, done.redirectUri, done.identity.externalId, done.access], [tenantA, BACK, G_EMAIL, 'read']);
    assert.ok(done.grant.refreshToken);
  });

  it('microsoft: offline_access and Calendars.ReadWrite for readwrite; the identity is the Graph user id', async () => {
    const { url } = await begin({ provider: 'microsoft', access: 'readwrite' });
    assert.equal(new URL(url).searchParams.get('scope'), 'offline_access User.Read Calendars.ReadWrite');
    const back = await consent(url, { account: msUser, decision: 'allow' });
    const done = await finishAuthorization(d, 'microsoft', back.searchParams);
    assert.equal(done.identity.externalId, msUser);
    assert.equal(done.identity.displayName, 'flow@contoso.test');
    assert.ok(done.grant.refreshToken);
  });

  it('a replayed state is refused (STATE_USED: never exchanged twice), with no redirect to anyone', async () => {
    const { url } = await begin();
    const back = await consent(url, { account: G_EMAIL, decision: 'allow' });
    await finishAuthorization(d, 'google', back.searchParams);
    // Still held by its callback (the hub stores the account next): in progress, never exchanged twice.
    await rejectsWith(finishAuthorization(d, 'google', back.searchParams), 'STATE_IN_PROGRESS', null);
    await store.oauth.markConnected(back.searchParams.get('state')!);
    await rejectsWith(finishAuthorization(d, 'google', back.searchParams), 'STATE_USED', null);
  });

  it('a used state keeps no PKCE verifier: cleared once the code was exchanged; the reload still answers STATE_USED', async () => {
    const { url } = await begin();
    const back = await consent(url, { account: G_EMAIL, decision: 'allow' });
    const state = back.searchParams.get('state')!;
    const row = async () => (await store.db.query<{ verifier: string | null; used_at: Date | null }>('SELECT verifier, used_at FROM oauth_states WHERE state_hash = $1', [secretHash(state)]))[0]!;
    assert.ok((await row()).verifier, 'a pending state holds its encrypted verifier');
    await finishAuthorization(d, 'google', back.searchParams);
    const used = await row();
    assert.ok(used.used_at, 'the used state is kept for the reload page');
    assert.equal(used.verifier, null, 'and its verifier is gone');
    await store.oauth.markConnected(state);
    await rejectsWith(finishAuthorization(d, 'google', back.searchParams), 'STATE_USED', null);
  });

  it('a state is bound to its provider and its tenant', async () => {
    const { url } = await begin();
    const back = await consent(url, { account: G_EMAIL, decision: 'allow' });
    await rejectsWith(finishAuthorization(d, 'microsoft', back.searchParams), 'STATE_INVALID', null);
    // Tenant B cannot start a flow that ends at tenant A's redirect URI, nor reconnect A's account.
    await assert.rejects(begin({ tenantId: tenantB }), (e: unknown) => e instanceof AuthorizeError && e.code === 'REDIRECT_URI_NOT_ALLOWED');
    await store.oauth.allowRedirect(tenantB, 'https://b.example.com/back');
    const a = await store.tenant(tenantA).accounts.upsert({ provider: 'google', externalId: 'someone@example.com' });
    await assert.rejects(begin({ tenantId: tenantB, redirectUri: 'https://b.example.com/back', accountId: a.id }), (e: unknown) => e instanceof AuthorizeError && e.code === 'NOT_FOUND');
    // A flow tenant B started lands in tenant B, whoever's state the browser carried before.
    const b = await begin({ tenantId: tenantB, redirectUri: 'https://b.example.com/back' });
    const done = await finishAuthorization(d, 'google', (await consent(b.url, { account: G_EMAIL, decision: 'allow' })).searchParams);
    assert.deepEqual([done.tenantId, done.redirectUri], [tenantB, 'https://b.example.com/back']);
  });

  it('an expired state answers STATE_EXPIRED to the tenant', async () => {
    const { url } = await begin();
    const back = await consent(url, { account: G_EMAIL, decision: 'allow' });
    await store.db.query(`UPDATE oauth_states SET expires_at = now() - interval '1 second'`);
    await rejectsWith(finishAuthorization(d, 'google', back.searchParams), 'STATE_EXPIRED', BACK);
  });

  it('a redirect URI off the allow-list is refused before any state exists', async () => {
    const before = await store.db.query('SELECT count(*)::int AS n FROM oauth_states');
    await assert.rejects(begin({ redirectUri: 'https://evil.example.com/steal' }), (e: unknown) => e instanceof AuthorizeError && e.code === 'REDIRECT_URI_NOT_ALLOWED');
    await assert.rejects(begin({ redirectUri: `${BACK}/..` }), (e: unknown) => e instanceof AuthorizeError && e.code === 'REDIRECT_URI_NOT_ALLOWED');
    assert.deepEqual(await store.db.query('SELECT count(*)::int AS n FROM oauth_states'), before);
  });

  it('a wrong or missing PKCE verifier fails the exchange (CODE_EXCHANGE_FAILED)', async () => {
    for (const provider of ['google', 'microsoft'] as const) {
      const { url } = await begin({ provider });
      const back = await consent(url, { account: provider === 'google' ? G_EMAIL : msUser, decision: 'allow' });
      // Another flow's verifier stands in for this one's (what a code-injection attacker would hold).
      await store.db.query('UPDATE oauth_states SET verifier = $1', [d.keyring.encrypt('x'.repeat(43))]);
      await rejectsWith(finishAuthorization(d, provider, back.searchParams), 'CODE_EXCHANGE_FAILED', BACK);
      const second = await consent((await begin({ provider })).url, { account: provider === 'google' ? G_EMAIL : msUser, decision: 'allow' });
      await store.db.query("UPDATE oauth_states SET verifier = 'v1:k1:bad:bad:bad'");
      await rejectsWith(finishAuthorization(d, provider, second.searchParams), 'CODE_EXCHANGE_FAILED', BACK);
    }
  });

  it('denied consent answers ACCESS_DENIED and uses the state up', async () => {
    for (const provider of ['google', 'microsoft'] as const) {
      const { url } = await begin({ provider });
      const back = await consent(url, { account: provider === 'google' ? G_EMAIL : msUser, decision: 'deny' });
      await rejectsWith(finishAuthorization(d, provider, back.searchParams), 'ACCESS_DENIED', BACK);
      await rejectsWith(finishAuthorization(d, provider, back.searchParams), 'STATE_USED', null);
    }
  });

  // At Google, revoking a token ends the user's whole grant to the app (provider-facts A: "Revoking
  // a refresh token revokes the grant"), and include_granted_scopes folds earlier grants into it:
  // revoked, a partial grant took the user's working connection with it.
  const revokes = () => google.control.requests().filter((r) => r.path === '/revoke').length;
  it('a partial grant (a scope unticked) answers INSUFFICIENT_SCOPE and is not revoked: it may be the grant a working connection holds', async () => {
    const { url } = await begin({ access: 'readwrite' });
    const back = await consent(url, { account: G_EMAIL, decision: 'allow', untick: ['https://www.googleapis.com/auth/calendar.events'] });
    const before = revokes();
    await assert.rejects(finishAuthorization(d, 'google', back.searchParams), (e: unknown) =>
      e instanceof CallbackError && e.callbackCode === 'INSUFFICIENT_SCOPE' && e.redirectUri === BACK && e.message.includes('not granted https://www.googleapis.com/auth/calendar.events'));
    assert.equal(revokes(), before);
  });

  it('reconnecting an account as a different user answers ACCOUNT_MISMATCH; that user\'s grant is revoked unless another working account signs in as them through the same client', async () => {
    const acc = await store.tenant(tenantA).accounts.upsert({ provider: 'google', externalId: 'other@example.com' });
    const mismatch = async () => {
      const { url } = await begin({ accountId: acc.id });
      const back = await consent(url, { account: G_EMAIL, decision: 'allow' });
      const before = revokes();
      await rejectsWith(finishAuthorization(d, 'google', back.searchParams), 'ACCOUNT_MISMATCH', BACK);
      return revokes() - before;
    };
    const held = await store.tenant(tenantA).accounts.list();
    if (held.some((a) => a.externalId === G_EMAIL)) for (const a of held.filter((x) => x.externalId === G_EMAIL)) await store.tenant(tenantA).accounts.delete(a.id);
    assert.equal(await mismatch(), 1, 'nobody else signs in as that user: the stray grant is revoked');
    const { tenant: other } = await store.tenants.create(`other-${Date.now()}`);
    const grant = (g: object) => d.tokens.encrypt({ accessToken: 'at', refreshToken: 'rt', expiresAt: Date.now() + 3_600_000, scope: '', access: 'read', app: 'default', ...g });
    await store.tenant(other.id).accounts.upsert({ provider: 'google', externalId: G_EMAIL, credentials: grant({ app: 'tenant', clientId: 'another-app' }) });
    assert.equal(await mismatch(), 1, "another tenant's account of that user through another client: this client's grant is revoked all the same");
    const dead = await store.tenants.create(`dead-${Date.now()}`);
    const deadRow = await store.tenant(dead.tenant.id).accounts.upsert({ provider: 'google', externalId: G_EMAIL, credentials: grant({ clientId: 'flow-google' }) });
    await store.tenant(dead.tenant.id).accounts.setStatus(deadRow.id, 'needs_reauth', 'grant revoked');
    assert.equal(await mismatch(), 1, 'an account of that user through this client that needs reauth holds no working grant');
    const live = await store.tenants.create(`live-${Date.now()}`);
    await store.tenant(live.tenant.id).accounts.upsert({ provider: 'google', externalId: G_EMAIL, credentials: grant({ clientId: 'flow-google' }) });
    assert.equal(await mismatch(), 0, 'a working account of that user through the same client: the grant stays');
  });

  it('a provider without a configured app is PROVIDER_NOT_CONFIGURED', async () => {
    const bare = { ...d, oauth: loadConfig({}).oauth, tokens: new TokenManager({ store, keyring: d.keyring, oauth: loadConfig({}).oauth }) };
    await assert.rejects(beginAuthorization(bare, { tenantId: tenantA, provider: 'google', redirectUri: BACK, access: 'read' }), (e: unknown) => e instanceof AuthorizeError && e.code === 'PROVIDER_NOT_CONFIGURED');
  });
});
