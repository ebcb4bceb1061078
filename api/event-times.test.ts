/**
 * Contract: the time forms clients write (wall clock + IANA or Windows zone, RFC 3339 with offset,
 * UTC + zone), the one form answers use, and DST gaps and overlaps said in the answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, json, startTestApi, type TestApi } from './test-support.ts';

type Time = { dateTime: string; timeZone: string };
type Note = { field: string; kind: string; requested: string; timeZone: string; resolved: string; rule: string };
type Ev = { id: string; etag: string; start: Time; end: Time; timeNotes?: Note[]; recurrence: { exdates: Time[] } | null };
type Err = { error: { code: string; message: string } };

describe('event time forms', () => {
  let api: TestApi;
  // Tenant a's calendar is in Europe/Berlin, b's in America/New_York.
  const post = (body: object, who: 'a' | 'b' = 'a') => call(api, 'POST', `/v1/calendars/${api[who].calendarId}/events`, { key: api[who].key, body });
  const stored = async (id: string, who: 'a' | 'b' = 'a') => (await api.store.tenant(api[who].id).events.get(id))!.event;

  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  it('takes a wall clock with an IANA zone and answers the same wall clock with its offset', async () => {
    const r = await post({ title: 'Berlin standup', start: { dateTime: '2026-12-07T09:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-12-07T09:15:00', timeZone: 'Europe/Berlin' } });
    assert.equal(r.statusCode, 201, r.body);
    const e = json<Ev>(r);
    assert.deepEqual(e.start, { dateTime: '2026-12-07T09:00:00+01:00', timeZone: 'Europe/Berlin' });
    assert.deepEqual(e.end, { dateTime: '2026-12-07T09:15:00+01:00', timeZone: 'Europe/Berlin' });
    assert.deepEqual(e.timeNotes, []);
    assert.deepEqual((await stored(e.id)).start, { dateTime: '2026-12-07T08:00:00Z', timeZone: 'Europe/Berlin' });
    assert.deepEqual(json<Ev>(await call(api, 'GET', `/v1/events/${e.id}`)).start, e.start);
  });

  it('takes Windows zone names (Graph) and answers the IANA zone', async () => {
    const e = json<Ev>(await post({ start: { dateTime: '2026-07-07T09:00:00.0000000', timeZone: 'Eastern Standard Time' }, end: { dateTime: '2026-07-07T10:00:00.0000000', timeZone: 'Eastern Standard Time' } }, 'b'));
    assert.deepEqual(e.start, { dateTime: '2026-07-07T09:00:00-04:00', timeZone: 'America/New_York' });
    assert.deepEqual((await stored(e.id, 'b')).start, { dateTime: '2026-07-07T13:00:00Z', timeZone: 'America/New_York' });
  });

  it('takes RFC 3339 instants with an offset, with or without a zone, and the UTC form', async () => {
    const withCalZone = json<Ev>(await post({ start: { dateTime: '2026-12-07T09:00:00+01:00' }, end: { dateTime: '2026-12-07T10:00:00+01:00' } }));
    assert.deepEqual(withCalZone.start, { dateTime: '2026-12-07T09:00:00+01:00', timeZone: 'Europe/Berlin' });
    const fixed = json<Ev>(await post({ start: { dateTime: '2026-12-07T09:00:00-05:00' }, end: { dateTime: '2026-12-07T10:00:00-05:00' } }));
    assert.deepEqual(fixed.start, { dateTime: '2026-12-07T09:00:00-05:00', timeZone: 'Etc/GMT+5' });
    const named = json<Ev>(await post({ start: { dateTime: '2026-12-07T14:00:00Z', timeZone: 'America/New_York' }, end: { dateTime: '2026-12-07T10:00:00-05:00', timeZone: 'America/New_York' } }));
    assert.deepEqual([named.start, named.end], [{ dateTime: '2026-12-07T09:00:00-05:00', timeZone: 'America/New_York' }, { dateTime: '2026-12-07T10:00:00-05:00', timeZone: 'America/New_York' }]);
    // An answer's own form reads back unchanged: GET, then PATCH with the same times.
    const again = await call(api, 'PATCH', `/v1/events/${named.id}`, { body: { start: named.start, end: named.end, title: 'same times' } });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(json<Ev>(again).start, named.start);
    assert.deepEqual((await stored(named.id)).start, { dateTime: '2026-12-07T14:00:00Z', timeZone: 'America/New_York' });
  });

  const dst = [
    { zone: 'America/New_York', who: 'b', kind: 'nonexistent', wall: '2026-03-08T02:30:00', resolved: '2026-03-08T03:30:00-04:00', utc: '2026-03-08T07:30:00Z' },
    { zone: 'Europe/Berlin', who: 'a', kind: 'nonexistent', wall: '2026-03-29T02:30:00', resolved: '2026-03-29T03:30:00+02:00', utc: '2026-03-29T01:30:00Z' },
    { zone: 'America/New_York', who: 'b', kind: 'ambiguous', wall: '2026-11-01T01:30:00', resolved: '2026-11-01T01:30:00-04:00', utc: '2026-11-01T05:30:00Z' },
    { zone: 'Europe/Berlin', who: 'a', kind: 'ambiguous', wall: '2026-10-25T02:30:00', resolved: '2026-10-25T02:30:00+02:00', utc: '2026-10-25T00:30:00Z' },
  ] as const;
  for (const c of dst) {
    it(`a ${c.kind === 'nonexistent' ? 'DST gap' : 'DST overlap'} in ${c.zone}: read per RFC 5545 and said in the answer`, async () => {
      const end = `${c.wall.slice(0, 11)}05:00:00`;
      const r = await post({ title: c.kind, start: { dateTime: c.wall, timeZone: c.zone }, end: { dateTime: end, timeZone: c.zone } }, c.who);
      assert.equal(r.statusCode, 201, r.body);
      const e = json<Ev>(r);
      assert.deepEqual(e.start, { dateTime: c.resolved, timeZone: c.zone });
      assert.equal(e.timeNotes?.length, 1);
      const note = e.timeNotes![0]!;
      assert.deepEqual([note.field, note.kind, note.requested, note.timeZone, note.resolved], ['start', c.kind, c.wall, c.zone, c.resolved]);
      assert.match(note.rule, /RFC 5545/);
      assert.deepEqual((await stored(e.id, c.who)).start, { dateTime: c.utc, timeZone: c.zone });
      // Free/busy holds the instant the answer names.
      const fb = json<{ merged: Array<{ start: string }> }>(
        await call(api, 'POST', '/v1/freebusy', { key: api[c.who].key, body: { calendarIds: [api[c.who].calendarId], timeMin: `${c.wall.slice(0, 10)}T00:00:00Z`, timeMax: `${c.wall.slice(0, 10)}T12:00:00Z` } }),
      );
      assert.ok(fb.merged.some((s) => Date.parse(s.start) === Date.parse(c.utc)), JSON.stringify(fb));
      // A later read no longer notes it; the offset in the answer tells the two 01:30s apart.
      const got = json<Ev>(await call(api, 'GET', `/v1/events/${e.id}`, { key: api[c.who].key }));
      assert.deepEqual(got.start, e.start);
      assert.equal(got.timeNotes, undefined);
    });
  }

  it('a start in a DST gap that would leave the event no time, or ending before it starts, is refused naming the gap', async () => {
    const nyc = (wall: string) => ({ dateTime: wall, timeZone: 'America/New_York' });
    for (const end of ['2027-03-14T03:30:00', '2027-03-14T03:15:00']) {
      const r = await post({ title: 'gap', start: nyc('2027-03-14T02:30:00'), end: nyc(end) }, 'b');
      assert.equal(r.statusCode, 400, r.body);
      const err = json<{ error: { code: string; message: string; fields?: string[] } }>(r).error;
      assert.equal(err.code, 'VALIDATION_FAILED');
      assert.match(err.message, /start\.dateTime: 2027-03-14T02:30:00 does not exist in America\/New_York \(a DST gap\).*2027-03-14T03:30:00-04:00/);
    }
    // An hour before it, moved into the gap by a PATCH of its start alone: refused the same way.
    const e = json<Ev>(await post({ title: 'early', start: nyc('2027-03-14T01:00:00'), end: nyc('2027-03-14T03:30:00') }, 'b'));
    const moved = await call(api, 'PATCH', `/v1/events/${e.id}`, { key: api.b.key, body: { start: nyc('2027-03-14T02:30:00') } });
    assert.equal(moved.statusCode, 400, moved.body);
    // Ending in the gap leaves time: kept, and said.
    const ok = await post({ title: 'ends in gap', start: nyc('2027-03-14T01:30:00'), end: nyc('2027-03-14T02:30:00') }, 'b');
    assert.equal(ok.statusCode, 201, ok.body);
    assert.deepEqual(json<Ev>(ok).end, { dateTime: '2027-03-14T03:30:00-04:00', timeZone: 'America/New_York' });
  });

  it('a weekly 09:00 Berlin series reads 09:00 on both sides of the DST change', async () => {
    const e = json<Ev>(await post({ title: 'weekly', start: { dateTime: '2026-03-16T09:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-03-16T10:00:00', timeZone: 'Europe/Berlin' }, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'], exdates: [{ dateTime: '2026-04-06T09:00:00', timeZone: 'Europe/Berlin' }] } }));
    assert.deepEqual(e.recurrence!.exdates, [{ dateTime: '2026-04-06T09:00:00+02:00', timeZone: 'Europe/Berlin' }]);
    const list = json<{ items: Array<{ eventId: string; start: string; timeZone: string }> }>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/events?timeMin=2026-03-01T00:00:00Z&timeMax=2026-04-30T00:00:00Z`));
    const mine = list.items.filter((i) => i.eventId === e.id);
    assert.deepEqual(mine.map((i) => i.start), ['2026-03-16T09:00:00+01:00', '2026-03-23T09:00:00+01:00', '2026-03-30T09:00:00+02:00']);
    assert.ok(mine.every((i) => i.timeZone === 'Europe/Berlin'));
  });

  it('refuses a wall clock without a zone, an unknown zone and an impossible date with 400 naming the field', async () => {
    const bad = [
      [{ dateTime: '2026-12-07T09:00:00' }, 'VALIDATION_FAILED', /start\.timeZone/],
      [{ dateTime: '2026-12-07T09:00:00', timeZone: 'Mars/Olympus_Mons' }, 'VALIDATION_FAILED', /start\.timeZone: unknown time zone/],
      [{ dateTime: '7 Dec 2026 09:00', timeZone: 'Europe/Berlin' }, 'VALIDATION_FAILED', /start\.dateTime/],
      // Impossible dates in every form, including the offset forms JavaScript would roll over to the next day.
      [{ dateTime: '2026-02-30T09:00:00', timeZone: 'Europe/Berlin' }, 'DATE_INVALID', /start\.dateTime: 2026-02-30T09:00:00 is no such date/],
      [{ dateTime: '2026-11-31T09:00:00+01:00' }, 'DATE_INVALID', /start\.dateTime: 2026-11-31T09:00:00\+01:00 is no such date/],
      [{ dateTime: '2026-11-31T08:00:00Z', timeZone: 'Europe/Berlin' }, 'DATE_INVALID', /start\.dateTime/],
    ] as const;
    for (const [start, code, message] of bad) {
      const r = await post({ start, end: { dateTime: '2026-12-07T10:00:00', timeZone: 'Europe/Berlin' } });
      assert.equal(r.statusCode, 400, r.body);
      assert.equal(json<Err>(r).error.code, code, JSON.stringify(start));
      assert.match(json<Err>(r).error.message, message);
    }
    const exdate = await post({ start: { dateTime: '2026-11-30T09:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-30T10:00:00', timeZone: 'Europe/Berlin' }, recurrence: { rrules: ['FREQ=DAILY;COUNT=3'], exdates: [{ dateTime: '2026-11-31T08:00:00Z' }] } });
    assert.equal(exdate.statusCode, 400, `an EXDATE on no real day would cancel 2026-12-01's: ${exdate.body}`);
    assert.equal(json<Err>(exdate).error.code, 'DATE_INVALID');
  });
});
