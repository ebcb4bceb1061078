/**
 * Microsoft's token endpoint failing for a while (5xx, 429, an answer lost after the refresh token
 * rotated, no answer in time) is retried later and never sends the account to `needs_reauth`;
 * only `invalid_grant` does. Against the Graph emulator's token endpoint faults and a real PostgreSQL.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { GrantRevokedError, RateLimitedError, TransientError } from '../../connectors/errors.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { makeConnect } from '../../hub/connect.ts';
import { KeyRing, TokenManager, type StoredGrant } from '../../oauth/index.ts';
import { loadConfig, type Config } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { composeWebhooks, Store, type AccountRow } from '../../shared/store/index.ts';
import { settle } from '../../sync-engine/index.ts';

const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
const log = createLogger({ level: 'silent' });

describe('Graph token endpoint: transient faults', () => {
  const schema = `t_graph_tokf_${process.pid}_${randomBytes(3).toString('hex')}`;
  let store: Store;
  let ms: MicrosoftEmulator;
  let tenantId: string;
  let config: Config;

  before(async () => {
    store = await Store.open({ databaseUrl: DB, schema });
    await store.migrate();
    tenantId = (await store.tenants.create('token-faults')).tenant.id;
    ms = await startMicrosoftEmulator();
    config = loadConfig({ MICROSOFT_CLIENT_ID: 'tokf-ms', MICROSOFT_LOGIN_BASE_URL: ms.url, MICROSOFT_GRAPH_BASE_URL: ms.url });
  });
  after(async () => {
    await store.close();
    await ms.close();
    const c = new pg.Client({ connectionString: DB });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  async function account(email: string): Promise<{ account: AccountRow; userId: string }> {
    const user = ms.control.createUser({ email });
    const t = ms.control.issueToken({ userId: user.id, clientId: 'tokf-ms', scopes: ['offline_access', 'User.Read', 'Calendars.ReadWrite'] });
    const credentials = keyring.encrypt(JSON.stringify({ accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: Date.now() + 3_600_000, scope: '', app: 'default', access: 'readwrite' } satisfies StoredGrant));
    return { account: await store.tenant(tenantId).accounts.upsert({ provider: 'microsoft', externalId: user.id, credentials }), userId: user.id };
  }
  const status = async (id: string) => (await store.tenant(tenantId).accounts.get(id))!.status;
  const refreshes = () => ms.control.tokenRequests().filter((g) => g === 'refresh_token').length;

  it('a 503 during a pull fails the pull as transient, the account stays active, and the next pull refreshes and syncs', async () => {
    const { account: acc, userId } = await account('blip@contoso.test');
    const connect = makeConnect({ store, keyring, config, log });
    const { connector, ctx } = await connect(acc);
    const cals = await store.tenant(tenantId).calendars.upsertMany(acc.id, await connector.listCalendars(ctx));
    const deps = { store, connect, log };
    await settle(deps, tenantId, cals.map((c) => c.id));
    ms.control.expireAccessTokens({ userId });
    ms.control.injectFault({ endpoint: 'token', status: 503, count: 10 });
    await assert.rejects(settle(deps, tenantId, cals.map((c) => c.id)), (e: unknown) => e instanceof TransientError && /token refresh failed \(token endpoint answered 503\)/.test(e.message));
    assert.equal(await status(acc.id), 'active');
    ms.control.clearFaults();
    await settle(deps, tenantId, cals.map((c) => c.id));
    assert.equal(await status(acc.id), 'active');
  });

  it('a 429 is a rate limit with its Retry-After; the account stays active', async () => {
    const { account: acc } = await account('busy@contoso.test');
    const creds = new TokenManager({ store, keyring, oauth: config.oauth }).credentialsFor(acc);
    ms.control.injectFault({ endpoint: 'token', status: 429, retryAfter: 7 });
    await assert.rejects(creds.getAccessToken(true), (e: unknown) => e instanceof RateLimitedError && e.retryAfterMs === 7000);
    assert.equal(await status(acc.id), 'active');
    assert.ok(await creds.getAccessToken(true));
  });

  it('an answer lost after the refresh token rotated is transient; the stored refresh token still works', async () => {
    const { account: acc } = await account('lost@contoso.test');
    const creds = new TokenManager({ store, keyring, oauth: config.oauth }).credentialsFor(acc);
    const before = refreshes();
    ms.control.injectFault({ endpoint: 'token', status: 200, dropResponse: true });
    await assert.rejects(creds.getAccessToken(true), TransientError);
    assert.equal(refreshes() - before, 1, 'the emulator redeemed the refresh token');
    assert.equal(await status(acc.id), 'active');
    assert.ok(await creds.getAccessToken(true));
  });

  it('no answer within the deadline is transient (the request is given up, the lease freed)', async () => {
    const { account: acc } = await account('slow@contoso.test');
    const creds = new TokenManager({ store, keyring, oauth: config.oauth, timeoutMs: 300 }).credentialsFor(acc);
    ms.control.injectFault({ endpoint: 'token', status: 200, delayMs: 5000 });
    await assert.rejects(creds.getAccessToken(true), (e: unknown) => e instanceof TransientError && /did not answer in time/.test(e.message));
    assert.equal(await status(acc.id), 'active');
    assert.ok(await creds.getAccessToken(true));
  });

  it('invalid_grant, by contrast, marks the account needs_reauth', async () => {
    const { account: acc } = await account('gone@contoso.test');
    const creds = new TokenManager({ store, keyring, oauth: config.oauth }).credentialsFor(acc);
    ms.control.failNextRefresh();
    await assert.rejects(creds.getAccessToken(true), GrantRevokedError);
    assert.equal(await status(acc.id), 'needs_reauth');
  });

  it('a sync ended by invalid_grant: sync.failed carries errorCode AUTH_GRANT_REVOKED and account.needs_reauth reasonCode, beside the texts', async () => {
    const { account: acc, userId } = await account('revoked@contoso.test');
    await store.tenant(tenantId).webhooks.create({ url: 'https://example.com/codes', eventTypes: ['sync.failed', 'account.needs_reauth'], encryptedSecret: 'x' });
    const connect = makeConnect({ store, keyring, config, log });
    const { connector, ctx } = await connect(acc);
    const cals = await store.tenant(tenantId).calendars.upsertMany(acc.id, await connector.listCalendars(ctx));
    const deps = { store, connect, log };
    await settle(deps, tenantId, cals.map((c) => c.id));
    ms.control.expireAccessTokens({ userId });
    ms.control.failNextRefresh();
    await assert.rejects(settle(deps, tenantId, cals.map((c) => c.id)), GrantRevokedError);
    await composeWebhooks(store.db, { now: new Date() });
    const sent = await store.db.query<{ type: string; payload: { data: Record<string, unknown> } }>(
      `SELECT type, payload FROM webhook_messages WHERE tenant_id = $1 AND (payload->'data'->>'accountId') = $2 ORDER BY seq`,
      [tenantId, acc.id],
    );
    const reauth = sent.find((m) => m.type === 'account.needs_reauth')!.payload.data;
    assert.match(String(reauth.reason), /^invalid_grant/);
    assert.equal(reauth.reasonCode, 'AUTH_GRANT_REVOKED');
    const failed = sent.find((m) => m.type === 'sync.failed')!.payload.data;
    assert.equal(failed.errorCode, 'AUTH_GRANT_REVOKED');
    assert.match(String(failed.error), /^AUTH_GRANT_REVOKED: /);
    assert.doesNotMatch(String(failed.error), /eyJ|refresh_token=|access_token/, 'no token in the text');
  });

  it('Graph API faults do not hit the token endpoint, nor token faults Graph', async () => {
    const { account: acc } = await account('apart@contoso.test');
    ms.control.injectFault({ status: 503, count: 5 });
    const creds = new TokenManager({ store, keyring, oauth: config.oauth }).credentialsFor(acc);
    assert.ok(await creds.getAccessToken(true));
    ms.control.clearFaults();
  });
});
