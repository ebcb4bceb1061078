/**
 * An edit made through the hub keeps what other clients stored in the CalDAV object (RFC 5545
 * §3.8.8.2): a retitle, a move and a new override, each read back as the server stores it from
 * Radicale and Xandikos. Before, calhub rewrote the whole object from its model: VALARM, ATTACH,
 * CATEGORIES, X-properties, CREATED, LAST-MODIFIED and the attendees' RSVP/CUTYPE/X-NUM-GUESTS were
 * gone after the first edit, and PRODID became calhub's.
 *
 * And a meeting the hub creates names the account as ORGANIZER (RFC 5545 §3.8.4.3), when the
 * account's address is known (calendar-user-address-set, or a username that is an email).
 */
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { it } from 'node:test';
import { discoverCaldav } from '../../connectors/caldav/index.ts';
import { ownAddress } from '../../connectors/caldav/connector.ts';
import { parseEvent, type CanonicalEvent } from '../../shared/model/index.ts';
import { outboxOf } from '../../shared/store/index.ts';
import { findOccurrence, settle, writeOccurrence, writeUid } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { davContext, describeOnDavServers } from '../support/caldav-harness.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { authHeader, type DavServer } from '../support/dav-servers.ts';

const UID = 'keep-foreign@calhub.test';
/** ~17 kB of non-ASCII text, commas escaped as TEXT needs (RFC 5545 §3.3.11; Radicale cuts at a bare one). */
const LONG = 'Tagesordnung: Überblick\\, Größe\\, Straße — 会議の議題 '.repeat(400);

const RICH = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Apple Inc.//macOS 14.0//EN',
  'CALSCALE:GREGORIAN',
  'BEGIN:VEVENT',
  `UID:${UID}`,
  'DTSTAMP:20270201T100000Z',
  'CREATED:20270201T100000Z',
  'LAST-MODIFIED:20270201T100000Z',
  'SEQUENCE:3',
  'DTSTART:20270301T090000Z',
  'DTEND:20270301T100000Z',
  'RRULE:FREQ=DAILY;COUNT=5',
  'SUMMARY:Planning',
  `DESCRIPTION:${LONG}`,
  'CATEGORIES:Work,Planning',
  'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC',
  'X-MICROSOFT-CDO-BUSYSTATUS:BUSY',
  'ATTACH;FMTTYPE=application/pdf:https://files.example.com/agenda.pdf',
  'ORGANIZER;CN=Alice:mailto:alice@example.com',
  'ATTENDEE;CN=Bob;RSVP=TRUE;X-NUM-GUESTS=0;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:bob@example.com',
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'DESCRIPTION:Reminder',
  'TRIGGER:-PT15M',
  'X-WR-ALARMUID:alarm-1',
  'END:VALARM',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '').replace(/\r\n/g, '\n');
const blocks = (ics: string) => unfold(ics).split('BEGIN:VEVENT').slice(1).map((b) => b.split('END:VEVENT')[0]!);
/** A property line of a block, however the server ordered its parameters. */
const prop = (block: string, name: string) => block.split('\n').filter((l) => l.toUpperCase().startsWith(name + ':') || l.toUpperCase().startsWith(name + ';'));

function assertForeignKept(master: string, what: string): void {
  assert.match(master, /BEGIN:VALARM[\s\S]*TRIGGER:-PT15M[\s\S]*X-WR-ALARMUID:alarm-1[\s\S]*END:VALARM/, `${what}: the VALARM`);
  assert.equal(prop(master, 'ATTACH').length, 1, `${what}: ATTACH`);
  assert.match(prop(master, 'ATTACH')[0]!, /https:\/\/files\.example\.com\/agenda\.pdf/);
  assert.deepEqual(prop(master, 'CATEGORIES'), ['CATEGORIES:Work,Planning'], `${what}: CATEGORIES`);
  assert.deepEqual(prop(master, 'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR'), ['X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC'], `${what}: X-APPLE-…`);
  assert.deepEqual(prop(master, 'X-MICROSOFT-CDO-BUSYSTATUS'), ['X-MICROSOFT-CDO-BUSYSTATUS:BUSY'], `${what}: X-MICROSOFT-CDO-BUSYSTATUS`);
  assert.deepEqual(prop(master, 'CREATED'), ['CREATED:20270201T100000Z'], `${what}: CREATED`);
  const bob = prop(master, 'ATTENDEE');
  assert.equal(bob.length, 1);
  for (const p of ['RSVP=TRUE', 'X-NUM-GUESTS=0', 'CUTYPE=INDIVIDUAL', 'PARTSTAT=ACCEPTED']) assert.ok(bob[0]!.toUpperCase().includes(p), `${what}: ATTENDEE keeps ${p}: ${bob[0]}`);
  assert.deepEqual(prop(master, 'DESCRIPTION'), [`DESCRIPTION:${LONG}`, 'DESCRIPTION:Reminder'], `${what}: the long description, and the alarm's`);
  assert.equal(prop(master, 'LAST-MODIFIED').length, 1, `${what}: LAST-MODIFIED`);
}

