import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
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
import { DavClient } from './dav-client.ts';
import { mapCaldavNetworkError, mapCaldavStatus, type DavFailure } from './map-caldav-error.ts';
import { SsrfBlockedError } from '../../shared/net/index.ts';

const err = (cond: string) => `<?xml version="1.0"?><D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><${cond}/></D:error>`;
const now = new Date('2026-11-01T00:00:00Z');

const table: Array<[string, Partial<DavFailure> & { status: number }, new (...a: never[]) => Error, Record<string, unknown>?]> = [
  ['basic auth 401: the password is wrong or revoked', { status: 401 }, GrantRevokedError, { reason: 'credentials-rejected' }],
  ['bearer 401 after the inline refresh', { status: 401, oauth: true }, AccessTokenExpiredError],
  ['403 without a condition: no permission', { status: 403 }, InsufficientScopeError],
  ['Radicale: 403 valid-sync-token', { status: 403, body: err('D:valid-sync-token') }, SyncCursorInvalidError],
  ['Xandikos ≥ 0.2.10: 412 valid-sync-token', { status: 412, body: err('D:valid-sync-token') }, SyncCursorInvalidError],
  ['409 valid-sync-token (other servers)', { status: 409, body: err('valid-sync-token') }, SyncCursorInvalidError],
  ['412 on If-Match / If-None-Match', { status: 412 }, PreconditionFailedError],
  ['Radicale: 409 no-uid-conflict', { status: 409, body: err('C:no-uid-conflict') }, PreconditionFailedError, { reason: 'no-uid-conflict' }],
  ['Xandikos: 412 no-uid-conflict', { status: 412, body: err('C:no-uid-conflict') }, PreconditionFailedError],
  ['Xandikos: 412 valid-calendar-data is not a lost race', { status: 412, body: err('C:valid-calendar-data') }, UnsupportedError],
  ['403 valid-calendar-data (RFC 4791)', { status: 403, body: err('C:valid-calendar-data') }, UnsupportedError],
  ['415 unsupported media type', { status: 415 }, UnsupportedError],
  ['Radicale: bare 400 on PUT (unparsable data)', { status: 400 }, UnsupportedError],
  ['400 on a REPORT', { status: 400, method: 'REPORT' }, TransientError],
  ['Xandikos: 400 to MKCALENDAR (a body it cannot parse) is not "try again"', { status: 400, method: 'MKCALENDAR' }, UnsupportedError, { reason: 'bad-request' }],
  ['400 to PROPPATCH', { status: 400, method: 'PROPPATCH' }, UnsupportedError, { reason: 'bad-request' }],
  ['CalendarServer: 403 default-calendar-delete-allowed', { status: 403, method: 'DELETE', body: err('C:default-calendar-delete-allowed') }, UnsupportedError, { reason: 'primary-calendar' }],
  ['403 supported-calendar-component', { status: 403, body: err('C:supported-calendar-component') }, UnsupportedError],
  ['404', { status: 404 }, RemoteNotFoundError],
  ['410', { status: 410 }, RemoteNotFoundError],
  ['429 with Retry-After seconds', { status: 429, retryAfter: '7' }, RateLimitedError, { retryAfterMs: 7000 }],
  ['429 with an HTTP date', { status: 429, retryAfter: 'Sun, 01 Nov 2026 00:00:30 GMT' }, RateLimitedError, { retryAfterMs: 30000 }],
  ['429 without Retry-After', { status: 429 }, RateLimitedError, { retryAfterMs: 60000 }],
  ['503 with Retry-After', { status: 503, retryAfter: '120' }, RateLimitedError, { retryAfterMs: 120000 }],
  ['503 without Retry-After', { status: 503 }, TransientError],
  ['500', { status: 500 }, TransientError],
  ['502', { status: 502 }, TransientError],
  ['408 request timeout', { status: 408 }, TransientError],
  ['an unfamiliar 4xx', { status: 418 }, TransientError],
  ['409 without a condition', { status: 409 }, PreconditionFailedError],
];

