/**
 * The CalDAV connector against a hostile server on loopback (test/support/hostile-dav.ts): every
 * request ends by its deadline or when the run's signal aborts, memory is bounded by the caps,
 * listings and cursors cost linear space, and one bad item never sinks a page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChangePage, ConnectorContext } from '../connector.ts';
import { TransientError, UnsupportedError } from '../errors.ts';
import { startHostileDav, type HostileDav } from '../../test/support/hostile-dav.ts';
import { createCaldavConnector } from './connector.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const ctxWith = (signal: AbortSignal): ConnectorContext => ({ credentials: { kind: 'none' }, signal, log: quiet, now: () => new Date() });
const ctx = ctxWith(new AbortController().signal);

/** Pages through a whole listing, as the engine does, with one connector (one run). */
async function listAll(connector: ReturnType<typeof createCaldavConnector>, url: string, c: ConnectorContext = ctx) {
  const pages: ChangePage[] = [];
  let cursor: string | null = null;
  for (;;) {
    const p = await connector.listChanges(c, { providerCalendarId: url, timeZone: 'UTC' }, cursor);
    pages.push(p);
    cursor = p.nextCursor;
    if (!p.hasMore) return { pages, cursor };
  }
}

const BOMB = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">' +
  '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>' +
  '<multistatus xmlns="DAV:"><response><href>/home/bomb/&f;&f;&f;&f;&f;&f;&f;&f;.ics</href><status>HTTP/1.1 200 OK</status></response><sync-token>t1</sync-token></multistatus>';
const XXE = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><multistatus xmlns="DAV:"><response><href>/home/xxe/&x;.ics</href></response><sync-token>t1</sync-token></multistatus>';

