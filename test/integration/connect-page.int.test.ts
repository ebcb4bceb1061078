/**
 * The hosted connect page as an attacker and a confused user meet it, against the Google emulator
 * and a real Radicale: a flow finished in another browser connects nothing (STATE_BROWSER_MISMATCH);
 * form posts from other sites are refused; the return URL names the session; a session connects
 * one account and allows 5 CalDAV tries; a reconnect session keeps to its account; every answer is
 * an end-user page (no JSON, env vars, CLI flags, internal addresses or Node errors); the provider's
 * error words are not passed on; repeated parameters and oversized fields are a clear refusal.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { openHub, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { consent } from '../support/consent.ts';
import { startRadicale, type DavServer } from '../support/dav-servers.ts';

const EMAIL = 'page.user@example.com';
const BACK = 'https://tenant.example.com/connected';
const ORIGIN = 'http://127.0.0.1:3998';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
/** What an end-user page must never show. */
const OPERATOR_WORDS = /CALDAV_ALLOW_PRIVATE_NETWORKS|--url|calhub tenants|POST \/v1|ECONNREFUSED|ENOTFOUND|getaddrinfo|127\.0\.0\.1:9\b|"error":/;

describe('hosted connect page: browser binding, cross-site posts, sessions, reconnects, end-user errors', () => {
  let emu: RunningGoogleEmulator;
  let dav: DavServer;
  let hub: Hub;
  let app: FastifyInstance;
  let key: string;
  let tenantId: string;
  const logs: string[] = [];
  const secrets: string[] = [];

  before(async () => {
    emu = await startGoogleEmulator({ allowHttpPush: true });
    emu.control.createUser({ email: EMAIL, timeZone: 'Europe/Berlin' });
    dav = await startRadicale();
    secrets.push(dav.password);
    const store = await Store.open({ dataDir: null });
    await store.migrate();
    const destination = new Writable({ write: (chunk, _enc, cb) => (logs.push(String(chunk)), cb()) });
    hub = await openHub({
      store,
      config: loadConfig({
        GOOGLE_CLIENT_ID: 'connect-page', GOOGLE_OAUTH_BASE_URL: emu.url, GOOGLE_API_BASE_URL: emu.url, PORT: '3998',
        CALHUB_PUBLIC_URL: ORIGIN, CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback', CALDAV_ALLOW_PRIVATE_NETWORKS: 'true',
      }),
      logger: createLogger({ level: 'debug', destination }),
      keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
      guard: { maxDeleteShare: 1, minObjects: 1_000_000 },
    });
    app = await buildApp({ hub });
    const t = await store.tenants.create('connect-page');
    tenantId = t.tenant.id;
    key = t.apiKey;
    secrets.push(key);
    assert.equal((await api('POST', '/v1/oauth/redirect-uris', { uri: BACK })).status, 200);
  });
  after(async () => {
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
  async function session(o: { accountId?: string } = {}): Promise<{ s: string; id: string }> {
    const r = await api('POST', '/v1/connect/sessions', { redirectUri: BACK, access: 'read', ...o });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const s = new URL(r.json.url).searchParams.get('session')!;
    secrets.push(s);
    assert.match(r.json.id, /^[0-9a-f]{64}$/);
    assert.ok(!r.json.url.includes(r.json.id), 'the id is not the secret');
    return { s, id: r.json.id };
  }
  const post = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, headers: { ...FORM, ...headers }, payload: new URLSearchParams(form).toString() });
  const caldav = (form: Record<string, string>, headers: Record<string, string> = {}) => post('/connect/caldav', { preset: 'caldav', ...form }, headers);
  /** Follows the page's post-redirect-get back to the form. */
  const followed = async (r: { statusCode: number; headers: Record<string, unknown> }) => {
    assert.equal(r.statusCode, 303);
    const to = String(r.headers.location);
    assert.ok(to.startsWith('/connect/caldav?'), to);
    return app.inject({ method: 'GET', url: to });
  };
  /** An end-user page: HTML, and what it says (its alert) names nothing of the operator's. */
  const isPage = (r: { headers: Record<string, unknown>; body: string }) => {
    assert.match(String(r.headers['content-type']), /^text\/html/);
    assert.doesNotMatch(r.body, /CALDAV_ALLOW_PRIVATE_NETWORKS|"error":/);
    assert.doesNotMatch(r.body.match(/role="alert"[^>]*>([^<]*)/)?.[1] ?? '', OPERATOR_WORDS);
  };

  /** The page's "Go back to the app" link: the return address with an error code and the session, as Cancel has. */
  const backOf = (r: { body: string }, id: string): string | null => {
    const href = r.body.match(/<a href="([^"]+)">Go back to /)?.[1];
    assert.ok(href, 'a link back to the app');
    const to = new URL(href.replaceAll('&#38;', '&').replaceAll('&amp;', '&'));
    assert.equal(`${to.origin}${to.pathname}`, BACK);
    assert.equal(to.searchParams.get('connectSession'), id, 'the link names the session');
    assert.ok(to.searchParams.get('error_description'));
    return to.searchParams.get('error');
  };

  /** Starts a Google flow on the page; returns the provider's callback and the binding cookie. */
  async function startGoogle(s: string): Promise<{ callback: URL; cookie: string }> {
    const go = await post('/connect/oauth/google', { session: s });
    assert.equal(go.statusCode, 303, go.body);
    assert.equal(go.headers['cache-control'], 'no-store');
    const setCookie = String(go.headers['set-cookie']);
    assert.match(setCookie, /^calhub_oauth_[0-9a-f]{16}=[\w-]{43}; Path=\/oauth\/google\/callback; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    const cookie = setCookie.split(';')[0]!;
    secrets.push(cookie.split('=')[1]!);
    const callback = await consent(go.headers.location as string, { account: EMAIL, decision: 'allow' });
    secrets.push(callback.searchParams.get('code') ?? '', callback.searchParams.get('state') ?? '');
    return { callback, cookie };
  }

  it('a Google flow finished without (or with another) binding cookie connects nothing: STATE_BROWSER_MISMATCH; with it: accountId and connectSession', async () => {
    for (const variant of ['another browser (no cookie)', 'a forged cookie value']) {
      const { s } = await session();
      const { callback, cookie } = await startGoogle(s);
      const sent = variant.startsWith('another') ? {} : { cookie: `${cookie.split('=')[0]}=${'A'.repeat(43)}` };
      const cb = await app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, headers: sent });
      assert.equal(cb.statusCode, 302);
      assert.equal(cb.headers['cache-control'], 'no-store');
      const to = new URL(cb.headers.location as string);
      assert.equal(to.searchParams.get('error'), 'STATE_BROWSER_MISMATCH');
      assert.equal(to.searchParams.get('accountId'), null);
      assert.deepEqual(await hub.store.tenant(tenantId).accounts.list(), [], `${variant}: nothing connected`);
    }
    const { s, id } = await session();
    const { callback, cookie } = await startGoogle(s);
    const cb = await app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, headers: { cookie } });
    const to = new URL(cb.headers.location as string);
    assert.equal(to.searchParams.get('error'), null, to.toString());
    assert.match(to.searchParams.get('accountId') ?? '', /^acc_/);
    assert.equal(to.searchParams.get('connectSession'), id);
    assert.match(String(cb.headers['set-cookie']), /Max-Age=0/, 'the binding cookie is cleared');
    const again = await app.inject({ method: 'GET', url: `/connect?session=${s}` });
    assert.equal(again.statusCode, 410, 'a session that connected an account connects nothing more');
    isPage(again);
    assert.equal(backOf(again, id), 'SESSION_USED');
  });

  it('form posts from another site are refused (Sec-Fetch-Site, Origin); same-origin and header-less posts pass', async () => {
    const { s } = await session();
    const crossSite: Array<Record<string, string>> = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }, { origin: 'null' }];
    for (const h of crossSite) {
      for (const url of ['/connect/caldav', '/connect/oauth/google']) {
        const r = await post(url, { session: s, preset: 'caldav', url: dav.url, username: dav.username, password: dav.password }, h);
        assert.equal(r.statusCode, 403, `${url} ${JSON.stringify(h)}`);
        isPage(r);
      }
    }
    assert.deepEqual((await hub.store.tenant(tenantId).accounts.list()).filter((a) => a.provider === 'caldav'), []);
    for (const origin of [ORIGIN, 'null']) {
      // Our own pages post with Origin: null (they are served with Referrer-Policy: no-referrer).
      const same = await caldav({ session: s, url: dav.url, username: dav.username, password: 'wrong-one' }, { 'sec-fetch-site': 'same-origin', origin });
      assert.equal(same.statusCode, 303, `same origin (Origin: ${origin}) reaches the server (and is refused there)`);
    }
    const noHeaders = await caldav({ session: s, url: dav.url, username: dav.username, password: 'wrong-two' });
    assert.equal(noHeaders.statusCode, 303, 'a client sending neither header is no browser: it passes');
  });

  it('a session allows 5 CalDAV tries, then is spent with a clear page; a successful one connects once and names the session', async () => {
    const { s, id } = await session();
    for (let i = 0; i < 5; i++) {
      const r = await caldav({ session: s, url: dav.url, username: dav.username, password: `wrong-${i}` });
      const form = await followed(r);
      isPage(form);
      assert.match(form.body, /did not accept that user name and password/);
      assert.match(form.body, /id="password"[^>]*aria-invalid="true"/);
      assert.match(form.body, /role="alert" tabindex="-1" autofocus/);
    }
    const sixth = await caldav({ session: s, url: dav.url, username: dav.username, password: dav.password });
    assert.equal(sixth.statusCode, 429);
    assert.match(sixth.body, /Too many attempts/);
    isPage(sixth);
    assert.equal(backOf(sixth, id), 'TOO_MANY_ATTEMPTS');
    // Parallel posts cannot overdraw a fresh session either.
    const fresh = await session();
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => caldav({ session: fresh.s, url: dav.url, username: dav.username, password: `burst-${i}` })));
    // 5 take a try; the next is told "too many" (429), which kills the session (migration 0090):
    // a post after that finds it spent (410), as does a try still running.
    assert.ok(burst.filter((r) => r.statusCode === 303).length <= 5, 'at most 5 tries reached the server');
    assert.ok(burst.filter((r) => r.statusCode === 429).length >= 1);
    assert.equal(burst.filter((r) => r.statusCode === 303 || r.statusCode === 410 || r.statusCode === 429).length, 12);

    const ok = await session();
    const r = await caldav({ session: ok.s, url: dav.url, username: dav.username, password: dav.password });
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers['cache-control'], 'no-store');
    const to = new URL(r.headers.location as string);
    assert.equal(`${to.origin}${to.pathname}`, BACK);
    assert.match(to.searchParams.get('accountId') ?? '', /^acc_/);
    assert.equal(to.searchParams.get('connectSession'), ok.id);
    const made = await hub.store.tenant(tenantId).accounts.get(to.searchParams.get('accountId')!);
    assert.equal(made!.access, 'read', "the session's access, as for Google and Microsoft");
    const reuse = await caldav({ session: ok.s, url: dav.url, username: dav.username, password: dav.password });
    assert.equal(reuse.statusCode, 410);
    assert.match(reuse.body, /already used/);
    assert.equal(backOf(reuse, ok.id), 'SESSION_USED');
  });

  it('a reconnect session names its account, offers only its provider, and relinks exactly that account', async () => {
    const accounts = await hub.store.tenant(tenantId).accounts.list();
    const g = accounts.find((a) => a.provider === 'google')!;
    const d = accounts.find((a) => a.provider === 'caldav')!;
    const gs = await session({ accountId: g.id });
    const page = await app.inject({ method: 'GET', url: `/connect?session=${gs.s}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Reconnect your calendar/);
    assert.ok(page.body.includes(g.displayName ?? g.externalId), 'the account is named');
    assert.match(page.body, /action="\/connect\/oauth\/google"/);
    assert.doesNotMatch(page.body, /preset=|oauth\/microsoft/);
    const ms = await post('/connect/oauth/microsoft', { session: gs.s });
    assert.equal(ms.statusCode, 404);
    isPage(ms);
    assert.equal(backOf(ms, gs.id), 'PROVIDER_NOT_OFFERED');
    const davForm = await app.inject({ method: 'GET', url: `/connect/caldav?session=${gs.s}` });
    assert.equal(davForm.statusCode, 303, 'a Google account has no CalDAV form');

    const ds = await session({ accountId: d.id });
    const form = await app.inject({ method: 'GET', url: `/connect/caldav?session=${ds.s}` });
    assert.ok(form.body.includes(dav.username) && form.body.includes(dav.url), 'server and user are shown, fixed');
    assert.doesNotMatch(form.body, /name="url"|name="username"/);
    // Whatever the post says, the account's own server and user are used.
    const r = await caldav({ session: ds.s, url: 'http://127.0.0.1:9/', username: 'someone-else', password: dav.password });
    assert.equal(r.statusCode, 303, r.body);
    assert.equal(new URL(r.headers.location as string).searchParams.get('accountId'), d.id);
    assert.equal((await hub.store.tenant(tenantId).accounts.list()).length, accounts.length, 'no new account');

    // The account a reconnect session was made for is deleted meanwhile: the way back says so.
    const doomed = await hub.store.tenant(tenantId).accounts.upsert({ provider: 'caldav', externalId: 'doomed@example.com' });
    const gone = await session({ accountId: doomed.id });
    assert.ok(await hub.store.tenant(tenantId).accounts.delete(doomed.id));
    const page2 = await app.inject({ method: 'GET', url: `/connect?session=${gone.s}` });
    assert.equal(page2.statusCode, 404);
    assert.match(page2.body, /This account is gone/);
    assert.equal(backOf(page2, gone.id), 'ACCOUNT_GONE');
  });

  it('CalDAV refusals are written for the person: no env vars, flags, addresses or Node errors, and no "try again" for a wrong address', async () => {
    const { s } = await session();
    const unreachable = await followed(await caldav({ session: s, url: 'http://127.0.0.1:9/', username: 'u', password: 'p' }));
    assert.match(unreachable.body, /could not be reached/);
    isPage(unreachable);
    assert.match(unreachable.body, /id="url"[^>]*aria-invalid="true"/);
    const notDav = await followed(await caldav({ session: s, url: `${emu.url}/`, username: 'u', password: 'p' }));
    assert.match(notDav.body, /not a CalDAV server|could not be reached/);
    isPage(notDav);
    for (const url of ['ftp://dav.example.com/', 'file:///etc/passwd', 'not a url']) {
      const r = await followed(await caldav({ session: s, url, username: 'u', password: 'p' }));
      assert.match(r.body, /starting with https:\/\//);
      assert.doesNotMatch(r.body, /try again/i);
      isPage(r);
    }
    const withCreds = await followed(await caldav({ session: s, url: 'http://alice:secret1@127.0.0.1:9/', username: 'u', password: 'p' }));
    assert.match(withCreds.body, /Leave your user name and password out of the server address/);
    assert.ok(!withCreds.body.includes('secret1'), 'the address with its password is not echoed');
    const closed = await followed(await (async () => {
      const h = await openHub({ store: hub.store, config: loadConfig({ CALHUB_PUBLIC_URL: ORIGIN, CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback', PORT: '3998' }), logger: createLogger({ level: 'silent' }), keyring: hub.keyring });
      const a = await buildApp({ hub: h });
      try {
        const r = await a.inject({ method: 'POST', url: '/connect/caldav', headers: FORM, payload: new URLSearchParams({ session: s, preset: 'caldav', url: dav.url, username: dav.username, password: dav.password }).toString() });
        return r;
      } finally {
        await a.close();
        await h.close();
      }
    })());
    assert.match(closed.body, /That server address is not allowed/);
    isPage(closed);
    assert.match(logs.join(''), /CalDAV connect refused/, 'the operator detail is in the log');
  });

  it("each form's errors name only fields it shows, in the provider's words (iCloud: Apple ID email, app-specific password; no server address)", async () => {
    const { s } = await session();
    const codes = ['CREDENTIALS_REJECTED', 'URL_NOT_ALLOWED', 'PROVIDER_UNAVAILABLE', 'DNS_UNAVAILABLE', 'PROVIDER_REFUSED', 'HOST_UNKNOWN', 'NOT_HTTP', 'URL_CREDENTIALS', 'TOO_LONG', 'MISMATCH', 'EMAIL_INVALID', 'OTHER'];
    for (const preset of ['icloud', 'fastmail', 'nextcloud', 'caldav']) {
      for (const code of codes) {
        const r = await app.inject({ method: 'GET', url: `/connect/caldav?session=${s}&preset=${preset}&error=${code}&long=url,username` });
        const summary = r.body.match(/role="alert"[^>]*>([^<]*)/)?.[1] ?? '';
        assert.ok(summary, `${preset} ${code}: an announced error`);
        const showsUrl = /<input id="url"/.test(r.body);
        assert.equal(showsUrl, preset === 'nextcloud' || preset === 'caldav');
        if (!showsUrl) assert.doesNotMatch(summary, /server address/i, `${preset} ${code}: "${summary}" names a field the page does not show`);
        // Every field an error is about is on the page, and points at a message that is.
        for (const [, field, ids] of r.body.matchAll(/<input id="(\w+)"[^>]*aria-describedby="([^"]+)"/g)) {
          for (const id of ids!.split(' ')) assert.match(r.body, new RegExp(`id="${id}"`), `${preset} ${code}: ${field} points at #${id}`);
        }
        for (const [, id] of r.body.matchAll(/id="(\w+)-error"/g)) assert.match(r.body, new RegExp(`<input id="${id}"[^>]*aria-invalid="true"`), `${preset} ${code}: #${id}-error belongs to a shown field`);
      }
    }
    const icloud = await app.inject({ method: 'GET', url: `/connect/caldav?session=${s}&preset=icloud&error=CREDENTIALS_REJECTED` });
    const said = icloud.body.match(/role="alert"[^>]*>([^<]*)/)?.[1] ?? '';
    assert.match(said, /Apple ID email/);
    assert.match(said, /app-specific password/);
    assert.doesNotMatch(said, /user name/);
    assert.match(icloud.body, /<input id="username"[^>]*aria-describedby="username-error"[^>]*aria-invalid="true"/);
    assert.match(icloud.body, /<input id="password"[^>]*aria-describedby="password-error password-hint"[^>]*aria-invalid="true"/);
  });

  it('a refused submit keeps every field but the password: server address, user name, email (credentials typed into the address are dropped)', async () => {
    const { s } = await session();
    const wrong = await followed(await caldav({ session: s, url: dav.url, username: dav.username, password: 'wrong-password', email: 'kept@example.com' }));
    assert.match(wrong.body, /did not accept/);
    assert.match(wrong.body, new RegExp(`<input id="url"[^>]*value="${dav.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`));
    assert.match(wrong.body, new RegExp(`<input id="username"[^>]*value="${dav.username}"`));
    assert.match(wrong.body, /<input id="email"[^>]*value="kept@example.com"/);
    assert.doesNotMatch(wrong.body, /wrong-password/);
    assert.match(wrong.body, /<input id="password"(?![^>]*value=)[^>]*>/);
    const creds = await followed(await caldav({ session: s, url: 'https://alice:secret2@dav.example.com/cal/', username: 'alice', password: 'p' }));
    assert.match(creds.body, /<input id="url"[^>]*value="https:\/\/dav.example.com\/cal\/"/);
    assert.match(creds.body, /<input id="username"[^>]*value="alice"/);
    assert.ok(!creds.body.includes('secret2'));
    const long = await followed(await caldav({ session: s, url: dav.url, username: 'bob', password: 'p', email: `${'x'.repeat(400)}@example.com` }));
    assert.match(long.body, /<input id="username"[^>]*value="bob"/, 'a field within its limit is kept when another is too long');
    assert.match(long.body, /<input id="email"[^>]*value=""[^>]*aria-invalid="true"/);
  });

  it('a CalDAV URL with credentials in it is refused by the API too, and never stored', async () => {
    const r = await api('POST', '/v1/accounts/caldav', { url: `http://alice:secret1@${new URL(dav.url).host}/`, username: dav.username, password: dav.password });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'VALIDATION_FAILED');
    assert.match(r.json.error.message, /must not contain a user name or password/);
    const stored = await hub.store.db.query<{ config: unknown }>('SELECT config FROM accounts');
    assert.ok(!JSON.stringify(stored).includes('secret1'));
    const ftp = await api('POST', '/v1/accounts/caldav', { url: 'ftp://dav.example.com/', username: 'u', password: 'p' });
    assert.equal(ftp.status, 400);
    assert.doesNotMatch(ftp.json.error.message, /--url/);
  });

  it('repeated or missing parameters are a 400 page; oversized fields are refused without being echoed; the form has the limits', async () => {
    for (const url of ['/connect?session=a&session=b', '/connect/caldav?session=a&session=b', '/connect', '/connect/caldav']) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 400, url);
      isPage(r);
    }
    const twice = await app.inject({ method: 'POST', url: '/connect/caldav', headers: FORM, payload: 'session=a&session=b' });
    assert.equal(twice.statusCode, 400);
    const { s } = await session();
    const form = await app.inject({ method: 'GET', url: `/connect/caldav?session=${s}&preset=caldav` });
    for (const [field, max] of [['url', 2000], ['username', 320], ['password', 1000]] as const) assert.match(form.body, new RegExp(`name="${field}"[^>]*maxlength="${max}"`));
    const big = 'x'.repeat(400_000);
    const r = await caldav({ session: s, url: dav.url, username: big, password: big });
    const back = await followed(r);
    assert.match(back.body, /longer than any real one/);
    assert.ok(back.body.length < 10_000 && !back.body.includes('xxxxxxxxxx'));
  });

  it('errors starting a sign-in are an end-user page, not JSON or operator advice; a removed redirect URI is not linked', async () => {
    const { s } = await session();
    assert.equal((await api('DELETE', '/v1/oauth/redirect-uris', { uri: BACK })).status, 200);
    try {
      const r = await post('/connect/oauth/google', { session: s });
      assert.equal(r.statusCode, 400, 'the app\'s setup refused it for good: not a 503 "try again later"');
      isPage(r);
      assert.match(r.body, /return address is no longer allowed/);
      assert.doesNotMatch(r.body, /try again later/i);
      assert.ok(!r.body.includes(BACK), 'the removed address is not linked');
      assert.match(logs.join(''), /REDIRECT_URI_NOT_ALLOWED/, 'the operator detail is in the log');
    } finally {
      await api('POST', '/v1/oauth/redirect-uris', { uri: BACK });
    }
  });

  it('a session whose redirect URI left the allow-list offers nothing and links nowhere: every page says the return address is no longer allowed (REDIRECT_URI_NOT_ALLOWED)', async () => {
    const { s } = await session();
    const used = await session();
    await hub.store.oauth.spendSession((await hub.store.oauth.session(used.s))!.ref);
    const reconnect = await session({ accountId: (await hub.store.tenant(tenantId).accounts.list())[0]!.id });
    assert.equal((await api('DELETE', '/v1/oauth/redirect-uris', { uri: BACK })).status, 200);
    const before = (await hub.store.tenant(tenantId).accounts.list()).map((a) => `${a.id}/${a.updatedAt}`);
    try {
      const pages = [
        await app.inject({ method: 'GET', url: `/connect?session=${s}` }),
        await app.inject({ method: 'GET', url: `/connect?session=${reconnect.s}` }),
        await app.inject({ method: 'GET', url: `/connect/caldav?session=${s}&preset=caldav` }),
        await caldav({ session: s, url: dav.url, username: dav.username, password: dav.password }),
        await post('/connect/oauth/google', { session: s }),
      ];
      for (const r of pages) {
        assert.equal(r.statusCode, 400, r.body);
        isPage(r);
        assert.match(r.body, /The app&#39;s return address is no longer allowed|The app's return address is no longer allowed/);
        assert.match(r.body, /REDIRECT_URI_NOT_ALLOWED/);
        assert.ok(!r.body.includes(BACK), 'the removed address is not linked');
        assert.doesNotMatch(r.body, /connect\/oauth|name="password"/, 'no way on is offered');
      }
      const spent = await app.inject({ method: 'GET', url: `/connect?session=${used.s}` });
      assert.equal(spent.statusCode, 410);
      assert.ok(!spent.body.includes(BACK), 'a used session does not link the removed address either');
      assert.deepEqual((await hub.store.tenant(tenantId).accounts.list()).map((a) => `${a.id}/${a.updatedAt}`), before, 'nothing connected');
    } finally {
      await api('POST', '/v1/oauth/redirect-uris', { uri: BACK });
    }
  });

  it("the provider's error words are not passed on: only an RFC 6749 code, and a description of calhub's own", async () => {
    const a = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read' });
    const state = new URL(a.json.url).searchParams.get('state')!;
    secrets.push(state);
    const evil = encodeURIComponent('<script>alert(1)</script> Your calendar was suspended, call +1 555');
    const cb = await app.inject({ method: 'GET', url: `/oauth/google/callback?state=${state}&error=${evil}&error_description=${evil}` });
    const to = new URL(cb.headers.location as string);
    assert.equal(to.searchParams.get('error'), 'PROVIDER_ERROR');
    assert.equal(to.searchParams.get('error_description'), 'the provider refused the sign-in (unknown_error)');
    const b = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read' });
    const st = new URL(b.json.url).searchParams.get('state')!;
    secrets.push(st);
    const known = await app.inject({ method: 'GET', url: `/oauth/google/callback?state=${st}&error=temporarily_unavailable` });
    assert.equal(new URL(known.headers.location as string).searchParams.get('error_description'), 'the provider refused the sign-in (temporarily_unavailable)');
  });

  it('an expired state is answered STATE_EXPIRED even after other flows started; a known flow at the wrong callback links back to the app', async () => {
    const a = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read' });
    const state = new URL(a.json.url).searchParams.get('state')!;
    secrets.push(state);
    await hub.store.db.query(`UPDATE oauth_states SET expires_at = now() - interval '1 hour'`);
    await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read' }); // sweeps on the way in
    const late = await app.inject({ method: 'GET', url: `/oauth/google/callback?state=${state}&code=whatever` });
    assert.equal(late.statusCode, 302);
    assert.equal(new URL(late.headers.location as string).searchParams.get('error'), 'STATE_EXPIRED');
    const b = await api('POST', '/v1/oauth/google/authorize-url', { redirectUri: BACK, access: 'read' });
    const st = new URL(b.json.url).searchParams.get('state')!;
    secrets.push(st);
    const wrong = await app.inject({ method: 'GET', url: `/oauth/microsoft/callback?state=${st}&code=whatever` });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /STATE_INVALID/);
    assert.ok(wrong.body.includes(`href="${BACK}"`), 'a way back to the app');
  });

  it('one session connects one account from two tabs: the second Google sign-in stores nothing (SESSION_USED); refusals name the session', async () => {
    emu.control.createUser({ email: 'second.tab@example.com', timeZone: 'Europe/Berlin' });
    const { s, id } = await session();
    const go = async (account: string) => {
      const r = await post('/connect/oauth/google', { session: s });
      assert.equal(r.statusCode, 303, r.body);
      const cookie = String(r.headers['set-cookie']).split(';')[0]!;
      secrets.push(cookie.split('=')[1]!);
      const callback = await consent(r.headers.location as string, { account, decision: 'allow' });
      secrets.push(callback.searchParams.get('code') ?? '', callback.searchParams.get('state') ?? '');
      return () => app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, headers: { cookie } });
    };
    // Both tabs are past the chooser before either comes back.
    const first = await go(EMAIL);
    const second = await go('second.tab@example.com');
    const before = (await hub.store.tenant(tenantId).accounts.list()).length;
    const a = new URL((await first()).headers.location as string);
    assert.match(a.searchParams.get('accountId') ?? '', /^acc_/);
    const b = new URL((await second()).headers.location as string);
    assert.equal(b.searchParams.get('error'), 'SESSION_USED');
    assert.equal(b.searchParams.get('connectSession'), id);
    assert.equal(b.searchParams.get('accountId'), null);
    const accounts = await hub.store.tenant(tenantId).accounts.list();
    assert.ok(!accounts.some((x) => x.externalId.includes('second.tab')), 'the second tab connected nothing');
    assert.ok(accounts.length <= before + 1);

    // A refusal at the provider names the session too, and leaves it usable.
    const fresh = await session();
    const r = await post('/connect/oauth/google', { session: fresh.s });
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    secrets.push(cookie.split('=')[1]!);
    const denied = await consent(r.headers.location as string, { account: EMAIL, decision: 'deny' });
    secrets.push(denied.searchParams.get('state') ?? '');
    const cb = new URL((await app.inject({ method: 'GET', url: `${denied.pathname}${denied.search}`, headers: { cookie } })).headers.location as string);
    assert.equal(cb.searchParams.get('error'), 'ACCESS_DENIED');
    assert.equal(cb.searchParams.get('connectSession'), fresh.id);
    assert.equal((await app.inject({ method: 'GET', url: `/connect?session=${fresh.s}` })).statusCode, 200, 'the session is still good');
  });

  it('two CalDAV submits of one session at once: one connects, the other is told the link was used; a refused try leaves the session usable', async () => {
    const { s, id } = await session();
    const wrong = await caldav({ session: s, url: dav.url, username: dav.username, password: 'not-it' });
    assert.equal(wrong.statusCode, 303);
    assert.ok(String(wrong.headers.location).startsWith('/connect/caldav?'), 'a refused try goes back to the form');
    const both = await Promise.all([0, 1].map(() => caldav({ session: s, url: dav.url, username: dav.username, password: dav.password })));
    const back = both.filter((r) => r.statusCode === 303 && String(r.headers.location).startsWith(BACK));
    assert.equal(back.length, 1, both.map((r) => `${r.statusCode} ${String(r.headers.location ?? '')}`).join(' | '));
    assert.equal(new URL(back[0]!.headers.location as string).searchParams.get('connectSession'), id);
    const other = both.find((r) => r !== back[0])!;
    assert.equal(other.statusCode, 410);
    assert.match(other.body, /already used/);
    isPage(other);
  });

  it('the CalDAV form tells a name that does not resolve from a web server that is not CalDAV', async () => {
    const { createServer } = await import('node:http');
    const web = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome</body></html>'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    try {
      const { s } = await session();
      const port = (web.address() as { port: number }).port;
      const plain = await followed(await caldav({ session: s, url: `http://127.0.0.1:${port}/done`, username: 'u', password: 'p' }));
      assert.match(plain.body, /That address is not a CalDAV server/);
      isPage(plain);
      const nowhere = await followed(await caldav({ session: s, url: 'http://nonexistent-host-zz.invalid/', username: 'u', password: 'p' }));
      assert.match(nowhere.body, /No server by that name was found/);
      isPage(nowhere);
    } finally {
      await new Promise((resolve) => web.close(resolve));
    }
  });

  it('hosted pages send Referrer-Policy: no-referrer and X-Content-Type-Options: nosniff; Cancel returns error=CANCELLED with connectSession', async () => {
    const { s, id } = await session();
    for (const url of [`/connect?session=${s}`, `/connect/caldav?session=${s}&preset=icloud`, '/connect?session=cs_nope']) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.headers['referrer-policy'], 'no-referrer', url);
      assert.equal(r.headers['x-content-type-options'], 'nosniff', url);
    }
    const icloud = await app.inject({ method: 'GET', url: `/connect/caldav?session=${s}&preset=icloud` });
    assert.match(icloud.body, /<label for="username">Apple ID email<\/label>/);
    assert.match(icloud.body, /App-specific password/);
    const cancel = new URL((icloud.body.match(/<a href="([^"]+)">Cancel and go back to /)?.[1] ?? 'x:').replaceAll('&#38;', '&'));
    assert.equal(`${cancel.origin}${cancel.pathname}`, BACK, 'a cancel link back to the app');
    assert.equal(cancel.searchParams.get('error'), 'CANCELLED', 'that says the person cancelled');
    assert.equal(cancel.searchParams.get('connectSession'), id, 'and names the session, as a refused sign-in does');
    const other = await app.inject({ method: 'GET', url: `/connect/caldav?session=${s}&preset=caldav` });
    assert.match(other.body, /<h1>Connect another CalDAV server to connect-page<\/h1>/);
  });

  it('no log line holds a token, code, state, session, cookie nonce, API key or password', () => {
    const text = logs.join('');
    for (const x of secrets.filter((v) => v.length > 8)) assert.ok(!text.includes(x), 'a secret reached the log');
    assert.doesNotMatch(text, /wrong-\d|burst-\d/);
  });
});
