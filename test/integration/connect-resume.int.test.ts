/**
 * A sign-in whose callback stored the account and then did not get to mark its state connected (the
 * hub killed between the two writes; simulated by failing the second write, which the callback
 * only logs): the callback opened again after the claim lease finishes it as connected — the app
 * gets `accountId` and `connectSession`, the session is spent, account.connected went out once —
 * where it used to answer SIGN_IN_INTERRUPTED for an account that existed and worked. And the
 * "still being finished" page (STATE_IN_PROGRESS) loads itself again until the sign-in ends, in
 * headless Debian Chromium (playwright-core with executablePath) against the hub's API listening.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { buildApp } from '../../api/app.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { hubBaseUrl, openHub, type Hub } from '../../hub/index.ts';
import { finishAuthorization, KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { secretHash } from '../../shared/store/index.ts';
import { composeWebhooks } from '../../shared/store/webhook-compose.ts';
import { consent } from '../support/consent.ts';
import { openTestStore } from '../support/test-store.ts';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('an interrupted sign-in: finished when its account was stored; the in-progress page refreshes itself', () => {
  let emu: RunningGoogleEmulator;
  let hub: Hub;
  let app: FastifyInstance;
  let tenantApp: http.Server;
  let browser: Browser;
  let key: string;
  let tenantId: string;
  let back = '';
  let n = 0;

  before(async () => {
    emu = await startGoogleEmulator({ allowHttpPush: true });
    const store = await openTestStore();
    await store.migrate();
    const port = await freePort();
    hub = await openHub({
      store,
      config: loadConfig({
        GOOGLE_CLIENT_ID: 'connect-resume', GOOGLE_OAUTH_BASE_URL: emu.url, GOOGLE_API_BASE_URL: emu.url, PORT: String(port),
        CALHUB_PUBLIC_URL: `http://127.0.0.1:${port}`, CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback',
      }),
      logger: createLogger({ level: 'error' }),
      keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
      guard: { maxDeleteShare: 1, minObjects: 1_000_000 },
    });
    app = await buildApp({ hub });
    await app.listen({ port, host: '127.0.0.1' });
    tenantApp = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Tenant app</title><h1>Back at the tenant</h1>'));
    await new Promise<void>((resolve) => tenantApp.listen(0, '127.0.0.1', resolve));
    back = `http://127.0.0.1:${(tenantApp.address() as net.AddressInfo).port}/connected`;
    const t = await store.tenants.create('resume');
    tenantId = t.tenant.id;
    key = t.apiKey;
    assert.equal((await api('POST', '/v1/oauth/redirect-uris', { uri: back })).status, 200);
    // An endpoint for every event type, so account.connected is composed into a message to count.
    await store.tenant(tenantId).webhooks.create({ url: 'https://hooks.example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await hub?.close();
    await hub?.store.close();
    tenantApp?.close();
    await emu?.close();
  });

  async function api(method: 'GET' | 'POST', url: string, body?: unknown) {
    const r = await app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
    return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : null };
  }
  const newUser = () => {
    const email = `resume${++n}@example.com`;
    emu.control.createUser({ email });
    return email;
  };
  const callbackPath = (u: URL) => `${u.pathname}${u.search}`;
  const leaseRunsOut = (u: URL) => hub.store.db.query("UPDATE oauth_states SET claimed_until = now() - interval '1 second' WHERE state_hash = $1", [secretHash(u.searchParams.get('state')!)]);

  /**
   * The callback's first run stores the account, then cannot mark the state connected: what a hub
   * killed between the two writes leaves (its answer never reaches the browser).
   */
  async function storedThenKilled(path: string, cookie?: string): Promise<void> {
    const oauth = hub.store.oauth;
    const real = oauth.markConnected;
    oauth.markConnected = async () => {
      throw new Error('killed before the state was marked connected');
    };
    try {
      const first = await app.inject({ method: 'GET', url: path, headers: cookie ? { cookie } : {} });
      assert.equal(first.statusCode, 302, first.body);
    } finally {
      oauth.markConnected = real;
    }
  }

  /** How many account.connected messages the account's storing made (composed now, and any composed before). */
  async function connectedHooks(accountId: string): Promise<number> {
    await composeWebhooks(hub.store.db, { now: new Date() });
    const rows = await hub.store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_messages WHERE type = 'account.connected' AND payload->'data'->>'accountId' = $1", [accountId]);
    return rows[0]!.n;
  }

  it('hosted page: the account was stored, the state not marked: after the lease the callback finishes as connected (accountId, connectSession), once; another browser is not sent on', async () => {
    const email = newUser();
    const created = await api('POST', '/v1/connect/sessions', { redirectUri: back, access: 'read' });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const s = new URL(created.json.url).searchParams.get('session')!;
    const go = await app.inject({ method: 'POST', url: '/connect/oauth/google', headers: FORM, payload: new URLSearchParams({ session: s }).toString() });
    assert.equal(go.statusCode, 303, go.body);
    const cookie = String(go.headers['set-cookie']).split(';')[0]!;
    const cb = await consent(String(go.headers.location), { account: email, decision: 'allow' });
    await storedThenKilled(callbackPath(cb), cookie);
    const [account] = (await hub.store.tenant(tenantId).accounts.list()).filter((a) => a.externalId === email);
    assert.ok(account, 'the account was stored');

    const during = await app.inject({ method: 'GET', url: callbackPath(cb), headers: { cookie } });
    assert.equal(during.statusCode, 409, 'the first run holds the state for its lease');
    assert.match(during.body, /Error code: <code>STATE_IN_PROGRESS<\/code>/);
    assert.match(during.body, /<meta http-equiv="refresh" content="5">/, 'the page loads itself again');
    assert.match(during.body, /role="status">[^<]*checks again every 5 seconds/);
    assert.equal(during.headers['set-cookie'], undefined, 'the binding cookie stays for the load that finishes it');
    await leaseRunsOut(cb);

    const elsewhere = await app.inject({ method: 'GET', url: callbackPath(cb) });
    assert.notEqual(elsewhere.headers.location && new URL(String(elsewhere.headers.location)).searchParams.get('error'), 'SIGN_IN_INTERRUPTED', 'the account exists: nothing was interrupted');
    assert.equal(elsewhere.statusCode, 400, 'a browser without the binding cookie is not sent on with the account');
    assert.equal(elsewhere.headers.location, undefined);
    assert.match(elsewhere.body, /STATE_BROWSER_MISMATCH/);

    const after = await app.inject({ method: 'GET', url: callbackPath(cb), headers: { cookie } });
    assert.equal(after.statusCode, 302, after.body);
    const told = new URL(String(after.headers.location));
    assert.equal(`${told.origin}${told.pathname}`, back);
    assert.equal(told.searchParams.get('error'), null, `not ${told.searchParams.get('error')}: the account exists and works`);
    assert.equal(told.searchParams.get('accountId'), account.id);
    assert.equal(told.searchParams.get('connectSession'), created.json.id);

    const reload = await app.inject({ method: 'GET', url: callbackPath(cb), headers: { cookie } });
    assert.equal(reload.statusCode, 200, 'then a reload says the calendar is connected (STATE_USED)');
    assert.match(reload.body, /Your calendar is connected/);
    const page = await app.inject({ method: 'GET', url: `/connect?session=${s}` });
    assert.equal(page.statusCode, 410, 'the session connected its account: its link is used');
    assert.equal(await connectedHooks(account.id), 1, 'account.connected went out once, with the account');
    assert.equal((await hub.store.tenant(tenantId).accounts.list()).filter((a) => a.externalId === email).length, 1);
  });

  it('the callback died after the exchange and before the account was stored: still SIGN_IN_INTERRUPTED (nothing to finish)', async () => {
    const email = newUser();
    const a = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: back, access: 'read' });
    const cb = await consent(a.json.url, { account: email, decision: 'allow' });
    const deps = { store: hub.store, keyring: hub.keyring, tokens: hub.tokens, oauth: hub.config.oauth, callbackUrl: (p: string) => `${hubBaseUrl(hub)}/oauth/${p}/callback` };
    await finishAuthorization(deps, 'google', cb.searchParams);
    await leaseRunsOut(cb);
    const after = await app.inject({ method: 'GET', url: callbackPath(cb) });
    assert.equal(after.statusCode, 302);
    assert.equal(new URL(String(after.headers.location)).searchParams.get('error'), 'SIGN_IN_INTERRUPTED');
  });

  it('in Chromium, the in-progress page loads itself again and stops where the sign-in ends: at the app with accountId, or with SIGN_IN_INTERRUPTED', async () => {
    const deps = { store: hub.store, keyring: hub.keyring, tokens: hub.tokens, oauth: hub.config.oauth, callbackUrl: (p: string) => `${hubBaseUrl(hub)}/oauth/${p}/callback` };
    for (const ending of ['connected', 'interrupted'] as const) {
      const email = newUser();
      const a = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: back, access: 'read' });
      const cb = await consent(a.json.url, { account: email, decision: 'allow' });
      // The first run holds the state: it stored the account (or only exchanged the code) and died.
      if (ending === 'connected') await storedThenKilled(callbackPath(cb));
      else await finishAuthorization(deps, 'google', cb.searchParams);

      const context = await browser.newContext();
      const tab = await context.newPage();
      let loads = 0;
      tab.on('request', (r) => void (new URL(r.url()).pathname.startsWith('/oauth/') && loads++));
      try {
        const shown = await tab.goto(`${hubBaseUrl(hub)}${callbackPath(cb)}`);
        assert.equal(shown?.status(), 409);
        assert.equal(await tab.locator('h1').textContent(), 'This sign-in is still being finished');
        // Still held: the page keeps checking by itself (a second load within the interval and a margin).
        await tab.waitForRequest((r) => r.url().includes('/oauth/google/callback'), { timeout: 30_000 });
        await leaseRunsOut(cb);
        await tab.waitForURL((u) => u.href.startsWith(back), { timeout: 45_000 });
        const landed = new URL(tab.url());
        if (ending === 'connected') {
          assert.equal(landed.searchParams.get('error'), null);
          assert.ok(landed.searchParams.get('accountId'), 'the app gets the account');
        } else {
          assert.equal(landed.searchParams.get('error'), 'SIGN_IN_INTERRUPTED');
        }
        assert.ok(loads >= 2, `the page loaded itself again (${loads} loads)`);
        const ended = loads;
        await new Promise((r) => setTimeout(r, 7_000));
        assert.equal(loads, ended, 'no more checks once the sign-in ended');
      } finally {
        await context.close();
      }
    }
  });

  it('pages that end a sign-in do not refresh themselves', async () => {
    const a = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: back, access: 'read' });
    const cb = await consent(a.json.url, { account: newUser(), decision: 'allow' });
    assert.equal((await app.inject({ method: 'GET', url: callbackPath(cb) })).statusCode, 302);
    const used = await app.inject({ method: 'GET', url: callbackPath(cb) });
    assert.equal(used.statusCode, 200);
    assert.doesNotMatch(used.body, /http-equiv="refresh"/);
    const bogus = await app.inject({ method: 'GET', url: '/oauth/google/callback?state=nosuch&code=x' });
    assert.doesNotMatch(bogus.body, /http-equiv="refresh"/);
  });
});