async function scenario(dav: DavServer, env: ModelEnv): Promise<void> {
  const cal = env.calendars[0]!;
  const t = env.store.tenant(env.tenantId);
  const calendarUrl = (await t.calendars.get(cal))!.providerCalendarId;
  const url = new URL('keep-foreign.ics', calendarUrl.endsWith('/') ? calendarUrl : calendarUrl + '/').toString();
  const put = await fetch(url, { method: 'PUT', body: RICH, headers: { ...authHeader(dav), 'content-type': 'text/calendar; charset=utf-8', 'if-none-match': '*' } });
  assert.ok(put.ok, `another client's PUT: ${put.status}`);
  const stored = async () => {
    const res = await fetch(url, { headers: authHeader(dav) });
    assert.equal(res.status, 200);
    return res.text();
  };
  const sync = async () => {
    const r = await settle(env.deps, env.tenantId, [cal]);
    assert.deepEqual([...r.failures.values()], []);
    return r;
  };
  const rows = async () => (await t.events.byUid(cal, UID)).map((r) => ({ ...r.event, providerEventId: r.remoteId }));
  const edit = async (change: (e: CanonicalEvent) => Partial<CanonicalEvent>) => {
    await writeUid(env.deps, env.tenantId, cal, UID, (await rows()).map((e) => (e.originalStart ? e : { ...e, ...change(e) })));
    await sync();
  };
  await sync();
  assert.equal((await rows()).length, 1, 'pulled');
  const prodid = (ics: string) => prop(unfold(ics), 'PRODID');
  const originalProdid = prodid(await stored());

  // 1. Only the title changes.
  await edit(() => ({ title: 'only title changed' }));
  let text = await stored();
  let [master] = blocks(text);
  assert.deepEqual(prop(master!, 'SUMMARY'), ['SUMMARY:only title changed']);
  assertForeignKept(master!, 'retitle');
  assert.deepEqual(prop(master!, 'SEQUENCE'), ['SEQUENCE:3'], 'a retitle is no new revision');
  assert.notDeepEqual(prop(master!, 'LAST-MODIFIED'), ['LAST-MODIFIED:20270201T100000Z'], 'LAST-MODIFIED is the write\'s');
  assert.deepEqual(prodid(text), originalProdid, 'PRODID is the author\'s');
  assert.equal((await sync()).written, 0, 'no echo: a sync after writes nothing');

  // 2. The series moves an hour later.
  await edit((e) => ({ start: { dateTime: '2027-03-01T10:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2027-03-01T11:00:00Z', timeZone: 'UTC' }, title: e.title }));
  text = await stored();
  [master] = blocks(text);
  assert.deepEqual(prop(master!, 'DTSTART'), ['DTSTART:20270301T100000Z']);
  assert.deepEqual(prop(master!, 'SUMMARY'), ['SUMMARY:only title changed']);
  assertForeignKept(master!, 'move');
  assert.deepEqual(prop(master!, 'SEQUENCE'), ['SEQUENCE:4'], 'a move raises it above 3');
  assert.equal((await sync()).written, 0, 'no echo after the move');

  // 3. One occurrence moved in the hub: a new override; the master's alarm and the rest stay.
  const masterId = (await t.events.byUid(cal, UID)).find((r) => r.event.originalStart === null)!.id;
  const at = await findOccurrence(env.store, env.tenantId, masterId, '2027-03-03T10:00:00Z');
  assert.equal(at.override, null);
  await writeOccurrence(env.deps, env.tenantId, at, { ...at.base, start: { dateTime: '2027-03-03T14:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2027-03-03T15:00:00Z', timeZone: 'UTC' } });
  await sync();
  text = await stored();
  const all = blocks(text);
  assert.equal(all.length, 2, 'master and the new override');
  const m = all.find((b) => prop(b, 'RECURRENCE-ID').length === 0)!;
  const o = all.find((b) => prop(b, 'RECURRENCE-ID').length === 1)!;
  assertForeignKept(m, 'override added');
  assert.deepEqual(prop(o, 'DTSTART'), ['DTSTART:20270303T140000Z']);
  assert.equal((await sync()).written, 0, 'no echo after the override');
}

