/**
 * A refusal answered with a code of its own says the provider's words, not the connector's code:
 * an outside user's CalDAV connect to 127.0.0.1 was URL_NOT_ALLOWED with the message
 * "CONNECTOR_UNSUPPORTED: refusing to connect to 127.0.0.1…", which named a second problem.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapCaldavNetworkError } from '../../connectors/caldav/map-caldav-error.ts';
import { GrantRevokedError, InsufficientScopeError, PreconditionFailedError, RateLimitedError, TransientError, UnsupportedError } from '../../connectors/errors.ts';
import { SsrfBlockedError } from '../../shared/net/ssrf.ts';
import { isHubError } from '../../shared/errors.ts';
import { providerRefusal, type RefusalContext } from './provider-refusal.ts';

const CONNECTOR_CODES = /\b(CONNECTOR_[A-Z_]+|AUTH_[A-Z_]+)\b/;

test('a private CalDAV address is URL_NOT_ALLOWED, said without the connector code', () => {
  const blocked = mapCaldavNetworkError(new TypeError('fetch failed', { cause: new SsrfBlockedError('127.0.0.1', '127.0.0.1', 'loopback') }), 'PROPFIND', 'http://127.0.0.1:5232/');
  const r = providerRefusal(blocked, { provider: 'CalDAV', connecting: true });
  assert.ok(isHubError(r));
  assert.equal(r.code, 'URL_NOT_ALLOWED');
  assert.match(r.message, /^refusing to connect to 127\.0\.0\.1 \(127\.0\.0\.1\): loopback addresses are not allowed \(set CALDAV_ALLOW_PRIVATE_NETWORKS=true to allow\)$/);
});

test('no refusal with a code of its own names the connector code it replaces', () => {
  const cases: Array<[Error, RefusalContext, string]> = [
    [new PreconditionFailedError('the calendar exists'), { provider: 'caldav', calendarName: 'Team' }, 'CALENDAR_EXISTS'],
    [new InsufficientScopeError('permission denied'), { provider: 'microsoft' }, 'INSUFFICIENT_SCOPE'],
    [new GrantRevokedError(), { provider: 'google' }, 'ACCOUNT_NEEDS_REAUTH'],
    [new GrantRevokedError('401', { httpStatus: 401 }), { provider: 'CalDAV', connecting: true }, 'CREDENTIALS_REJECTED'],
    [new UnsupportedError('the server does not implement PROPFIND', { reason: 'not-dav' }), { provider: 'CalDAV', connecting: true }, 'PROVIDER_REFUSED'],
    [new UnsupportedError('no such thing'), { provider: 'google' }, 'PROVIDER_REFUSED'],
    [new TransientError('HTTP 503'), { provider: 'google' }, 'PROVIDER_UNAVAILABLE'],
    [new RateLimitedError('slow down', 1000), { provider: 'google' }, 'PROVIDER_UNAVAILABLE'],
  ];
  for (const [e, c, code] of cases) {
    const r = providerRefusal(e, c);
    assert.ok(isHubError(r));
    assert.equal(r.code, code, e.message);
    assert.doesNotMatch(r.message, CONNECTOR_CODES, `${code}: ${r.message}`);
  }
});