describe('mapCaldavStatus', () => {
  for (const [name, f, cls, fields] of table) {
    it(name, () => {
      const e = mapCaldavStatus({ method: 'PUT', url: 'https://user:secret@dav.example/cal/x.ics', now, ...f });
      assert.ok(e instanceof cls, `${name}: got ${e.name}`);
      assert.equal(e.httpStatus, f.status);
      assert.equal(e.provider, 'caldav');
      assert.doesNotMatch(e.message, /secret/, 'URLs in messages must lose their credentials');
      for (const [k, v] of Object.entries(fields ?? {})) assert.equal((e as unknown as Record<string, unknown>)[k], v, `${name}: ${k}`);
    });
  }

  it('a DAV method a server does not implement (501, 405 to PROPFIND or REPORT) is no CalDAV server: permanent', () => {
    for (const [method, status] of [['PROPFIND', 501], ['REPORT', 405]] as const) {
      const e = mapCaldavStatus({ method, url: 'http://web.example/', status });
      assert.ok(e instanceof UnsupportedError, `${method} ${status}: ${e.name}`);
      assert.equal(e.reason, 'not-dav');
    }
    assert.ok(mapCaldavStatus({ method: 'PUT', url: 'http://web.example/x.ics', status: 501 }) instanceof TransientError, 'other methods keep the retry');
  });

  it('a host that does not resolve and https to a port without TLS are said in words and marked (a connect refuses them; a sync retries)', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND cal.example.invalid'), { code: 'ENOTFOUND' });
    const unknown = mapCaldavNetworkError(new TypeError('fetch failed', { cause: dns }), 'PROPFIND', 'https://cal.example.invalid/dav/');
    assert.ok(unknown instanceof TransientError);
    assert.equal(unknown.reason, 'host-unknown');
    assert.match(unknown.message, /the host name cal\.example\.invalid does not resolve/);
    const ssl = Object.assign(new Error('write EPROTO 80BCEA:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'), { code: 'EPROTO' });
    const tls = mapCaldavNetworkError(new TypeError('fetch failed', { cause: ssl }), 'PROPFIND', 'https://127.0.0.1:5232/');
    assert.equal(tls.reason, 'tls-failed');
    assert.match(tls.message, /use an http:\/\/ URL/);
    assert.doesNotMatch(tls.message, /ssl3_get_record/);
  });

  it('network failures are transient; an SSRF refusal is permanent', () => {
    assert.ok(mapCaldavNetworkError(new TypeError('fetch failed', { cause: new Error('ECONNRESET') }), 'GET', 'https://x/') instanceof TransientError);
    const blocked = mapCaldavNetworkError(new SsrfBlockedError('x', '10.0.0.1', 'private'), 'GET', 'https://x/');
    assert.ok(blocked instanceof UnsupportedError);
    assert.equal(blocked.reason, 'ssrf-blocked');
  });
});

describe('DavClient over HTTP', () => {
  let server: http.Server;
  let base = '';
  let tokenCalls = 0;
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/bearer') {
        tokenCalls += 1;
        const ok = req.headers.authorization === 'Bearer fresh';
        res.writeHead(ok ? 207 : 401).end(ok ? '<multistatus xmlns="DAV:"/>' : '');
      } else if (req.url === '/slow-down') res.writeHead(429, { 'retry-after': '3' }).end();
      else res.writeHead(401).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const ctxWith = (credentials: ConstructorParameters<typeof DavClient>[1]['credentials']) => ({
    credentials, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date(),
  });

  it('a bearer token is refreshed once inline after a 401', async () => {
    const calls: boolean[] = [];
    const dav = new DavClient(fetch, ctxWith({ kind: 'oauth', getAccessToken: async (force) => (calls.push(!!force), force ? 'fresh' : 'stale') }));
    const r = await dav.request({ method: 'PROPFIND', url: `${base}/bearer` });
    assert.equal(r.status, 207);
    assert.deepEqual(calls, [false, true]);
    assert.equal(tokenCalls, 2);
  });

  it('basic auth 401 → GrantRevokedError; 429 → RateLimitedError with the server delay', async () => {
    const dav = new DavClient(fetch, ctxWith({ kind: 'basic', username: 'u', password: 'p' }));
    await assert.rejects(dav.request({ method: 'PROPFIND', url: `${base}/x` }), GrantRevokedError);
    await assert.rejects(dav.request({ method: 'GET', url: `${base}/slow-down` }), (e: unknown) => e instanceof RateLimitedError && e.retryAfterMs === 3000);
  });

  it('a refused connection is a TransientError', async () => {
    const dav = new DavClient(fetch, ctxWith({ kind: 'none' }));
    await assert.rejects(dav.request({ method: 'GET', url: 'http://127.0.0.1:1/' }), TransientError);
  });
});
