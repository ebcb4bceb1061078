/**
 * With a queue (real Redis): connecting an account again with freebusy access asks for a pass of
 * each mirror rule copying from it. The scrub changes no event the next full listing would see as
 * changed, so without the ask nothing ran those rules, and their copies at other calendars kept
 * the titles and guests the account no longer shares. And connecting it again with readwrite
 * access asks for a pass of each rule writing into it, paused while it could not be written.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { openHub, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { consent } from '../support/consent.ts';
import { openTestStore } from '../support/test-store.ts';

const EMAIL = 'queue.access@example.com';
const BACK = 'https://tenant.example.com/connected';

describe('a reconnect to freebusy with a queue', () => {
  let emu: RunningGoogleEmulator;
  let hub: Hub;
  let app: FastifyInstance;
  let key: string;
  let tenantId: string;

  before(async () => {
    emu = await startGoogleEmulator();
    emu.control.createUser({ email: EMAIL, timeZone: 'UTC' });
    const store = await openTestStore();
    await store.migrate();
    hub = await openHub({
      store,
      queue: 'required',
      config: loadConfig({
        GOOGLE_CLIENT_ID: 'queue-access', GOOGLE_OAUTH_BASE_URL: emu.url, GOOGLE_API_BASE_URL: emu.url, PORT: '3996',
        REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `t-acc-${randomBytes(4).toString('hex')}`,
      }),
      logger: createLogger({ level: 'silent' }),
      keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    });
    app = await buildApp({ hub });
    const t = await store.tenants.create('queue-access');
    tenantId = t.tenant.id;
    key = t.apiKey;
  });
  after(async () => {
    await hub?.engine?.queue.obliterate({ force: true });
    await app?.close();
    await hub?.close();
    await hub?.store.close();
    await emu?.close();
  });

  const connect = async (access: string, accountId?: string): Promise<string> => {
    const a = await app.inject({
      method: 'POST', url: '/v1/oauth/google/authorize-url', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ redirectUri: BACK, access, ...(accountId ? { accountId } : {}) }),
    });
    assert.equal(a.statusCode, 200, a.body);
    const back = await consent(JSON.parse(a.body).url, { account: EMAIL, decision: 'allow' });
    const cb = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    return new URL(cb.headers.location as string).searchParams.get('accountId')!;
  };

  it('queues a pass of each rule copying from the account', async () => {
    await hub.store.oauth.allowRedirect(tenantId, BACK);
    const accountId = await connect('readwrite');
    const t = hub.store.tenant(tenantId);
    const [source] = await t.calendars.list({ accountId });
    // The copies' calendar: another account's (no provider is called before a worker runs).
    const other = await t.accounts.upsert({ provider: 'memory', externalId: 'copies@example.com' });
    const [target] = await t.calendars.upsertMany(other.id, [{ providerCalendarId: 'copies', name: 'Copies', timeZone: 'UTC', color: null, readOnly: false }]);
    const rule = await t.mirror.create(source!.id, target!.id, { mode: 'full-copy' });
    const mirrorJobs = async () => (await hub.engine!.queue.getJobs(['waiting', 'delayed', 'prioritized', 'active'])).filter((j) => j?.name === 'mirror' && j.data.ruleId === rule!.id);
    assert.deepEqual(await mirrorJobs(), [], 'none before');
    assert.equal(await connect('freebusy', accountId), accountId);
    assert.equal((await mirrorJobs()).length, 1);
  });

  it('write access back: queues a pass of each rule writing into the account, paused until then', async () => {
    const t = hub.store.tenant(tenantId);
    const [account] = (await t.accounts.list()).filter((a) => a.provider === 'google');
    const [own] = await t.calendars.list({ accountId: account!.id });
    const other = await t.accounts.upsert({ provider: 'memory', externalId: 'sources@example.com' });
    const [source] = await t.calendars.upsertMany(other.id, [{ providerCalendarId: 'sources', name: 'Sources', timeZone: 'UTC', color: null, readOnly: false }]);
    const rule = await t.mirror.create(source!.id, own!.id, { mode: 'busy-block' });
    const mirrorJobs = async () => (await hub.engine!.queue.getJobs(['waiting', 'delayed', 'prioritized', 'active'])).filter((j) => j?.name === 'mirror' && j.data.ruleId === rule!.id);
    assert.equal(await connect('read', account!.id), account!.id);
    assert.deepEqual(await mirrorJobs(), [], 'paused: nothing to run');
    assert.equal(await connect('readwrite', account!.id), account!.id);
    assert.equal((await mirrorJobs()).length, 1, 'resumed: one pass');
  });
});
