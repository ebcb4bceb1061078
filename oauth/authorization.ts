/**
 * The two halves of an authorization-code flow with PKCE (architecture §8). `beginAuthorization`
 * checks the redirect URI against the tenant's allow-list and stores a pending authorization
 * under a random, single-use, short-lived `state` bound to the tenant, the provider, the PKCE
 * verifier (encrypted) and the redirect URI. `finishAuthorization` consumes that state, exchanges
 * the code, checks the scopes the user actually granted and says who signed in. Storing the
 * account, discovering calendars and starting syncs is the hub's use case.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { HubError } from '../shared/errors.ts';
import type { OAuthConfig } from '../shared/config/index.ts';
import type { PendingAuthorization, Store, UsedState } from '../shared/store/index.ts';
import type { KeyRing } from './keyring.ts';
import type { AccessLevel, OAuthProvider, OAuthProviderId, ProviderIdentity } from './providers.ts';
import { authorizationUrl, exchangeCode, newState, newVerifier, revokeToken, type ClientOptions } from './token-client.ts';
import type { StoredGrant, TokenManager } from './token-manager.ts';

/** Refusals at authorize-url time: answered as 4xx with these codes (docs/errors.md). */
export class AuthorizeError extends HubError {
  constructor(code: 'REDIRECT_URI_NOT_ALLOWED' | 'PROVIDER_NOT_CONFIGURED' | 'NOT_FOUND' | 'INVALID_REQUEST', message: string) {
    super(code, 'never', message);
    this.name = 'AuthorizeError';
  }
}

/**
 * Why a callback did not produce an account. Codes a tenant's redirect receives as `error=`:
 * ACCESS_DENIED, STATE_EXPIRED, STATE_BROWSER_MISMATCH, INSUFFICIENT_SCOPE, ACCOUNT_MISMATCH, CODE_EXCHANGE_FAILED,
 * PROVIDER_ERROR, CONNECT_FAILED, SESSION_USED (with `connectSession` when the flow came from a
 * hosted connect session). STATE_INVALID has no trusted redirect and is shown as a page; so is
 * STATE_USED (the callback opened again: a reload, Back), which is never exchanged twice, and
 * STATE_IN_PROGRESS (opened again while the first callback is still finishing it). A callback
 * whose process died holds its state for CLAIM_LEASE_MS: opened again after that, it is finished
 * then if the provider never answered the first exchange (the code is exchanged again), or answers
 * SIGN_IN_INTERRUPTED to the tenant when the code was spent but no account stored (redirects); one
 * whose account was stored is finished as connected (SignInStored, migration 0083);
 * so is REDIRECT_URI_NOT_ALLOWED: the flow's redirect URI left the tenant's allow-list after the flow
 * started, so it is no longer trusted (nothing is exchanged or stored).
 */
export const CALLBACK_ERRORS = [
  { code: 'ACCESS_DENIED', redirects: true },
  { code: 'STATE_INVALID', redirects: false },
  { code: 'STATE_USED', redirects: false },
  { code: 'STATE_IN_PROGRESS', redirects: false },
  { code: 'SIGN_IN_INTERRUPTED', redirects: true },
  { code: 'REDIRECT_URI_NOT_ALLOWED', redirects: false },
  { code: 'STATE_EXPIRED', redirects: true },
  { code: 'STATE_BROWSER_MISMATCH', redirects: true },
  { code: 'INSUFFICIENT_SCOPE', redirects: true },
  { code: 'ACCOUNT_MISMATCH', redirects: true },
  { code: 'CODE_EXCHANGE_FAILED', redirects: true },
  { code: 'PROVIDER_ERROR', redirects: true },
  { code: 'CONNECT_FAILED', redirects: true },
  { code: 'SESSION_USED', redirects: true },
] as const;
export type CallbackErrorCode = (typeof CALLBACK_ERRORS)[number]['code'];

