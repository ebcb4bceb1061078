/**
 * The token lifecycle against the emulators and a real PostgreSQL: a 429 from the token endpoint
 * is a rate limit (never `needs_reauth`); a grant revoked mid-sync flags the account within one
 * cycle after at most 3 refresh attempts; two processes refreshing one account at once make one
 * refresh; a Microsoft rotation lost to a crash does not lock the account out.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { makeConnect } from '../../hub/connect.ts';
import { GrantRevokedError, RateLimitedError } from '../../connectors/errors.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { KeyRing, TokenManager, type StoredGrant } from '../../oauth/index.ts';
import { loadConfig, type Config } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { AccountRow } from '../../shared/store/index.ts';
import { Store } from '../../shared/store/index.ts';
import { settle } from '../../sync-engine/index.ts';

const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHILD = new URL('../support/refresh-child.ts', import.meta.url).pathname;
const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const keyring = KeyRing.parse(KEYS);
const log = createLogger({ level: 'silent' });

describe('oauth token lifecycle', () => {
  const schema = `t_oauth_tok_${process.pid}_${randomBytes(3).toString('hex')}`;
  let store: Store;
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  let tenantId: string;
  let config: Config;

  before(async () => {
    store = await Store.open({ databaseUrl: DB, schema });
    await store.migrate();
    tenantId = (await store.tenants.create('tokens')).tenant.id;
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
    config = loadConfig({
      GOOGLE_CLIENT_ID: 'tok-google', GOOGLE_OAUTH_BASE_URL: google.url, GOOGLE_API_BASE_URL: google.url,
      MICROSOFT_CLIENT_ID: 'tok-ms', MICROSOFT_LOGIN_BASE_URL: ms.url, MICROSOFT_GRAPH_BASE_URL: ms.url,
    });
  });
  after(async () => {
    await store.close();
    await google.close();
    await ms.close();
    const c = new pg.Client({ connectionString: DB });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  const grant = (g: { accessToken: string; refreshToken: string | null }, access: StoredGrant['access'] = 'readwrite'): string =>
    keyring.encrypt(JSON.stringify({ accessToken: g.accessToken, refreshToken: g.refreshToken, expiresAt: Date.now() + 3_600_000, scope: '', app: 'default', access } satisfies StoredGrant));

  async function msAccount(email: string, calendars = 1): Promise<{ account: AccountRow; userId: string }> {
    const user = ms.control.createUser({ email });
    for (let i = 1; i < calendars; i++) ms.control.createCalendar({ userId: user.id, name: `extra ${i}` });
    const t = ms.control.issueToken({ userId: user.id, clientId: 'tok-ms', scopes: ['offline_access', 'User.Read', 'Calendars.ReadWrite'] });
    const account = await store.tenant(tenantId).accounts.upsert({ provider: 'microsoft', externalId: user.id, credentials: grant(t) });
    return { account, userId: user.id };
  }
  const refreshCalls = () => ms.control.tokenRequests().filter((g) => g === 'refresh_token').length;

  it('a 429 from the token endpoint is a rate limit with its delay, and the account stays active', async () => {
    const email = 'rate@example.com';
    google.control.createUser({ email });
    const g = google.control.issueGrant({ email, clientId: 'tok-google' });
    const account = await store.tenant(tenantId).accounts.upsert({ provider: 'google', externalId: email, credentials: grant(g) });
    const tokens = new TokenManager({ store, keyring, oauth: config.oauth });
    google.control.injectFault({ status: 429, reason: 'rateLimitExceeded', retryAfter: 9, method: 'POST', pathPrefix: '/token' });
    const creds = tokens.credentialsFor(account);
    await assert.rejects(creds.getAccessToken(true), (e: unknown) => e instanceof RateLimitedError && e.retryAfterMs === 9000);
    assert.equal((await store.tenant(tenantId).accounts.get(account.id))!.status, 'active');
    const fresh = await creds.getAccessToken(true);
    assert.notEqual(fresh, g.accessToken, 'after the rate limit the refresh goes through');
  });

  it('a grant revoked mid-sync: needs_reauth within one cycle, at most 3 refresh attempts, none after', async () => {
    const { account, userId } = await msAccount('revoked@contoso.test', 3);
    const connect = makeConnect({ store, keyring, config, log });
    const { connector, ctx } = await connect(account);
    const cals = await store.tenant(tenantId).calendars.upsertMany(account.id, await connector.listCalendars(ctx));
    assert.equal(cals.length, 3);
    const deps = { store, connect, log, guard: { maxDeleteShare: 1, minObjects: 1_000_000 } };
    await settle(deps, tenantId, cals.map((c) => c.id));
    ms.control.revokeGrants({ userId });
    ms.control.expireAccessTokens({ userId });
    const before = refreshCalls();
    // One cycle: every calendar of the account is pulled.
    await assert.rejects(settle(deps, tenantId, cals.map((c) => c.id)), GrantRevokedError);
    const attempts = refreshCalls() - before;
    assert.ok(attempts >= 1 && attempts <= 3, `refresh attempts in the cycle: ${attempts}`);
    const row = (await store.tenant(tenantId).accounts.get(account.id))!;
    assert.equal(row.status, 'needs_reauth');
    assert.match(row.statusReason ?? '', /invalid_grant \(AADSTS50173\)/);
    await assert.rejects(settle(deps, tenantId, cals.map((c) => c.id)), GrantRevokedError);
    assert.equal(refreshCalls() - before, attempts, 'a flagged account makes no further refresh attempts');
  });

  it('two processes refreshing one account at once make one refresh and use the same token', async () => {
    const { account } = await msAccount('twoproc@contoso.test');
    const env = { ...process.env, RC_DATABASE_URL: DB, RC_SCHEMA: schema, RC_KEYS: KEYS, RC_CLIENT: 'tok-ms', RC_EMU: ms.url, RC_TENANT: tenantId, RC_ACCOUNT: account.id };
    const procs: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ['--import', 'tsx', CHILD], { env, stdio: ['pipe', 'pipe', 'inherit'] }));
    try {
      const outputs = procs.map((p) => {
        const lines = createInterface({ input: p.stdout! });
        const queue: string[] = [];
        const waiters: Array<(l: string) => void> = [];
        lines.on('line', (l) => (waiters.length ? waiters.shift()!(l) : queue.push(l)));
        return () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise<string>((r) => waiters.push(r)));
      });
      for (const next of outputs) assert.equal(await next(), 'ready');
      const before = refreshCalls();
      for (const p of procs) p.stdin!.write('go\n');
      const results = await Promise.all(outputs.map((next) => next()));
      assert.match(results[0]!, /^token [0-9a-f]{64}$/);
      assert.equal(results[0], results[1], 'both processes use the one refreshed token');
      assert.equal(refreshCalls() - before, 1, 'one refresh for two processes');
    } finally {
      for (const p of procs) p.stdin!.end();
    }
  });

  it('a Microsoft rotation lost to a crash before it was stored does not lock the account out', async () => {
    const { account } = await msAccount('crash@contoso.test');
    const stored = JSON.parse(keyring.decrypt(account.credentials!)) as StoredGrant;
    // This process reaches the token endpoint (Microsoft rotates the refresh token) and dies
    // before the write: the answer is thrown away and the lease is left behind, held.
    const dying = new TokenManager({
      store, keyring, oauth: config.oauth, leaseMs: 1500,
      fetch: async (input, init) => {
        await fetch(input, init);
        throw new Error('process killed');
      },
    });
    await assert.rejects(dying.credentialsFor(account).getAccessToken(true));
    await store.tenant(tenantId).accounts.takeRefreshLease(account.id, 'crashed-process', 1500);
    const survivor = new TokenManager({ store, keyring, oauth: config.oauth, leaseMs: 1500, pollMs: 50 });
    const started = Date.now();
    const token = await survivor.credentialsFor(account).getAccessToken(true);
    assert.ok(Date.now() - started >= 1000, 'the survivor waited for the dead holder\'s lease to lapse');
    assert.ok(token);
    const after = JSON.parse(keyring.decrypt((await store.tenant(tenantId).accounts.get(account.id))!.credentials!)) as StoredGrant;
    assert.notEqual(after.refreshToken, stored.refreshToken, 'the newest rotated refresh token is the one stored');
    assert.equal((await store.tenant(tenantId).accounts.get(account.id))!.status, 'active');
    // And the stored one works for the next refresh too.
    const next = await new TokenManager({ store, keyring, oauth: config.oauth }).credentialsFor((await store.tenant(tenantId).accounts.get(account.id))!).getAccessToken(true);
    assert.notEqual(next, token);
  });
});
