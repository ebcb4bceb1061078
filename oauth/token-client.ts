/**
 * The token-endpoint conversations, on oauth4webapi (PKCE S256, code exchange, refresh,
 * revocation), the same for every provider: a provider contributes only endpoints and the
 * classification of a failed refresh. Errors leave as the connector taxonomy; no token, code or
 * verifier is ever put in a message.
 */
import * as oauth from 'oauth4webapi';
import { GrantRevokedError, OAuthClientRejectedError, RateLimitedError, TransientError } from '../connectors/index.ts';
import type { OAuthProvider } from './providers.ts';
import type { RefreshFailure, TokenFailure } from './refresh-failure.ts';

export interface TokenSet {
  accessToken: string;
  /** Null when the provider sent none (a refresh that does not rotate). */
  refreshToken: string | null;
  /** Epoch ms. */
  expiresAt: number;
  /** Scopes granted, space-separated; the provider's answer, or what was asked if it said nothing. */
  scope: string;
}

export interface ClientOptions {
  fetch?: typeof fetch;
  now?: () => number;
  /** Deadline of one token-endpoint request (default TOKEN_DEADLINE_MS). */
  timeoutMs?: number;
}

/**
 * oauth4webapi sets no deadline: a token endpoint that never answers held the refresh, and the
 * account's refresh lease, forever. Under the lease (30 s) so a slow answer is given up, counted
 * transient and retried before another worker could take the lease over.
 */
export const TOKEN_DEADLINE_MS = 20_000;

function parts(p: OAuthProvider, o: ClientOptions) {
  const e = p.endpoints;
  const as: oauth.AuthorizationServer = {
    issuer: e.issuer,
    authorization_endpoint: e.authorize,
    token_endpoint: e.token,
    ...(e.revoke ? { revocation_endpoint: e.revoke } : {}),
  };
  const client: oauth.Client = { client_id: p.app.clientId ?? '' };
  const auth = p.app.clientSecret ? oauth.ClientSecretPost(p.app.clientSecret) : oauth.None();
  // Plain http only for a local emulator origin; real providers are https.
  const insecure = [e.token, e.authorize].some((u) => u.startsWith('http:'));
  const deadline = o.timeoutMs ?? TOKEN_DEADLINE_MS;
  const options = { [oauth.allowInsecureRequests]: insecure, signal: () => AbortSignal.timeout(deadline), ...(o.fetch ? { [oauth.customFetch]: o.fetch } : {}) };
  return { as, client, auth, options };
}

export const newVerifier = (): string => oauth.generateRandomCodeVerifier();
export const newState = (): string => oauth.generateRandomState();

export async function authorizationUrl(p: OAuthProvider, o: { redirectUri: string; scopes: string[]; state: string; verifier: string; loginHint?: string | null }): Promise<string> {
  const url = new URL(p.endpoints.authorize);
  const q = url.searchParams;
  q.set('client_id', p.app.clientId ?? '');
  q.set('response_type', 'code');
  q.set('redirect_uri', o.redirectUri);
  q.set('scope', o.scopes.join(' '));
  q.set('state', o.state);
  q.set('code_challenge', await oauth.calculatePKCECodeChallenge(o.verifier));
  q.set('code_challenge_method', 'S256');
  for (const [k, v] of Object.entries(p.authorizeParams)) q.set(k, v);
  if (o.loginHint) q.set('login_hint', o.loginHint);
  return url.toString();
}

/** What a failed token request looked like, from whichever error oauth4webapi raised. */
export function tokenFailureOf(e: unknown): TokenFailure {
  if (e instanceof oauth.ResponseBodyError) {
    return { status: e.status, error: e.error, description: e.error_description ?? null, retryAfter: e.response.headers.get('retry-after') };
  }
  if (e instanceof oauth.WWWAuthenticateChallengeError) {
    const err = e.cause[0]?.parameters.error;
    return { status: e.response.status, error: typeof err === 'string' ? err : null, description: null, retryAfter: e.response.headers.get('retry-after') };
  }
  if (e instanceof oauth.OperationProcessingError && e.cause instanceof Response) {
    return { status: e.cause.status, error: null, description: null, retryAfter: e.cause.headers.get('retry-after') };
  }
  if (e instanceof oauth.OperationProcessingError) return { status: 200, error: null, description: e.message, retryAfter: null };
  if (e instanceof Error && e.name === 'TimeoutError') return { status: null, error: null, description: 'token endpoint did not answer in time', retryAfter: null };
  return { status: null, error: null, description: null, retryAfter: null };
}

