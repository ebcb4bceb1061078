/**
 * An item set aside and then put back byte for byte is read again, on Radicale and on Xandikos.
 * A synced item replaced at the server by one the hub cannot read (here over the 512 kB item
 * limit, as a 3 MB version was) loses its event and is quarantined by href. Put back as it was, the
 * server serves the same ETag as before (both hash the content): the hub took it for the version
 * it already held, never read it again, even on a resync, and the event stayed missing until the
 * calendar's sync was switched off and on.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createCaldavConnector } from '../../connectors/caldav/index.ts';
import { openHub, resync, type Hub } from '../../hub/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { davContext, davFetch } from '../support/caldav-harness.ts';
import { icsOf, putEvent, type SeedEvent } from '../support/dav-content.ts';
import { hasBinary, makeCalendar, startRadicale, startXandikos, type DavServer } from '../support/dav-servers.ts';

const keep: SeedEvent = { uid: 'keep@other', summary: 'Planning', start: 'DTSTART:20261210T090000Z', end: 'DTEND:20261210T100000Z' };
const item: SeedEvent = { uid: 'restored@other', summary: 'Review', start: 'DTSTART:20261211T090000Z', end: 'DTEND:20261211T100000Z' };
/** The same event with a ~600 kB description: over the connector's 512 kB item limit. */
const huge: SeedEvent = { ...item, extra: [`DESCRIPTION:${'x'.repeat(600 * 1024)}`] };

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

for (const kind of ['radicale', 'xandikos'] as const) {
  describe(`an item set aside and put back as it was (${kind})`, { skip: kind === 'xandikos' && !hasBinary('xandikos') ? 'xandikos is not installed' : false }, () => {
    it('comes back: its event is stored again and it leaves quarantine', async () => {
      const dav: DavServer = kind === 'radicale' ? await startRadicale() : await startXandikos();
      closers.push(() => dav.stop());
      const calUrl = await makeCalendar(dav, 'Work');
      await putEvent(dav, calUrl, keep);
      const href = await putEvent(dav, calUrl, item);
      const etag = async () => (await davFetch(dav, href, { method: 'GET' })).headers.get('etag');
      const before = await etag();

      const store = await Store.open({ dataDir: null });
      closers.push(() => store.close());
      await store.migrate();
      const { tenant } = await store.tenants.create(`restored-${kind}`);
      const t = store.tenant(tenant.id);
      const connector = createCaldavConnector({ serverUrl: dav.homeUrl, allowPrivateNetworks: true }, { pageSize: 50 });
      const ctx = davContext(dav);
      const account = await t.accounts.upsert({ provider: 'caldav', externalId: dav.homeUrl });
      const remote = (await connector.listCalendars(ctx)).filter((c) => c.providerCalendarId.endsWith(new URL(calUrl).pathname));
      await t.calendars.upsertMany(account.id, remote);
      const hub: Hub = await openHub({ store, connect: async () => ({ connector, ctx }), logger: createLogger({ level: 'silent' }) });
      closers.push(() => hub.close());

      const sync = async () => {
        const report = await resync(hub, account.id);
        const cal = report.calendars[0]!;
        assert.equal(cal.outcome, 'ok', JSON.stringify(cal));
        const titles = (await t.events.list(cal.id)).map((e) => e.event.title).sort();
        const quarantined = (await t.events.quarantined(cal.id)).map((q) => q.remoteId);
        return { titles, quarantined };
      };
      assert.deepEqual(await sync(), { titles: ['Planning', 'Review'], quarantined: [] });
      const reviewId = (await t.events.list((await t.calendars.list())[0]!.id)).find((e) => e.event.title === 'Review')!.id;

      await davFetch(dav, href, { method: 'PUT', body: icsOf(huge) });
      const bad = await sync();
      assert.deepEqual(bad.titles, ['Planning'], 'the unreadable version removed its event');
      assert.equal(bad.quarantined.length, 1);
      assert.ok(bad.quarantined[0]!.endsWith('/restored@other.ics'), bad.quarantined[0]);

      await davFetch(dav, href, { method: 'PUT', body: icsOf(item) });
      assert.equal(await etag(), before, `${kind} serves the ETag it had before for the same bytes`);
      assert.deepEqual(await sync(), { titles: ['Planning', 'Review'], quarantined: [] }, 'the item put back was read again');
      // A second run changes nothing.
      assert.deepEqual(await sync(), { titles: ['Planning', 'Review'], quarantined: [] });
      assert.ok(reviewId);
    });
  });
}
