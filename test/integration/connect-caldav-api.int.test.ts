/**
 * POST /v1/accounts/caldav against a real Radicale: what the server or the address refuses is
 * answered as a 4xx or 503 with a code of its own and nothing stored, not as a 500.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../api/app.ts';
import { openHub } from '../../hub/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { createMetrics } from '../../shared/metrics.ts';
import { Store } from '../../shared/store/index.ts';
import { startRadicale, type DavServer } from '../support/dav-servers.ts';

describe('POST /v1/accounts/caldav refusals', () => {
  let store: Store;
  let dav: DavServer;
  before(async () => {
    store = await Store.open({ dataDir: null });
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
    const right = await connect(open, { url: dav.homeUrl, username: dav.username, password: dav.password });
    assert.deepEqual([right.status, right.accounts], [201, 1]);
  });
});