async function organizerScenario(dav: DavServer, env: ModelEnv, address: string | null): Promise<void> {
  const cal = env.calendars[1]!;
  const uid = 'hub-created-meeting@calhub.test';
  const meeting = parseEvent({ uid, title: 'Hub-created meeting', start: { dateTime: '2027-04-01T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2027-04-01T10:00:00Z', timeZone: 'UTC' }, attendees: [{ email: 'carol@example.com', name: 'Carol' }] });
  await writeUid(env.deps, env.tenantId, cal, uid, [meeting]);
  const r = await settle(env.deps, env.tenantId, [cal]);
  if (address === null) {
    // A meeting without ORGANIZER is no valid object (RFC 5545 §3.8.4.3): refused, nothing written.
    const [owed] = await outboxOf(env.store.db, env.tenantId, cal);
    assert.match(owed?.lastError ?? '', /no known email address/, 'the write says why it is not made');
    assert.equal((await env.driver.list(1)).filter((h) => h.events[0]?.uid === uid).length, 0, 'nothing written');
    return;
  }
  assert.deepEqual([...r.failures.values()], []);
  const held = (await env.driver.list(1)).find((h) => h.events[0]?.uid === uid)!;
  const text = unfold(await (await fetch(new URL(held.remoteId, dav.url), { headers: authHeader(dav) })).text());
  const organizer = prop(text, 'ORGANIZER');
  const row = (await env.store.tenant(env.tenantId).events.byUid(cal, uid))[0]!.event;
  assert.equal(organizer.length, 1, `ORGANIZER is written:\n${text}`);
  assert.match(organizer[0]!, new RegExp(`mailto:${address.replace(/[.]/g, '\\.')}$`, 'i'));
  assert.equal(row.organizer?.email.toLowerCase(), address.toLowerCase(), 'the hub stores the organizer it wrote (as after Google/Graph fill it)');
  assert.equal((await settle(env.deps, env.tenantId, [cal])).written, 0, 'no echo');
}

/** The same server as an account whose username is an email (Radicale: one more htpasswd user; Xandikos ignores credentials). */
async function emailAccount(dav: DavServer): Promise<DavServer> {
  const username = 'organizer@example.com';
  if (dav.kind === 'xandikos') return { ...dav, username };
  await appendFile(path.join(path.dirname(dav.storageDir), 'users'), `${username}:${dav.password}\n`);
  return { ...dav, username, homeUrl: `${dav.url}${encodeURIComponent(username)}/` };
}

describeOnDavServers((name) => `an edit through the hub keeps other clients' data, read back from ${name}`, (s) => {
  it('a retitle, a move and a new override keep VALARM, ATTACH, CATEGORIES, X-properties, CREATED and attendee parameters', async () => scenario(s.dav, await davModelEnv(s.dav, s.store)));

  it('a meeting the hub creates: refused when the account\'s address is unknown (neither server reports an email, none was given)', async () => {
    const found = await discoverCaldav(davContext(s.dav), s.dav.homeUrl, { allowPrivateNetworks: true });
    // Radicale answers its principal's path (/alice/), Xandikos nothing; the usernames are no emails.
    assert.equal(ownAddress(davContext(s.dav), found.userAddresses), null);
    await organizerScenario(s.dav, await davModelEnv(s.dav, s.store, { email: null }), null);
  });

  it('a meeting the hub creates has the account as ORGANIZER: a username that is an email', async () => {
    const as = await emailAccount(s.dav);
    const found = await discoverCaldav(davContext(as), as.homeUrl, { allowPrivateNetworks: true });
    const address = ownAddress(davContext(as), found.userAddresses);
    assert.equal(address, 'organizer@example.com');
    await organizerScenario(as, await davModelEnv(as, s.store, { email: null }), address);
  });
});

