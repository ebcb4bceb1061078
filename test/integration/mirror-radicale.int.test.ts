/**
 * A two-way busy-block mirror rule between two calendars on a real Radicale (issue 6, done-when):
 * copies appear on the server as busy blocks, move and disappear with their sources, repeated
 * syncs write nothing, and deleting the rule removes every copy. Checked against what the server
 * holds; calhub reaches Radicale through a proxy that counts its writes.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { makeConnect } from '../../hub/connect.ts';
import { createCaldavConnector } from '../../connectors/caldav/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import type { Config } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { deleteRule, settle, type EngineDeps } from '../../sync-engine/index.ts';
import { davContext } from '../support/caldav-harness.ts';
import { collectionTag, deleteResource, putEvent, serverObjects, writeCounter, type SeedEvent, type ServerObject, type WriteCounter } from '../support/dav-content.ts';
import { makeCalendar, startRadicale, type DavServer } from '../support/dav-servers.ts';

const secret: SeedEvent = {
  uid: 'secret-1@other-client',
  summary: 'Secret meeting',
  start: 'DTSTART:20261209T100000Z',
  end: 'DTEND:20261209T110000Z',
  extra: ['DESCRIPTION:private notes', 'LOCATION:Room 4', 'ORGANIZER:mailto:boss@example.com', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com'],
};
const weekly: SeedEvent = {
  uid: 'weekly-1@other-client',
  summary: 'Weekly sync',
  start: 'DTSTART;TZID=Europe/Berlin:20261207T150000',
  end: 'DTEND;TZID=Europe/Berlin:20261207T160000',
  extra: ['RRULE:FREQ=WEEKLY;COUNT=4', 'LOCATION:Call'],
  overrides: [['RECURRENCE-ID;TZID=Europe/Berlin:20261214T150000', 'DTSTART;TZID=Europe/Berlin:20261214T170000', 'DTEND;TZID=Europe/Berlin:20261214T180000', 'SUMMARY:Weekly sync (late)']],
};
const lunch: SeedEvent = { uid: 'lunch-1@other-client', summary: 'Lunch', start: 'DTSTART:20261209T120000Z', end: 'DTEND:20261209T130000Z', extra: ['TRANSP:TRANSPARENT'] };
const dentist: SeedEvent = { uid: 'dentist-1@other-client', summary: 'Dentist', start: 'DTSTART:20261210T140000Z', end: 'DTEND:20261210T150000Z', extra: ['DESCRIPTION:bring x-rays'] };

let server: DavServer;
let proxy: WriteCounter;
let store: Store;
let deps: EngineDeps;
let tenantId: string;
const url = { a: '', b: '' };
const cal = { a: '', b: '' };
const resource = { secret: '', dentist: '' };

const isCopy = (o: ServerObject) => o.lines.some((l) => l.startsWith('X-CALHUB-PROVENANCE'));
const copiesIn = (objs: ServerObject[]) => objs.filter(isCopy);
const originalsIn = (objs: ServerObject[]) => objs.filter((o) => !isCopy(o));
const titles = (objs: ServerObject[]) => objs.flatMap((o) => o.events.map((e) => e.title ?? '')).sort();
const sync = () => settle(deps, tenantId, [cal.a, cal.b]);
const times = (o: ServerObject) => o.events.map((e) => [e.originalStart, e.start, e.end, e.recurrence?.rrules ?? null]);
const original = (objs: ServerObject[], e: SeedEvent) => {
  const o = objs.find((x) => x.events[0]?.uid === e.uid);
  assert.ok(o, `${e.summary} is not on the server`);
  return o;
};

/** The copy of `source` among `objs`: a stamped object with exactly the source's times. */
function copyOf(objs: ServerObject[], source: ServerObject): ServerObject | undefined {
  return copiesIn(objs).find((o) => JSON.stringify(times(o)) === JSON.stringify(times(source)));
}

/** Busy-block shape: the source's times and recurrence under a new UID, nothing else of it. */
function assertBusyBlock(objs: ServerObject[], source: ServerObject): void {
  const copy = copyOf(objs, source);
  assert.ok(copy, `no copy with the times of ${source.events[0]?.title}; copies: ${JSON.stringify(copiesIn(objs).map(times))}`);
  for (const l of copy.lines) assert.doesNotMatch(l, /^(DESCRIPTION|LOCATION|ATTENDEE|ORGANIZER)[;:]/, `a busy block carries ${l}`);
  assert.deepEqual(copy.events.map((e) => e.title), copy.events.map(() => 'Busy'));
  assert.match(copy.events[0]!.uid, /^calhub-[0-9a-f]+@calhub$/);
}
/** Runs a settle and returns the writes calhub sent to the server and whether the collections changed. */
async function settleCounting(): Promise<{ writes: string[]; changed: boolean }> {
  const before = [await collectionTag(server, url.a), await collectionTag(server, url.b)];
  proxy.reset();
  await sync();
  const after = [await collectionTag(server, url.a), await collectionTag(server, url.b)];
  return { writes: [...proxy.writes], changed: before.join() !== after.join() };
}

