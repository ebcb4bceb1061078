/**
 * The hosted connect page as an embedding product's user meets it, against the Google emulator and
 * a real Radicale: the page names the product (appName, else the tenant's name) and never calhub;
 * a server that accepts the connection and never answers is given up on within the page's own
 * deadline; a reconnect whose account was deleted through the API shows ACCOUNT_GONE with its way
 * back; a session the product was told failed (TOO_MANY_ATTEMPTS) stays dead; a bare host name is
 * taken as https://; connecting an account that already exists sends account.connected too.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { openHub, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { composeWebhooks } from '../../shared/store/index.ts';
import { consent } from '../support/consent.ts';
import { startRadicale, type DavServer } from '../support/dav-servers.ts';
import { openTestStore } from '../support/test-store.ts';

const EMAIL = 'product.user@example.com';
const BACK = 'https://tenant.example.com/connected';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('hosted connect page for an embedding product: its name, deadlines, dead sessions, bare hosts, webhooks', () => {
  let emu: RunningGoogleEmulator;
  let dav: DavServer;
  let hub: Hub;
  let app: FastifyInstance;
  let key: string;
  let tenantId: string;
  let silent: net.Server;
  let silentPort = 0;
  const held: net.Socket[] = [];

  before(async () => {
    emu = await startGoogleEmulator({ allowHttpPush: true });
    emu.control.createUser({ email: EMAIL, timeZone: 'Europe/Berlin' });
    dav = await startRadicale();
    // Accepts the connection and never answers.
    silent = net.createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as net.AddressInfo).port;
    const store = await openTestStore();
    await store.migrate();
    hub = await openHub({
      store,
      config: loadConfig({
        GOOGLE_CLIENT_ID: 'connect-product', GOOGLE_OAUTH_BASE_URL: emu.url, GOOGLE_API_BASE_URL: emu.url, PORT: '3997',
        CALHUB_PUBLIC_URL: 'http://127.0.0.1:3997', CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback', CALDAV_ALLOW_PRIVATE_NETWORKS: 'true',
      }),
      logger: createLogger({ level: 'silent' }),
      keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
      guard: { maxDeleteShare: 1, minObjects: 1_000_000 },
    });
    app = await buildApp({ hub });
    const t = await store.tenants.create('Acme Scheduling');
    tenantId = t.tenant.id;
    key = t.apiKey;
    assert.equal((await api('POST', '/v1/oauth/redirect-uris', { uri: BACK })).status, 200);
    await store.tenant(tenantId).webhooks.create({ url: 'https://hooks.example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
  });
  after(async () => {
    for (const s of held) s.destroy();
    silent?.close();
    await app.close();
    await hub.close();
    await hub.store.close();
    await emu.close();
    await dav.stop();
  });

  async function api(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) {
    const r = await app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
    return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : null };
  }
  async function session(o: { accountId?: string; appName?: string } = {}): Promise<{ s: string; id: string }> {
    const r = await api('POST', '/v1/connect/sessions', { redirectUri: BACK, access: 'read', ...o });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return { s: new URL(r.json.url).searchParams.get('session')!, id: r.json.id };
  }
  const post = (url: string, form: Record<string, string>) => app.inject({ method: 'POST', url, headers: FORM, payload: new URLSearchParams(form).toString() });
  const get = (url: string) => app.inject({ method: 'GET', url });
  const caldav = (form: Record<string, string>) => post('/connect/caldav', { preset: 'caldav', ...form });
  /** The page's link back to the app: its error code and session. */
  const backOf = (r: { body: string }): { error: string | null; connectSession: string | null } => {
    const href = r.body.match(/<a [^>]*href="([^"]+)"[^>]*>Go back to /)?.[1];
    assert.ok(href, `a link back to the app in ${r.body}`);
    const to = new URL(href.replaceAll('&#38;', '&').replaceAll('&amp;', '&'));
    assert.equal(`${to.origin}${to.pathname}`, BACK);
    return { error: to.searchParams.get('error'), connectSession: to.searchParams.get('connectSession') };
  };
  /** The text a person reads: the page without its tags. */
  const text = (body: string) => body.replace(/<style>[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ');
  async function googleConnect(s: string): Promise<URL> {
    const go = await post('/connect/oauth/google', { session: s });
    assert.equal(go.statusCode, 303, go.body);
    const cookie = String(go.headers['set-cookie']).split(';')[0]!;
    const callback = await consent(go.headers.location as string, { account: EMAIL, decision: 'allow' });
    const cb = await app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, headers: { cookie } });
    assert.equal(cb.statusCode, 302, cb.body);
    return new URL(cb.headers.location as string);
  }

  it("every page names the product (appName, escaped; else the tenant's name) and never calhub; the password is explained as the product's", async () => {
    const named = await session({ appName: 'Plan<b>ly</b> & Co' });
    const chooser = await get(`/connect?session=${named.s}`);
    assert.equal(chooser.statusCode, 200);
    assert.match(chooser.body, /<title>Connect your calendar to Plan&#60;b&#62;ly&#60;\/b&#62; &#38; Co<\/title>/);
    assert.match(chooser.body, /<h1>Connect your calendar to Plan&#60;b&#62;ly&#60;\/b&#62; &#38; Co<\/h1>/);
    assert.doesNotMatch(chooser.body, /<b>ly/);
    for (const preset of ['icloud', 'fastmail', 'nextcloud', 'caldav']) {
      const form = await get(`/connect/caldav?session=${named.s}&preset=${preset}`);
      assert.equal(form.statusCode, 200);
      assert.doesNotMatch(text(form.body), /calhub/i, preset);
      assert.doesNotMatch(text(form.body), /\bthe app\b/, preset);
      const hint = form.body.match(/<p class="hint" id="password-hint">([^<]*)<\/p>/)?.[1];
      assert.ok(hint?.includes('Plan&#60;b&#62;ly&#60;/b&#62; &#38; Co'), `${preset}: the password's own hint names the product: ${hint}`);
      assert.match(form.body, /id="password"[^>]*aria-describedby="password-hint"/);
    }
    assert.doesNotMatch(text(chooser.body), /calhub|\bthe app\b/i);

    const plain = await session();
    const byTenant = await get(`/connect?session=${plain.s}`);
    assert.match(byTenant.body, /<h1>Connect your calendar to Acme Scheduling<\/h1>/);

    // A reconnect form keeps the stored email without saying calhub.
    await caldav({ session: (await session()).s, url: dav.url, username: dav.username, password: dav.password });
    const account = (await hub.store.tenant(tenantId).accounts.list()).find((a) => a.provider === 'caldav')!;
    const again = await session({ accountId: account.id, appName: 'Planly' });
    const reconnect = await get(`/connect?session=${again.s}`);
    assert.doesNotMatch(text(reconnect.body), /calhub|\bthe app\b/i);
    assert.match(reconnect.body, /Planly/);
    const fixed = await get(`/connect/caldav?session=${again.s}`);
    assert.doesNotMatch(text(fixed.body), /calhub|\bthe app\b/i);
    assert.match(fixed.body, /Reconnect your calendar to Planly/);

    for (const bad of ['', 'x'.repeat(101), 'line\nbreak']) {
      const r = await api('POST', '/v1/connect/sessions', { redirectUri: BACK, access: 'read', appName: bad });
      assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${JSON.stringify(r.json)}`);
    }
  });

  it('a server that accepts the connection and never answers is given up on within the page deadline, with the clear error', async () => {
    const { s } = await session();
    const started = Date.now();
    const r = await caldav({ session: s, url: `http://127.0.0.1:${silentPort}/`, username: 'u', password: 'p' });
    const took = Date.now() - started;
    assert.equal(r.statusCode, 303, r.body);
    assert.match(String(r.headers.location), /error=PROVIDER_UNAVAILABLE/);
    assert.ok(took < 20_000, `answered after ${took} ms`);
  });

  it('a reconnect whose account was deleted through the API shows ACCOUNT_GONE with the way back, opened before or after', async () => {
    const doomed = await hub.store.tenant(tenantId).accounts.upsert({ provider: 'google', externalId: 'doomed@example.com' });
    const opened = await session({ accountId: doomed.id });
    const later = await session({ accountId: doomed.id });
    const first = await get(`/connect?session=${opened.s}`);
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /Continue to Google/);
    assert.equal((await api('DELETE', `/v1/accounts/${doomed.id}`)).status, 200);
    const pressed = await post('/connect/oauth/google', { session: opened.s });
    assert.equal(pressed.statusCode, 404, pressed.body);
    assert.match(pressed.body, /This account is gone/);
    assert.deepEqual(backOf(pressed), { error: 'ACCOUNT_GONE', connectSession: opened.id });
    const link = await get(`/connect?session=${later.s}`);
    assert.equal(link.statusCode, 404);
    assert.match(link.body, /This account is gone/);
    assert.deepEqual(backOf(link), { error: 'ACCOUNT_GONE', connectSession: later.id });
  });

  it('a session the product was told failed (TOO_MANY_ATTEMPTS) is dead: the link shows that failure, and Google connects nothing', async () => {
    const { s, id } = await session();
    for (let i = 0; i < 5; i++) assert.equal((await caldav({ session: s, url: dav.url, username: dav.username, password: `wrong-${i}` })).statusCode, 303);
    const sixth = await caldav({ session: s, url: dav.url, username: dav.username, password: dav.password });
    assert.equal(sixth.statusCode, 429);
    assert.deepEqual(backOf(sixth), { error: 'TOO_MANY_ATTEMPTS', connectSession: id });
    const reopened = await get(`/connect?session=${s}`);
    assert.equal(reopened.statusCode, 410, 'not the chooser again');
    assert.doesNotMatch(reopened.body, /connect\/oauth|preset=/);
    assert.deepEqual(backOf(reopened), { error: 'TOO_MANY_ATTEMPTS', connectSession: id });
    const google = await post('/connect/oauth/google', { session: s });
    assert.equal(google.statusCode, 410);
    assert.deepEqual(backOf(google), { error: 'TOO_MANY_ATTEMPTS', connectSession: id });
    const form = await get(`/connect/caldav?session=${s}&preset=caldav`);
    assert.equal(form.statusCode, 410);
    assert.deepEqual(backOf(form), { error: 'TOO_MANY_ATTEMPTS', connectSession: id });
  });

  it('the server address is a text field; a bare host (and host:port) is taken as https://, http:// is still refused as before', async () => {
    const { s } = await session();
    const form = await get(`/connect/caldav?session=${s}&preset=caldav`);
    assert.match(form.body, /<input id="url" name="url" type="text"[^>]*inputmode="url"/);
    const bare = await caldav({ session: s, url: 'caldav.example.invalid', username: 'u', password: 'p' });
    assert.match(String(bare.headers.location), /error=HOST_UNKNOWN/, 'looked up as a host, not refused as no web address');
    const port = new URL(dav.url).port;
    // Radicale speaks plain http: taken as https:// the handshake fails, but it was asked (not NOT_HTTP).
    const hostPort = await caldav({ session: s, url: `127.0.0.1:${port}`, username: dav.username, password: dav.password });
    const kept = new URL(String(hostPort.headers.location), 'http://x');
    assert.notEqual(kept.searchParams.get('error'), 'NOT_HTTP');
    assert.equal(kept.searchParams.get('url'), `https://127.0.0.1:${port}`, 'asked as https://');
    const ftp = await caldav({ session: s, url: 'ftp://caldav.example.com/', username: 'u', password: 'p' });
    assert.match(String(ftp.headers.location), /error=NOT_HTTP/);
  });

  it('connecting an account that already exists sends account.connected with alreadyConnected: true (a new one: false)', async () => {
    await composeWebhooks(hub.store.db, { now: new Date() });
    const connected = async () => {
      await composeWebhooks(hub.store.db, { now: new Date() });
      return hub.store.db.query<{ data: { accountId: string; alreadyConnected: boolean } }>("SELECT payload->'data' AS data FROM webhook_messages WHERE type = 'account.connected' ORDER BY created_at, id");
    };
    const before = (await connected()).length;
    const first = await googleConnect((await session()).s);
    const accountId = first.searchParams.get('accountId')!;
    assert.match(accountId, /^acc_/);
    const second = await googleConnect((await session()).s);
    assert.equal(second.searchParams.get('accountId'), accountId, 'the same account');
    const google = (await connected()).slice(before).filter((m) => m.data.accountId === accountId);
    assert.deepEqual(google.map((m) => m.data.alreadyConnected), [false, true]);

    // CalDAV through the page: the account connected in the first test, connected again.
    const dav1 = (await hub.store.tenant(tenantId).accounts.list()).find((a) => a.provider === 'caldav')!;
    const n = (await connected()).length;
    const r = await caldav({ session: (await session()).s, url: dav.url, username: dav.username, password: dav.password });
    assert.equal(new URL(String(r.headers.location)).searchParams.get('accountId'), dav1.id);
    assert.deepEqual((await connected()).slice(n).map((m) => [m.data.accountId, m.data.alreadyConnected]), [[dav1.id, true]]);
  });
});
