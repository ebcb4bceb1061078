/**
 * A connection whose calendar list cannot be read at connect time (Graph answering 503 to
 * /me/calendars): the account is made, the browser goes back with error=CONNECT_FAILED and a
 * description, and the list is read again within a minute instead of at the account's hourly
 * reading. Before, the account held no calendar for up to an hour and its free/busy answered free.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { openHub, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { syncRepo } from '../../shared/store/index.ts';
import { consent } from '../support/consent.ts';
import { openTestStore } from '../support/test-store.ts';

const BACK = 'https://tenant.example.com/connected';
const PUBLIC = 'http://127.0.0.1:3997';

describe('a connection whose calendars cannot be read yet', () => {
  let ms: MicrosoftEmulator;
  let hub: Hub;
  let app: FastifyInstance;
  let key: string;
  let userId: string;

  before(async () => {
    ms = await startMicrosoftEmulator();
    userId = ms.control.createUser({ email: 'slow.list@contoso.test' }).id;
    ms.control.registerApp({ clientId: 'calhub-app', clientSecret: 'app-secret-for-tests', redirectUris: [`${PUBLIC}/oauth/microsoft/callback`], name: 'calhub' });
    const store = await openTestStore();
    await store.migrate();
    hub = await openHub({
      store,
      config: loadConfig({
        MICROSOFT_LOGIN_BASE_URL: ms.url, MICROSOFT_GRAPH_BASE_URL: ms.url, MICROSOFT_CLIENT_ID: 'calhub-app', MICROSOFT_CLIENT_SECRET: 'app-secret-for-tests',
        PORT: '3997', CALHUB_PUBLIC_URL: PUBLIC, CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback',
      }),
      logger: createLogger({ level: 'silent' }),
      keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    });
    app = await buildApp({ hub });
    key = (await store.tenants.create('slow-list')).apiKey;
  });
  after(async () => {
    await app.close();
    await hub.close();
    await hub.store.close();
    await ms.close();
  });

  const api = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const r = await app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, payload: body ? JSON.stringify(body) : undefined });
    return { status: r.statusCode, body: r.body, json: r.body ? JSON.parse(r.body) : null };
  };

  it('goes back with CONNECT_FAILED and a description, and its calendar list is due again within a minute', async () => {
    assert.equal((await api('POST', '/v1/oauth/redirect-uris', { uri: BACK })).status, 200);
    const a = await api('POST', '/v1/oauth/microsoft/authorize-url', { redirectUri: BACK, access: 'read' });
    assert.equal(a.status, 200, a.body);
    const back = await consent(a.json.url, { account: userId, decision: 'allow' });
    ms.control.injectFault({ status: 503, pathPrefix: '/me/calendars', count: 50 });
    const cb = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    ms.control.clearFaults();
    assert.equal(cb.statusCode, 302, cb.body);
    const landed = new URL(cb.headers.location as string);
    assert.equal(landed.searchParams.get('error'), 'CONNECT_FAILED');
    assert.match(landed.searchParams.get('error_description') ?? '', /calendars could not be read yet; calhub reads them again within a minute/);
    const accountId = landed.searchParams.get('accountId');
    assert.match(accountId ?? '', /^acc_/);
    assert.equal((await api('GET', `/v1/calendars?accountId=${accountId}`)).json.items.length, 0);

    // Asked again, it is due once ten seconds have passed (the notification reading's rule), not only at its hourly phase.
    await hub.store.db.query("UPDATE accounts SET calendars_list_requested_at = calendars_list_requested_at - interval '11 seconds', calendars_listed_at = calendars_listed_at - interval '11 seconds'");
    const due = await syncRepo.dueForCalendarList(hub.store.db, 3_600_000, 300_000, 100);
    assert.deepEqual(due.map((d) => d.accountId), [accountId]);
  });
});
