/**
 * The hosted CalDAV connect form's optional email field, in headless Debian Chromium against an
 * in-process hub and a real Radicale (whose principal names no address of the user, and whose login
 * is no email): an address that is not one comes back as the form with an announced error on that
 * field and what was typed kept; a good one connects, and the meeting the user then
 * creates through the API is organized as that address on the server (no ORGANIZER_UNKNOWN).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { buildApp } from '../../api/app.ts';
import { openHub, type Hub } from '../../hub/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { serverObjects } from '../support/dav-content.ts';
import { makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { openTestStore } from '../support/test-store.ts';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);

describe('hosted CalDAV connect form: the optional email address', () => {
  let dav: DavServer;
  let calUrl: string;
  let hub: Hub;
  let app: FastifyInstance;
  let base: string;
  let tenantApp: http.Server;
  let back: string;
  let apiKey: string;
  let tenantId: string;
  let browser: Browser;

  before(async () => {
    dav = await startRadicale();
    calUrl = await makeCalendar(dav, 'Meetings');
    const store = await openTestStore();
    await store.migrate();
    hub = await openHub({ store, config: loadConfig({ CALDAV_ALLOW_PRIVATE_NETWORKS: 'true' }), logger: createLogger({ level: 'silent' }) });
    app = await buildApp({ hub, probes: [] });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    tenantApp = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Tenant app</title>'));
    await new Promise<void>((resolve) => tenantApp.listen(0, '127.0.0.1', resolve));
    back = `http://127.0.0.1:${(tenantApp.address() as net.AddressInfo).port}/connected`;
    const created = await store.tenants.create('connect-email');
    apiKey = created.apiKey;
    tenantId = created.tenant.id;
    assert.equal((await api('POST', '/v1/oauth/redirect-uris', { uri: back })).status, 200);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    tenantApp?.close();
    await app?.close();
    await hub?.close();
    await hub?.store.close();
    await dav?.stop();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers, checked field by field below
  async function api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const r = await app.inject({ method, url: path, headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
    return { status: r.statusCode, json: JSON.parse(r.body) };
  }

  it('a refused login keeps every field but the password, ties each field to its error (aria-describedby, aria-invalid), and Cancel tells the app (error=CANCELLED)', async () => {
    const s = await api('POST', '/v1/connect/sessions', { redirectUri: back, access: 'readwrite' });
    const page = await browser.newPage();
    await page.goto(new URL(new URL(s.json.url).search, `${base}/connect`).toString());
    await page.getByRole('link', { name: 'Another CalDAV server' }).click();
    await page.getByLabel('Server address').fill(dav.url);
    await page.getByLabel('User name').fill(dav.username);
    await page.getByLabel('App password').fill('not-the-password');
    await page.getByLabel('Email address (optional)').fill('kept@example.com');
    await page.getByRole('button', { name: /connect/i }).click();
    await page.waitForLoadState();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /did not accept that user name and password/);
    assert.equal(await page.getByLabel('User name').inputValue(), dav.username, 'the user name is kept');
    assert.equal(await page.getByLabel('Server address').inputValue(), dav.url, 'the server address is kept');
    assert.equal(await page.getByLabel('Email address (optional)').inputValue(), 'kept@example.com');
    assert.equal(await page.getByLabel('App password').inputValue(), '', 'the password is not');
    // What a screen reader follows: every described-by id is on the page, and each field the error is about says why.
    const fields = [];
    for (const el of await page.locator('input[aria-describedby]').all()) {
      const described = [];
      for (const ref of (await el.getAttribute('aria-describedby'))!.split(' ')) {
        const target = page.locator(`[id="${ref}"]`);
        assert.equal(await target.count(), 1, `#${await el.getAttribute('id')} points at #${ref}, which is not on the page once`);
        described.push({ ref, text: await target.textContent() });
      }
      fields.push({ id: await el.getAttribute('id'), invalid: await el.getAttribute('aria-invalid'), described });
    }
    const invalid = fields.filter((f) => f.invalid === 'true').map((f) => f.id).sort();
    assert.deepEqual(invalid, ['password', 'username']);
    for (const f of fields.filter((x) => x.invalid === 'true')) assert.match(f.described[0]!.text!, /^Check your/, `#${f.id} is described by its own error first`);
    assert.equal(await page.getByRole('alert').getAttribute('id'), 'error-summary');

    await page.getByRole('link', { name: /^Cancel and go back to / }).click();
    await page.waitForURL(`${back}?**`);
    const landed = new URL(page.url()).searchParams;
    assert.equal(landed.get('error'), 'CANCELLED');
    assert.equal(landed.get('connectSession'), s.json.id);
    assert.equal(landed.get('accountId'), null);
    await page.close();
  });

  it('a bad address is refused on the form (field marked, typed values kept); a good one organizes the meetings created on the account', async () => {
    assert.ok(!dav.username.includes('@'), 'a login that is no email address');
    const s = await api('POST', '/v1/connect/sessions', { redirectUri: back, access: 'readwrite' });
    assert.equal(s.status, 200, JSON.stringify(s.json));
    const page = await browser.newPage();
    await page.goto(new URL(new URL(s.json.url).search, `${base}/connect`).toString());
    await page.getByRole('link', { name: 'Another CalDAV server' }).click();
    await page.getByLabel('Server address').fill(dav.url);
    await page.getByLabel('User name').fill(dav.username);
    await page.getByLabel('App password').fill(dav.password);
    await page.getByLabel('Email address (optional)').fill('alice at example.com');
    await page.getByRole('button', { name: /connect/i }).click();
    await page.waitForLoadState();
    const alert = page.getByRole('alert');
    assert.ok(await alert.isVisible(), 'the refusal is announced');
    assert.match((await alert.textContent()) ?? '', /email address is not valid/);
    assert.equal(await page.getByLabel('Email address (optional)').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Email address (optional)').inputValue(), 'alice at example.com', 'what was typed is kept to correct');
    assert.equal(await page.getByLabel('Server address').inputValue(), dav.url);
    assert.equal(await page.getByLabel('App password').getAttribute('aria-invalid'), null, 'the password is not blamed');
    assert.ok(!(await page.content()).includes(dav.password), 'the password is not echoed back');
    assert.deepEqual((await api('GET', '/v1/accounts')).json.items, [], 'nothing was connected');

    await page.getByLabel('User name').fill(dav.username);
    await page.getByLabel('App password').fill(dav.password);
    await page.getByLabel('Email address (optional)').fill('  Alice.Owner@example.com ');
    await page.getByRole('button', { name: /connect/i }).click();
    await page.waitForURL(`${back}?**`);
    const accountId = new URL(page.url()).searchParams.get('accountId');
    assert.match(accountId ?? '', /^acc_/);
    await page.close();

    const cals = (await api('GET', `/v1/calendars?accountId=${accountId}`)).json.items as Array<{ id: string; name: string }>;
    const cal = cals.find((c) => c.name === 'Meetings')!;
    const meeting = { title: 'Planning', start: { dateTime: `${day}T10:00:00Z`, timeZone: 'UTC' }, end: { dateTime: `${day}T11:00:00Z`, timeZone: 'UTC' }, attendees: [{ email: 'carol@example.com' }] };
    const made = await api('POST', `/v1/calendars/${cal.id}/events`, meeting);
    assert.equal(made.status, 201, JSON.stringify(made.json));
    await settle(hub.deps, tenantId, [cal.id]);
    const raw = (await serverObjects(dav, calUrl)).map((o) => o.lines.join('\n'));
    assert.equal(raw.length, 1);
    assert.match(raw[0]!, /^ORGANIZER[^:\n]*:mailto:alice\.owner@example\.com$/im, raw[0]);
  });
});
