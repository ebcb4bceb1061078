/**
 * Access tokens from stored refresh tokens (standard OAuth 2.0 refresh_token grant, which Google
 * and the Microsoft identity platform both speak). Refresh is single-flight per account in this
 * process; a rotated refresh token (Microsoft rotates on every refresh) is persisted before use.
 */
import { GrantRevokedError, TransientError } from '../connectors/index.ts';

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string | null;
  /** epoch ms */
  expiresAt: number;
  tokenUrl: string;
  clientId: string;
  clientSecret?: string | null;
  scope?: string | null;
}

const inflight = new Map<string, Promise<OAuthTokens>>();
const SKEW_MS = 60_000;

export function oauthAccessTokenSource(
  accountId: string,
  initial: OAuthTokens,
  persist: (tokens: OAuthTokens) => Promise<void>,
  fetchFn: typeof fetch = fetch,
  /** Told of every refresh and how it went (the token-refresh metric). */
  onRefresh?: (outcome: 'ok' | 'revoked' | 'transient') => void,
): (forceRefresh?: boolean) => Promise<string> {
  let tokens = initial;
  return async (forceRefresh = false) => {
    if (!forceRefresh && tokens.expiresAt - SKEW_MS > Date.now()) return tokens.accessToken;
    let p = inflight.get(accountId);
    if (!p) {
      p = refresh(tokens, fetchFn)
        .then(async (next) => {
          await persist(next);
          onRefresh?.('ok');
          return next;
        })
        .catch((e: unknown) => {
          onRefresh?.(e instanceof GrantRevokedError ? 'revoked' : 'transient');
          throw e;
        })
        .finally(() => inflight.delete(accountId));
      inflight.set(accountId, p);
    }
    tokens = await p;
    return tokens.accessToken;
  };
}

async function refresh(t: OAuthTokens, fetchFn: typeof fetch): Promise<OAuthTokens> {
  if (!t.refreshToken) throw new GrantRevokedError('no refresh token stored; the user must reconnect');
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refreshToken, client_id: t.clientId });
  if (t.clientSecret) body.set('client_secret', t.clientSecret);
  if (t.scope) body.set('scope', t.scope);
  let res: Response;
  try {
    res = await fetchFn(t.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  } catch (e) {
    throw new TransientError('token endpoint unreachable', { cause: e });
  }
  const json = (await res.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; expires_in?: number; error?: string };
  if (json.error === 'invalid_grant') throw new GrantRevokedError('the refresh token was revoked or expired; the user must reconnect');
  if (!res.ok || !json.access_token) {
    if (res.status >= 500) throw new TransientError(`token endpoint answered ${res.status}`);
    throw new GrantRevokedError(`token refresh failed: ${json.error ?? res.status}`);
  }
  return { ...t, accessToken: json.access_token, refreshToken: json.refresh_token ?? t.refreshToken, expiresAt: Date.now() + (json.expires_in ?? 3600) * 1000 };
}