export class CallbackError extends HubError {
  constructor(
    readonly callbackCode: CallbackErrorCode,
    message: string,
    /** The tenant's redirect URI when the state was genuine; null when there is nobody to tell. */
    readonly redirectUri: string | null,
    /** Where a page may link back to when the browser is not sent there (STATE_INVALID of a known flow, STATE_USED). */
    readonly appUrl: string | null = null,
    /** STATE_USED: that sign-in connected the account. */
    readonly connected = false,
  ) {
    super(callbackCode, 'never', message);
    this.name = 'CallbackError';
  }
}

/**
 * Not a refusal: the callback's state belongs to a sign-in whose account was stored (migration
 * 0083) by a callback that then died, or failed to record it, before marking the state connected.
 * The hub finishes it as connected (finishStored) and sends the browser on as a success would.
 */
export class SignInStored extends Error {
  constructor(
    readonly state: string,
    readonly tenantId: string,
    readonly provider: OAuthProviderId,
    readonly accountId: string,
    readonly redirectUri: string,
    readonly connectSession: string | null,
  ) {
    super('this sign-in stored its account before it was interrupted');
    this.name = 'SignInStored';
  }
}

export interface BeginInput {
  tenantId: string;
  provider: OAuthProviderId;
  redirectUri: string;
  access: AccessLevel;
  loginHint?: string | null;
  /** Reconnect this account (it must be the tenant's and the provider's). */
  accountId?: string | null;
  /** Hash of the nonce the starting browser keeps in a cookie; the callback must bring it. */
  browserHash?: string | null;
  /** The stored id of the connect session the flow came from (spent on success). */
  connectSession?: string | null;
  /**
   * The operator's own flow (`calhub accounts connect`): its loopback redirect is on the allow-list
   * only while the state is created, so the callback does not check the allow-list again.
   */
  operatorRedirect?: boolean;
}

/** RFC 6749 §4.1.2.1 (and OpenID Connect's) error codes: the only provider words passed on. */
const PROVIDER_ERROR_CODES = new Set([
  'invalid_request', 'unauthorized_client', 'unsupported_response_type', 'invalid_scope', 'server_error', 'temporarily_unavailable',
  'interaction_required', 'login_required', 'consent_required', 'account_selection_required', 'invalid_grant', 'invalid_client',
]);
const providerCode = (c: unknown): string => (typeof c === 'string' && PROVIDER_ERROR_CODES.has(c) ? c : 'unknown_error');

/** The cookie carrying a flow's browser nonce: named after the state, so parallel flows keep their own. */
export const bindingCookieName = (state: string): string => `calhub_oauth_${createHash('sha256').update(state).digest('hex').slice(0, 16)}`;
const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * How long a callback holds its state (migration 0076). Longer than the code exchange's deadline
 * (TOKEN_DEADLINE_MS): a state is taken over only from a callback that cannot still be exchanging
 * its code (a second exchange of one code makes a provider refuse it and may revoke what it issued).
 */
export const CLAIM_LEASE_MS = 60_000;

export interface AuthorizationDeps {
  store: Store;
  keyring: KeyRing;
  tokens: TokenManager;
  oauth: OAuthConfig;
  /** calhub's own callback URL for a provider, as the browser reaches it. */
  callbackUrl(provider: OAuthProviderId): string;
  client?: ClientOptions;
}

/** The address an account signs in with: its email, else Graph's mailbox, else a Google primary calendar id that is one. */
function accountAddress(a: { email?: string | null; externalId: string; config?: Record<string, unknown> | null }): string | null {
  const mailbox = typeof a.config?.email === 'string' ? a.config.email : null;
  return a.email ?? mailbox ?? (a.externalId.includes('@') ? a.externalId : null);
}

