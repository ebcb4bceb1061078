/**
 * A zone the tenant chooses for a calendar whose provider states none or the wrong one (a CalDAV
 * collection without calendar-timezone, every Xandikos collection, is read as UTC): all-day and
 * floating times move to its days at once, for free/busy and availability, nothing is written to
 * the provider, and a calendar listing read again keeps the choice. The user's case: an all-day
 * offsite on 12-24/12-25 in Los Angeles, offered 16:00 local on 12-25 while held on UTC days.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Cal = { id: string; timeZone: string; timeZoneChosen: boolean; providerTimeZone: string; error?: { code: string } };
type FreeBusy = { calendars: Array<{ calendarId: string; busy: Array<{ start: string; end: string }> }> };
type Availability = { slots: Array<{ start: string }> };

for (const startLike of [false, true]) {
  describe(`a calendar's chosen zone${startLike ? " (calhub start's API thread, with its calendar memo)" : ''}`, () => {
    let api: TestApi;
    let calId: string;
    const providerCal = { providerCalendarId: '/dav/alice/offsite/', name: 'Offsite', color: null, readOnly: false };

    before(async () => {
      api = await startTestApi({}, {}, { startLike });
      const t = api.store.tenant(api.a.id);
      // As a CalDAV listing gives it: no calendar-timezone, so no zone.
      const [cal] = await t.calendars.upsertMany(api.a.accountId, [{ ...providerCal, timeZone: null }]);
      calId = cal!.id;
      await seed(
        api.store, api.a.id, calId,
        ev({ uid: 'offsite', start: { date: '2026-12-24' }, end: { date: '2026-12-26' } }),
        ev({ uid: 'floating', start: { local: '2026-12-28T09:00:00' }, end: { local: '2026-12-28T10:00:00' } }),
      );
    });
    after(() => api.close());

    const busy = async () => {
      const r = await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [calId], timeMin: '2026-12-23T00:00:00Z', timeMax: '2026-12-30T00:00:00Z' } });
      assert.equal(r.statusCode, 200, r.body);
      return json<FreeBusy>(r).calendars[0]!.busy.map((b) => [b.start, b.end]);
    };
    // 2026-12-26T00:00Z is 16:00 on 12-25 in Los Angeles: the slot the user was offered.
    const slots = async () => {
      const r = await call(api, 'POST', '/v1/availability', {
        body: { participants: [{ id: 'alice', calendarIds: [calId] }], durationMinutes: 60, stepMinutes: 60, timeMin: '2026-12-25T20:00:00Z', timeMax: '2026-12-26T10:00:00Z' },
      });
      assert.equal(r.statusCode, 200, r.body);
      return json<Availability>(r).slots.map((s) => norm(s.start).replace(':00Z', 'Z'));
    };
    const patch = (body: object) => call(api, 'PATCH', `/v1/calendars/${calId}`, { body });

    it('held as UTC, the all-day event blocks UTC days', async () => {
      const shown = json<Cal>(await call(api, 'GET', `/v1/calendars/${calId}`));
      assert.deepEqual([shown.timeZone, shown.timeZoneChosen, shown.providerTimeZone], ['UTC', false, 'UTC']);
      assert.deepEqual((await busy()).map((p) => p.map(norm)), [
        ['2026-12-24T00:00:00Z', '2026-12-26T00:00:00Z'],
        ['2026-12-28T09:00:00Z', '2026-12-28T10:00:00Z'],
      ]);
      assert.ok((await slots()).includes('2026-12-26T00:00Z'));
    });

    it('PATCH timeZone: all-day and floating times move to the chosen zone at once; null goes back', async () => {
      const r = await patch({ timeZone: 'America/Los_Angeles' });
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(pick(json<Cal>(r)), ['America/Los_Angeles', true, 'UTC']);
      assert.deepEqual((await busy()).map((p) => p.map(norm)), [
        ['2026-12-24T08:00:00Z', '2026-12-26T08:00:00Z'],
        ['2026-12-28T17:00:00Z', '2026-12-28T18:00:00Z'],
      ]);
      const open = await slots();
      assert.ok(!open.includes('2026-12-26T00:00Z'), `16:00 on 12-25 in Los Angeles is the offsite: ${open.join(' ')}`);
      assert.ok(open.includes('2026-12-26T08:00Z'));

      const back = await patch({ timeZone: null });
      assert.equal(back.statusCode, 200, back.body);
      assert.deepEqual(pick(json<Cal>(back)), ['UTC', false, 'UTC']);
      assert.deepEqual((await busy()).map((p) => p.map(norm))[0], ['2026-12-24T00:00:00Z', '2026-12-26T00:00:00Z']);
    });

    it("the instance listing and an occurrence's answer give all-day and floating times in the chosen zone, and the provider's after null", async () => {
      await seed(
        api.store, api.a.id, calId,
        ev({ uid: 'weekly-off', start: { date: '2027-01-04' }, end: { date: '2027-01-05' }, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=2'], exdates: [], rdates: [] } }),
        ev({ uid: 'weekly-call', start: { local: '2027-01-05T09:00:00' }, end: { local: '2027-01-05T10:00:00' }, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=2'], exdates: [], rdates: [] } }),
      );
      type Inst = { eventId: string; uid: string; originalStartKey: string; start: string; end: string; timeZone: string };
      const listed = async () => {
        const r = await call(api, 'GET', `/v1/calendars/${calId}/events?timeMin=2027-01-01T00:00:00Z&timeMax=2027-01-10T00:00:00Z`);
        assert.equal(r.statusCode, 200, r.body);
        return json<{ items: Inst[] }>(r).items.map((i) => [i.uid, i.start, i.end, i.timeZone]);
      };
      const occurrence = async (uid: string) => {
        const r = await call(api, 'GET', `/v1/calendars/${calId}/events?timeMin=2027-01-01T00:00:00Z&timeMax=2027-01-10T00:00:00Z`);
        const it = json<{ items: Inst[] }>(r).items.find((i) => i.uid === uid)!;
        const one = await call(api, 'GET', `/v1/events/${it.eventId}/occurrences/${encodeURIComponent(it.originalStartKey)}`);
        assert.equal(one.statusCode, 200, one.body);
        const o = json<Inst>(one);
        return [o.start, o.timeZone];
      };
      assert.equal((await patch({ timeZone: 'America/Los_Angeles' })).statusCode, 200);
      assert.deepEqual(await listed(), [
        ['weekly-off', '2027-01-04T00:00:00-08:00', '2027-01-05T00:00:00-08:00', 'America/Los_Angeles'],
        ['weekly-call', '2027-01-05T09:00:00-08:00', '2027-01-05T10:00:00-08:00', 'America/Los_Angeles'],
      ]);
      assert.deepEqual(await occurrence('weekly-off'), ['2027-01-04T00:00:00-08:00', 'America/Los_Angeles']);
      assert.deepEqual(await occurrence('weekly-call'), ['2027-01-05T09:00:00-08:00', 'America/Los_Angeles']);
      assert.equal((await patch({ timeZone: null })).statusCode, 200);
      assert.deepEqual(await listed(), [
        ['weekly-off', '2027-01-04T00:00:00Z', '2027-01-05T00:00:00Z', 'UTC'],
        ['weekly-call', '2027-01-05T09:00:00Z', '2027-01-05T10:00:00Z', 'UTC'],
      ]);
      assert.deepEqual(await occurrence('weekly-call'), ['2027-01-05T09:00:00Z', 'UTC']);
    });

    it('a Windows name is taken as Microsoft 365 gives it; an unknown zone is 400 ZONE_UNKNOWN and changes nothing', async () => {
      const win = await patch({ timeZone: 'Pacific Standard Time' });
      assert.equal(win.statusCode, 200, win.body);
      assert.equal(json<Cal>(win).timeZone, 'America/Los_Angeles');
      const bad = await patch({ timeZone: 'Mars/Olympus_Mons' });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.equal(json<Cal>(bad).error?.code, 'ZONE_UNKNOWN');
      assert.equal(json<Cal>(await call(api, 'GET', `/v1/calendars/${calId}`)).timeZone, 'America/Los_Angeles');
    });

    it("a listing read again keeps the choice; the provider's zone updates underneath and is the zone again after null", async () => {
      const t = api.store.tenant(api.a.id);
      assert.equal((await patch({ timeZone: 'America/Los_Angeles' })).statusCode, 200);
      await t.calendars.upsertMany(api.a.accountId, [{ ...providerCal, timeZone: null }]);
      await t.calendars.applyListing(api.a.accountId, [{ ...providerCal, timeZone: 'UTC' }]);
      assert.deepEqual(pick(json<Cal>(await call(api, 'GET', `/v1/calendars/${calId}`))), ['America/Los_Angeles', true, 'UTC']);
      assert.equal((await busy()).map((p) => p.map(norm))[0]![0], '2026-12-24T08:00:00Z');

      // The provider states a zone of its own now (calendar-timezone set at the server).
      const changes = await t.calendars.applyListing(api.a.accountId, [{ ...providerCal, timeZone: 'Europe/Paris' }]);
      assert.equal(changes.updated.length, 1);
      assert.deepEqual(pick(json<Cal>(await call(api, 'GET', `/v1/calendars/${calId}`))), ['America/Los_Angeles', true, 'Europe/Paris']);
      await t.calendars.upsertMany(api.a.accountId, [{ ...providerCal, timeZone: 'Europe/Paris' }]);
      assert.equal((await busy()).map((p) => p.map(norm))[0]![0], '2026-12-24T08:00:00Z');

      assert.deepEqual(pick(json<Cal>(await patch({ timeZone: null }))), ['Europe/Paris', false, 'Europe/Paris']);
      assert.deepEqual((await busy()).map((p) => p.map(norm))[0], ['2026-12-23T23:00:00Z', '2026-12-25T23:00:00Z']);
    });
  });
}

const pick = (c: Cal) => [c.timeZone, c.timeZoneChosen, c.providerTimeZone];
const norm = (iso: string) => new Date(iso).toISOString().replace('.000Z', 'Z');
