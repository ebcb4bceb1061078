/**
 * The hosted connect page in headless Debian Chromium against an in-process hub, on a 375 px
 * phone: the CalDAV form shows progress on submit (its one script, allowed by the page's CSP hash:
 * no violation) and still posts without script; a bare host is not stopped by the browser; a
 * server that accepts and never answers is given up on within the page's deadline; the small
 * links are at least 24 px tall with the same 3 px focus ring as the buttons.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../api/app.ts';
import { openHub, type Hub } from '../../hub/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { openTestStore } from '../support/test-store.ts';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('hosted connect page in a browser: progress on submit, bare hosts, a silent server, touch targets', () => {
  let hub: Hub;
  let app: FastifyInstance;
  let base: string;
  let tenantApp: http.Server;
  let back: string;
  let apiKey: string;
  let browser: Browser;
  let silent: net.Server;
  let silentPort = 0;
  const held: net.Socket[] = [];

  before(async () => {
    silent = net.createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as net.AddressInfo).port;
    const store = await openTestStore();
    await store.migrate();
    hub = await openHub({ store, config: loadConfig({ CALDAV_ALLOW_PRIVATE_NETWORKS: 'true' }), logger: createLogger({ level: 'silent' }) });
    app = await buildApp({ hub, probes: [] });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    tenantApp = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Tenant app</title>'));
    await new Promise<void>((resolve) => tenantApp.listen(0, '127.0.0.1', resolve));
    back = `http://127.0.0.1:${(tenantApp.address() as net.AddressInfo).port}/connected`;
    const created = await store.tenants.create('connect-progress');
    apiKey = created.apiKey;
    const r = await app.inject({ method: 'POST', url: '/v1/oauth/redirect-uris', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, payload: JSON.stringify({ uri: back }) });
    assert.equal(r.statusCode, 200);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    for (const s of held) s.destroy();
    silent?.close();
    tenantApp?.close();
    await app?.close();
    await hub?.close();
    await hub?.store.close();
  });

  async function link(): Promise<string> {
    const r = await app.inject({ method: 'POST', url: '/v1/connect/sessions', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, payload: JSON.stringify({ redirectUri: back, access: 'read', appName: 'Planly' }) });
    assert.equal(r.statusCode, 200, r.body);
    return new URL(new URL(JSON.parse(r.body).url).search, `${base}/connect`).toString();
  }
  /** A phone-sized page that records CSP violations and console errors. */
  async function phone(javaScriptEnabled = true): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 375, height: 700 }, javaScriptEnabled });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => void problems.push(String(e)));
    return { page, problems };
  }

  it('a server that never answers: the button is disabled and says "Checking the server…", the form comes back with the error within ~15 s; no CSP violation', async () => {
    const { page, problems } = await phone();
    await page.goto(await link());
    assert.equal(await page.title(), 'Connect your calendar to Planly');
    await page.getByRole('link', { name: 'Another CalDAV server' }).click();
    // A bare host:port: the browser does not stop it ("Please enter a URL."), the hub asks it as https://.
    await page.getByLabel('Server address').fill(`127.0.0.1:${silentPort}`);
    await page.getByLabel('User name').fill('someone');
    await page.getByLabel('App password').fill('secret');
    const started = Date.now();
    // Submitted as a click would (the submit event runs the page's script), and read in the same
    // turn: the page is then replaced by the post's answer.
    // (A string: the browser's names are not in this project's type library.)
    const now = await page.evaluate<{ status: string; disabled: boolean; label: string }>(`(() => {
      const form = document.getElementById('connect-form');
      const button = form.querySelector('button[type=submit]');
      form.requestSubmit(button);
      return { status: document.getElementById('progress').textContent, disabled: button.disabled, label: button.textContent };
    })()`);
    assert.match(now.status, /Checking the server…/);
    assert.equal(now.disabled, true, 'the button is disabled while the server is checked');
    assert.equal(now.label, 'Checking the server…');
    assert.equal(await page.locator('#progress').getAttribute('role'), 'status');
    await page.getByRole('alert').waitFor({ timeout: 25_000 });
    const took = Date.now() - started;
    assert.ok(took < 20_000, `the page answered after ${took} ms`);
    assert.match((await page.getByRole('alert').textContent()) ?? '', /could not be reached|did not answer/);
    assert.equal(await page.getByLabel('Server address').inputValue(), `https://127.0.0.1:${silentPort}`);
    assert.deepEqual(problems, [], 'no CSP violation or script error');
    await page.context().close();
  });

  it('without script the form still posts (and a bare unknown host is looked up as https://)', async () => {
    const { page } = await phone(false);
    await page.goto(await link());
    await page.getByRole('link', { name: 'Another CalDAV server' }).click();
    await page.getByLabel('Server address').fill('caldav.example.invalid');
    await page.getByLabel('User name').fill('someone');
    await page.getByLabel('App password').fill('secret');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('alert').waitFor({ timeout: 20_000 });
    assert.match((await page.getByRole('alert').textContent()) ?? '', /No server by that name/);
    await page.context().close();
  });

  it('"Cancel and go back" and "Choose another provider" are ≥ 24 px tall with a 3 px focus ring; the password is described by its own hint', async () => {
    const { page } = await phone();
    await page.goto(await link());
    await page.getByRole('link', { name: 'Another CalDAV server' }).click();
    for (const name of ['Cancel and go back to Planly', 'Choose another provider']) {
      const a = page.getByRole('link', { name });
      const box = (await a.boundingBox())!;
      assert.ok(box.height >= 24, `${name}: ${box.height} px tall`);
      await a.focus();
      const outline = await a.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { outlineWidth: string } }).getComputedStyle(el).outlineWidth);
      assert.equal(outline, '3px', `${name}: focus ring`);
    }
    const describedBy = await page.getByLabel('App password').getAttribute('aria-describedby');
    assert.equal(describedBy, 'password-hint');
    assert.match((await page.locator('#password-hint').textContent()) ?? '', /Planly/);
    await page.context().close();
  });
});
