/**
 * Changing the hub-wide GOOGLE_/MICROSOFT_CLIENT_ID (strict emulators: a refresh token or code
 * works only with the client that issued it). Accounts connected through the old client are not
 * sent to the new one: AUTH_CLIENT_REJECTED, the account stays active, `calhub status` and
 * `accounts list` name them; with the old client in *_RETIRED_CLIENTS they refresh through it again,
 * and a sign-in started before the change finishes through it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { accountsOverview, deploymentStatus, disconnectAccount, oauthAuthorizeUrl, oauthCallback, openHub, type Hub } from '../../hub/index.ts';
import { KeyRing, type OAuthProviderId } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { consent } from '../support/consent.ts';
import { openTestStore } from '../support/test-store.ts';

const BACK = 'https://tenant.example.com/connected';
const PUB = 'http://127.0.0.1:3996';
const OLD_SECRET = `old-${randomBytes(12).toString('hex')}`;
const NEW_SECRET = `new-${randomBytes(12).toString('hex')}`;

/** The provider's emulator in strict-client mode, its users (consent names them by these), and its variables' prefix. */
interface Emulated {
  url: string;
  user(email: string): string;
  close(): Promise<void>;
}

async function emulated(provider: OAuthProviderId): Promise<Emulated> {
  if (provider === 'google') {
    const g = await startGoogleEmulator({ strictClients: true });
    return { url: g.url, user: (email) => g.control.createUser({ email }).email, close: () => g.close() };
  }
  const ms = await startMicrosoftEmulator();
  for (const [clientId, clientSecret] of [['hub-old', OLD_SECRET], ['hub-new', NEW_SECRET]] as const) {
    ms.control.registerApp({ clientId, clientSecret, redirectUris: [`${PUB}/oauth/microsoft/callback`], name: clientId });
  }
  return { url: ms.url, user: (email) => ms.control.createUser({ email }).id, close: () => ms.close() };
}

