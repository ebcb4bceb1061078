/**
 * The one Microsoft error mapper (house style #9): Graph API errors (GraphError from the SDK, or a
 * plain `{status, code, headers}`), identity-platform token errors (`invalid_grant` …) and network
 * failures → connectors/errors.ts. Unknown failures become TransientError.
 * Sources: provider-facts B.2 (410/syncStateNotFound/resyncRequired), B.7 (429 + Retry-After,
 * 503 serviceNotAvailable, 412 resourceModified, innerError/innererror), B.8 (invalid_grant).
 */
import { isHubError } from '../../shared/errors.ts';
import {
  AccessTokenExpiredError, GrantRevokedError, InsufficientScopeError, PreconditionFailedError, RateLimitedError,
  RemoteNotFoundError, SyncCursorInvalidError, TransientError, UnsupportedError, parseRetryAfter,
} from '../errors.ts';

const PROVIDER = 'microsoft';
/** Without Retry-After Graph says to back off exponentially; the queue starts from this. */
export const DEFAULT_RETRY_AFTER_MS = 5_000;
const CURSOR_CODES = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid']);

interface ErrorLike {
  statusCode?: number;
  status?: number;
  code?: string;
  error?: string;
  message?: string;
  body?: string;
  headers?: Headers | Record<string, string>;
}

function headerOf(h: ErrorLike['headers'], name: string): string | null {
  if (!h) return null;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name);
  const rec = h as Record<string, string>;
  return rec[name] ?? rec[name.toLowerCase()] ?? null;
}

/** The Graph error code, also when only the raw body (with innerError or innererror) is at hand. */
function codeOf(e: ErrorLike): string {
  if (e.code) return e.code;
  try {
    const parsed = JSON.parse(e.body ?? '') as { code?: string; error?: { code?: string } | string };
    if (typeof parsed.error === 'string') return parsed.error;
    return parsed.code ?? parsed.error?.code ?? '';
  } catch {
    return e.error ?? '';
  }
}

export function mapMicrosoftError(e: unknown, now: Date = new Date()) {
  if (isHubError(e)) return e;
  const err = (e ?? {}) as ErrorLike;
  const status = err.statusCode ?? err.status ?? -1;
  const code = codeOf(err);
  const lower = code.toLowerCase();
  const reason = code || undefined;
  const message = `Microsoft Graph: ${status > 0 ? `${status} ` : ''}${code}${err.message ? ` — ${err.message}` : ''}`.slice(0, 500);
  const opts = { provider: PROVIDER, ...(status > 0 ? { httpStatus: status } : {}), ...(reason ? { reason } : {}), cause: e };

  if (lower === 'invalid_grant' || lower === 'interaction_required' || lower === 'consent_required') return new GrantRevokedError(message, opts);
  if (CURSOR_CODES.has(lower) || status === 410) return new SyncCursorInvalidError(message, opts);
  if (status === 429 || ((status === 503 || status === 509) && headerOf(err.headers, 'retry-after'))) {
    const after = parseRetryAfter(headerOf(err.headers, 'retry-after'), now);
    return new RateLimitedError(message, after ?? DEFAULT_RETRY_AFTER_MS, opts);
  }
  if (status === 401) return new AccessTokenExpiredError(message, opts);
  if (status === 403) {
    if (lower === 'activitylimitreached' || lower === 'toomanyrequests') return new RateLimitedError(message, DEFAULT_RETRY_AFTER_MS, opts);
    return new InsufficientScopeError(message, opts);
  }
  if (status === 412 || lower === 'resourcemodified' || lower === 'errorirresolvableconflict') return new PreconditionFailedError(message, opts);
  // A calendar of that name exists already (POST /me/calendars).
  if (status === 409 || lower === 'errorfolderexists') return new PreconditionFailedError(message, opts);
  if (status === 404) return new RemoteNotFoundError(message, opts);
  // Deleting the default calendar (a distinguished folder; UNCONFIRMED code, emulators/microsoft/calendar-delete.ts).
  if (lower === 'errordeletedistinguishedfolder') return new UnsupportedError(message, { ...opts, reason: 'primary-calendar' });
  // A delta or page token the service cannot read will not get better by retrying: start over.
  if (status === 400 && /\$(delta|skip)token/i.test(err.message ?? '')) return new SyncCursorInvalidError(message, opts);
  // Any other 400 is our request's fault: retrying the same request cannot succeed.
  if (status === 400) return new UnsupportedError(message, opts);
  return new TransientError(message, opts);
}