export async function beginAuthorization(d: AuthorizationDeps, input: BeginInput): Promise<{ url: string; expiresAt: string; state: string }> {
  if (!(await d.store.oauth.isRedirectAllowed(input.tenantId, input.redirectUri))) {
    throw new AuthorizeError('REDIRECT_URI_NOT_ALLOWED', `redirectUri is not on this tenant's allow-list (add it with POST /v1/oauth/redirect-uris or \`calhub tenants allow-redirect\`)`);
  }
  let loginHint = input.loginHint ?? null;
  if (input.accountId) {
    const a = await d.store.tenant(input.tenantId).accounts.get(input.accountId);
    if (!a || a.provider !== input.provider) throw new AuthorizeError('NOT_FOUND', `no ${input.provider} account ${input.accountId} in this tenant`);
    // A reconnect names its account to the provider (Google and Microsoft both take `login_hint`),
    // else the provider pre-selects whoever is signed in and the callback ends in ACCOUNT_MISMATCH.
    loginHint ??= accountAddress(a);
  }
  const { provider, app } = await d.tokens.appFor(input.tenantId, input.provider);
  if (!provider.app.clientId) {
    throw new AuthorizeError('PROVIDER_NOT_CONFIGURED', `${input.provider} has no OAuth app: set ${input.provider === 'google' ? 'GOOGLE_CLIENT_ID' : 'MICROSOFT_CLIENT_ID'} (and its secret), or register the tenant's own app`);
  }
  const state = newState();
  const verifier = newVerifier();
  const expiresAt = new Date(Date.now() + d.oauth.stateTtlMs);
  await d.store.oauth.savePending(state, {
    tenantId: input.tenantId,
    provider: input.provider,
    verifier: d.keyring.encrypt(verifier),
    redirectUri: input.redirectUri,
    access: input.access,
    accountId: input.accountId ?? null,
    loginHint,
    expiresAt,
    browserHash: input.browserHash ?? null,
    connectSession: input.connectSession ?? null,
    operatorRedirect: input.operatorRedirect ?? false,
    // The code comes back for this client only: the callback exchanges it through the same one.
    app,
    clientId: provider.app.clientId,
  });
  const url = await authorizationUrl(provider, {
    redirectUri: d.callbackUrl(input.provider),
    scopes: provider.scopesFor(input.access),
    state,
    verifier,
    loginHint,
  });
  return { url, expiresAt: expiresAt.toISOString(), state };
}

export interface FinishedAuthorization {
  tenantId: string;
  provider: OAuthProviderId;
  redirectUri: string;
  access: AccessLevel;
  /** The account being reconnected, when the flow was started for one. */
  accountId: string | null;
  /** The stored id of the connect session the flow came from, if any. */
  connectSession: string | null;
  identity: ProviderIdentity;
  /** The grant to store, not yet encrypted. */
  grant: StoredGrant;
  providerApp: OAuthProvider;
}

async function startedWith(d: AuthorizationDeps, tenantId: string, providerId: OAuthProviderId, app: StoredGrant['app'], clientId: string, back: string): Promise<{ provider: OAuthProvider; app: StoredGrant['app'] }> {
  const provider = await d.tokens.issuingClient(tenantId, providerId, app, clientId);
  if (!provider) {
    const which = app === 'tenant' ? "the tenant's OAuth app this sign-in was started with was removed" : 'the OAuth client this sign-in was started with is no longer configured';
    throw new CallbackError('CODE_EXCHANGE_FAILED', `${which}, so its code cannot be exchanged; start the connection again`, back);
  }
  return { provider, app };
}

function withSession(uri: string, connectSession: string | null): string {
  if (!connectSession) return uri;
  const u = new URL(uri);
  u.searchParams.set('connectSession', connectSession);
  return u.toString();
}

/**
 * `browserNonce`: the value of the flow's binding cookie (bindingCookieName(state)) as the browser
 * sent it, or null. A flow started with a binding is finished only in the browser that started it.
 */
