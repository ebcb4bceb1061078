/**
 * POST /v1/accounts/caldav against a real Radicale: what the server or the address refuses is
 * answered as a 4xx or 503 with a code of its own and nothing stored, not as a 500.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../api/app.ts';
import { openHub } from '../../hub/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { createMetrics } from '../../shared/metrics.ts';
import type { Store } from '../../shared/store/index.ts';
import { startRadicale, type DavServer } from '../support/dav-servers.ts';
import { openTestStore } from '../support/test-store.ts';

describe('POST /v1/accounts/caldav refusals', () => {
  let store: Store;
  let dav: DavServer;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
    dav = await startRadicale();
  });
  after(async () => {
    await store.close();
    await dav.stop();
  });

  async function connect(env: Record<string, string>, body: { url: string; username: string; password: string }) {
    const { tenant } = await store.tenants.create(`connect-${Math.random().toString(36).slice(2, 8)}`);
    const hub = await openHub({ store, config: loadConfig({ ...process.env, ...env }), metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
    const app = await buildApp({ hub, probes: [] });
    const r = await app.inject({ method: 'POST', url: '/v1/accounts/caldav', headers: { authorization: `Bearer ${await store.tenants.createApiKey(tenant.id)}` }, payload: body });
    const accounts = await store.tenant(tenant.id).accounts.list();
    await app.close();
    return { status: r.statusCode, error: (JSON.parse(r.body) as { error?: { code: string; message: string } }).error, accounts: accounts.length };
  }

  it('a wrong password is 400 CREDENTIALS_REJECTED, a server that does not answer 503 PROVIDER_UNAVAILABLE, a private address 400 URL_NOT_ALLOWED; nothing is stored', async () => {
    const open = { CALDAV_ALLOW_PRIVATE_NETWORKS: 'true' };
    const wrong = await connect(open, { url: dav.homeUrl, username: dav.username, password: 'not-the-password' });
    assert.deepEqual([wrong.status, wrong.error?.code, wrong.accounts], [400, 'CREDENTIALS_REJECTED', 0]);
    assert.match(wrong.error!.message, /rejected the username or password/);
    assert.ok(!wrong.error!.message.includes('not-the-password'), 'the password is not echoed');
    const down = await connect(open, { url: 'http://127.0.0.1:9/', username: dav.username, password: dav.password });
    assert.deepEqual([down.status, down.error?.code, down.accounts], [503, 'PROVIDER_UNAVAILABLE', 0]);
    const closed = await connect({ CALDAV_ALLOW_PRIVATE_NETWORKS: 'false' }, { url: dav.homeUrl, username: dav.username, password: dav.password });
    assert.deepEqual([closed.status, closed.error?.code, closed.accounts], [400, 'URL_NOT_ALLOWED', 0]);
    assert.match(closed.error!.message, /CALDAV_ALLOW_PRIVATE_NETWORKS/);
    assert.doesNotMatch(closed.error!.message, /CONNECTOR_/, 'the message names the problem, not the connector code it replaces');
    const right = await connect(open, { url: dav.homeUrl, username: dav.username, password: dav.password });
    assert.deepEqual([right.status, right.accounts], [201, 1]);
  });

  // An outside user's tries: each was 503 PROVIDER_UNAVAILABLE "try again", two with the resolver's
  // or OpenSSL's raw text, though no retry could make any of these addresses a CalDAV server.
  it('a web server that is no DAV server, https to a plain-http port and a host that does not exist are 502 PROVIDER_REFUSED, said in words', async () => {
    const open = { CALDAV_ALLOW_PRIVATE_NETWORKS: 'true' };
    const web = http.createServer((req, res) => res.writeHead(req.method === 'GET' ? 200 : 501).end(req.method === 'GET' ? '<html></html>' : 'Unsupported method'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    const port = (web.address() as AddressInfo).port;
    try {
      const cases: Array<[string, RegExp]> = [
        [`http://127.0.0.1:${port}/`, /does not implement PROPFIND: not a CalDAV server/],
        [`https://127.0.0.1:${port}/`, /no TLS \(https\) answer from 127\.0\.0\.1:\d+; if the server speaks plain http on that port, use an http:\/\/ URL/],
        ['http://nonexistent-host-zz.invalid/', /the host name nonexistent-host-zz\.invalid does not resolve/],
      ];
      for (const [url, said] of cases) {
        const r = await connect(open, { url, username: dav.username, password: dav.password });
        assert.deepEqual([r.status, r.error?.code, r.accounts], [502, 'PROVIDER_REFUSED', 0], `${url}: ${r.error?.message}`);
        assert.match(r.error!.message, /^nothing calhub can use at that address: /);
        assert.match(r.error!.message, said);
        assert.doesNotMatch(r.error!.message, /try again|ssl3_get_record|deps\/openssl|CONNECTOR_/);
      }
    } finally {
      await new Promise((r) => web.close(r));
    }
  });

  it('localhost, 127.0.0.1 and [::1] for the same server are one account: a later connect takes the address the account has', async () => {
    const { tenant } = await store.tenants.create(`loop-${Math.random().toString(36).slice(2, 8)}`);
    const hub = await openHub({ store, config: loadConfig({ ...process.env, CALDAV_ALLOW_PRIVATE_NETWORKS: 'true' }), metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
    const app = await buildApp({ hub, probes: [] });
    const key = await store.tenants.createApiKey(tenant.id);
    const port = new URL(dav.url).port;
    const ids = [];
    try {
      for (const host of ['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]']) {
        const r = await app.inject({ method: 'POST', url: '/v1/accounts/caldav', headers: { authorization: `Bearer ${key}` }, payload: { url: `http://${host}:${port}/${dav.username}/`, username: dav.username, password: dav.password } });
        assert.equal(r.statusCode, 201, `${host}: ${r.body}`);
        ids.push((JSON.parse(r.body) as { id: string }).id);
      }
    } finally {
      await app.close();
    }
    assert.deepEqual(new Set(ids), new Set([ids[0]]), 'one account');
    const [account] = await store.tenant(tenant.id).accounts.list();
    assert.equal((account!.config as { serverUrl: string }).serverUrl, `http://127.0.0.1:${port}/${dav.username}/`, 'the address it was connected with');
    const calendars = await store.tenant(tenant.id).calendars.list({ accountId: account!.id });
    assert.equal(new Set(calendars.map((c) => c.providerCalendarId)).size, calendars.length);
    assert.ok(calendars.every((c) => c.providerCalendarId.startsWith(`http://127.0.0.1:${port}/`)), 'no calendar under another address');
  });

  it('one user on one server is one account, whichever address was typed (identity: the discovered principal)', async () => {
    const { tenant } = await store.tenants.create(`same-${Math.random().toString(36).slice(2, 8)}`);
    const hub = await openHub({ store, config: loadConfig({ ...process.env, CALDAV_ALLOW_PRIVATE_NETWORKS: 'true' }), metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
    const app = await buildApp({ hub, probes: [] });
    const key = await store.tenants.createApiKey(tenant.id);
    const root = new URL(dav.url);
    // An account connected before identities were principals: the address as typed, under its old identity.
    const legacy = await store.tenant(tenant.id).accounts.upsert({ provider: 'caldav', externalId: `${dav.username}@${root.host}${root.pathname}`, displayName: dav.username, config: { serverUrl: dav.url } });
    const addresses = [dav.url, dav.homeUrl, dav.homeUrl.replace(/\/$/, ''), `${root.origin}/.well-known/caldav`, `${root.protocol}//${root.host.toUpperCase()}${root.pathname}`];
    const ids = [];
    try {
      for (const url of addresses) {
        const r = await app.inject({ method: 'POST', url: '/v1/accounts/caldav', headers: { authorization: `Bearer ${key}` }, payload: { url, username: dav.username, password: dav.password } });
        assert.equal(r.statusCode, 201, `${url}: ${r.body}`);
        ids.push((JSON.parse(r.body) as { id: string }).id);
      }
    } finally {
      await app.close();
    }
    assert.deepEqual(new Set(ids), new Set([legacy.id]), 'every address reached the one (old) account');
    const accounts = await store.tenant(tenant.id).accounts.list();
    assert.equal(accounts.length, 1);
    assert.equal(accounts[0]!.externalId, `${dav.username}@${new URL(dav.homeUrl).host}${new URL(dav.homeUrl).pathname}`, 'the identity is the principal now');
  });
});
