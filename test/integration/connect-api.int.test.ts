/**
 * Connecting through the HTTP API against the emulators' consent pages: allow-list, authorize URL,
 * consent, callback → the tenant's redirect with accountId; calendars discovered and, after a
 * resync, their busy time in /v1/freebusy; reconnect reuses the account; a partial grant stores
 * nothing; disconnect revokes at the provider and leaves no rows. Every log line is scanned for
 * tokens, codes and secrets.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { hubBaseUrl, openHub, type Hub } from '../../hub/index.ts';
import { finishAuthorization, KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { secretHash } from '../../shared/store/index.ts';
import { consent } from '../support/consent.ts';
import { openTestStore } from '../support/test-store.ts';

const EMAIL = 'connect.api@example.com';
const BACK = 'https://tenant.example.com/connected';

describe('connect API: google through the emulator consent page', () => {
  let emu: RunningGoogleEmulator;
  let hub: Hub;
  let app: FastifyInstance;
  let key: string;
  let tenantId: string;
  const logs: string[] = [];
  const secrets: string[] = [];

  before(async () => {
    emu = await startGoogleEmulator({ allowHttpPush: true });
    emu.control.createUser({ email: EMAIL, timeZone: 'Europe/Berlin' });
    const soon = new Date(Date.now() + 86_400_000);
    const day = soon.toISOString().slice(0, 10);
    emu.control.insertEvent(EMAIL, { summary: 'busy tomorrow', start: { dateTime: `${day}T10:00:00Z` }, end: { dateTime: `${day}T11:00:00Z` } });
    const store = await openTestStore();
    await store.migrate();
    const destination = new Writable({ write: (chunk, _enc, cb) => (logs.push(String(chunk)), cb()) });
    hub = await openHub({
      store,
      config: loadConfig({
        GOOGLE_CLIENT_ID: 'connect-api', GOOGLE_OAUTH_BASE_URL: emu.url, GOOGLE_API_BASE_URL: emu.url, PORT: '3999',
        // Push channels are created at connect time (watched at the emulator), so disconnect has one to stop.
        CALHUB_PUBLIC_URL: 'http://127.0.0.1:3999', CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback',
      }),
      logger: createLogger({ level: 'debug', destination }),
      keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
      guard: { maxDeleteShare: 1, minObjects: 1_000_000 },
    });
    app = await buildApp({ hub });
    const t = await store.tenants.create('connect');
    tenantId = t.tenant.id;
    key = t.apiKey;
    secrets.push(key);
  });
  after(async () => {
    await app.close();
    await hub.close();
    await hub.store.close();
    await emu.close();
  });

  const api = async (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) => {
    const r = await app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
    return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : null, headers: r.headers };
  };

  /** The whole browser round trip; returns the tenant redirect calhub answered with. */
  async function connectOnce(o: { access?: string; accountId?: string; untick?: string[] } = {}): Promise<URL> {
    const a = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: o.access ?? 'read', ...(o.accountId ? { accountId: o.accountId } : {}) });
    assert.equal(a.status, 200, JSON.stringify(a.json));
    const back = await consent(a.json.url, { account: EMAIL, decision: 'allow', untick: o.untick });
    secrets.push(back.searchParams.get('code') ?? '', back.searchParams.get('state') ?? '');
    assert.equal(`${back.origin}${back.pathname}`, 'http://127.0.0.1:3999/oauth/google/callback');
    const cb = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    assert.equal(cb.statusCode, 302, cb.body);
    return new URL(cb.headers.location as string);
  }

  it('a redirect URI must be allow-listed first', async () => {
    const refused = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read' });
    assert.equal(refused.status, 400);
    assert.equal(refused.json.error.code, 'REDIRECT_URI_NOT_ALLOWED');
    assert.equal((await api('POST', '/v1/oauth/redirect-uris', { uri: 'http://evil.example.com/x' })).status, 400, 'plain http only for localhost');
    const ok = await api('POST', '/v1/oauth/redirect-uris', { uri: BACK });
    assert.deepEqual(ok.json, { uris: [BACK] });
  });

  let accountId = '';
  it('connect: callback → tenant redirect with accountId; calendars discovered; after a resync /v1/freebusy shows the busy time', async () => {
    const back = await connectOnce();
    assert.equal(`${back.origin}${back.pathname}`, BACK);
    accountId = back.searchParams.get('accountId')!;
    assert.match(accountId, /^acc_/);
    const cals = await api('GET', `/v1/calendars?accountId=${accountId}`);
    assert.equal(cals.json.items.length, 1);
    assert.equal(emu.control.channels().filter((c) => !c.stopped).length, 2, "push channels were started at connect time: the calendar's and the calendar list's");
    const resync = await api('POST', `/v1/accounts/${accountId}/resync`);
    assert.equal(resync.status, 202, JSON.stringify(resync.json));
    const now = Date.now();
    const fb = await api('POST', '/v1/freebusy', { timeMin: new Date(now).toISOString(), timeMax: new Date(now + 3 * 86_400_000).toISOString(), calendarIds: [cals.json.items[0].id] });
    assert.equal(fb.status, 200, JSON.stringify(fb.json));
    const busy = JSON.stringify(fb.json);
    assert.match(busy, /T10:00:00(\.000)?Z/);
  });

  it('reconnecting (accountId given) re-links the same account; connecting again without it does not duplicate', async () => {
    const again = await connectOnce({ accountId });
    assert.equal(again.searchParams.get('accountId'), accountId);
    const plain = await connectOnce();
    assert.equal(plain.searchParams.get('accountId'), accountId);
    assert.equal((await api('GET', '/v1/accounts')).json.items.length, 1);
  });

  it('a partial grant redirects with error=INSUFFICIENT_SCOPE and stores nothing new', async () => {
    const before = (await api('GET', '/v1/accounts')).json.items;
    const back = await connectOnce({ access: 'readwrite', untick: ['https://www.googleapis.com/auth/calendar.events'] });
    assert.equal(back.searchParams.get('error'), 'INSUFFICIENT_SCOPE');
    assert.equal(back.searchParams.get('accountId'), null);
    assert.deepEqual((await api('GET', '/v1/accounts')).json.items.map((a: { updatedAt: string }) => a.updatedAt), before.map((a: { updatedAt: string }) => a.updatedAt));
  });

  it('a replayed callback shows an error page and redirects nowhere', async () => {
    const a = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read' });
    const back = await consent(a.json.url, { account: EMAIL, decision: 'deny' });
    const first = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    assert.equal(new URL(first.headers.location as string).searchParams.get('error'), 'ACCESS_DENIED');
    const replay = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    assert.equal(replay.statusCode, 410, 'STATE_USED: a page, not a redirect');
    assert.equal(replay.headers.location, undefined);
    assert.match(replay.body, /This sign-in link was already used/);
    assert.match(replay.body, /Error code: <code>STATE_USED<\/code>/, 'the page names its stable code, as a redirect would');
    const unknown = await app.inject({ method: 'GET', url: `/oauth/nosuch/callback${back.search}` });
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /Error code: <code>NOT_FOUND<\/code>/);
    const bogus = await app.inject({ method: 'GET', url: '/oauth/google/callback?state=nosuch&code=x' });
    assert.equal(bogus.statusCode, 400);
    assert.match(bogus.body, /Error code: <code>STATE_INVALID<\/code>/);
    assert.match(replay.body, new RegExp(`<a href="${BACK}">Go back to the app`), 'a way back to the bare return address');
  });

  it('a hub that died after the code exchange, before the account was stored: a reload meanwhile is a 409 page (STATE_IN_PROGRESS), after the lease the app is told SIGN_IN_INTERRUPTED once', async () => {
    const a = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read' });
    const back = await consent(a.json.url, { account: EMAIL, decision: 'allow' });
    secrets.push(back.searchParams.get('code') ?? '', back.searchParams.get('state') ?? '');
    const before = (await api('GET', '/v1/accounts')).json.items.map((x: { updatedAt: string }) => x.updatedAt);
    // The dying callback: its exchange is answered, then nothing stores the account.
    const deps = { store: hub.store, keyring: hub.keyring, tokens: hub.tokens, oauth: hub.config.oauth, callbackUrl: (p: string) => `${hubBaseUrl(hub)}/oauth/${p}/callback` };
    await finishAuthorization(deps, 'google', back.searchParams);
    const during = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    assert.equal(during.statusCode, 409);
    assert.equal(during.headers.location, undefined);
    assert.equal(during.headers['set-cookie'], undefined, 'the binding cookie stays for the reload that finishes it');
    assert.match(during.body, /still being finished/);
    assert.match(during.body, /Error code: <code>STATE_IN_PROGRESS<\/code>/);
    await hub.store.db.query("UPDATE oauth_states SET claimed_until = now() - interval '1 second' WHERE state_hash = $1", [secretHash(back.searchParams.get('state')!)]);
    const after = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    assert.equal(after.statusCode, 302);
    const told = new URL(after.headers.location as string);
    assert.equal(`${told.origin}${told.pathname}`, BACK);
    assert.equal(told.searchParams.get('error'), 'SIGN_IN_INTERRUPTED');
    const again = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    assert.equal(again.statusCode, 410, 'told once; then "already used"');
    assert.deepEqual((await api('GET', '/v1/accounts')).json.items.map((x: { updatedAt: string }) => x.updatedAt), before, 'nothing stored');
  });

  it('a flow whose redirect URI left the allow-list after it started does not land there: an error page (REDIRECT_URI_NOT_ALLOWED), nothing connected', async () => {
    const OLD = 'https://tenant.example.com/old-return';
    assert.equal((await api('POST', '/v1/oauth/redirect-uris', { uri: OLD })).status, 200);
    const started = [];
    for (const decision of ['allow', 'deny'] as const) {
      const a = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: OLD, access: 'read' });
      const back = await consent(a.json.url, { account: EMAIL, decision });
      secrets.push(back.searchParams.get('code') ?? '', back.searchParams.get('state') ?? '');
      started.push(back);
    }
    assert.equal((await api('DELETE', '/v1/oauth/redirect-uris', { uri: OLD })).status, 200);
    const before = (await hub.store.tenant(tenantId).accounts.list()).map((a) => `${a.id}/${a.updatedAt}`);
    for (const back of started) {
      const cb = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
      assert.equal(cb.statusCode, 400, cb.body);
      assert.equal(cb.headers.location, undefined, 'no redirect to an address no longer trusted');
      assert.match(cb.headers['content-type'] as string, /text\/html/);
      assert.match(cb.body, /REDIRECT_URI_NOT_ALLOWED/);
      assert.match(cb.body, /no longer allowed/);
      assert.ok(!cb.body.includes(OLD), 'the removed address is not linked');
    }
    assert.deepEqual((await hub.store.tenant(tenantId).accounts.list()).map((a) => `${a.id}/${a.updatedAt}`), before, 'nothing connected or re-linked');
  });

  it('an expired state sends the browser back with error=STATE_EXPIRED; a state is useless at another provider', async () => {
    const a = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read' });
    const back = await consent(a.json.url, { account: EMAIL, decision: 'allow' });
    secrets.push(back.searchParams.get('code') ?? '', back.searchParams.get('state') ?? '');
    const wrong = await app.inject({ method: 'GET', url: `/oauth/microsoft/callback${back.search}` });
    assert.equal(wrong.statusCode, 400, 'a google state at the microsoft callback');
    assert.match(wrong.body, /STATE_INVALID/);
    const b = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read' });
    const late = await consent(b.json.url, { account: EMAIL, decision: 'allow' });
    secrets.push(late.searchParams.get('code') ?? '', late.searchParams.get('state') ?? '');
    await hub.store.db.query(`UPDATE oauth_states SET expires_at = now() - interval '1 second'`);
    const cb = await app.inject({ method: 'GET', url: `${late.pathname}${late.search}` });
    assert.equal(cb.statusCode, 302);
    const to = new URL(cb.headers.location as string);
    assert.equal(`${to.origin}${to.pathname}`, BACK);
    assert.equal(to.searchParams.get('error'), 'STATE_EXPIRED');
  });

  it('the hosted connect page: sessions only for allowed redirect URIs, unknown sessions are a plain 404 page, Google goes to consent and back', async () => {
    assert.equal((await api('POST', '/v1/connect/sessions', { redirectUri: 'https://elsewhere.example.com/x', access: 'read' })).json.error.code, 'REDIRECT_URI_NOT_ALLOWED');
    const s = await api('POST', '/v1/connect/sessions', { redirectUri: BACK, access: 'read' });
    assert.equal(s.status, 200, JSON.stringify(s.json));
    const link = new URL(s.json.url);
    assert.equal(`${link.origin}${link.pathname}`, 'http://127.0.0.1:3999/connect');
    const session = link.searchParams.get('session')!;
    secrets.push(session);
    const missing = await app.inject({ method: 'GET', url: '/connect?session=cs_nope' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /expired/);
    const page = await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
    for (const choice of ['Google', 'iCloud', 'Fastmail', 'Nextcloud', 'Another CalDAV server']) assert.ok(page.body.includes(choice), choice);
    assert.ok(!page.body.includes('Microsoft'), 'Microsoft has no app configured here, so it is not offered');
    const go = await app.inject({ method: 'POST', url: '/connect/oauth/google', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `session=${session}` });
    assert.equal(go.statusCode, 303);
    const back = await consent(go.headers.location as string, { account: EMAIL, decision: 'allow' });
    secrets.push(back.searchParams.get('code') ?? '', back.searchParams.get('state') ?? '');
    const binding = String(go.headers['set-cookie']).split(';')[0]!;
    secrets.push(binding.split('=')[1]!);
    const cb = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: { cookie: binding } });
    const to = new URL(cb.headers.location as string);
    assert.equal(to.searchParams.get('accountId'), accountId, 'the same Google user: the same account');
    assert.equal(to.searchParams.get('connectSession'), s.json.id, 'the redirect names the session the tenant made');
    const spent = await app.inject({ method: 'GET', url: `/connect/caldav?session=${session}&preset=icloud` });
    assert.equal(spent.statusCode, 410, 'the session connected an account: it connects no other');
    const fresh = new URL((await api('POST', '/v1/connect/sessions', { redirectUri: BACK, access: 'read' })).json.url).searchParams.get('session')!;
    secrets.push(fresh);
    const form = await app.inject({ method: 'GET', url: `/connect/caldav?session=${fresh}&preset=icloud` });
    assert.match(form.body, /app-specific password/i);
    assert.match(form.body, /<label for="password"/);
  });

  it('disconnect revokes the grant at Google and leaves no rows for the account', async () => {
    const account = (await hub.store.tenant(tenantId).accounts.get(accountId))!;
    const grant = hub.tokens.decrypt(account.credentials!);
    const r = await api('DELETE', `/v1/accounts/${accountId}`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.revoked, 'yes');
    assert.equal(r.json.channelsStopped, 2, "the calendar's channel and the calendar list's");
    assert.deepEqual(emu.control.channels().filter((c) => !c.stopped), [], 'no live channel at Google');
    const refresh = await fetch(`${emu.url}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: grant.refreshToken!, client_id: 'connect-api' }) });
    assert.equal(((await refresh.json()) as { error: string }).error, 'invalid_grant');
    for (const [table, col] of [['accounts', 'id'], ['calendars', 'account_id'], ['push_channels', 'account_id'], ['oauth_states', 'account_id'], ['connect_sessions', 'account_id']] as const) {
      const rows = await hub.store.db.query(`SELECT 1 FROM ${table} WHERE ${col} = $1`, [accountId]);
      assert.equal(rows.length, 0, table);
    }
    for (const table of ['events', 'busy_spans', 'sync_ledger', 'outbox', 'write_journal']) {
      const rows = await hub.store.db.query(`SELECT 1 FROM ${table} WHERE tenant_id = $1`, [tenantId]).catch(async () => hub.store.db.query(`SELECT 1 FROM ${table} t JOIN calendars c ON c.id = t.calendar_id WHERE c.tenant_id = $1`, [tenantId]));
      assert.equal(rows.length, 0, table);
    }
    assert.equal((await api('GET', `/v1/accounts/${accountId}`)).status, 404);
  });

  // At Google a revoked token ends the user's grant to that client (app) only: another account of
  // the same user stops with it only when it signs in through the same client and still works.
  const otherAccount = async (grant: { app: 'default' | 'tenant'; clientId?: string }, status: 'active' | 'needs_reauth' = 'active') => {
    const { tenant: other } = await hub.store.tenants.create(`other-${Date.now()}-${randomBytes(3).toString('hex')}`);
    const credentials = hub.tokens.encrypt({ accessToken: 'other-at', refreshToken: 'other-rt', expiresAt: Date.now() + 3_600_000, scope: '', access: 'read', ...grant });
    const row = await hub.store.tenant(other.id).accounts.upsert({ provider: 'google', externalId: EMAIL, credentials });
    if (status !== 'active') await hub.store.tenant(other.id).accounts.setStatus(row.id, status, 'grant revoked');
  };
  const refreshWorks = async (refreshToken: string) =>
    (await fetch(`${emu.url}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'connect-api' }) })).status === 200;

  it("disconnect revokes although another tenant's account signs in as the same user, through another client or no longer working", async () => {
    await otherAccount({ app: 'tenant', clientId: 'another-tenants-own-app' });
    await otherAccount({ app: 'default', clientId: 'connect-api' }, 'needs_reauth');
    const back = await connectOnce();
    const again = back.searchParams.get('accountId')!;
    const grant = hub.tokens.decrypt((await hub.store.tenant(tenantId).accounts.get(again))!.credentials!);
    const r = await api('DELETE', `/v1/accounts/${again}`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.revoked, 'yes');
    assert.equal(await refreshWorks(grant.refreshToken!), false, 'the grant to this client is revoked at Google');
  });

  it('disconnect keeps a grant another live account signs in with through the same client, and tells no more than "kept"', async () => {
    await otherAccount({ app: 'default' }); // a grant from before client ids were recorded: the configured client
    const back = await connectOnce();
    const again = back.searchParams.get('accountId')!;
    const grant = hub.tokens.decrypt((await hub.store.tenant(tenantId).accounts.get(again))!.credentials!);
    const r = await api('DELETE', `/v1/accounts/${again}`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.revoked, 'kept');
    assert.doesNotMatch(JSON.stringify(r.json), /tenant|shared|other/i, 'nothing about another tenant');
    assert.equal(await refreshWorks(grant.refreshToken!), true, 'the grant still works at Google');
    assert.equal((await api('GET', `/v1/accounts/${again}`)).status, 404);
  });

  it('no log line holds a token, code, state, API key or refresh token', () => {
    const text = logs.join('');
    assert.ok(text.length > 0);
    for (const s of secrets.filter((x) => x.length > 8)) assert.ok(!text.includes(s), 'a secret reached the log');
    assert.doesNotMatch(text, /ya29\.emu-|1\/\/emu-|4\/emu-/, 'no Google token, refresh token or code shape in the log');
  });
});