describe('CalDAV connector against a hostile server', () => {
  let dav: HostileDav;
  before(async () => {
    dav = await startHostileDav({
      drip: { kind: 'drip', count: 3, intervalMs: 200 },
      huge: { kind: 'huge', count: 6, itemBytes: 300_000 },
      many: { kind: 'many', count: 20_000 },
      omit: { kind: 'omit-data', count: 250 },
      bad: { kind: 'malformed', count: 10 },
      ok: { kind: 'normal', count: 5 },
      bomb: { kind: 'raw-listing', count: 0, body: BOMB },
      xxe: { kind: 'raw-listing', count: 0, body: XXE },
      flood: { kind: 'raw-listing', count: 0, body: `<multistatus xmlns="DAV:"><response><href>/home/flood/a.ics</href><x>${'x'.repeat(3_000_000)}</x></response></multistatus>` },
    });
  });
  after(() => dav.stop());

  it('a server dripping one byte at a time is cut off by the total deadline, not the idle timeout', async () => {
    const connector = createCaldavConnector({ fetch, limits: { requestDeadlineMs: 1500 } });
    const started = Date.now();
    await assert.rejects(listAll(connector, dav.calendarUrl('drip')), (e: unknown) => e instanceof TransientError && e.reason === 'deadline');
    const took = Date.now() - started;
    assert.ok(took < 10_000, `ended after ${took} ms`);
  });

  it('aborting the run signal ends an in-flight request at once', async () => {
    const connector = createCaldavConnector({ fetch, limits: { requestDeadlineMs: 600_000 } });
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(new Error('run budget spent')), 300);
    await assert.rejects(listAll(connector, dav.calendarUrl('drip'), ctxWith(ac.signal)), (e: unknown) => e instanceof TransientError && e.reason === 'aborted');
    assert.ok(Date.now() - started < 5_000);
  });

  it('the guarded transport also honours the deadline (no injected fetch)', async () => {
    const connector = createCaldavConnector({ allowPrivateNetworks: true, limits: { requestDeadlineMs: 1500 } });
    await assert.rejects(listAll(connector, dav.calendarUrl('drip')), (e: unknown) => e instanceof TransientError && e.reason === 'deadline');
  });

  it('a multiget over the response cap is split; an item over the item cap is quarantined, the rest syncs', async () => {
    const before = dav.requests.length;
    const connector = createCaldavConnector({ allowPrivateNetworks: true, limits: { maxResponseBytes: 1_000_000, maxItemBytes: 200_000 } }, { pageSize: 6 });
    const { pages } = await listAll(connector, dav.calendarUrl('huge'));
    const changes = pages.flatMap((p) => p.changes);
    assert.equal(changes.length, 6);
    assert.ok(changes.every((c) => c.kind === 'invalid' && /over the 200000-byte limit/.test(c.error) && (c.raw?.length ?? 0) <= 64 * 1024));
    const multigets = dav.requests.slice(before).filter((r) => r.kind === 'multiget').length;
    assert.ok(multigets >= 3, `the 1.8 MB batch was split (${multigets} multigets)`);

    const roomy = createCaldavConnector({ fetch, limits: { maxResponseBytes: 1_000_000, maxItemBytes: 400_000 } }, { pageSize: 6 });
    const ok = (await listAll(roomy, dav.calendarUrl('huge'))).pages.flatMap((p) => p.changes);
    assert.equal(ok.filter((c) => c.kind === 'upsert').length, 6, 'items under the caps come through after the split');
  });

  it('a listing larger than the response cap streams through: the cap applies per item, not to the whole answer', async () => {
    // 20,000 hrefs are ~3 MB of sync-collection: thirty times the cap, read one <response> at a time.
    const connector = createCaldavConnector({ fetch, limits: { maxResponseBytes: 100_000 } }, { pageSize: 10 });
    const p = await connector.listChanges(ctx, { providerCalendarId: dav.calendarUrl('many'), timeZone: 'UTC' }, null);
    assert.equal(p.changes.length, 10);
    assert.equal(p.hasMore, true);
  });

  it('a listing over maxListingHrefs or maxListingBytes fails with CONNECTOR_UNSUPPORTED (listing-too-large), not a retry', async () => {
    const tooLarge = (e: unknown) => e instanceof UnsupportedError && e.code === 'CONNECTOR_UNSUPPORTED' && e.reason === 'listing-too-large';
    const byCount = createCaldavConnector({ fetch, limits: { maxListingHrefs: 5_000 } });
    await assert.rejects(listAll(byCount, dav.calendarUrl('many')), (e: unknown) => tooLarge(e) && /over 5000 items/.test((e as Error).message));
    const byBytes = createCaldavConnector({ allowPrivateNetworks: true, limits: { maxListingBytes: 200_000 } });
    await assert.rejects(listAll(byBytes, dav.calendarUrl('many')), (e: unknown) => tooLarge(e) && /200000-byte limit/.test((e as Error).message));
  });

  it('an XML bomb or an external entity in a listing is refused unexpanded; a flood inside one response is cut', async () => {
    const connector = createCaldavConnector({ fetch });
    const heap = process.memoryUsage().heapUsed;
    for (const name of ['bomb', 'xxe']) {
      await assert.rejects(listAll(connector, dav.calendarUrl(name)), (e: unknown) => e instanceof TransientError && e.reason === 'malformed-response' && /undefined entity/.test((e as Error).message));
    }
    assert.ok(process.memoryUsage().heapUsed - heap < 50_000_000, 'nothing was expanded');
    const small = createCaldavConnector({ fetch, limits: { maxItemBytes: 100_000 } });
    await assert.rejects(listAll(small, dav.calendarUrl('flood')), (e: unknown) => e instanceof TransientError && e.reason === 'response-too-large');
  });

  it('20,000 hrefs: cursors stay small, one multiget per page, and an interrupted listing resumes without gaps', async () => {
    const before = dav.requests.length;
    const connector = createCaldavConnector({ fetch }, { pageSize: 500 });
    const cal = { providerCalendarId: dav.calendarUrl('many'), timeZone: 'UTC' };
    const seen = new Set<string>();
    let cursor: string | null = null;
    let maxCursor = 0;
    for (let i = 0; i < 10; i++) {
      const p: ChangePage = await connector.listChanges(ctx, cal, cursor);
      for (const c of p.changes) seen.add(c.remoteId);
      maxCursor = Math.max(maxCursor, p.nextCursor.length);
      cursor = p.nextCursor;
    }
    // The worker dies here: a new connector (a new run) continues from the stored cursor.
    const fresh = createCaldavConnector({ fetch }, { pageSize: 500 });
    let pages = 10;
    for (;;) {
      const p: ChangePage = await fresh.listChanges(ctx, cal, cursor);
      pages += 1;
      for (const c of p.changes) {
        assert.equal(c.kind, 'upsert');
        seen.add(c.remoteId);
      }
      maxCursor = Math.max(maxCursor, p.nextCursor.length);
      cursor = p.nextCursor;
      if (!p.hasMore) break;
    }
    assert.equal(seen.size, 20_000, 'every href fetched once the listing resumed');
    assert.equal(pages, 40);
    assert.ok(maxCursor < 300, `cursor at most ${maxCursor} characters`);
    const served = dav.requests.slice(before);
    assert.equal(served.filter((r) => r.kind === 'sync-collection').length, 2, 'listed once per run');
    assert.equal(served.filter((r) => r.kind === 'multiget').length, 40);
  });

  it('a server leaving calendar-data out of multiget costs two multigets and a few GETs per page, not one GET per item', async () => {
    const before = dav.requests.length;
    const connector = createCaldavConnector({ fetch, limits: { maxSingleGets: 5 } }, { pageSize: 100 });
    const changes = (await listAll(connector, dav.calendarUrl('omit'))).pages.flatMap((p) => p.changes);
    assert.equal(changes.length, 250);
    const served = dav.requests.slice(before);
    assert.equal(served.filter((r) => r.kind === 'multiget').length, 6);
    assert.equal(served.filter((r) => r.method === 'GET').length, 15);
    assert.equal(changes.filter((c) => c.kind === 'upsert').length, 15);
    assert.ok(changes.filter((c) => c.kind === 'invalid').every((c) => c.kind === 'invalid' && /left calendar-data out/.test(c.error)));
  });

  it('malformed items are quarantined one by one while the rest of the page syncs', async () => {
    const connector = createCaldavConnector({ fetch });
    const changes = (await listAll(connector, dav.calendarUrl('bad'))).pages.flatMap((p) => p.changes);
    assert.equal(changes.filter((c) => c.kind === 'upsert').length, 5);
    assert.equal(changes.filter((c) => c.kind === 'invalid').length, 5);
  });
});
