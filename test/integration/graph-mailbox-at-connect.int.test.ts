/**
 * The mailbox address (the owner's own attendee entry) is learnt at connect, where /me is read to
 * tell who signed in, and kept on the account (config `email`): a pull then asks /me nothing, even
 * with an access token it has not seen. An account connected before keeps the /me lookup.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.ts';
import type { ConnectorContext } from '../../connectors/connector.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { openHub, type Hub } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { consent } from '../support/consent.ts';
import { openTestStore } from '../support/test-store.ts';

const BACK = 'https://tenant.example.com/connected';
const PUBLIC = 'http://127.0.0.1:3996';
const MAILBOX = 'adele.vance@contoso.test';

describe('the Graph mailbox address stored at connect', () => {
  let ms: MicrosoftEmulator;
  let hub: Hub;
  let app: FastifyInstance;
  let key: string;
  let tenantId: string;
  let userId: string;

  before(async () => {
    ms = await startMicrosoftEmulator();
    userId = ms.control.createUser({ email: MAILBOX }).id;
    ms.control.registerApp({ clientId: 'calhub-app', clientSecret: 'app-secret-for-tests', redirectUris: [`${PUBLIC}/oauth/microsoft/callback`], name: 'calhub' });
    const store = await openTestStore();
    await store.migrate();
    hub = await openHub({
      store,
      config: loadConfig({
        MICROSOFT_LOGIN_BASE_URL: ms.url, MICROSOFT_GRAPH_BASE_URL: ms.url, MICROSOFT_CLIENT_ID: 'calhub-app', MICROSOFT_CLIENT_SECRET: 'app-secret-for-tests',
        PORT: '3996', CALHUB_PUBLIC_URL: PUBLIC, CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback',
      }),
      logger: createLogger({ level: 'silent' }),
      keyring: KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`),
    });
    app = await buildApp({ hub });
    const t = await store.tenants.create('mailbox-at-connect');
    key = t.apiKey;
    tenantId = t.tenant.id;
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
  const meCalls = () => ms.control.requests().filter((r) => r.path === '/v1.0/me').length;

  it('is stored when the account connects; pulls with new access tokens ask /me nothing; an older account still asks', async () => {
    assert.equal((await api('POST', '/v1/oauth/redirect-uris', { uri: BACK })).status, 200);
    const a = await api('POST', '/v1/oauth/microsoft/authorize-url', { redirectUri: BACK, access: 'readwrite' });
    assert.equal(a.status, 200, a.body);
    const back = await consent(a.json.url, { account: userId, decision: 'allow' });
    const cb = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    assert.equal(cb.statusCode, 302, cb.body);
    const accountId = new URL(cb.headers.location as string).searchParams.get('accountId')!;
    const account = (await hub.store.tenant(tenantId).accounts.get(accountId))!;
    assert.equal((account.config as { email?: string }).email, MAILBOX);
    const [calendar] = await hub.store.tenant(tenantId).calendars.list({ accountId });
    assert.ok(calendar);

    // Each pull with an access token no pull has used: the per-token cache cannot answer.
    const pullWithNewToken = async (acc: typeof account) => {
      const { connector, ctx } = await hub.connect(acc);
      const token = ms.control.issueToken({ userId, clientId: 'calhub-app', scopes: ['Calendars.ReadWrite', 'User.Read'] }).accessToken;
      const job: ConnectorContext = { ...ctx, credentials: { kind: 'oauth', getAccessToken: async () => token } };
      await connector.listChanges(job, { providerCalendarId: calendar.providerCalendarId, timeZone: calendar.timeZone } as never, null);
    };
    const before = meCalls();
    await pullWithNewToken(account);
    await pullWithNewToken(account);
    assert.equal(meCalls() - before, 0, 'no /me for pulls of an account that stored its mailbox');

    await hub.store.db.query("UPDATE accounts SET config = '{}' WHERE id = $1", [accountId]);
    const old = (await hub.store.tenant(tenantId).accounts.get(accountId))!;
    await pullWithNewToken(old);
    assert.equal(meCalls() - before, 1, 'an account connected before the change asks /me');
  });
});
