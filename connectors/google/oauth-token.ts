/**
 * Access tokens from a Google refresh token (A.10), as ConnectorContext credentials: cached
 * until shortly before expiry, one refresh in flight at a time, `invalid_grant` → GrantRevokedError.
 * The hub's token manager (oauth/) persists and encrypts; this is the provider-side exchange.
 */
import type { AccessCredentials } from '../connector.ts';
import { GrantRevokedError, RateLimitedError, parseRetryAfter, TransientError } from '../errors.ts';
import { DEFAULT_RATE_LIMIT_DELAY_MS } from './errors.ts';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface GoogleOAuthCredentialsOptions {
  refreshToken: string;
  clientId: string;
  clientSecret?: string;
  /** Token endpoint; the emulator serves it at `<origin>/token`. */
  tokenUrl?: string;
  /** A token already in hand (e.g. from the code exchange). */
  accessToken?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

export function createGoogleOAuthCredentials(opts: GoogleOAuthCredentialsOptions): AccessCredentials & { kind: 'oauth' } {
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  let token = opts.accessToken ?? null;
  let expiresAt = token ? now() + 50 * 60_000 : 0;
  let inFlight: Promise<string> | null = null;

  async function refresh(): Promise<string> {
    let res: Response;
    try {
      res = await doFetch(opts.tokenUrl ?? GOOGLE_TOKEN_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: opts.refreshToken,
          client_id: opts.clientId,
          ...(opts.clientSecret ? { client_secret: opts.clientSecret } : {}),
        }).toString(),
      });
    } catch (e) {
      throw new TransientError('google: token endpoint unreachable', { provider: 'google', cause: e });
    }
    const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string };
    if (res.ok && body.access_token) {
      token = body.access_token;
      // Refresh a minute early so a request never leaves with a token about to lapse.
      expiresAt = now() + Math.max(0, (body.expires_in ?? 3600) - 60) * 1000;
      return token;
    }
    const opt = { provider: 'google', httpStatus: res.status, ...(body.error ? { reason: body.error } : {}) };
    if (body.error === 'invalid_grant') throw new GrantRevokedError('google: the refresh token was revoked or expired', opt);
    if (res.status === 429) throw new RateLimitedError('google: token endpoint rate limited', parseRetryAfter(res.headers.get('retry-after')) ?? DEFAULT_RATE_LIMIT_DELAY_MS, opt);
    if (res.status >= 500) throw new TransientError(`google: token endpoint answered ${res.status}`, opt);
    // invalid_client, unauthorized_client…: only the user (or operator) can fix the grant.
    throw new GrantRevokedError(`google: token endpoint refused the refresh (${body.error ?? res.status})`, opt);
  }

  return {
    kind: 'oauth',
    async getAccessToken(forceRefresh = false): Promise<string> {
      if (!forceRefresh && token && now() < expiresAt) return token;
      inFlight ??= refresh().finally(() => (inFlight = null));
      return inFlight;
    },
  };
}
