import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphError } from '@microsoft/microsoft-graph-client';
import {
  AccessTokenExpiredError, GrantRevokedError, InsufficientScopeError, PreconditionFailedError, RateLimitedError,
  RemoteNotFoundError, SyncCursorInvalidError, TransientError, UnsupportedError,
} from '../errors.ts';
import { DEFAULT_RETRY_AFTER_MS, mapMicrosoftError } from './map-microsoft-error.ts';

function graphError(status: number, code: string, headers: Record<string, string> = {}, body?: string): GraphError {
  const e = new GraphError(status, `${code} happened`);
  e.code = code;
  e.headers = new Headers(headers);
  if (body !== undefined) {
    e.code = '';
    e.body = body;
  }
  return e;
}

const now = new Date('2026-11-23T12:00:00Z');
const cases: Array<[string, unknown, new (...a: never[]) => Error, Record<string, unknown>?]> = [
  ['429 + Retry-After seconds', graphError(429, 'TooManyRequests', { 'retry-after': '7' }), RateLimitedError, { retryAfterMs: 7000 }],
  ['429 + Retry-After date', graphError(429, 'TooManyRequests', { 'retry-after': 'Mon, 23 Nov 2026 12:00:30 GMT' }), RateLimitedError, { retryAfterMs: 30_000 }],
  ['429 without Retry-After', graphError(429, 'ApplicationThrottled'), RateLimitedError, { retryAfterMs: DEFAULT_RETRY_AFTER_MS }],
  ['503 + Retry-After', graphError(503, 'serviceNotAvailable', { 'retry-after': '3' }), RateLimitedError, { retryAfterMs: 3000 }],
  ['503 without Retry-After', graphError(503, 'serviceNotAvailable'), TransientError],
  ['500', graphError(500, 'generalException'), TransientError],
  ['504', graphError(504, 'gatewayTimeout'), TransientError],
  ['401', graphError(401, 'InvalidAuthenticationToken'), AccessTokenExpiredError],
  ['invalid_grant from the token endpoint', { status: 400, code: 'invalid_grant', message: 'AADSTS50173' }, GrantRevokedError],
  ['interaction_required', { status: 400, code: 'interaction_required' }, GrantRevokedError],
  ['403 accessDenied', graphError(403, 'ErrorAccessDenied'), InsufficientScopeError],
  ['403 activityLimitReached', graphError(403, 'activityLimitReached'), RateLimitedError],
  ['410 delta reset', graphError(410, 'syncStateNotFound', { location: 'https://graph/x?$deltatoken=' }), SyncCursorInvalidError],
  ['400 syncStateNotFound', graphError(400, 'syncStateNotFound'), SyncCursorInvalidError],
  ['400 resyncRequired', graphError(400, 'resyncRequired'), SyncCursorInvalidError],
  ['412', graphError(412, 'resourceModified'), PreconditionFailedError],
  ['412 ErrorIrresolvableConflict (FIELD, §E B.7)', graphError(412, 'ErrorIrresolvableConflict'), PreconditionFailedError],
  ['409 ErrorIrresolvableConflict', graphError(409, 'ErrorIrresolvableConflict'), PreconditionFailedError],
  ['409 ErrorFolderExists (a calendar of that name)', graphError(409, 'ErrorFolderExists'), PreconditionFailedError],
  ['404', graphError(404, 'ErrorItemNotFound'), RemoteNotFoundError],
  ['400 ErrorDeleteDistinguishedFolder (the default calendar)', graphError(400, 'ErrorDeleteDistinguishedFolder'), UnsupportedError, { reason: 'primary-calendar' }],
  ['code only in a lower-case innererror body', graphError(410, '', {}, JSON.stringify({ code: 'syncStateNotFound', innererror: { code: '410' } })), SyncCursorInvalidError],
  ['400 unreadable $deltatoken', Object.assign(graphError(400, 'ErrorInvalidUrlQuery'), { message: "The value of the query parameter '$deltatoken' is not a valid token: 'zz'." }), SyncCursorInvalidError],
  ['400 invalid request', graphError(400, 'ErrorInvalidRequest'), UnsupportedError],
  ['network failure', new TypeError('fetch failed'), TransientError],
  ['unknown 418', graphError(418, 'teapot'), TransientError],
];

describe('mapMicrosoftError', () => {
  for (const [name, input, cls, fields] of cases) {
    it(name, () => {
      const e = mapMicrosoftError(input, now);
      assert.ok(e instanceof cls, `${name}: got ${e.name}`);
      assert.equal(e.provider ?? 'microsoft', 'microsoft');
      for (const [k, v] of Object.entries(fields ?? {})) assert.equal((e as unknown as Record<string, unknown>)[k], v);
    });
  }

  it('passes hub errors through untouched', () => {
    const e = new GrantRevokedError();
    assert.equal(mapMicrosoftError(e), e);
  });
});
