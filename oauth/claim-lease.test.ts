/**
 * A callback's claim of its state is a lease (migration 0076): a hub killed while its code exchange
 * was in flight left a state no retry could finish ("already used"). The crash is simulated as the
 * neighbouring tests do: an exchange that never completes; the lease running out, by moving the
 * claim's end into the past.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../emulators/google/index.ts';
import { loadConfig } from '../shared/config/index.ts';
import { secretHash, Store } from '../shared/store/index.ts';
import { consent } from '../test/support/consent.ts';
import { beginAuthorization, CallbackError, finishAuthorization, type AuthorizationDeps } from './authorization.ts';
import { KeyRing } from './keyring.ts';
import { TokenManager } from './token-manager.ts';

const BACK = 'https://app.example.com/calendar-connected';
const EMAIL = 'lease@example.com';

describe('oauth state claim lease', () => {
  let google: RunningGoogleEmulator;
  let store: Store;
  let d: AuthorizationDeps;
  let tenantId: string;

  before(async () => {
    google = await startGoogleEmulator();
    google.control.createUser({ email: EMAIL });
    store = await Store.open({ dataDir: null });
    await store.migrate();
    tenantId = (await store.tenants.create('lease')).tenant.id;
    await store.oauth.allowRedirect(tenantId, BACK);
    const config = loadConfig({ GOOGLE_CLIENT_ID: 'lease-google', GOOGLE_OAUTH_BASE_URL: google.url, GOOGLE_API_BASE_URL: google.url });
    const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
    d = { store, keyring, oauth: config.oauth, tokens: new TokenManager({ store, keyring, oauth: config.oauth }), callbackUrl: (p) => `http://127.0.0.1:1/oauth/${p}/callback` };
  });
  after(async () => {
    await store.close();
    await google.close();
  });

  const started = async () => {
    const { url } = await beginAuthorization(d, { tenantId, provider: 'google', redirectUri: BACK, access: 'read' });
    return (await consent(url, { account: EMAIL, decision: 'allow' })).searchParams;
  };
  /** The hub dies during the exchange: its token request (sent on to the provider when `reaches`) never answers. */
  const dies = async (back: URLSearchParams, reaches: boolean) => {
    let sent!: () => void;
    const inFlight = new Promise<void>((r) => (sent = r));
    const stuck: typeof fetch = async (input, init) => {
      if (reaches) await fetch(input, init);
      sent();
      return new Promise<Response>(() => undefined);
    };
    void finishAuthorization({ ...d, client: { fetch: stuck } }, 'google', back).catch(() => undefined);
    await inFlight;
  };
  const leaseRunsOut = (back: URLSearchParams) => store.db.query("UPDATE oauth_states SET claimed_until = now() - interval '1 second' WHERE state_hash = $1", [secretHash(back.get('state')!)]);
  const refused = (p: Promise<unknown>, code: string, redirect: string | null, message?: RegExp) =>
    assert.rejects(p, (e: unknown) => e instanceof CallbackError && e.callbackCode === code && e.redirectUri === redirect && (!message || message.test(e.message)));

  it('killed before the provider got the code: a reload is told it is in progress, and after the lease the reload finishes the sign-in', async () => {
    const back = await started();
    await dies(back, false);
    await refused(finishAuthorization(d, 'google', back), 'STATE_IN_PROGRESS', null);
    await leaseRunsOut(back);
    const done = await finishAuthorization(d, 'google', back);
    assert.equal(done.identity.externalId, EMAIL);
    assert.ok(done.grant.refreshToken);
    await refused(finishAuthorization(d, 'google', back), 'STATE_IN_PROGRESS', null, /still being finished/);
    await leaseRunsOut(back);
    // The exchange ended, so its code is never sent again; the app was not told (no account stored): it is now.
    await refused(finishAuthorization(d, 'google', back), 'SIGN_IN_INTERRUPTED', BACK);
  });

  it('killed after the provider spent the code: the retry after the lease is refused by the provider, and the app is told to start again', async () => {
    const back = await started();
    await dies(back, true);
    await leaseRunsOut(back);
    await refused(finishAuthorization(d, 'google', back), 'CODE_EXCHANGE_FAILED', BACK, /interrupted/);
    await refused(finishAuthorization(d, 'google', back), 'STATE_USED', null);
  });

  it('killed after the exchange, before the account was stored: after the lease the app is told SIGN_IN_INTERRUPTED once; reloads then say "already used"', async () => {
    const back = await started();
    // The exchange succeeded; the process died before the hub stored the account (nothing marks it connected).
    await finishAuthorization(d, 'google', back);
    await refused(finishAuthorization(d, 'google', back), 'STATE_IN_PROGRESS', null);
    await leaseRunsOut(back);
    await refused(finishAuthorization(d, 'google', back), 'SIGN_IN_INTERRUPTED', BACK, /one-time code cannot be used again/);
    await refused(finishAuthorization(d, 'google', back), 'STATE_USED', null);
    const row = (await store.db.query<{ verifier: string | null }>('SELECT verifier FROM oauth_states WHERE state_hash = $1', [secretHash(back.get('state')!)]))[0]!;
    assert.equal(row.verifier, null, 'no verifier is kept once the exchange was tried');
  });
});
