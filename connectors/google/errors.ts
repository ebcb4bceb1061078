/**
 * The one Google error mapper (house style #9): a Gaxios error, a fetch failure or a Google JSON
 * error → the closed taxonomy of connectors/errors.ts. Reasons from provider-facts A.9.
 */
import type { HubError } from '../../shared/errors.ts';
import { isHubError } from '../../shared/errors.ts';
import {
  AccessTokenExpiredError,
  InsufficientScopeError,
  parseRetryAfter,
  PreconditionFailedError,
  RateLimitedError,
  RemoteNotFoundError,
  SyncCursorInvalidError,
  TransientError,
  UnsupportedError,
} from '../errors.ts';

/** Google promises no Retry-After (A.9): without one, wait this long before the next attempt. */
export const DEFAULT_RATE_LIMIT_DELAY_MS = 30_000;

const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);
const CURSOR_REASONS = new Set(['fullSyncRequired', 'updatedMinTooLongAgo']);

export interface GoogleFailure {
  status: number | null;
  reason: string | null;
  message: string;
  retryAfter: string | null;
  code: string | null;
}

type HeaderBag = Headers | Record<string, string | string[] | undefined> | undefined;

function header(h: HeaderBag, name: string): string | null {
  if (!h) return null;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name);
  const bag = h as Record<string, string | string[] | undefined>;
  const v = bag[name] ?? bag[name.toLowerCase()] ?? Object.entries(bag).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

/** Reads status, reason and Retry-After out of whatever the HTTP layer threw. */
export function describeFailure(err: unknown): GoogleFailure {
  const e = (err ?? {}) as {
    status?: number;
    code?: string | number;
    message?: string;
    response?: { status?: number; headers?: HeaderBag; data?: unknown };
  };
  const data = e.response?.data as { error?: { errors?: Array<{ reason?: string }>; message?: string; status?: string } } | undefined;
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : null);
  return {
    status,
    reason: data?.error?.errors?.[0]?.reason ?? data?.error?.status ?? null,
    message: data?.error?.message ?? e.message ?? String(err),
    retryAfter: header(e.response?.headers, 'retry-after'),
    code: typeof e.code === 'string' ? e.code : null,
  };
}

export function mapGoogleError(err: unknown, now: Date = new Date()): HubError {
  if (isHubError(err)) return err as HubError;
  const f = describeFailure(err);
  const opts = {
    provider: 'google',
    ...(f.status !== null ? { httpStatus: f.status } : {}),
    ...(f.reason !== null ? { reason: f.reason } : {}),
    cause: err,
  };
  const retryAfterMs = parseRetryAfter(f.retryAfter, now);
  const msg = `google: ${f.message}`;
  const s = f.status;
  if (s === null) return new TransientError(msg, opts);
  // 403 and 429 rate limits are the same thing at Google: "treat identically" (A.9).
  if (s === 429 || (s === 403 && f.reason !== null && RATE_LIMIT_REASONS.has(f.reason))) {
    return new RateLimitedError(msg, retryAfterMs ?? DEFAULT_RATE_LIMIT_DELAY_MS, opts);
  }
  if (s === 401) return new AccessTokenExpiredError(msg, opts);
  // The write itself is refused (an invitee's copy may not change what the organizer shares, A.4):
  // only changing the event helps, so it counts toward parking, unlike a permission an operator grants.
  if (s === 403 && f.reason === 'forbiddenForNonOrganizer') return new UnsupportedError(msg, opts);
  // calendars.delete of the primary calendar (FIELD reason, README): no grant ever allows it.
  if (f.reason === 'cannotDeletePrimaryCalendar') return new UnsupportedError(msg, { ...opts, reason: 'primary-calendar' });
  if (s === 403) return new InsufficientScopeError(msg, opts);
  if (s === 404) return new RemoteNotFoundError(msg, opts);
  if (s === 410) return f.reason !== null && CURSOR_REASONS.has(f.reason) ? new SyncCursorInvalidError(msg, opts) : new RemoteNotFoundError(msg, opts);
  // No conditional insert at Google: a duplicate id / iCalUID is how a create refuses (A.8).
  if (s === 409 || s === 412) return new PreconditionFailedError(msg, opts);
  if (s === 400) return new UnsupportedError(msg, opts);
  return new TransientError(msg, { ...opts, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
}
