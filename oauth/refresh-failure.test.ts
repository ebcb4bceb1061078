import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyGoogleRefreshFailure, classifyMicrosoftRefreshFailure, type TokenFailure } from './refresh-failure.ts';

const f = (status: number | null, error: string | null = null, description: string | null = null, retryAfter: string | null = null): TokenFailure => ({ status, error, description, retryAfter });

// [what the token endpoint did, expected kind, expected retry delay for rate limits]
const GOOGLE: Array<[string, TokenFailure, 'revoked' | 'client-rejected' | 'rate-limited' | 'transient', number?]> = [
  ['revoked or expired refresh token', f(400, 'invalid_grant', 'Token has been expired or revoked.'), 'revoked'],
  ['app disabled / secret rotated: the app, not the grant', f(401, 'invalid_client'), 'client-rejected'],
  ['client not allowed this grant', f(400, 'unauthorized_client'), 'client-rejected'],
  ['429 with Retry-After seconds', f(429, null, null, '7'), 'rate-limited', 7000],
  ['429 with an OAuth body is still a rate limit, not a revoked grant', f(429, 'invalid_grant'), 'rate-limited', 30_000],
  ['429 without Retry-After', f(429), 'rate-limited', 30_000],
  ['500', f(500), 'transient'],
  ['503 with an error body', f(503, 'temporarily_unavailable'), 'transient'],
  ['unreachable', f(null), 'transient'],
  ['unknown 400', f(400, 'invalid_request'), 'transient'],
  ['a 200 that was not a token response', f(200), 'transient'],
];

const MICROSOFT: Array<[string, TokenFailure, 'revoked' | 'client-rejected' | 'rate-limited' | 'transient', number?]> = [
  ['AADSTS70008 expired', f(400, 'invalid_grant', 'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.'), 'revoked'],
  ['AADSTS700082 inactive', f(400, 'invalid_grant', 'AADSTS700082: The refresh token has expired due to inactivity.'), 'revoked'],
  ['AADSTS50173 revoked', f(400, 'invalid_grant', 'AADSTS50173: The provided grant has expired due to it being revoked.'), 'revoked'],
  ['interaction required (MFA, policy)', f(400, 'interaction_required', 'AADSTS50076: ...'), 'revoked'],
  ['consent required', f(400, 'consent_required'), 'revoked'],
  ['bad client secret', f(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.'), 'client-rejected'],
  ['expired client secret', f(401, 'invalid_client', 'AADSTS7000222: The provided client secret keys are expired.'), 'client-rejected'],
  ['temporarily unavailable (400)', f(400, 'temporarily_unavailable'), 'transient'],
  ['429 with Retry-After', f(429, null, null, '12'), 'rate-limited', 12_000],
  ['429 with an HTTP date', f(429, null, null, new Date(Date.now() + 60_000).toUTCString()), 'rate-limited'],
  ['502', f(502), 'transient'],
  ['unreachable', f(null), 'transient'],
  ['unknown error code', f(400, 'something_new'), 'transient'],
];

for (const [name, table, classify] of [['google', GOOGLE, classifyGoogleRefreshFailure], ['microsoft', MICROSOFT, classifyMicrosoftRefreshFailure]] as const) {
  test(`${name}: refresh failures classify as revoked | client-rejected | rate-limited | transient`, () => {
    for (const [what, failure, kind, delay] of table) {
      const got = classify(failure);
      assert.equal(got.kind, kind, what);
      if (delay !== undefined && got.kind === 'rate-limited') assert.equal(got.retryAfterMs, delay, what);
      if (got.kind === 'rate-limited') assert.ok(got.retryAfterMs > 0, what);
    }
  });
}

test('the reason names the error and the AADSTS number, never the description text', () => {
  const got = classifyMicrosoftRefreshFailure(f(400, 'invalid_grant', 'AADSTS50173: The provided grant has expired. Trace ID: 123 Correlation ID: 456'));
  assert.deepEqual(got, { kind: 'revoked', reason: 'invalid_grant (AADSTS50173)' });
});
