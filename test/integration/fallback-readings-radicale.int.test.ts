/**
 * Items another client wrote that RFC 5545 forbids but calhub keeps with a fallback reading (a
 * DTEND before DTSTART, a TZID no zone database knows): the calendar syncs, and operators are told
 * which items were read so, in resync and in `accounts list`, as a warning, until the item is
 * written properly or deleted. Before, only the sync run's log named them.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCaldavConnector } from '../../connectors/caldav/index.ts';
import { accountsOverview, openHub, resync, updateCalendar, type Hub } from '../../hub/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { davContext } from '../support/caldav-harness.ts';
import { deleteResource, icsOf, putEvent, type SeedEvent } from '../support/dav-content.ts';
import { makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { openTestStore } from '../support/test-store.ts';

const backwards: SeedEvent = { uid: 'backwards@other', summary: 'Ends first', start: 'DTSTART:20261210T100000Z', end: 'DTEND:20261210T090000Z' };
const nowhere: SeedEvent = { uid: 'nowhere@other', summary: 'Somewhere', start: 'DTSTART;TZID=Atlantis/Capital:20261211T090000', end: 'DTEND;TZID=Atlantis/Capital:20261211T100000' };
const fine: SeedEvent = { uid: 'fine@other', summary: 'Planning', start: 'DTSTART:20261212T090000Z', end: 'DTEND:20261212T100000Z' };

let dav: DavServer;
let store: Store;
let hub: Hub;
let calUrl = '';
let accountId = '';
let tenantId = '';

/** Written on disk, as another client's server-side import would: the server may refuse such data over HTTP. */
async function onDisk(e: SeedEvent): Promise<void> {
  const rel = decodeURIComponent(new URL(calUrl).pathname).split('/').filter(Boolean);
  await writeFile(path.join(dav.storageDir, 'collection-root', ...rel, `${e.uid}.ics`), icsOf(e));
}

before(async () => {
  dav = await startRadicale();
  calUrl = await makeCalendar(dav, 'Work');
  await putEvent(dav, calUrl, fine);
  await onDisk(backwards);
  await onDisk(nowhere);
  store = await openTestStore();
  await store.migrate();
  const { tenant } = await store.tenants.create('fallbacks');
  tenantId = tenant.id;
  const t = store.tenant(tenantId);
  const connector = createCaldavConnector({ serverUrl: dav.homeUrl, allowPrivateNetworks: true }, { pageSize: 50 });
  const account = await t.accounts.upsert({ provider: 'caldav', externalId: dav.homeUrl });
  accountId = account.id;
  const remote = (await connector.listCalendars(davContext(dav))).filter((c) => c.providerCalendarId.endsWith(new URL(calUrl).pathname));
  await t.calendars.upsertMany(account.id, remote);
  hub = await openHub({ store, connect: async () => ({ connector, ctx: davContext(dav) }), logger: createLogger({ level: 'silent' }) });
});

after(async () => {
  await hub?.close();
  await store?.close();
  await dav?.stop();
});

describe('items read with a fallback from a Radicale calendar', () => {
  it('are named, with their fallbacks, as a warning in resync and accounts list; the calendar syncs', async () => {
    const cal = (await resync(hub, accountId, { wait: true })).calendars[0]!;
    assert.equal(cal.outcome, 'ok');
    assert.equal(cal.error, null);
    assert.equal((await store.tenant(tenantId).events.list(cal.id)).length, 3, 'every item is kept');
    assert.match(cal.fallbacks ?? '', /^2 item\(s\) read with a fallback: /);
    assert.match(cal.fallbacks ?? '', /backwards@other\.ics \(VEVENT backwards@other: DTEND is not after DTSTART/);
    assert.match(cal.fallbacks ?? '', /nowhere@other\.ics \(TZID "Atlantis\/Capital" is neither an IANA nor a Windows zone/);
    assert.doesNotMatch(cal.fallbacks ?? '', /fine@other/);
    const overview = (await accountsOverview(hub, tenantId)).find((a) => a.id === accountId)!;
    assert.match(overview.errors.map((e) => e.error).join('\n'), /2 item\(s\) read with a fallback: .*backwards@other\.ics/);
  });

  it('an item written properly or deleted at the server is named no more', async () => {
    await putEvent(dav, calUrl, { ...backwards, end: 'DTEND:20261210T110000Z' });
    await deleteResource(dav, new URL(`${nowhere.uid}.ics`, calUrl).toString());
    const cal = (await resync(hub, accountId, { wait: true })).calendars[0]!;
    assert.equal((await store.tenant(tenantId).events.list(cal.id)).length, 2);
    assert.equal(cal.fallbacks, null);
    const overview = (await accountsOverview(hub, tenantId)).find((a) => a.id === accountId)!;
    assert.deepEqual(overview.errors, []);
  });

  it('a calendar whose sync is switched off keeps none', async () => {
    await onDisk(nowhere);
    const cal = (await resync(hub, accountId, { wait: true })).calendars[0]!;
    assert.match(cal.fallbacks ?? '', /^1 item\(s\) read with a fallback: .*nowhere@other\.ics/);
    await updateCalendar(hub, tenantId, cal.id, { syncEnabled: false });
    const rows = await store.db.query('SELECT remote_id FROM read_warnings WHERE calendar_id = $1', [cal.id]);
    assert.deepEqual(rows, []);
  });
});