export async function finishAuthorization(d: AuthorizationDeps, providerId: OAuthProviderId, callback: URLSearchParams, browserNonce: string | null = null): Promise<FinishedAuthorization> {
  const state = callback.getAll('state').length === 1 ? callback.get('state') : null;
  const pending = state ? await d.store.oauth.consumePending(state, CLAIM_LEASE_MS) : null;
  const used = state && !pending ? await d.store.oauth.usedState(state) : null;
  if (state && used && used.provider === providerId) await refuseUsed(d, state, used, browserNonce);
  if (!state || !pending || pending.provider !== providerId) {
    // A known flow's address is offered as a link only while the tenant still allows it.
    const link = pending && (pending.operatorRedirect || (await d.store.oauth.isRedirectAllowed(pending.tenantId, pending.redirectUri))) ? pending.redirectUri : null;
    throw new CallbackError('STATE_INVALID', 'this sign-in link is unknown or was already used; start the connection again', null, link);
  }
  try {
    return await finishClaimed(d, providerId, callback, browserNonce, state, pending);
  } catch (e) {
    // Answered: a reload says "already used" from now on (a crash, with no answer, never gets here).
    if (e instanceof CallbackError) await d.store.oauth.markRefused(state);
    throw e;
  } finally {
    // The exchange was tried, or never will be: nobody takes this state over to exchange its code again.
    await d.store.oauth.spendVerifier(state);
  }
}

/** A used state's callback opened again (a reload, Back, a retry after a crash): what became of it. */
async function refuseUsed(d: AuthorizationDeps, state: string, used: UsedState, browserNonce: string | null): Promise<never> {
  const allowed = used.operatorRedirect || (await d.store.oauth.isRedirectAllowed(used.tenantId, used.redirectUri));
  // The address as the app gave it (no account id, no session): that answer went out once.
  const link = allowed ? used.redirectUri : null;
  if (used.claimLive) {
    throw new CallbackError('STATE_IN_PROGRESS', 'this sign-in is still being finished; the page checks again by itself', null, link);
  }
  if (used.claimedUntil && used.storedAccountId && allowed) {
    // The account was stored, then the callback died (or could not record the end): the sign-in
    // worked, and is finished as connected — in the browser that started it, as a success would be.
    if (used.browserHash && !(browserNonce && timingSafeEqual(sha256(browserNonce), Buffer.from(used.browserHash, 'hex')))) {
      throw new CallbackError('STATE_BROWSER_MISMATCH', 'this sign-in was started in a different browser; go back to the app in the browser you started it in', null, link);
    }
    throw new SignInStored(state, used.tenantId, used.provider as OAuthProviderId, used.storedAccountId, used.redirectUri, used.connectSession);
  }
  if (used.claimedUntil && !used.exchangeable && allowed) {
    // The claim's process died after the provider answered its exchange (the code is spent) and
    // before the account was stored: nothing can finish this sign-in. The app is told once, with
    // its connect session, so it can start the same connection again; reloads then say "already used".
    await d.store.oauth.markRefused(state);
    const message = 'the sign-in was interrupted before the calendar was connected, and its one-time code cannot be used again; start the connection again';
    throw new CallbackError('SIGN_IN_INTERRUPTED', message, withSession(used.redirectUri, used.connectSession), link);
  }
  throw new CallbackError('STATE_USED', used.connected ? 'this sign-in is finished and the calendar is connected' : 'this sign-in link was already used', null, link, used.connected);
}