/** A classified failure as the connector error the queue knows how to retry. */
export function refreshError(provider: string, f: RefreshFailure, status: number | null): Error {
  const opt = { provider, reason: f.reason, ...(status !== null ? { httpStatus: status } : {}) };
  if (f.kind === 'revoked') return new GrantRevokedError(`${provider}: the grant was revoked or expired (${f.reason}); the user must reconnect`, opt);
  if (f.kind === 'client-rejected') {
    return new OAuthClientRejectedError(`${provider}: the token endpoint refused the OAuth app's client credentials (${f.reason}); fix the app's client id or secret (deployment configuration, or PUT /v1/oauth/${provider}/app for a tenant's own app); the user's grant is kept`, opt);
  }
  if (f.kind === 'rate-limited') return new RateLimitedError(`${provider}: token endpoint rate limited`, f.retryAfterMs, opt);
  return new TransientError(`${provider}: token refresh failed (${f.reason})`, opt);
}

function toSet(r: oauth.TokenEndpointResponse, asked: string, now: number): TokenSet {
  return {
    accessToken: r.access_token,
    refreshToken: r.refresh_token ?? null,
    expiresAt: now + (r.expires_in ?? 3600) * 1000,
    scope: typeof r.scope === 'string' && r.scope ? r.scope : asked,
  };
}

/**
 * Exchanges the code of a callback. The state was already matched (it is the key the pending
 * authorization was found by); oauth4webapi checks the response shape and raises a provider's
 * `error=` as AuthorizationResponseError.
 */
export async function exchangeCode(
  p: OAuthProvider,
  o: { callback: URLSearchParams; state: string; redirectUri: string; verifier: string; askedScope: string },
  opts: ClientOptions = {},
): Promise<TokenSet> {
  const { as, client, auth, options } = parts(p, opts);
  const params = oauth.validateAuthResponse(as, client, o.callback, o.state);
  const res = await oauth.authorizationCodeGrantRequest(as, client, auth, params, o.redirectUri, o.verifier, options);
  const body = await oauth.processAuthorizationCodeResponse(as, client, res);
  return toSet(body, o.askedScope, (opts.now ?? Date.now)());
}

/** One refresh_token grant; failures are classified by the provider and thrown as connector errors. */
export async function refreshTokens(p: OAuthProvider, refreshToken: string, scope: string, opts: ClientOptions = {}): Promise<TokenSet> {
  const { as, client, auth, options } = parts(p, opts);
  try {
    const res = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, {
      ...options,
      ...(p.sendsScopeOnRefresh ? { additionalParameters: { scope } } : {}),
    });
    return toSet(await oauth.processRefreshTokenResponse(as, client, res), scope, (opts.now ?? Date.now)());
  } catch (e) {
    const f = tokenFailureOf(e);
    throw refreshError(p.id, p.classifyRefreshFailure(f), f.status);
  }
}

/** Revokes the grant at the provider where it can be (Google); false where it cannot (Microsoft). */
export async function revokeToken(p: OAuthProvider, token: string, opts: ClientOptions = {}): Promise<boolean> {
  if (!p.endpoints.revoke) return false;
  const { as, client, auth, options } = parts(p, opts);
  const res = await oauth.revocationRequest(as, client, auth, token, options);
  try {
    await oauth.processRevocationResponse(res);
  } catch (e) {
    // Already revoked (the user did it first) is the outcome we wanted.
    if (e instanceof oauth.ResponseBodyError && (e.error === 'invalid_token' || e.error === 'invalid_grant')) return true;
    throw e;
  }
  return true;
}
