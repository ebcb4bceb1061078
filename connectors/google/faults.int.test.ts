/** Provider failures through the real client stack (@googleapis/calendar → emulator) map to the taxonomy. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import type { ConnectorContext } from '../connector.ts';
import {
  AccessTokenExpiredError,
  GrantRevokedError,
  InsufficientScopeError,
  PreconditionFailedError,
  RateLimitedError,
  SyncCursorInvalidError,
  TransientError,
} from '../errors.ts';
import { DEFAULT_RATE_LIMIT_DELAY_MS } from './errors.ts';
import { createGoogleConnector } from './google.connector.ts';
import { makeGoogleHarness, type GoogleTestSetup } from './test-support.ts';

describe('google connector: faults against the emulator', () => {
  let h: GoogleTestSetup;
  before(async () => (h = await makeGoogleHarness({ emptyPageEvery: 0 })));
  after(() => h.cleanup());
  const list = () => h.connector.listCalendars(h.ctx);
  const rejectsWith = async <T extends Error>(p: Promise<unknown>, cls: new (...a: never[]) => T): Promise<T> => {
    try {
      await p;
    } catch (e) {
      assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error).name}: ${(e as Error).message}`);
      return e;
    }
    assert.fail(`expected ${cls.name}`);
  };

  it('429 with Retry-After → RateLimitedError with that delay, and the client does not retry', async () => {
    h.control.clearRequests();
    h.control.injectFault({ status: 429, retryAfter: 7 });
    const e = await rejectsWith(list(), RateLimitedError);
    assert.equal(e.retryAfterMs, 7000);
    assert.equal(h.control.requests().length, 1, 'the queue owns retries, not the HTTP client');
  });

  it('403 rateLimitExceeded / userRateLimitExceeded → RateLimitedError (Retry-After honoured when present)', async () => {
    h.control.injectFault({ status: 403, reason: 'rateLimitExceeded' });
    assert.equal((await rejectsWith(list(), RateLimitedError)).retryAfterMs, DEFAULT_RATE_LIMIT_DELAY_MS);
    h.control.injectFault({ status: 403, reason: 'userRateLimitExceeded', retryAfter: 2 });
    assert.equal((await rejectsWith(list(), RateLimitedError)).retryAfterMs, 2000);
  });

  it('403 forbidden → InsufficientScopeError; 5xx → TransientError', async () => {
    h.control.injectFault({ status: 403, reason: 'forbidden' });
    await rejectsWith(list(), InsufficientScopeError);
    h.control.injectFault({ status: 500 });
    await rejectsWith(list(), TransientError);
  });

  it('an expired access token is refreshed once inline; a persistent 401 is AccessTokenExpiredError', async () => {
    h.control.expireAccessTokens();
    assert.ok((await list()).length > 0);
    h.control.injectFault({ status: 401, count: 2 });
    await rejectsWith(list(), AccessTokenExpiredError);
  });

  it('a revoked grant → GrantRevokedError', async () => {
    await h.remote.failNext!('grant-revoked');
    await rejectsWith(list(), GrantRevokedError);
    assert.ok((await list()).length > 0, 'the harness reconnected');
  });

  it('410 on the sync token → SyncCursorInvalidError', async () => {
    let page = await h.connector.listChanges(h.ctx, h.calendar, null);
    while (page.hasMore) page = await h.connector.listChanges(h.ctx, h.calendar, page.nextCursor);
    h.control.expireSyncTokens();
    await rejectsWith(h.connector.listChanges(h.ctx, h.calendar, page.nextCursor), SyncCursorInvalidError);
    await rejectsWith(h.connector.listChanges(h.ctx, h.calendar, 'garbage'), SyncCursorInvalidError);
  });

  it('writes send If-Match; a duplicate create is PreconditionFailedError', async () => {
    const ev = parseEvent({ uid: 'dup@calhub.test', start: { date: '2026-03-02' }, end: { date: '2026-03-03' }, title: 'x' });
    const made = await h.connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [ev] }, { ifNoneMatch: '*' });
    await rejectsWith(h.connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [ev] }, { ifNoneMatch: '*' }), PreconditionFailedError);
    h.control.clearRequests();
    await h.connector.deleteObject(h.ctx, h.calendar, made.remoteId, { ifMatch: made.version! });
    const del = h.control.requests().find((r) => r.method === 'DELETE');
    assert.equal(del?.headers['if-match'], made.version);
  });

  it('an unreachable origin is TransientError', async () => {
    const c = createGoogleConnector({ baseUrl: 'http://127.0.0.1:1' });
    await rejectsWith(c.listCalendars(h.ctx as ConnectorContext), TransientError);
  });
});