before(async () => {
  server = await startRadicale();
  url.a = await makeCalendar(server, 'A');
  url.b = await makeCalendar(server, 'B');
  resource.secret = await putEvent(server, url.a, secret);
  await putEvent(server, url.a, weekly);
  await putEvent(server, url.a, lunch);
  resource.dentist = await putEvent(server, url.b, dentist);
  proxy = await writeCounter(server.url);

  store = await Store.open({ dataDir: null });
  await store.migrate();
  tenantId = (await store.tenants.create('mirror-radicale')).tenant.id;
  const t = store.tenant(tenantId);
  const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
  const account = await t.accounts.upsert({
    provider: 'caldav',
    externalId: `${server.username}@radicale`,
    credentials: keyring.encrypt(JSON.stringify({ username: server.username, password: server.password })),
    config: { serverUrl: proxy.url },
  });
  const connector = createCaldavConnector({ serverUrl: proxy.url, allowPrivateNetworks: true });
  const remote = (await connector.listCalendars(davContext(server))).filter((c) => c.supportsEvents);
  const cals = await t.calendars.upsertMany(account.id, remote.map((c) => ({ providerCalendarId: c.providerCalendarId, name: c.name, timeZone: c.timeZone, color: c.color, readOnly: c.readOnly })));
  cal.a = cals.find((c) => c.name === 'A')!.id;
  cal.b = cals.find((c) => c.name === 'B')!.id;
  const log = createLogger({ level: 'silent' });
  deps = { store, log, connect: makeConnect({ store, keyring, config: { caldavAllowPrivateNetworks: true } as Config, log }) };
});

after(async () => {
  await store?.close();
  await proxy?.close();
  await server?.stop();
});

describe('two-way busy-block mirror rule on Radicale', () => {
  let ruleId = '';

  it('copies each busy event into the other calendar as a busy block, and copies are never sources', async () => {
    const rule = await store.tenant(tenantId).mirror.create(cal.a, cal.b, { mode: 'busy-block', twoWay: true });
    assert.ok(rule);
    ruleId = rule.id;
    await sync();
    const [a, b] = [await serverObjects(server, url.a), await serverObjects(server, url.b)];
    assert.deepEqual(titles(originalsIn(a)), ['Lunch', 'Secret meeting', 'Weekly sync', 'Weekly sync (late)']);
    assert.deepEqual(titles(originalsIn(b)), ['Dentist']);
    // Lunch is free (TRANSP:TRANSPARENT) and skipped; nothing is copied back from a copy.
    assert.equal(copiesIn(b).length, 2, titles(b).join());
    assert.equal(copiesIn(a).length, 1, titles(a).join());
    assertBusyBlock(b, original(a, secret));
    assertBusyBlock(b, original(a, weekly));
    assertBusyBlock(a, original(b, dentist));
  });

  it('copies carry a provenance stamp that calhub reads back from the server', async () => {
    for (const o of copiesIn([...(await serverObjects(server, url.a)), ...(await serverObjects(server, url.b))])) {
      assert.equal(o.parseError, null, `the server holds ${o.lines.find((l) => l.startsWith('X-CALHUB-PROVENANCE'))}`);
      for (const e of o.events) assert.deepEqual([e.provenance?.ruleId, e.provenance?.tenantId], [ruleId, tenantId]);
    }
    const quarantined = await store.tenant(tenantId).events.quarantined();
    assert.deepEqual(quarantined.map((q) => q.error), [], 'calhub quarantined its own copies');
  });

  it('a further sync writes nothing', async () => {
    const r = await settleCounting();
    assert.deepEqual(r, { writes: [], changed: false });
  });

  it('moving a source on the server moves its copy, in both directions', async () => {
    await putEvent(server, url.a, { ...secret, start: 'DTSTART:20261211T080000Z', end: 'DTEND:20261211T093000Z' });
    await putEvent(server, url.b, { ...dentist, start: 'DTSTART;TZID=America/New_York:20261215T090000', end: 'DTEND;TZID=America/New_York:20261215T100000' });
    await sync();
    const [a, b] = [await serverObjects(server, url.a), await serverObjects(server, url.b)];
    assert.deepEqual(original(a, secret).events[0]!.start, { dateTime: '2026-12-11T08:00:00Z', timeZone: 'UTC' });
    assertBusyBlock(b, original(a, secret));
    assertBusyBlock(a, original(b, dentist));
    assert.equal(copiesIn(b).length, 2);
    assert.equal(copiesIn(a).length, 1);
    assert.deepEqual((await settleCounting()).writes, []);
  });

  it('deleting a source on the server removes its copy', async () => {
    await deleteResource(server, resource.secret);
    await sync();
    const b = await serverObjects(server, url.b);
    assert.equal(copiesIn(b).length, 1, 'only the weekly copy stays');
    assertBusyBlock(b, original(await serverObjects(server, url.a), weekly));
    assert.deepEqual(await settleCounting(), { writes: [], changed: false });
  });

  // An exception dropped at the source (a new pattern in Outlook drops them all) leaves the plain
  // occurrence; a CalDAV copy holds its overrides in the series' resource, so the VEVENT goes.
  it('an override removed at the source leaves the copy\'s resource, and comes back with it', async () => {
    await putEvent(server, url.a, { ...weekly, overrides: [] });
    await sync();
    let b = await serverObjects(server, url.b);
    assertBusyBlock(b, original(await serverObjects(server, url.a), weekly));
    assert.equal(copyOf(b, original(await serverObjects(server, url.a), weekly))!.events.length, 1, 'the copy still holds the override');
    assert.deepEqual((await settleCounting()).writes, []);
    await putEvent(server, url.a, weekly);
    await sync();
    b = await serverObjects(server, url.b);
    assertBusyBlock(b, original(await serverObjects(server, url.a), weekly));
    assert.deepEqual((await settleCounting()).writes, []);
  });

  it('deleting the rule removes every copy from both calendars and leaves the originals', async () => {
    await deleteRule(deps, tenantId, ruleId);
    await sync();
    const [a, b] = [await serverObjects(server, url.a), await serverObjects(server, url.b)];
    assert.deepEqual(titles(a), ['Lunch', 'Weekly sync', 'Weekly sync (late)']);
    assert.deepEqual(titles(b), ['Dentist']);
    assert.equal((await store.tenant(tenantId).events.list(cal.b)).length, 1);
    assert.deepEqual(await settleCounting(), { writes: [], changed: false });
  });
});
