/** Writes through the connector against the emulator: overrides, cancellations, provenance, all-day. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { contentHash, parseEvent } from '../../shared/model/index.ts';
import { PreconditionFailedError, RemoteNotFoundError, UnsupportedError } from '../errors.ts';
import { createGoogleConnector } from './google.connector.ts';
import { makeGoogleHarness, type GoogleTestSetup } from './test-support.ts';

describe('google connector: writes', () => {
  let h: GoogleTestSetup;
  before(async () => (h = await makeGoogleHarness({ timeZone: 'Europe/Berlin', emptyPageEvery: 0 })));
  after(() => h.cleanup());
  const create = (input: Parameters<typeof parseEvent>[0]) => h.connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [parseEvent(input)] }, { ifNoneMatch: '*' });

  it('overrides are written to their instance id and read back as overrides; cancellations too', async () => {
    const uid = 'series-w@calhub.test';
    const master = await create({
      uid,
      title: 'series',
      start: { dateTime: '2026-03-02T09:00:00Z', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2026-03-02T10:00:00Z', timeZone: 'Europe/Berlin' },
      recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] },
    });
    const moved = parseEvent({
      uid,
      title: 'moved',
      originalStart: { dateTime: '2026-03-09T09:00:00Z', timeZone: 'Europe/Berlin' },
      start: { dateTime: '2026-03-10T13:00:00Z', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2026-03-10T14:00:00Z', timeZone: 'Europe/Berlin' },
    });
    const o = await h.connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [moved] }, { ifNoneMatch: '*' });
    assert.equal(o.remoteId, `${master.remoteId}_20260309T090000Z`);
    assert.equal(contentHash(o.events[0]!), contentHash(moved));
    const cancelled = parseEvent({ ...moved, title: null, status: 'cancelled', originalStart: { dateTime: '2026-03-16T09:00:00Z', timeZone: 'Europe/Berlin' }, start: { dateTime: '2026-03-16T09:00:00Z', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-03-16T10:00:00Z', timeZone: 'Europe/Berlin' } });
    const c = await h.connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [cancelled] }, { ifNoneMatch: '*' });
    assert.equal(c.events[0]!.status, 'cancelled');
    assert.equal(c.events[0]!.uid, uid);
    // Cancelling again is not an error.
    await h.connector.putObject(h.ctx, h.calendar, { remoteId: c.remoteId, events: [cancelled] }, { ifMatch: c.version! });
    const fetched = await h.connector.getObject(h.ctx, h.calendar, o.remoteId);
    assert.deepEqual(fetched.events[0]!.originalStart, { dateTime: '2026-03-09T09:00:00Z', timeZone: 'Europe/Berlin' });
  });

  it('the first write of an occurrence Google holds apart already (changed or cancelled there) is a 412 naming it; a plain one is written', async () => {
    const uid = 'series-held@calhub.test';
    const at = (day: string) => ({ dateTime: `2026-04-${day}T09:00:00Z`, timeZone: 'Europe/Berlin' });
    const hour = (day: string) => ({ dateTime: `2026-04-${day}T10:00:00Z`, timeZone: 'Europe/Berlin' });
    const master = await create({ uid, title: 'series', start: at('06'), end: hour('06'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } });
    // Changed and cancelled in Google Calendar, as another client would.
    h.control.patchEvent(h.calendar.providerCalendarId, `${master.remoteId}_20260413T090000Z`, { summary: 'retitled there' });
    h.control.deleteEvent(h.calendar.providerCalendarId, `${master.remoteId}_20260420T090000Z`);
    const hub = (day: string) => parseEvent({ uid, title: 'series', location: 'Room 9', originalStart: at(day), start: at(day), end: hour(day) });
    for (const day of ['13', '20']) {
      const refused = await h.connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [hub(day)] }, { ifNoneMatch: '*' }).then(() => null, (e: unknown) => e);
      assert.ok(refused instanceof PreconditionFailedError, `the occurrence of the ${day}th is refused`);
      assert.equal(refused.holder, `${master.remoteId}_202604${day}T090000Z`);
    }
    assert.equal((await h.connector.getObject(h.ctx, h.calendar, `${master.remoteId}_20260413T090000Z`)).events[0]!.title, 'retitled there', 'nothing was written over it');
    const plain = await h.connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [hub('27')] }, { ifNoneMatch: '*' });
    assert.equal(plain.events[0]!.location, 'Room 9');
  });

  it('the first write of an occurrence carries If-Match: a change at Google just before it lands is a 412 naming the instance, not overwritten', async () => {
    const uid = 'series-race@calhub.test';
    const at = (day: string) => ({ dateTime: `2026-05-${day}T09:00:00Z`, timeZone: 'Europe/Berlin' });
    const hour = (day: string) => ({ dateTime: `2026-05-${day}T10:00:00Z`, timeZone: 'Europe/Berlin' });
    const master = await create({ uid, title: 'series', start: at('04'), end: hour('04'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } });
    const cal = h.calendar.providerCalendarId;
    // Another client changes the occurrence while the hub's write is on its way: after every read
    // the connector makes, right before its write of that instance reaches Google.
    let race: (() => void) | null = null;
    const racing: typeof fetch = async (input, init) => {
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      const url = input instanceof Request ? input.url : String(input);
      if (race && method !== 'GET' && url.includes(`${master.remoteId}_`)) {
        race();
        race = null;
      }
      return fetch(input, init);
    };
    const connector = createGoogleConnector({ baseUrl: h.url, fetch: racing });
    const hub = (day: string, extra: Record<string, unknown> = {}) => parseEvent({ uid, title: 'series', location: 'Room 9', originalStart: at(day), start: at(day), end: hour(day), ...extra });
    for (const [day, hubSide] of [['11', hub('11')], ['18', hub('18', { status: 'cancelled' })]] as const) {
      const instance = `${master.remoteId}_202605${day}T090000Z`;
      race = () => h.control.patchEvent(cal, instance, { summary: 'retitled there' });
      const refused = await connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [hubSide] }, { ifNoneMatch: '*' }).then(() => null, (e: unknown) => e);
      assert.equal(race, null, 'the change was made before the write');
      assert.ok(refused instanceof PreconditionFailedError, `the write of the ${day}th is refused: ${String(refused)}`);
      assert.equal(refused.holder, instance, 'naming the instance, so the push reads and merges it');
      const there = await connector.getObject(h.ctx, h.calendar, instance);
      assert.deepEqual([there.events[0]!.title, there.events[0]!.status, there.events[0]!.location], ['retitled there', 'confirmed', null], 'the change at Google stands');
    }
    // Without a change meanwhile the first write goes through.
    const plain = await connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [hub('25')] }, { ifNoneMatch: '*' });
    assert.equal(plain.events[0]!.location, 'Room 9');
  });

  it('a meeting someone else organizes is never inserted (it would invite its attendees in the calendar\'s name)', async () => {
    const invitation = parseEvent({
      uid: 'their-meeting@corp.test',
      title: 'Their meeting',
      start: { dateTime: '2026-03-04T09:00:00Z', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2026-03-04T10:00:00Z', timeZone: 'Europe/Berlin' },
      organizer: { email: 'boss@corp.test' },
      attendees: [{ email: 'boss@corp.test' }, { email: 'someone@corp.test' }],
    });
    await assert.rejects(h.connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [invitation], sendUpdates: 'all' }, { ifNoneMatch: '*' }), UnsupportedError);
    assert.equal((await h.connector.findObjectByUid(h.ctx, h.calendar, invitation.uid)), null, 'nothing was inserted');
  });

  it('an override of an unknown series is RemoteNotFoundError', async () => {
    const orphan = parseEvent({ uid: 'nope@calhub.test', originalStart: { date: '2026-03-02' }, start: { date: '2026-03-02' }, end: { date: '2026-03-03' } });
    await assert.rejects(h.connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [orphan] }, { ifNoneMatch: '*' }), RemoteNotFoundError);
  });

  it('provenance, attendees, all-day and availability round-trip', async () => {
    const input = parseEvent({
      uid: 'copy@calhub.test',
      title: 'Busy',
      start: { date: '2026-03-05' },
      end: { date: '2026-03-07' },
      availability: 'free',
      visibility: 'private',
      attendees: [{ email: 'bob@example.com', name: 'Bob', response: 'accepted' }],
      provenance: { hub: 'calhub', tenantId: 'tenant-1', sourceEventId: 'ev-1', ruleId: 'rule-1' },
    });
    const made = await h.connector.putObject(h.ctx, h.calendar, { remoteId: null, events: [input] }, { ifNoneMatch: '*' });
    const stored = h.control.getEvent(h.calendar.providerCalendarId, made.remoteId);
    assert.deepEqual(stored.extendedProperties?.private, { calhubHub: 'calhub', calhubTenant: 'tenant-1', calhubSource: 'ev-1', calhubRule: 'rule-1' });
    assert.equal(stored.transparency, 'transparent');
    const back = await h.connector.getObject(h.ctx, h.calendar, made.remoteId);
    assert.deepEqual(back.events[0]!.provenance, input.provenance);
    assert.equal(back.events[0]!.organizer?.email, h.calendar.providerCalendarId, 'a secondary calendar organizes its own events');
    assert.equal(contentHash({ ...back.events[0]!, organizer: null }), contentHash(input));
    assert.equal((await h.connector.findObjectByUid(h.ctx, h.calendar, 'copy@calhub.test'))?.remoteId, made.remoteId);
  });

  it('re-creating a deleted event under its old id undeletes it instead of failing on the 409', async () => {
    const input = parseEvent({ uid: 'revive@calhub.test', title: 'first', start: { dateTime: '2026-03-04T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-03-04T10:00:00Z', timeZone: 'UTC' } });
    const made = await create(input);
    await h.connector.deleteObject(h.ctx, h.calendar, made.remoteId, null);
    await assert.rejects(h.connector.getObject(h.ctx, h.calendar, made.remoteId), RemoteNotFoundError);
    const again = await h.connector.putObject(h.ctx, h.calendar, { remoteId: made.remoteId, events: [{ ...input, title: 'second' }] }, { ifNoneMatch: '*' });
    assert.equal(again.remoteId, made.remoteId);
    assert.equal((await h.connector.getObject(h.ctx, h.calendar, made.remoteId)).events[0]!.title, 'second');
    assert.equal(h.control.getEvent(h.calendar.providerCalendarId, made.remoteId).status, 'confirmed');
  });

  it('listCalendars reports the zone, access and primary flag', async () => {
    h.control.shareCalendar(h.control.createCalendar({ ownerEmail: 'other@example.com', summary: 'Team' }).id, h.email, 'reader');
    const cals = await h.connector.listCalendars(h.ctx);
    const mine = cals.find((c) => c.providerCalendarId === h.calendar.providerCalendarId)!;
    assert.deepEqual([mine.timeZone, mine.readOnly, mine.primary], ['Europe/Berlin', false, false]);
    assert.equal(cals.find((c) => c.name === 'Team')?.readOnly, true);
    assert.equal(cals.find((c) => c.providerCalendarId === h.email)?.primary, true);
  });

  it("listCalendars carries Google's accessRole: a calendar shared to write is the writer's, not theirs to own", async () => {
    const shared = (summary: string, role: 'writer' | 'reader') => {
      const { id } = h.control.createCalendar({ ownerEmail: 'bob@example.com', summary });
      h.control.shareCalendar(id, h.email, role);
      return id;
    };
    const [w, r] = [shared("Bob's plans", 'writer'), shared("Bob's holidays", 'reader')];
    const cals = await h.connector.listCalendars(h.ctx);
    const access = (id: string) => cals.filter((c) => c.providerCalendarId === id).map((c) => [c.accessRole, c.readOnly]);
    assert.deepEqual([access(w), access(r), access(h.calendar.providerCalendarId)], [[['writer', false]], [['reader', true]], [['owner', false]]]);
  });
});
