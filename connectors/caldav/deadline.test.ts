/**
 * The request deadline against loopback servers (test/support/hostile-dav.ts), both sides of it:
 * a large listing that keeps streaming is not cut however long it takes (issue 15: 100,000 items
 * from Radicale), while a drip or a stream under the minimum rate is, and a server that takes long
 * to its first byte gets requestDeadlineMs (CALDAV_REQUEST_DEADLINE_MS) and no more. The variable's
 * way from the configuration to the connector: hub/connect-deadline.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorContext } from '../connector.ts';
import { TransientError } from '../errors.ts';
import { startHostileDav, type HostileDav } from '../../test/support/hostile-dav.ts';
import { createCaldavConnector } from './connector.ts';
import { createGuardedFetch } from './transport.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const ctx: ConnectorContext = { credentials: { kind: 'none' }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
const cut = (pattern: RegExp) => (e: unknown) => e instanceof TransientError && e.reason === 'deadline' && pattern.test(e.message);

describe('CalDAV request deadline', () => {
  let dav: HostileDav;
  before(async () => {
    dav = await startHostileDav({
      // ~3.4 MB of listing at ~1.6 MB/s: about 2 s, well past a 600 ms deadline, far above the minimum rate.
      fast: { kind: 'stream', count: 20_000, chunkBytes: 32 * 1024, intervalMs: 20 },
      // 1 KiB per 100 ms, ~10 KiB/s: flowing, but under the 64 KiB/s minimum.
      slow: { kind: 'stream', count: 20_000, chunkBytes: 1024, intervalMs: 100 },
      drip: { kind: 'drip', count: 3, intervalMs: 200 },
      late: { kind: 'slow-start', count: 3, delayMs: 1500 },
    });
  });
  after(() => dav.stop());

  const list = (connector: ReturnType<typeof createCaldavConnector>, name: string) =>
    connector.listChanges(ctx, { providerCalendarId: dav.calendarUrl(name), timeZone: 'UTC' }, null);

  it('a listing that keeps streaming above the minimum rate outlasts requestDeadlineMs (it was cut at the deadline before)', async () => {
    const connector = createCaldavConnector({ allowPrivateNetworks: true, limits: { requestDeadlineMs: 600 } }, { pageSize: 10 });
    const started = Date.now();
    const page = await list(connector, 'fast');
    assert.ok(Date.now() - started > 600, 'the listing took longer than the deadline');
    assert.equal(page.changes.length, 10);
    assert.equal(page.hasMore, true);
  });

  it('a body flowing under the minimum rate is cut soon after requestDeadlineMs, saying how fast it came', async () => {
    const connector = createCaldavConnector({ fetch, limits: { requestDeadlineMs: 1000 } });
    const started = Date.now();
    await assert.rejects(list(connector, 'slow'), cut(/bytes\/s on average, under the 65536 bytes\/s an answer must keep past its first 1000 ms \(CALDAV_REQUEST_DEADLINE_MS\)/));
    const took = Date.now() - started;
    // ~10 KiB/s earns ~0.16 s per s: due at ~1.2 s.
    assert.ok(took < 10_000, `cut after ${took} ms`);
  });

  it('a drip is still cut at requestDeadlineMs', async () => {
    const connector = createCaldavConnector({ fetch, limits: { requestDeadlineMs: 1000 } });
    const started = Date.now();
    await assert.rejects(list(connector, 'drip'), cut(/did not finish in time: \d+ bytes in \d+ ms/));
    assert.ok(Date.now() - started < 10_000);
  });

  it('a slow first byte gets requestDeadlineMs: cut below it, served above it', async () => {
    const short = createCaldavConnector({ fetch, limits: { requestDeadlineMs: 700 } });
    await assert.rejects(list(short, 'late'), cut(/no byte of an answer within 700 ms/));
    const long = createCaldavConnector({ fetch, limits: { requestDeadlineMs: 5000 } });
    assert.equal((await list(long, 'late')).changes.length, 3);
  });

  it("the transport's idle timeout is its own option (the connector sets it to at least the deadline)", async () => {
    const guarded = createGuardedFetch({ allowPrivateNetworks: true, idleTimeoutMs: 300 });
    await assert.rejects(guarded(`${dav.calendarUrl('late')}item-0.ics`), /timed out after 300 ms without a byte/);
  });
});
