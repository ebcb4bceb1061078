/**
 * Issue 18: one bad item failed its whole calendar. A Radicale calendar holds good items, one whose
 * SUMMARY carries a NUL byte (PostgreSQL cannot store it) and two resources sharing one UID (written
 * on disk: Radicale itself refuses the second with no-uid-conflict). `resync` must store the good
 * items, quarantine the two bad ones by href with their reason, report the calendar healthy but
 * naming them (in resync and in `accounts list`), and not fail or retry the calendar.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCaldavConnector } from '../../connectors/caldav/index.ts';
import { accountsOverview, openHub, resync, type Hub } from '../../hub/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { davContext } from '../support/caldav-harness.ts';
import { icsOf, putEvent, type SeedEvent } from '../support/dav-content.ts';
import { makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { openTestStore } from '../support/test-store.ts';

const at = (d: number) => ({ start: `DTSTART:202612${d}T090000Z`, end: `DTEND:202612${d}T100000Z` });
const good: SeedEvent[] = [
  { uid: 'good-1@other', summary: 'Planning', ...at(10) },
  { uid: 'good-2@other', summary: 'Review', ...at(11) },
  { uid: 'good-3@other', summary: 'Retro', ...at(12) },
];
const nul: SeedEvent = { uid: 'nul-1@other', summary: 'bad\u0000summary', ...at(14) };
const twinA: SeedEvent = { uid: 'twin@other', summary: 'Twin A', ...at(15) };
const twinB: SeedEvent = { uid: 'twin@other', summary: 'Twin B', ...at(16) };

let dav: DavServer;
let store: Store;
let hub: Hub;
let calUrl = '';
let accountId = '';
let tenantId = '';

before(async () => {
  dav = await startRadicale();
  calUrl = await makeCalendar(dav, 'Work');
  for (const e of [...good, nul, twinA]) await putEvent(dav, calUrl, e);
  // Radicale answers a second resource of one UID with 409 no-uid-conflict: another client (or a
  // restore) put it there directly.
  const rel = decodeURIComponent(new URL(calUrl).pathname).split('/').filter(Boolean);
  await writeFile(path.join(dav.storageDir, 'collection-root', ...rel, 'twin-b.ics'), icsOf(twinB));

  store = await openTestStore();
  await store.migrate();
  const { tenant } = await store.tenants.create('quarantine');
  tenantId = tenant.id;
  const t = store.tenant(tenantId);
  const connector = createCaldavConnector({ serverUrl: dav.homeUrl, allowPrivateNetworks: true }, { pageSize: 50 });
  const ctx = davContext(dav);
  const account = await t.accounts.upsert({ provider: 'caldav', externalId: dav.homeUrl });
  accountId = account.id;
  const remote = (await connector.listCalendars(ctx)).filter((c) => c.providerCalendarId.endsWith(new URL(calUrl).pathname));
  await t.calendars.upsertMany(account.id, remote);
  hub = await openHub({ store, connect: async () => ({ connector, ctx }), logger: createLogger({ level: 'silent' }) });
});

after(async () => {
  await hub?.close();
  await store?.close();
  await dav?.stop();
});

describe('one bad item in a Radicale calendar', () => {
  it('quarantines the NUL item and the second resource of a UID, names them, and syncs the rest', async () => {
    const report = await resync(hub, accountId);
    const cal = report.calendars[0]!;
    assert.equal(cal.outcome, 'ok', JSON.stringify(cal));
    assert.equal(cal.stage, 'idle');
    assert.equal(report.ok, true);

    const t = store.tenant(tenantId);
    const titles = (await t.events.list(cal.id)).map((e) => e.event.title ?? "").sort();
    // One of the twins is kept (the first met), the other quarantined: never both, never neither.
    assert.equal(titles.length, 4, titles.join(', '));
    assert.deepEqual(titles.filter((x) => !x.startsWith('Twin')), ['Planning', 'Retro', 'Review']);
    assert.equal(titles.filter((x) => x.startsWith('Twin')).length, 1);

    const q = await t.events.quarantined(cal.id);
    assert.equal(q.length, 2, JSON.stringify(q));
    const nulItem = q.find((x) => x.remoteId.endsWith('/nul-1@other.ics'));
    assert.ok(nulItem, `the NUL item is quarantined by its href: ${q.map((x) => x.remoteId).join(', ')}`);
    assert.match(nulItem.error, /NUL/);
    assert.doesNotMatch(nulItem.raw ?? '', /\u0000/);
    const twin = q.find((x) => x !== nulItem)!;
    assert.match(twin.remoteId, /\/(twin@other|twin-b)\.ics$/);
    assert.match(twin.error, /UID twin@other .*also used by .*\.ics/);

    // The calendar's report and the account's errors name both items and their reasons.
    assert.equal(cal.quarantined, 2);
    assert.match(cal.quarantine ?? '', /2 item\(s\) quarantined/);
    assert.match(cal.quarantine ?? '', /nul-1@other\.ics \(.*NUL/);
    assert.match(cal.quarantine ?? '', new RegExp(`${twin.remoteId.split('/').pop()!.replace('.', '\\.')} \\(.*UID twin@other`));
    const overview = (await accountsOverview(hub, tenantId)).find((a) => a.id === accountId)!;
    assert.match(overview.errors.map((e) => e.error).join('\n'), /nul-1@other\.ics/);
  });

  it('a second run is quiet: no failure, nothing retried, the quarantine stays as it was', async () => {
    const report = await resync(hub, accountId);
    const cal = report.calendars[0]!;
    assert.equal(cal.outcome, 'ok');
    const c = await store.tenant(tenantId).calendars.get(cal.id);
    assert.equal(c?.failureCount, 0);
    assert.equal(c?.lastError, null);
    assert.equal(cal.quarantined, 2);
  });

  it('an item fixed at the server leaves quarantine on the next sync', async () => {
    await putEvent(dav, calUrl, { ...nul, summary: 'fixed summary' });
    const report = await resync(hub, accountId);
    const cal = report.calendars[0]!;
    const t = store.tenant(tenantId);
    assert.ok((await t.events.list(cal.id)).some((e) => e.event.title === 'fixed summary'));
    assert.equal((await t.events.quarantined(cal.id)).some((x) => x.remoteId.endsWith('/nul-1@other.ics')), false);
    assert.equal(cal.quarantined, 1);
  });

  it('a second resource with the UID of an unchanged one, met by an incremental sync or a full one, is set aside; the first keeps its event', async () => {
    const solo: SeedEvent = { uid: 'solo@other', summary: 'Original', ...at(18) };
    await putEvent(dav, calUrl, solo);
    const first = (await resync(hub, accountId)).calendars[0]!;
    const t = store.tenant(tenantId);
    const before = (await t.events.list(first.id)).find((e) => e.event.uid === 'solo@other')!;
    assert.equal(before.event.title, 'Original');
    const rel = decodeURIComponent(new URL(calUrl).pathname).split('/').filter(Boolean);
    await writeFile(path.join(dav.storageDir, 'collection-root', ...rel, 'solo-copy.ics'), icsOf({ ...solo, summary: 'Copy' }));
    for (const full of [false, true]) {
      const cal = (await resync(hub, accountId, { full })).calendars[0]!;
      const now = (await t.events.list(cal.id)).filter((e) => e.event.uid === 'solo@other');
      assert.deepEqual(now.map((e) => [e.id, e.event.title, e.remoteId]), [[before.id, 'Original', before.remoteId]], `${full ? 'full' : 'incremental'}: the first resource keeps its event`);
      const q = (await t.events.quarantined(cal.id)).find((x) => x.remoteId.endsWith('/solo-copy.ics'));
      assert.ok(q, `${full ? 'full' : 'incremental'}: the copy is set aside`);
      assert.match(q.error, /UID solo@other is also used by .*solo@other\.ics/);
    }
  });
});
