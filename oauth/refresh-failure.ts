/**
 * A failed refresh is one of four things, and only one of them sends the account to
 * `needs_reauth`: the grant is gone (revoked), the OAuth app's own credentials were refused
 * (client-rejected: a configuration error of the deployment or tenant app, which no reconnect by
 * the user can fix), the token endpoint is throttling us (rate-limited: retry after a delay), or
 * anything else (transient: retry with backoff). A 429 or a 5xx is never
 * "revoked" — the user would be asked to reconnect over a blip. Unknown answers are transient,
 * bounded by the calendar's failure count (architecture §7).
 */
import { parseRetryAfter } from '../connectors/index.ts';

/** What came back from the token endpoint; status null when it could not be reached. */
export interface TokenFailure {
  status: number | null;
  /** The OAuth `error` code of the body, when it had one. */
  error: string | null;
  description: string | null;
  retryAfter: string | null;
}

export type RefreshFailure =
  | { kind: 'revoked'; reason: string }
  | { kind: 'client-rejected'; reason: string }
  | { kind: 'rate-limited'; retryAfterMs: number; reason: string }
  | { kind: 'transient'; reason: string };

export const DEFAULT_TOKEN_RETRY_MS = 30_000;

/**
 * RFC 6749 §5.2: `invalid_client` is failed client authentication (unknown client, wrong or expired
 * secret) and `unauthorized_client` a client not allowed this grant type. Both are about the app,
 * not the user's grant: the account keeps its grant, and syncs resume once the app is fixed.
 */
const CLIENT_ERRORS = ['invalid_client', 'unauthorized_client'];

function common(f: TokenFailure, revokedErrors: string[]): RefreshFailure {
  if (f.status === null) return { kind: 'transient', reason: f.description ?? 'token endpoint unreachable' };
  if (f.status === 429) return { kind: 'rate-limited', retryAfterMs: parseRetryAfter(f.retryAfter) ?? DEFAULT_TOKEN_RETRY_MS, reason: `token endpoint answered 429${f.error ? ` ${f.error}` : ''}` };
  if (f.status >= 500) return { kind: 'transient', reason: `token endpoint answered ${f.status}` };
  // Only the AADSTS number of a description is kept: descriptions carry trace ids, not secrets,
  // but they are long, and the number is what an operator searches for.
  const aad = /AADSTS\d+/.exec(f.description ?? '')?.[0];
  if (f.error && CLIENT_ERRORS.includes(f.error)) return { kind: 'client-rejected', reason: aad ? `${f.error} (${aad})` : f.error };
  if (f.error && revokedErrors.includes(f.error)) return { kind: 'revoked', reason: aad ? `${f.error} (${aad})` : f.error };
  return { kind: 'transient', reason: `token endpoint answered ${f.status}${f.error ? ` ${f.error}` : ''}` };
}

/**
 * Google (A.10): `invalid_grant` is revoked, expired, unused for 6 months, or over the refresh
 * token limit: the account waits for a reconnect. `invalid_client`/`unauthorized_client` mean
 * the app itself was disabled or its secret changed: client-rejected, see CLIENT_ERRORS.
 */
export function classifyGoogleRefreshFailure(f: TokenFailure): RefreshFailure {
  return common(f, ['invalid_grant', 'invalid_scope']);
}

/**
 * Microsoft (B.8, E): every AADSTS grant failure arrives as `invalid_grant` (70008, 700082,
 * 50173, 54005…); `interaction_required` / `consent_required` need the user back at the consent
 * page. `temporarily_unavailable` is the one OAuth code that says "try again".
 */
export function classifyMicrosoftRefreshFailure(f: TokenFailure): RefreshFailure {
  if (f.error === 'temporarily_unavailable' && f.status !== 429) return { kind: 'transient', reason: 'temporarily_unavailable' };
  return common(f, ['invalid_grant', 'interaction_required', 'consent_required', 'invalid_scope']);
}