for (const provider of ['microsoft', 'google'] as const) describe(`changing ${provider === 'google' ? 'GOOGLE' : 'MICROSOFT'}_CLIENT_ID keeps a way through for accounts of the old client (strict ${provider} emulator)`, () => {
  const V = provider === 'google' ? 'GOOGLE' : 'MICROSOFT';
  let emu: Emulated;
  let store: Store;
  let keyring: KeyRing;
  let tenantId: string;
  let hub: Hub | null = null;
  let userA: string;
  let userB: string;
  let userC: string;

  const open = async (env: Record<string, string>, ring = keyring) => {
    if (hub) await hub.close();
    hub = await openHub({
      store,
      config: loadConfig({
        ...(provider === 'google' ? { GOOGLE_OAUTH_BASE_URL: emu.url, GOOGLE_API_BASE_URL: emu.url } : { MICROSOFT_LOGIN_BASE_URL: emu.url, MICROSOFT_GRAPH_BASE_URL: emu.url }), PORT: '3996', CALHUB_PUBLIC_URL: PUB, CALHUB_PUBLIC_URL_ALLOW_HTTP: 'loopback', ...env }),
      logger: createLogger({ level: 'silent' }),
      keyring: ring,
    });
    return hub;
  };
  const OLD = { [`${V}_CLIENT_ID`]: 'hub-old', [`${V}_CLIENT_SECRET`]: OLD_SECRET };
  const NEW = { [`${V}_CLIENT_ID`]: 'hub-new', [`${V}_CLIENT_SECRET`]: NEW_SECRET };
  const start = async (h: Hub) => (await oauthAuthorizeUrl(h, tenantId, provider, { redirectUri: BACK, access: 'read' })).url;
  const finish = async (h: Hub, url: string, user: string) => {
    const back = await consent(url, { account: user, decision: 'allow' });
    return oauthCallback(h, provider, back.searchParams);
  };
  const refresh = async (h: Hub, accountId: string) =>
    h.tokens.credentialsFor((await store.tenant(tenantId).accounts.get(accountId))!).getAccessToken(true).then(() => 'ok', (e: unknown) => `${(e as { code?: string }).code}: ${(e as Error).message}`);

  before(async () => {
    emu = await emulated(provider);
    userA = emu.user('a@contoso.test');
    userB = emu.user('b@contoso.test');
    userC = emu.user('c@contoso.test');
    store = await openTestStore();
    await store.migrate();
    keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
    tenantId = (await store.tenants.create('config-client')).tenant.id;
    await store.oauth.allowRedirect(tenantId, BACK);
  });
  after(async () => {
    await hub?.close();
    await store.close();
    await emu.close();
  });

  let first = '';
  let flowB = '';
  let flowC = '';
  it('an account connected through the old client is told apart once the client id changes: AUTH_CLIENT_REJECTED, still active, named by status and accounts list', async () => {
    const h1 = await open(OLD);
    const done = await finish(h1, await start(h1), userA);
    assert.ok(done.ok, JSON.stringify(done));
    first = done.accountId;
    // Two sign-ins under way while the operator changes the client.
    flowB = await start(h1);
    flowC = await start(h1);
    assert.equal(new URL(flowB).searchParams.get('client_id'), 'hub-old');

    const h2 = await open(NEW);
    const refused = await refresh(h2, first);
    assert.match(refused, new RegExp(`^AUTH_CLIENT_REJECTED: .*hub-old.*${V}_RETIRED_CLIENTS`));
    assert.ok(!refused.includes(OLD_SECRET) && !refused.includes(NEW_SECRET));
    assert.equal((await store.tenant(tenantId).accounts.get(first))!.status, 'active', 'not needs_reauth: the operator can still list the old client');

    const status = await deploymentStatus(h2);
    assert.deepEqual(status.clientsMissing, [{ provider, app: 'default', clientId: 'hub-old', n: 1, accountIds: [first] }]);
    const line = status.attention.find((l) => l.includes('hub-old')) ?? '';
    assert.ok(line.startsWith(`1 ${provider} account(s) were connected through OAuth client hub-old, which is no longer configured (${V}_CLIENT_ID changed)`), line);
    assert.ok(line.includes(`${V}_RETIRED_CLIENTS`), line);
    assert.ok(line.includes(first));
    const row = (await accountsOverview(h2, tenantId)).find((a) => a.id === first)!;
    assert.ok(row.clientProblem?.includes(`hub-old, which is no longer configured: list it in ${V}_RETIRED_CLIENTS or have the user reconnect`), row.clientProblem ?? 'none');

    const lost = await finish(h2, flowB, userB);
    assert.equal(lost.ok, false);
    assert.equal(!lost.ok && lost.code, 'CODE_EXCHANGE_FAILED');
    assert.match(!lost.ok ? lost.message : '', /OAuth client this sign-in was started with is no longer configured/);
  });

  // `accounts list` decrypted every account's grant to name its client: needless work and exposure,
  // and with a key ring that could not read a grant the stranded account was not named.
  it('accounts list decrypts no grant: with a key ring that cannot read them it still lists, and names the client from the recorded columns', async () => {
    const h = await open(NEW, KeyRing.parse(`k9:${randomBytes(32).toString('base64')}`));
    let decrypts = 0;
    const decrypt = h.tokens.decrypt.bind(h.tokens);
    h.tokens.decrypt = (c) => (decrypts++, decrypt(c));
    const rows = await accountsOverview(h, tenantId);
    assert.deepEqual(rows.map((r) => r.id), [first]);
    assert.equal(rows[0]!.access, 'read');
    assert.match(rows[0]!.clientProblem ?? 'none', /hub-old, which is no longer configured/);
    assert.equal(decrypts, 0, 'no grant decrypted');
  });

  it('with the old client in *_RETIRED_CLIENTS its accounts refresh through it, a sign-in started with it finishes bound to it, and new ones use the new client', async () => {
    const h3 = await open({ ...NEW, [`${V}_RETIRED_CLIENTS`]: `hub-old:${OLD_SECRET}` });
    assert.equal(await refresh(h3, first), 'ok');
    const done = await finish(h3, flowC, userC);
    assert.ok(done.ok, JSON.stringify(done));
    const grant = h3.tokens.decrypt((await store.tenant(tenantId).accounts.get(done.accountId))!.credentials!);
    assert.deepEqual([grant.app, grant.clientId], ['default', 'hub-old']);
    assert.equal(await refresh(h3, done.accountId), 'ok');
    const status = await deploymentStatus(h3);
    assert.deepEqual(status.clientsMissing, []);
    assert.ok(!status.attention.some((l) => l.includes('hub-old')));
    assert.equal((await accountsOverview(h3, tenantId)).find((a) => a.id === first)!.clientProblem, null);

    const fresh = await start(h3);
    assert.equal(new URL(fresh).searchParams.get('client_id'), 'hub-new');
    const b = await finish(h3, fresh, userB);
    assert.ok(b.ok, JSON.stringify(b));
    assert.equal(h3.tokens.decrypt((await store.tenant(tenantId).accounts.get(b.accountId))!.credentials!).clientId, 'hub-new');
    assert.equal(await refresh(h3, b.accountId), 'ok');
  });

  it('an account of a client no longer configured can still be disconnected, its grant revoked where the provider can', async () => {
    const h4 = await open(NEW);
    const r = await disconnectAccount(h4, tenantId, first);
    assert.equal(r.revoked, provider === 'google' ? 'yes' : 'not-supported');
    assert.equal(await store.tenant(tenantId).accounts.get(first), null);
  });
});
