/** "This and following events": PATCH and DELETE /v1/events/:id/occurrences/:key/following. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Err = { error: { code: string; message: string } };
type Instance = { eventId: string; uid: string; originalStartKey: string; start: string; end: string; title: string | null; status: string };
type Page<T> = { items: T[]; nextCursor: string | null };
type Rec = { rrules: string[]; exdates: Array<Record<string, string>>; rdates: Array<Record<string, string>> };
type Ev = { id: string; uid: string; etag: string; title: string | null; start: Record<string, string>; end: Record<string, string>; recurrence: Rec | null; attendees: Array<{ email: string; response: string }> };
type Busy = { calendars: Array<{ busy: Array<{ start: string; end: string }> }> };

describe('a series changed or cancelled from one occurrence on', () => {
  let api: TestApi;
  const cal = () => api.a.calendarId;
  const rows = (uid: string) => api.store.tenant(api.a.id).events.byUid(cal(), uid);
  const idOf = async (uid: string) => (await rows(uid)).find((r) => r.event.originalStart === null)!.id;
  const listed = async (from: string, to: string) =>
    json<Page<Instance>>(await call(api, 'GET', `/v1/calendars/${cal()}/events?timeMin=${from}&timeMax=${to}&limit=100`)).items;
  const show = (i: Instance) => `${i.start} ${i.title}`;
  const master = async (id: string) => json<Ev>(await call(api, 'GET', `/v1/events/${id}`));

  before(async () => {
    api = await startTestApi();
    await seed(
      api.store,
      api.a.id,
      cal(),
      // Mondays 09:00 Berlin, six times across the end of summer time (Oct 25): an EXDATE on Nov 9, Nov 2 retitled, Oct 12 moved.
      [
        ev({
          uid: 'weekly',
          title: 'Sync',
          start: at('2026-10-05T07:00:00Z', 'Europe/Berlin'),
          end: at('2026-10-05T08:00:00Z', 'Europe/Berlin'),
          recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6'], exdates: [at('2026-11-09T08:00:00Z', 'Europe/Berlin')] },
          organizer: { email: 'owner@example.com' },
          attendees: [{ email: 'guest@example.com', response: 'accepted' }],
        }),
        ev({ uid: 'weekly', title: 'Review', originalStart: at('2026-11-02T08:00:00Z', 'Europe/Berlin'), start: at('2026-11-02T08:00:00Z', 'Europe/Berlin'), end: at('2026-11-02T09:00:00Z', 'Europe/Berlin') }),
        ev({ uid: 'weekly', title: 'Sync', originalStart: at('2026-10-12T07:00:00Z', 'Europe/Berlin'), start: at('2026-10-12T12:00:00Z', 'Europe/Berlin'), end: at('2026-10-12T13:00:00Z', 'Europe/Berlin') }),
      ],
      // Daily 08:00 UTC until Nov 30; EXDATEs on Nov 17 and Nov 27, Nov 25 moved.
      [
        ev({ uid: 'daily', start: at('2026-11-16T08:00:00Z'), end: at('2026-11-16T08:30:00Z'), recurrence: { rrules: ['FREQ=DAILY;UNTIL=20261130T080000Z'], exdates: [at('2026-11-17T08:00:00Z'), at('2026-11-27T08:00:00Z')] } }),
        ev({ uid: 'daily', originalStart: at('2026-11-25T08:00:00Z'), start: at('2026-11-25T15:00:00Z'), end: at('2026-11-25T15:30:00Z') }),
      ],
      ev({ uid: 'holiday', title: 'Office closed', start: { date: '2026-11-02' }, end: { date: '2026-11-03' }, recurrence: { rrules: ['FREQ=WEEKLY'] } }),
      ev({ uid: 'floating', title: 'Stretch', start: { local: '2026-11-09T07:00:00' }, end: { local: '2026-11-09T07:30:00' }, recurrence: { rrules: ['FREQ=DAILY'] } }),
      ev({ uid: 'twice', title: 'Gym', start: at('2026-11-02T17:00:00Z'), end: at('2026-11-02T18:00:00Z'), recurrence: { rrules: ['FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10'] } }),
      ev({ uid: 'first', title: 'Kickoff', start: at('2026-11-03T10:00:00Z'), end: at('2026-11-03T11:00:00Z'), recurrence: { rrules: ['FREQ=DAILY;COUNT=3'] } }),
      ev({ uid: 'gone', title: 'Old', start: at('2026-11-03T12:00:00Z'), end: at('2026-11-03T13:00:00Z'), recurrence: { rrules: ['FREQ=DAILY;COUNT=3'] } }),
      ev({ uid: 'single', start: at('2026-11-10T09:00:00Z'), end: at('2026-11-10T10:00:00Z') }),
    );
  });
  after(() => api.close());

  it('moves the following occurrences to Thursdays: the old series ends before the cut, a new one takes the rest with the later override and EXDATE', async () => {
    const id = await idOf('weekly');
    const etag = (await master(id)).etag;
    const url = `/v1/events/${id}/occurrences/2026-10-19T07:00:00Z/following`;
    const body = { start: { dateTime: '2026-10-22T09:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-10-22T10:00:00', timeZone: 'Europe/Berlin' }, title: 'Sync (Thu)' };
    const stale = await call(api, 'PATCH', url, { body, headers: { 'if-match': '"stale"' } });
    assert.equal(stale.statusCode, 412, stale.body);
    const r = await call(api, 'PATCH', `${url}?sendUpdates=none`, { body, headers: { 'if-match': etag } });
    assert.equal(r.statusCode, 200, r.body);
    const fresh = json<Ev>(r);
    assert.equal(r.headers.location, `/v1/events/${fresh.id}`);
    assert.equal(r.headers.etag, fresh.etag);
    assert.notEqual(fresh.uid, 'weekly');
    assert.notEqual(fresh.id, id);
    assert.deepEqual(fresh.recurrence?.rrules, ['FREQ=WEEKLY;COUNT=4'], 'the remaining four of six');
    assert.deepEqual(fresh.recurrence?.exdates, [{ dateTime: '2026-11-12T09:00:00+01:00', timeZone: 'Europe/Berlin' }], 'the later EXDATE moves with the series');
    assert.deepEqual(fresh.attendees.map((a) => [a.email, a.response]), [['guest@example.com', 'accepted']], 'the meeting keeps its attendees');
    const old = await master(id);
    assert.deepEqual(old.recurrence, { rrules: ['FREQ=WEEKLY;COUNT=2'], exdates: [], rdates: [] });
    assert.equal((await rows('weekly')).length, 2, 'the override before the cut stays with the old series');

    const items = await listed('2026-10-01T00:00:00Z', '2026-11-20T00:00:00Z');
    assert.deepEqual(items.filter((i) => i.uid === 'weekly' || i.uid === fresh.uid).map(show), [
      '2026-10-05T09:00:00+02:00 Sync',
      '2026-10-12T14:00:00+02:00 Sync',
      '2026-10-22T09:00:00+02:00 Sync (Thu)',
      '2026-10-29T09:00:00+01:00 Sync (Thu)',
      '2026-11-05T09:00:00+01:00 Review',
    ]);
    const fb = json<Busy>(await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [cal()], timeMin: '2026-10-01T00:00:00Z', timeMax: '2026-11-01T00:00:00Z' } }));
    assert.deepEqual(
      fb.calendars[0]!.busy.map((b) => `${b.start.slice(0, 16)}/${b.end.slice(11, 16)}`),
      ['2026-10-05T07:00/08:00', '2026-10-12T12:00/13:00', '2026-10-22T07:00/08:00', '2026-10-29T08:00/09:00'],
      'busy at the old Mondays before the cut and the Thursdays after (across the DST change), once each',
    );
    const week = json<Busy>(await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [cal()], timeMin: '2026-11-02T07:00:00Z', timeMax: '2026-11-09T10:00:00Z' } }));
    const spans = week.calendars[0]!.busy.map((b) => `${b.start.slice(0, 16)}/${b.end.slice(11, 16)}`);
    assert.ok(spans.includes('2026-11-05T08:00/09:00'), JSON.stringify(spans));
    assert.ok(!spans.some((s) => s.startsWith('2026-11-02T08:00') || s.startsWith('2026-11-09T08:00')), `no Monday after the cut: ${JSON.stringify(spans)}`);
    const outbox = await api.store.db.query<{ uid: string; op: string; send_updates: number | null }>('SELECT uid, op, send_updates FROM outbox WHERE calendar_id = $1 AND uid = ANY($2) ORDER BY uid', [cal(), ['weekly', fresh.uid]]);
    assert.deepEqual(outbox.map((o) => o.op), ['put', 'put'], 'both series wait in the outbox');
    assert.equal(new Set(outbox.map((o) => o.send_updates)).size, 1, 'both writes tell attendees as asked');
  });

  it('cancels from an occurrence: UNTIL just before it, later overrides and EXDATEs gone, earlier ones kept', async () => {
    const id = await idOf('daily');
    const r = await call(api, 'DELETE', `/v1/events/${id}/occurrences/2026-11-20T08:00:00Z/following`, { headers: { 'if-match': (await master(id)).etag } });
    assert.equal(r.statusCode, 204, r.body);
    const old = await master(id);
    assert.deepEqual(old.recurrence?.rrules, ['FREQ=DAILY;UNTIL=20261120T075959Z']);
    assert.deepEqual(old.recurrence?.exdates, [{ dateTime: '2026-11-17T08:00:00Z', timeZone: 'UTC' }]);
    assert.equal((await rows('daily')).length, 1, 'the override after the cut is gone');
    const items = await listed('2026-11-15T00:00:00Z', '2026-12-05T00:00:00Z');
    assert.deepEqual(items.filter((i) => i.uid === 'daily').map((i) => i.start), ['2026-11-16T08:00:00Z', '2026-11-18T08:00:00Z', '2026-11-19T08:00:00Z']);
  });

  it('an all-day series ends with a DATE the day before; an open-ended one goes on open-ended', async () => {
    const id = await idOf('holiday');
    const r = await call(api, 'PATCH', `/v1/events/${id}/occurrences/2026-11-16/following`, { body: { title: 'Office open late' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual([json<Ev>(r).start, json<Ev>(r).recurrence?.rrules], [{ date: '2026-11-16' }, ['FREQ=WEEKLY']]);
    assert.deepEqual((await master(id)).recurrence?.rrules, ['FREQ=WEEKLY;UNTIL=20261115']);
    const items = await listed('2026-11-01T00:00:00Z', '2026-11-24T00:00:00Z');
    assert.deepEqual(items.filter((i) => i.title?.startsWith('Office')).map((i) => `${i.start.slice(0, 10)} ${i.title}`), ['2026-11-02 Office closed', '2026-11-09 Office closed', '2026-11-16 Office open late', '2026-11-23 Office open late']);
  });

  it('a floating series ends with a floating UNTIL; a COUNT over two weekdays is split by occurrences', async () => {
    assert.equal((await call(api, 'DELETE', `/v1/events/${await idOf('floating')}/occurrences/2026-11-11T07:00:00/following`)).statusCode, 204);
    assert.deepEqual((await master(await idOf('floating'))).recurrence?.rrules, ['FREQ=DAILY;UNTIL=20261111T065959']);
    const twice = await idOf('twice');
    // Mon Nov 2, Wed 4, Mon 9, Wed 11: the fifth is Mon Nov 16.
    const r = await call(api, 'PATCH', `/v1/events/${twice}/occurrences/2026-11-16T17:00:00Z/following`, { body: { location: 'New gym' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(json<Ev>(r).recurrence?.rrules, ['FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6']);
    assert.deepEqual((await master(twice)).recurrence?.rrules, ['FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4']);
    const items = await listed('2026-11-01T00:00:00Z', '2026-12-20T00:00:00Z');
    assert.equal(items.filter((i) => i.title === 'Gym').length, 10, 'ten occurrences, as before');
  });

  it('from the first occurrence it is the change or deletion of all events', async () => {
    const id = await idOf('first');
    const r = await call(api, 'PATCH', `/v1/events/${id}/occurrences/2026-11-03T10:00:00Z/following`, { body: { title: 'Kickoff!' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual([json<Ev>(r).id, json<Ev>(r).uid, json<Ev>(r).recurrence?.rrules], [id, 'first', ['FREQ=DAILY;COUNT=3']]);
    const gone = await idOf('gone');
    assert.equal((await call(api, 'DELETE', `/v1/events/${gone}/occurrences/2026-11-03T12:00:00Z/following`)).statusCode, 204);
    assert.deepEqual(await rows('gone'), []);
  });

  it('refuses a key after the series ended (400 NO_FOLLOWING_OCCURRENCE), one off its rule (404), a single event and fields calhub sets', async () => {
    const first = await idOf('first');
    const past = await call(api, 'DELETE', `/v1/events/${first}/occurrences/2026-11-20T10:00:00Z/following`);
    assert.equal(past.statusCode, 400, past.body);
    assert.equal(json<Err>(past).error.code, 'NO_FOLLOWING_OCCURRENCE');
    assert.equal(json<Err>(await call(api, 'PATCH', `/v1/events/${first}/occurrences/2026-11-20T10:00:00Z/following`, { body: { title: 'x' } })).error.code, 'NO_FOLLOWING_OCCURRENCE');
    assert.equal((await call(api, 'DELETE', `/v1/events/${first}/occurrences/2026-11-04T11:00:00Z/following`)).statusCode, 404);
    const single = await call(api, 'DELETE', `/v1/events/${await idOf('single')}/occurrences/2026-11-10T09:00:00Z/following`);
    assert.equal(json<Err>(single).error.code, 'VALIDATION_FAILED');
    const uid = await call(api, 'PATCH', `/v1/events/${first}/occurrences/2026-11-04T10:00:00Z/following`, { body: { uid: 'x' } });
    assert.equal(uid.statusCode, 400);
    assert.match(json<Err>(uid).error.message, /uid: set by calhub/);
  });

  it('an Idempotency-Key makes one new series however often the request is sent', async () => {
    const id = await idOf('first');
    const send = () => call(api, 'PATCH', `/v1/events/${id}/occurrences/2026-11-04T10:00:00Z/following`, { body: { title: 'Day two on' }, headers: { 'idempotency-key': 'split-1' } });
    const a = await send();
    const b = await send();
    assert.equal(a.statusCode, 200, a.body);
    assert.equal(json<Ev>(b).id, json<Ev>(a).id);
    const items = await listed('2026-11-01T00:00:00Z', '2026-11-10T00:00:00Z');
    assert.deepEqual(items.filter((i) => i.title?.startsWith('Kickoff') || i.title === 'Day two on').map(show), ['2026-11-03T10:00:00Z Kickoff!', '2026-11-04T10:00:00Z Day two on', '2026-11-05T10:00:00Z Day two on']);
  });
});