async function finishClaimed(d: AuthorizationDeps, providerId: OAuthProviderId, callback: URLSearchParams, browserNonce: string | null, state: string, pending: PendingAuthorization & { retried: boolean }): Promise<FinishedAuthorization> {
  // The allow-list is checked again here, before anything else: an address removed since the flow
  // started is no longer trusted with the browser (nor with an error or an account id).
  if (!pending.operatorRedirect && !(await d.store.oauth.isRedirectAllowed(pending.tenantId, pending.redirectUri))) {
    throw new CallbackError('REDIRECT_URI_NOT_ALLOWED', "the app's return address for this sign-in is no longer allowed, so nothing was connected; go back to the app and start again", null);
  }
  // Refusals go back carrying the connect session the flow came from, so the app knows whose failed.
  const back = withSession(pending.redirectUri, pending.connectSession ?? null);
  if (pending.expiresAt.getTime() < Date.now()) throw new CallbackError('STATE_EXPIRED', 'the sign-in took too long; start the connection again', back);
  if (pending.browserHash && !(browserNonce && timingSafeEqual(sha256(browserNonce), Buffer.from(pending.browserHash, 'hex')))) {
    throw new CallbackError('STATE_BROWSER_MISMATCH', 'the sign-in was finished in a different browser than the one that started it; start the connection again', back);
  }
  const providerError = callback.get('error');
  if (providerError === 'access_denied') throw new CallbackError('ACCESS_DENIED', 'the user declined access', back);
  if (providerError) throw new CallbackError('PROVIDER_ERROR', `the provider refused the sign-in (${providerCode(providerError)})`, back);

  // The client the flow was started with, even if the app was replaced since (a code works only
  // with the client it was issued to); a state saved before clients were recorded: the current app.
  const { provider, app } = pending.app && pending.clientId ? await startedWith(d, pending.tenantId, providerId, pending.app, pending.clientId, back) : await d.tokens.appFor(pending.tenantId, providerId);
  const askedScope = provider.scopesFor(pending.access).join(' ');
  let verifier: string;
  try {
    verifier = d.keyring.decrypt(pending.verifier);
  } catch {
    throw new CallbackError('CODE_EXCHANGE_FAILED', 'the stored PKCE verifier is unreadable', back);
  }
  let tokens;
  try {
    tokens = await exchangeCode(provider, { callback, state, redirectUri: d.callbackUrl(providerId), verifier, askedScope }, d.client);
  } catch (e) {
    const code = e instanceof oauth.ResponseBodyError ? providerCode(e.error) : e instanceof Error ? e.name : 'error';
    // Taken over after a crash: the dead callback's exchange may have reached the provider and spent the code.
    const retried = pending.retried ? '; the sign-in was interrupted and its one-time code may have been used then, start the connection again' : '';
    throw new CallbackError('CODE_EXCHANGE_FAILED', `the provider refused the authorization code (${code})${retried}`, back);
  }
  const granted = tokens.scope.split(' ').filter(Boolean);
  const missing = provider.missing(granted, pending.access);
  if (missing.length > 0 || !tokens.refreshToken) {
    // A partial grant is useless to us, but it is not revoked: who signed in is unknown yet, and at
    // Google revoking it would end the user's whole grant to the app, and with it any connection
    // of theirs that works (include_granted_scopes folds earlier grants into this one).
    const what = missing.length > 0 ? `: not granted ${missing.join(', ')}` : ': no refresh token (offline_access)';
    throw new CallbackError('INSUFFICIENT_SCOPE', `the user did not grant the access asked (${pending.access})${what}; nothing was stored`, back);
  }
  let identity: ProviderIdentity;
  try {
    identity = await provider.identify(tokens.accessToken, d.client?.fetch ?? fetch);
  } catch (e) {
    throw new CallbackError('PROVIDER_ERROR', `could not tell which account signed in (${e instanceof Error ? e.message : 'error'})`, back);
  }
  if (pending.accountId) {
    const existing = await d.store.tenant(pending.tenantId).accounts.get(pending.accountId);
    if (!existing) throw new CallbackError('CONNECT_FAILED', `account ${pending.accountId} was removed while the user signed in`, back);
    if (existing.externalId !== identity.externalId) {
      // Revoking ends that user's grant to this client at Google: not while another working account
      // signs in as them through the same client (another client's grant is not touched).
      if ((await d.tokens.sameClientSignIns(providerId, identity.externalId, provider.app.clientId, null)) === 0) await revokeToken(provider, tokens.refreshToken, d.client).catch(() => false);
      throw new CallbackError('ACCOUNT_MISMATCH', 'the user signed in with a different account than the one being reconnected', back);
    }
  }
  return {
    tenantId: pending.tenantId,
    provider: providerId,
    redirectUri: pending.redirectUri,
    access: pending.access,
    accountId: pending.accountId,
    connectSession: pending.connectSession ?? null,
    identity,
    grant: { ...tokens, app, ...(provider.app.clientId ? { clientId: provider.app.clientId } : {}), access: pending.access },
    providerApp: provider,
  };
}
