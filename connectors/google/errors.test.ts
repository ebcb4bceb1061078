import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AccessTokenExpiredError,
  GrantRevokedError,
  InsufficientScopeError,
  PreconditionFailedError,
  RateLimitedError,
  RemoteNotFoundError,
  SyncCursorInvalidError,
  TransientError,
  UnsupportedError,
} from '../errors.ts';
import { DEFAULT_RATE_LIMIT_DELAY_MS, mapGoogleError } from './errors.ts';

/** A Gaxios-shaped error as @googleapis/calendar throws it. */
function gaxios(status: number, reason: string | null, headers: Record<string, string> = {}) {
  return {
    message: 'boom',
    status,
    response: {
      status,
      headers: new Headers(headers),
      data: { error: { code: status, message: 'boom', errors: reason ? [{ domain: 'x', reason, message: 'boom' }] : [] } },
    },
  };
}

const now = new Date('2026-01-01T00:00:00Z');

describe('mapGoogleError', () => {
  const table: Array<[string, unknown, new (...a: never[]) => Error, number | undefined]> = [
    ['403 rateLimitExceeded', gaxios(403, 'rateLimitExceeded'), RateLimitedError, DEFAULT_RATE_LIMIT_DELAY_MS],
    ['403 userRateLimitExceeded', gaxios(403, 'userRateLimitExceeded'), RateLimitedError, DEFAULT_RATE_LIMIT_DELAY_MS],
    ['403 quotaExceeded', gaxios(403, 'quotaExceeded'), RateLimitedError, DEFAULT_RATE_LIMIT_DELAY_MS],
    ['403 rateLimitExceeded + Retry-After', gaxios(403, 'rateLimitExceeded', { 'retry-after': '12' }), RateLimitedError, 12_000],
    ['429 + Retry-After seconds', gaxios(429, 'rateLimitExceeded', { 'retry-after': '7' }), RateLimitedError, 7_000],
    ['429 + Retry-After date', gaxios(429, null, { 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), RateLimitedError, 30_000],
    ['429 without Retry-After', gaxios(429, null), RateLimitedError, DEFAULT_RATE_LIMIT_DELAY_MS],
    ['403 forbidden', gaxios(403, 'forbidden'), InsufficientScopeError, undefined],
    ['403 insufficientPermissions', gaxios(403, 'insufficientPermissions'), InsufficientScopeError, undefined],
    ['403 forbiddenForNonOrganizer', gaxios(403, 'forbiddenForNonOrganizer'), UnsupportedError, undefined],
    ['403 cannotDeletePrimaryCalendar', gaxios(403, 'cannotDeletePrimaryCalendar'), UnsupportedError, undefined],
    ['401 authError', gaxios(401, 'authError'), AccessTokenExpiredError, undefined],
    ['404 notFound', gaxios(404, 'notFound'), RemoteNotFoundError, undefined],
    ['409 duplicate', gaxios(409, 'duplicate'), PreconditionFailedError, undefined],
    ['410 fullSyncRequired', gaxios(410, 'fullSyncRequired'), SyncCursorInvalidError, undefined],
    ['410 updatedMinTooLongAgo', gaxios(410, 'updatedMinTooLongAgo'), SyncCursorInvalidError, undefined],
    ['410 deleted', gaxios(410, 'deleted'), RemoteNotFoundError, undefined],
    ['412 conditionNotMet', gaxios(412, 'conditionNotMet'), PreconditionFailedError, undefined],
    ['400 invalid', gaxios(400, 'invalid'), UnsupportedError, undefined],
    ['500 backendError', gaxios(500, 'backendError'), TransientError, undefined],
    ['503 + Retry-After', gaxios(503, null, { 'retry-after': '3' }), TransientError, 3_000],
    ['unknown 418', gaxios(418, null), TransientError, undefined],
    ['network ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), TransientError, undefined],
    ['hub errors pass through', new GrantRevokedError(), GrantRevokedError, undefined],
  ];
  for (const [name, input, cls, retryAfterMs] of table) {
    it(name, () => {
      const e = mapGoogleError(input, now);
      assert.ok(e instanceof cls, `${name}: got ${e.name}`);
      assert.equal(e.retryAfterMs, retryAfterMs);
      if (!(input instanceof GrantRevokedError) && 'status' in (input as object)) assert.equal(e.provider, 'google');
    });
  }

  it('names a refused primary-calendar delete primary-calendar, as the connector contract does', () => {
    assert.equal(mapGoogleError(gaxios(403, 'cannotDeletePrimaryCalendar'), now).reason, 'primary-calendar');
  });

  it('keeps the Google reason on the error', () => {
    assert.equal(mapGoogleError(gaxios(403, 'userRateLimitExceeded'), now).reason, 'userRateLimitExceeded');
  });
});
