/**
 * The connect flow as a person goes through it, in headless Debian Chromium (playwright-core with
 * executablePath), against `calhub start` (API and worker in one process, managed Redis, embedded
 * store): the tenant creates a connect session; the browser opens the hosted connect page, picks
 * Google or Microsoft, signs in and allows at the emulator's consent page, comes back through
 * calhub's callback and lands on the tenant's redirect URI with `accountId`; the worker syncs the
 * account's calendars and /v1/freebusy answers their busy time. The same for a CalDAV account on
 * Radicale through the page's form. Push channels are started at connect time (Google watch, Graph
 * subscription validated against this hub); disconnecting every account stops them at the
 * providers and leaves no account or calendar. The hub's whole log is then scanned for the tokens, codes,
 * session and state values, API key and passwords that went by (0 found).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { startHub, stopHub, withStore } from '../support/cli.ts';
import { putEvent } from '../support/dav-content.ts';
import { makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const G_EMAIL = 'browser.user@example.com';
const DAY = 86_400_000;
const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);
const at = (hhmm: string) => `${tomorrow}T${hhmm}:00Z`;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('connecting calendars in a browser: hosted page → consent → callback → tenant redirect → synced → free/busy', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'calhub-connect-browser-'));
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  let msUser: string;
  let radicale: DavServer;
  let hub: { child: ChildProcess; url: string; log: () => string };
  let tenantApp: http.Server;
  let back = '';
  let apiKey = '';
  let browser: Browser;
  let attackPage = '';
  /** Every secret that went by; none may be in the hub's log. */
  const secrets: string[] = [];

  before(async () => {
    google = await startGoogleEmulator({ allowHttpPush: true });
    google.control.createUser({ email: G_EMAIL, displayName: 'Browser User', timeZone: 'Europe/Berlin' });
    google.control.insertEvent(G_EMAIL, { summary: 'google busy', start: { dateTime: at('10:00') }, end: { dateTime: at('11:00') } });
    ms = await startMicrosoftEmulator();
    ms.control.setSwitches({ allowHttpPush: true });
    const user = ms.control.createUser({ email: 'browser@contoso.test', displayName: 'Browser User' });
    msUser = user.id;
    ms.control.createEvent({ userId: user.id, calendarId: user.calendarId, event: { subject: 'graph busy', start: { dateTime: `${tomorrow}T13:00:00`, timeZone: 'UTC' }, end: { dateTime: `${tomorrow}T14:00:00`, timeZone: 'UTC' } } as never });
    radicale = await startRadicale();
    secrets.push(radicale.password);
    const calUrl = await makeCalendar(radicale, 'Work');
    const stamp = (hhmm: string) => at(hhmm).replace(/[-:]/g, '');
    await putEvent(radicale, calUrl, { uid: 'dav-busy', summary: 'dav busy', start: `DTSTART:${stamp('15:00')}`, end: `DTEND:${stamp('16:00')}` });

    // The tenant's application: where the browser is sent back to.
    tenantApp = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      // Another site's page that posts the attacker's session and CalDAV login as soon as it loads.
      if (req.url?.startsWith('/attack')) return res.end(attackPage);
      res.end(`<!doctype html><title>Tenant app</title><h1>Back at the tenant</h1>`);
    });
    await new Promise<void>((resolve) => tenantApp.listen(0, '127.0.0.1', resolve));
    back = `http://127.0.0.1:${(tenantApp.address() as net.AddressInfo).port}/connected`;

    const port = await freePort();
    ms.control.registerApp({ clientId: 'browser-ms', clientSecret: 'browser-ms-secret', redirectUris: [`http://127.0.0.1:${port}/oauth/microsoft/callback`] });
    secrets.push('browser-ms-secret');
    const created = await withStore(dataDir, async (s) => (await s.migrate(), s.tenants.create('browser')));
    apiKey = created.apiKey;
    secrets.push(apiKey);
    hub = await startHub({
      CALHUB_DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', PORT: String(port), LOG_LEVEL: 'debug',
      GOOGLE_CLIENT_ID: 'browser-google', GOOGLE_CLIENT_SECRET: 'browser-google-secret', GOOGLE_OAUTH_BASE_URL: google.url, GOOGLE_API_BASE_URL: google.url,
      MICROSOFT_CLIENT_ID: 'browser-ms', MICROSOFT_CLIENT_SECRET: 'browser-ms-secret', MICROSOFT_LOGIN_BASE_URL: ms.url, MICROSOFT_GRAPH_BASE_URL: ms.url,
      CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', SYNC_POLL_INTERVAL_MS: '3600000',
      // Push channels at connect time (Graph validates the address against this very hub), so disconnect has some to stop.
      CALHUB_PUBLIC_URL: `http://127.0.0.1:${port}`, CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback',
    });
    secrets.push('browser-google-secret');
    const allowed = await api('POST', '/v1/oauth/redirect-uris', { uri: back });
    assert.equal(allowed.status, 200, JSON.stringify(allowed.json));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    if (hub) await stopHub(hub.child, dataDir);
    tenantApp?.close();
    await radicale?.stop();
    await google?.close();
    await ms?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers, checked field by field below
  async function api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const r = await fetch(`${hub.url}${path}`, { method, headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: r.status, json: await r.json() };
  }

  /** The tenant's side: a connect session's link. */
  async function sessionLink(): Promise<string> {
    const s = await api('POST', '/v1/connect/sessions', { redirectUri: back, access: 'read' });
    assert.equal(s.status, 200, JSON.stringify(s.json));
    secrets.push(new URL(s.json.url).searchParams.get('session')!);
    return s.json.url;
  }

  /** Every calhub callback address the browser passed through. */
  const callbacks: URL[] = [];
  /** Remembers code and state of every calhub callback the browser passes through. */
  function watchCallbacks(page: Page): void {
    page.on('request', (req) => {
      const u = new URL(req.url());
      if (!u.pathname.startsWith('/oauth/')) return;
      callbacks.push(u);
      for (const k of ['code', 'state']) if (u.searchParams.get(k)) secrets.push(u.searchParams.get(k)!);
    });
  }

  /** Waits for the worker's first sync of the account, then asks free/busy for tomorrow. */
  async function syncedBusy(accountId: string): Promise<Array<{ start: string; end: string }>> {
    const deadline = Date.now() + 90_000;
    let cals: Array<{ id: string; lastSuccessAt: string | null; syncStage: string }> = [];
    while (Date.now() < deadline) {
      cals = (await api('GET', `/v1/calendars?accountId=${accountId}`)).json.items;
      if (cals.length > 0 && cals.every((c) => c.lastSuccessAt)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(cals.length > 0 && cals.every((c) => c.lastSuccessAt), `calendars not synced: ${JSON.stringify(cals)}`);
    const fb = await api('POST', '/v1/freebusy', { calendarIds: cals.map((c) => c.id), timeMin: `${tomorrow}T00:00:00Z`, timeMax: new Date(Date.parse(`${tomorrow}T00:00:00Z`) + DAY).toISOString() });
    assert.equal(fb.status, 200, JSON.stringify(fb.json));
    return (fb.json.calendars as Array<{ busy: Array<{ start: string; end: string }> }>).flatMap((c) => c.busy.map((b) => ({ start: b.start, end: b.end })));
  }

  const landed = (page: Page): string => {
    const u = new URL(page.url());
    assert.equal(`${u.origin}${u.pathname}`, back, `the browser ended at ${page.url()}`);
    assert.equal(u.searchParams.get('error'), null, `error=${u.searchParams.get('error')}: ${u.searchParams.get('error_description')}`);
    const id = u.searchParams.get('accountId');
    assert.match(id ?? '', /^acc_/);
    return id!;
  };

  it('Google: connect page → consent (Allow) → callback → tenant redirect with accountId → synced → busy in /v1/freebusy', async () => {
    const page = await browser.newPage();
    watchCallbacks(page);
    await page.goto(await sessionLink());
    assert.equal(await page.title(), 'Connect your calendar to browser');
    await page.getByRole('button', { name: 'Google' }).click();
    await page.waitForURL(`${google.url}/**`);
    await page.locator('select[name="account"]').selectOption(G_EMAIL);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${back}?**`);
    const accountId = landed(page);
    assert.equal(await page.locator('h1').textContent(), 'Back at the tenant');

    // The callback opened again (a reload, a bookmark): no dead end, no second exchange, nothing leaked.
    const callback = callbacks.find((u) => u.pathname === '/oauth/google/callback')!;
    const again = await page.goto(callback.toString());
    assert.equal(again?.status(), 200);
    assert.equal(await page.locator('h1').textContent(), 'Your calendar is connected');
    assert.equal(await page.getByRole('link', { name: 'Go back to the app' }).getAttribute('href'), back, 'a way back, to the bare return address');
    assert.doesNotMatch(await page.content(), new RegExp(`${accountId}|connectSession|${callback.searchParams.get('code')}`));
    assert.deepEqual((await api('GET', '/v1/accounts')).json.items.filter((a: { provider: string }) => a.provider === 'google').map((a: { id: string }) => a.id), [accountId]);

    const busy = await syncedBusy(accountId);
    assert.ok(busy.some((b) => Date.parse(b.start) === Date.parse(at('10:00')) && Date.parse(b.end) === Date.parse(at('11:00'))), JSON.stringify(busy));
    await page.close();
  });

  it('Microsoft: connect page → consent (Accept) → callback → tenant redirect with accountId → synced → busy in /v1/freebusy', async () => {
    const page = await browser.newPage();
    watchCallbacks(page);
    await page.goto(await sessionLink());
    await page.getByRole('button', { name: 'Microsoft 365 / Outlook' }).click();
    await page.waitForURL(`${ms.url}/**`);
    await page.locator(`input[name="user"][value="${msUser}"]`).check();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL(`${back}?**`);
    const accountId = landed(page);
    const busy = await syncedBusy(accountId);
    assert.ok(busy.some((b) => Date.parse(b.start) === Date.parse(at('13:00')) && Date.parse(b.end) === Date.parse(at('14:00'))), JSON.stringify(busy));
    await page.close();
  });

  it('CalDAV on Radicale: connect page → "Another CalDAV server" form → tenant redirect with accountId → synced → busy in /v1/freebusy', async () => {
    const page = await browser.newPage();
    await page.goto(await sessionLink());
    await page.getByRole('link', { name: 'Another CalDAV server' }).click();
    // A wrong password comes back as the form again, with an alert and without the password.
    await page.getByLabel('Server address').fill(radicale.url);
    await page.getByLabel('User name').fill(radicale.username);
    await page.getByLabel('App password').fill('wrong-password-123');
    await page.getByRole('button', { name: /connect/i }).click();
    await page.waitForLoadState();
    assert.ok(await page.getByRole('alert').isVisible(), 'the refusal is announced');
    assert.ok(!(await page.content()).includes('wrong-password-123'), 'the password is not echoed back');
    assert.equal(await page.locator(':focus').getAttribute('role'), 'alert', 'focus is on the error');
    assert.equal(await page.getByLabel('App password').getAttribute('aria-invalid'), 'true');
    // Back and forward after the failed post work (post-redirect-get: no ERR_CACHE_MISS).
    await page.goBack();
    assert.equal(await page.title(), 'Connect another CalDAV server to browser');
    await page.goForward();
    assert.ok(await page.getByRole('alert').isVisible());
    await page.getByLabel('User name').fill(radicale.username);
    await page.getByLabel('App password').fill(radicale.password);
    await page.getByRole('button', { name: /connect/i }).click();
    await page.waitForURL(`${back}?**`);
    const accountId = landed(page);
    const busy = await syncedBusy(accountId);
    assert.ok(busy.some((b) => Date.parse(b.start) === Date.parse(at('15:00')) && Date.parse(b.end) === Date.parse(at('16:00'))), JSON.stringify(busy));
    await page.close();
  });

  it('login CSRF: a Google callback opened in a browser that did not start the flow connects nothing (STATE_BROWSER_MISMATCH)', async () => {
    const before = (await api('GET', '/v1/accounts')).json.items.length;
    const started = await browser.newContext();
    const page = await started.newPage();
    watchCallbacks(page);
    // The consent is given, but the browser does not follow the way back: its callback URL is kept.
    let callback = '';
    await page.route(`${google.url}/**`, async (route) => {
      const r = await route.fetch({ maxRedirects: 0 });
      const to = r.headers()['location'] ?? '';
      if (!to.includes('/oauth/google/callback')) return route.fulfill({ response: r });
      callback = new URL(to, google.url).toString();
      return route.fulfill({ status: 200, contentType: 'text/plain', body: 'held back' });
    });
    await page.goto(await sessionLink());
    await page.getByRole('button', { name: 'Google' }).click();
    await page.waitForURL(`${google.url}/**`);
    await page.locator('select[name="account"]').selectOption(G_EMAIL);
    await page.getByRole('button', { name: 'Allow' }).click().catch(() => undefined);
    for (let i = 0; i < 100 && !callback; i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(callback, /\/oauth\/google\/callback\?/);
    const victim = await browser.newContext();
    const other = await victim.newPage();
    await other.goto(callback);
    const u = new URL(other.url());
    assert.equal(`${u.origin}${u.pathname}`, back);
    assert.equal(u.searchParams.get('error'), 'STATE_BROWSER_MISMATCH');
    assert.equal(u.searchParams.get('accountId'), null);
    assert.equal((await api('GET', '/v1/accounts')).json.items.length, before, 'no account connected');
    await started.close();
    await victim.close();
  });

  it("login CSRF: another site's page auto-posting the attacker's session and CalDAV login is refused; no account", async () => {
    const before = (await api('GET', '/v1/accounts')).json.items.length;
    const session = new URL(await sessionLink()).searchParams.get('session')!;
    const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    const fields = { session, preset: 'caldav', url: radicale.url, username: radicale.username, password: radicale.password };
    attackPage = `<!doctype html><title>Win a prize</title><form id="f" method="post" action="${hub.url}/connect/caldav">${Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v)}">`).join('')}</form><script>document.getElementById('f').submit()</script>`;
    const page = await browser.newPage();
    // localhost is another site than 127.0.0.1 (the hub): the post is cross-site.
    await page.goto(`${back.replace('127.0.0.1', 'localhost').replace('/connected', '/attack')}`);
    await page.waitForURL(`${hub.url}/connect/caldav`);
    assert.equal(await page.locator('h1').textContent(), 'This request was refused');
    assert.equal((await api('GET', '/v1/accounts')).json.items.length, before, 'no account connected');
    await page.close();
  });

  it('disconnecting every account stops its push channels at the provider and leaves no account or calendar', async () => {
    const live = () => ({ google: google.control.channels().filter((c) => !c.stopped).length, microsoft: ms.control.subscriptions().length });
    assert.deepEqual(live(), { google: 2, microsoft: 1 }, 'connecting started one channel per OAuth calendar, and one on the Google calendar list');
    const accounts = (await api('GET', '/v1/accounts')).json.items as Array<{ id: string; provider: string }>;
    assert.equal(accounts.length, 3);
    for (const a of accounts) {
      const r = await fetch(`${hub.url}/v1/accounts/${a.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${apiKey}` } });
      const body = (await r.json()) as { revoked: string; channelsStopped: number };
      assert.equal(r.status, 200, JSON.stringify(body));
      assert.equal(body.channelsStopped, { caldav: 0, google: 2, microsoft: 1 }[a.provider], `${a.provider}: ${JSON.stringify(body)}`);
    }
    assert.deepEqual(live(), { google: 0, microsoft: 0 });
    assert.deepEqual((await api('GET', '/v1/accounts')).json.items, []);
    assert.deepEqual((await api('GET', '/v1/calendars')).json.items, []);
  });

  it("the hub's log holds none of the tokens, codes, states, session ids, API key or passwords that went by", () => {
    const log = hub.log();
    assert.ok(log.includes('account connected'), 'the log is the hub\'s');
    const found = secrets.filter((s) => s.length >= 8 && log.includes(s));
    assert.deepEqual(found.map((s) => `${s.slice(0, 3)}…`), []);
    assert.doesNotMatch(log, /ya29\.emu-|1\/\/emu-|4\/emu-|wrong-password-123/);
  });
});
