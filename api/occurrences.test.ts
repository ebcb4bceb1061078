/** One occurrence of a series read, changed or cancelled on its own: GET, PATCH and DELETE /v1/events/:id/occurrences/:key. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Err = { error: { code: string; message: string } };
type Instance = { eventId: string; uid: string; originalStartKey: string; start: string; end: string; title: string | null; isOverride: boolean };
type Page<T> = { items: T[]; nextCursor: string | null };
type Ev = { id: string; uid: string; etag: string; title: string | null; location: string | null; originalStart: Record<string, string> | null; start: Record<string, string>; end: Record<string, string>; recurrence: { exdates: Array<Record<string, string>> } | null };

describe('occurrences of a series', () => {
  let api: TestApi;
  let standup: string;
  let holiday: string;
  let single: string;
  const cal = () => api.a.calendarId;
  const instances = async (uid: string, from: string, to: string) =>
    json<Page<Instance>>(await call(api, 'GET', `/v1/calendars/${cal()}/events?timeMin=${from}&timeMax=${to}`)).items.filter((i) => i.uid === uid);
  const idOf = async (uid: string) => (await api.store.tenant(api.a.id).events.byUid(cal(), uid)).find((r) => r.event.originalStart === null)!.id;

  before(async () => {
    api = await startTestApi();
    await seed(
      api.store,
      api.a.id,
      cal(),
      // 08:00 Berlin on weekdays from Monday 2026-11-09; the Wednesday is already moved to 13:00.
      [
        ev({ uid: 'standup', title: 'Standup', location: 'Room 1', start: at('2026-11-09T07:00:00Z', 'Europe/Berlin'), end: at('2026-11-09T07:15:00Z', 'Europe/Berlin'), recurrence: { rrules: ['FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=10'] } }),
        ev({ uid: 'standup', title: 'Standup', originalStart: at('2026-11-11T07:00:00Z', 'Europe/Berlin'), start: at('2026-11-11T12:00:00Z', 'Europe/Berlin'), end: at('2026-11-11T12:15:00Z', 'Europe/Berlin') }),
      ],
      ev({ uid: 'holiday', title: 'Office closed', start: { date: '2026-11-09' }, end: { date: '2026-11-10' }, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } }),
      ev({ uid: 'single', start: at('2026-11-10T09:00:00Z'), end: at('2026-11-10T10:00:00Z') }),
      ev({ uid: 'floating', title: 'Stretch', start: { local: '2026-11-09T07:00:00' }, end: { local: '2026-11-09T07:30:00' }, recurrence: { rrules: ['FREQ=DAILY;COUNT=3'] } }),
      // One instance of someone else's series, shared alone: no master.
      ev({ uid: 'invited', title: 'Review', originalStart: at('2026-11-12T14:00:00Z', 'Europe/Berlin'), start: at('2026-11-12T15:00:00Z', 'Europe/Berlin'), end: at('2026-11-12T16:00:00Z', 'Europe/Berlin') }),
    );
    [standup, holiday, single] = (await Promise.all(['standup', 'holiday', 'single'].map(idOf))) as [string, string, string];
  });
  after(() => api.close());

  it('moves one regular occurrence: a new override from the master at that occurrence, the rest of the series unchanged', async () => {
    const key = '2026-11-10T07:00:00Z';
    const r = await call(api, 'PATCH', `/v1/events/${standup}/occurrences/${key}`, { body: { start: { dateTime: '2026-11-10T10:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-10T10:30:00', timeZone: 'Europe/Berlin' } } });
    assert.equal(r.statusCode, 200, r.body);
    const o = json<Ev>(r);
    assert.equal(r.headers.location, `/v1/events/${o.id}`);
    assert.equal(r.headers.etag, o.etag);
    assert.deepEqual(o.originalStart, { dateTime: '2026-11-10T08:00:00+01:00', timeZone: 'Europe/Berlin' });
    assert.deepEqual([o.start.dateTime, o.end.dateTime], ['2026-11-10T10:00:00+01:00', '2026-11-10T10:30:00+01:00']);
    assert.deepEqual([o.title, o.location, o.recurrence], ['Standup', 'Room 1', null], 'what the body does not change comes from the master');
    const listed = await instances('standup', '2026-11-09T00:00:00Z', '2026-11-12T00:00:00Z');
    assert.deepEqual(
      listed.map((i) => [i.start, i.isOverride]),
      [['2026-11-09T08:00:00+01:00', false], ['2026-11-10T10:00:00+01:00', true], ['2026-11-11T13:00:00+01:00', true]],
    );
    // The write waits in the outbox for the next push, like every API write.
    const writes = json<Page<{ uid: string }>>(await call(api, 'GET', `/v1/calendars/${cal()}/writes`));
    assert.ok(writes.items.some((w) => w.uid === 'standup'), JSON.stringify(writes));
  });

  it('changes an occurrence that has an override through the override, named by the series or by the override itself', async () => {
    const key = '2026-11-11T07:00:00Z';
    const moved = (await api.store.tenant(api.a.id).events.byUid(cal(), 'standup')).find((r) => r.event.originalStart !== null && 'dateTime' in r.event.originalStart && r.event.originalStart.dateTime === key)!;
    const viaSeries = await call(api, 'PATCH', `/v1/events/${standup}/occurrences/${key}`, { body: { title: 'Standup (late)' } });
    assert.equal(viaSeries.statusCode, 200, viaSeries.body);
    assert.equal(json<Ev>(viaSeries).id, moved.id);
    // Any RFC 3339 spelling of the original start names the same occurrence.
    const viaOverride = await call(api, 'PATCH', `/v1/events/${moved.id}/occurrences/2026-11-11T08:00:00+01:00`, { body: { location: 'Room 2' } });
    assert.equal(viaOverride.statusCode, 200, viaOverride.body);
    assert.deepEqual([json<Ev>(viaOverride).id, json<Ev>(viaOverride).title, json<Ev>(viaOverride).location], [moved.id, 'Standup (late)', 'Room 2']);
    assert.equal((await api.store.tenant(api.a.id).events.byUid(cal(), 'standup')).length, 3, 'no second override of one occurrence');
  });

  it('cancels a regular occurrence with an EXDATE on the master, and an overridden one by cancelling its override', async () => {
    assert.equal((await call(api, 'DELETE', `/v1/events/${standup}/occurrences/2026-11-12T07:00:00Z`)).statusCode, 204);
    const master = json<Ev>(await call(api, 'GET', `/v1/events/${standup}`));
    assert.deepEqual(master.recurrence?.exdates, [{ dateTime: '2026-11-12T08:00:00+01:00', timeZone: 'Europe/Berlin' }]);
    assert.equal((await call(api, 'DELETE', `/v1/events/${standup}/occurrences/2026-11-11T07:00:00Z`)).statusCode, 204);
    const listed = await instances('standup', '2026-11-09T00:00:00Z', '2026-11-14T00:00:00Z');
    assert.deepEqual(listed.map((i) => i.start), ['2026-11-09T08:00:00+01:00', '2026-11-10T10:00:00+01:00', '2026-11-13T08:00:00+01:00']);
    // A cancelled occurrence is no longer there to change or cancel again.
    const again = await call(api, 'PATCH', `/v1/events/${standup}/occurrences/2026-11-12T07:00:00Z`, { body: { title: 'x' } });
    assert.equal(again.statusCode, 404, again.body);
    // A cancelled override is still there: confirming it brings the occurrence back as its master
    // has it (a provider may have kept nothing else of it), under the override's own id.
    const cancelledId = (await api.store.tenant(api.a.id).events.byUid(cal(), 'standup')).find((r) => r.event.status === 'cancelled')!.id;
    const back = await call(api, 'PATCH', `/v1/events/${standup}/occurrences/2026-11-11T07:00:00Z`, { body: { status: 'confirmed' } });
    assert.equal(back.statusCode, 200, back.body);
    assert.deepEqual([json<Ev>(back).id, json<Ev>(back).title, json<Ev>(back).location], [cancelledId, 'Standup', 'Room 1']);
    assert.deepEqual((await instances('standup', '2026-11-11T00:00:00Z', '2026-11-12T00:00:00Z')).map((i) => [i.start, i.title]), [['2026-11-11T08:00:00+01:00', 'Standup']]);
  });

  it('If-Match: the master etag for a regular occurrence; a stale one is 412 and writes nothing', async () => {
    const etag = json<Ev>(await call(api, 'GET', `/v1/events/${standup}`)).etag;
    const ok = await call(api, 'PATCH', `/v1/events/${standup}/occurrences/2026-11-16T07:00:00Z`, { body: { title: 'Monday standup' }, headers: { 'if-match': etag } });
    assert.equal(ok.statusCode, 200, ok.body);
    await call(api, 'PATCH', `/v1/events/${standup}`, { body: { location: 'Room 3' } });
    const stale = await call(api, 'DELETE', `/v1/events/${standup}/occurrences/2026-11-17T07:00:00Z`, { headers: { 'if-match': etag } });
    assert.equal(stale.statusCode, 412, stale.body);
    assert.equal((await instances('standup', '2026-11-17T00:00:00Z', '2026-11-18T00:00:00Z')).length, 1);
  });

  it('an all-day series: the occurrence is named by its date and keeps its length', async () => {
    const r = await call(api, 'PATCH', `/v1/events/${holiday}/occurrences/2026-11-16`, { body: { title: 'Office open after all', availability: 'free' } });
    assert.equal(r.statusCode, 200, r.body);
    const o = json<Ev>(r);
    assert.deepEqual([o.originalStart, o.start, o.end], [{ date: '2026-11-16' }, { date: '2026-11-16' }, { date: '2026-11-17' }]);
    assert.equal((await call(api, 'DELETE', `/v1/events/${holiday}/occurrences/2026-11-23`)).statusCode, 204);
    const listed = await instances('holiday', '2026-11-01T00:00:00Z', '2026-12-31T00:00:00Z');
    assert.deepEqual(listed.map((i) => [i.originalStartKey, i.title]), [['2026-11-09', 'Office closed'], ['2026-11-16', 'Office open after all'], ['2026-11-30', 'Office closed']]);
  });

  it('a floating series: the occurrence is named by its wall clock, with or without ~floating', async () => {
    const floating = await idOf('floating');
    const r = await call(api, 'PATCH', `/v1/events/${floating}/occurrences/2026-11-10T07:00:00`, { body: { title: 'Stretch (short)', end: { local: '2026-11-10T07:15:00' } } });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual([json<Ev>(r).originalStart, json<Ev>(r).start, json<Ev>(r).end], [{ local: '2026-11-10T07:00:00' }, { local: '2026-11-10T07:00:00' }, { local: '2026-11-10T07:15:00' }]);
    assert.equal((await call(api, 'DELETE', `/v1/events/${floating}/occurrences/2026-11-11T07:00:00~floating`)).statusCode, 204);
    const listed = await instances('floating', '2026-11-08T00:00:00Z', '2026-11-13T00:00:00Z');
    assert.deepEqual(listed.map((i) => i.title), ['Stretch', 'Stretch (short)']);
  });

  it('an instance shared without its series: its own occurrence is the override; no other is there', async () => {
    const invited = (await api.store.tenant(api.a.id).events.byUid(cal(), 'invited'))[0]!.id;
    const r = await call(api, 'PATCH', `/v1/events/${invited}/occurrences/2026-11-12T14:00:00Z`, { body: { location: 'Room 9' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual([json<Ev>(r).id, json<Ev>(r).location], [invited, 'Room 9']);
    const other = await call(api, 'PATCH', `/v1/events/${invited}/occurrences/2026-11-13T14:00:00Z`, { body: { location: 'Room 9' } });
    assert.equal(other.statusCode, 404, other.body);
  });

  it('GET answers one occurrence as the listing shows it, with the etag its change sends; a moved one at its new time, a cancelled one too', async () => {
    await seed(api.store, api.a.id, cal(), [
      ev({ uid: 'weekly', title: 'Weekly', start: at('2026-12-07T09:00:00Z', 'Europe/Berlin'), end: at('2026-12-07T10:00:00Z', 'Europe/Berlin'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6'] } }),
      // The second week moved a whole week later, the third cancelled.
      ev({ uid: 'weekly', title: 'Weekly (moved)', originalStart: at('2026-12-14T09:00:00Z', 'Europe/Berlin'), start: at('2026-12-21T15:00:00Z', 'Europe/Berlin'), end: at('2026-12-21T16:00:00Z', 'Europe/Berlin') }),
      ev({ uid: 'weekly', title: 'Weekly', status: 'cancelled', originalStart: at('2026-12-28T09:00:00Z', 'Europe/Berlin'), start: at('2026-12-28T09:00:00Z', 'Europe/Berlin'), end: at('2026-12-28T10:00:00Z', 'Europe/Berlin') }),
    ]);
    const rows = await api.store.tenant(api.a.id).events.byUid(cal(), 'weekly');
    const master = rows.find((r) => r.event.originalStart === null)!;
    const listed = await instances('weekly', '2026-12-01T00:00:00Z', '2027-01-31T00:00:00Z');
    const get = (key: string) => call(api, 'GET', `/v1/events/${master.id}/occurrences/${key}`);

    const regular = await get('2026-12-07T09:00:00Z');
    assert.equal(regular.statusCode, 200, regular.body);
    assert.deepEqual(json<Instance>(regular), listed.find((i) => i.originalStartKey === '2026-12-07T09:00:00Z'), 'the same item as the listing');
    assert.equal(regular.headers.etag, `"${master.contentHash}"`, "a regular occurrence's etag is its master's");
    const moved = await get('2026-12-14T10:00:00+01:00');
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual([json<Instance>(moved).start, json<Instance>(moved).title, json<Instance>(moved).isOverride], ['2026-12-21T16:00:00+01:00', 'Weekly (moved)', true]);
    assert.deepEqual(json<Instance>(moved), listed.find((i) => i.originalStartKey === '2026-12-14T09:00:00Z'));
    const cancelled = await get('2026-12-28T09:00:00Z');
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.deepEqual([json<Instance & { status: string }>(cancelled).status, json<Instance>(cancelled).start], ['cancelled', '2026-12-28T10:00:00+01:00']);

    // The etag read is what a change of the occurrence sends; it is stale once the master changes.
    const ok = await call(api, 'PATCH', `/v1/events/${master.id}/occurrences/2026-12-07T09:00:00Z`, { headers: { 'if-match': regular.headers.etag as string }, body: { title: 'Weekly (room 2)' } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal((await get('2026-12-07T09:00:00Z')).headers.etag, ok.headers.etag, 'now the override answers, with its own etag');
    assert.equal((await get('2026-12-08T09:00:00Z')).statusCode, 404, 'off the rule');
    assert.equal((await call(api, 'GET', `/v1/events/${master.id}/occurrences/2026-12-07T09:00:00Z`, { key: api.b.key })).statusCode, 404, 'another tenant');
    assert.equal((await call(api, 'GET', `/v1/events/${single}/occurrences/2026-11-10T09:00:00Z`)).statusCode, 400, 'a single event');
  });

  it('refuses what names no occurrence: 404 off the rule, 400 for a single event or a malformed key, 404 for another tenant', async () => {
    const between = await call(api, 'PATCH', `/v1/events/${standup}/occurrences/2026-11-13T07:30:00Z`, { body: { title: 'x' } });
    assert.equal(between.statusCode, 404, between.body);
    const weekend = await call(api, 'DELETE', `/v1/events/${standup}/occurrences/2026-11-14T07:00:00Z`);
    assert.equal(weekend.statusCode, 404, weekend.body);
    const notSeries = await call(api, 'PATCH', `/v1/events/${single}/occurrences/2026-11-10T09:00:00Z`, { body: { title: 'x' } });
    assert.equal(notSeries.statusCode, 400, notSeries.body);
    assert.match(json<Err>(notSeries).error.message, /not part of a recurring series, so it has no occurrences of its own: change or delete the event itself/);
    const badKey = await call(api, 'PATCH', `/v1/events/${holiday}/occurrences/2026-11-16T00:00:00Z`, { body: { title: 'x' } });
    assert.equal(badKey.statusCode, 400, badKey.body);
    assert.match(json<Err>(badKey).error.message, /a date YYYY-MM-DD/);
    const fields = await call(api, 'PATCH', `/v1/events/${standup}/occurrences/2026-11-18T07:00:00Z`, { body: { recurrence: { rrules: ['FREQ=DAILY'] } } });
    assert.equal(fields.statusCode, 400, fields.body);
    const foreign = await call(api, 'PATCH', `/v1/events/${standup}/occurrences/2026-11-18T07:00:00Z`, { key: api.b.key, body: { title: 'x' } });
    assert.equal(foreign.statusCode, 404, foreign.body);
    assert.equal((await call(api, 'DELETE', `/v1/events/${standup}/occurrences/2026-11-18T07:00:00Z`, { key: api.b.key })).statusCode, 404);
    assert.equal((await instances('standup', '2026-11-18T00:00:00Z', '2026-11-19T00:00:00Z'))[0]?.title, 'Standup');
  });

  it('a key naming no real date is 400 DATE_INVALID, never read as the day JavaScript rolls it over to', async () => {
    const before = json<Ev>(await call(api, 'GET', `/v1/events/${standup}`)).etag;
    for (const [id, key, method] of [[standup, '2026-11-31T07:00:00Z', 'DELETE'], [standup, '2026-11-16T24:00:00Z', 'GET'], [standup, '2026-11-31T07:00:00Z', 'PATCH'], [holiday, '2026-11-31', 'DELETE']] as const) {
      const r = await call(api, method, `/v1/events/${id}/occurrences/${key}`, method === 'PATCH' ? { body: { title: 'x' } } : {});
      assert.equal(r.statusCode, 400, `${method} ${key}: ${r.body}`);
      assert.equal(json<{ error: { code: string; message: string } }>(r).error.code, 'DATE_INVALID');
      assert.match(json<{ error: { code: string; message: string } }>(r).error.message, new RegExp(`occurrence key "${key}": no such date`));
    }
    assert.equal(json<Ev>(await call(api, 'GET', `/v1/events/${standup}`)).etag, before, 'nothing changed');
  });

  // Dropped, the edit was lost with every move of the series; kept in place, it was listed beside
  // the series' new occurrence and the day was busy twice (09:00 and 11:00).
  it('moving a series to another time takes its edited occurrences along; a rule change drops the ones it no longer has', async () => {
    const made = await call(api, 'POST', `/v1/calendars/${cal()}/events`, { body: { title: 'Review', start: at('2027-08-02T13:00:00Z', 'America/New_York'), end: at('2027-08-02T14:00:00Z', 'America/New_York'), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } } });
    assert.equal(made.statusCode, 201, made.body);
    const { id, uid } = json<Ev>(made);
    assert.equal((await call(api, 'PATCH', `/v1/events/${id}/occurrences/2027-08-04T13:00:00Z`, { body: { title: 'Review (edited)' } })).statusCode, 200);
    assert.equal((await call(api, 'PATCH', `/v1/events/${id}/occurrences/2027-08-05T13:00:00Z`, { body: { start: at('2027-08-05T18:00:00Z', 'America/New_York'), end: at('2027-08-05T18:30:00Z', 'America/New_York') } })).statusCode, 200);
    assert.equal((await call(api, 'PATCH', `/v1/events/${id}`, { body: { title: 'Review (renamed)' } })).statusCode, 200);
    const day = async (d: string) => (await instances(uid, `${d}T00:00:00Z`, `${d}T23:59:00Z`)).map((i) => `${i.start} ${i.title}`);
    assert.deepEqual(await day('2027-08-04'), ['2027-08-04T09:00:00-04:00 Review (edited)'], 'a retitle of the series keeps the edited occurrence');
    const moved = await call(api, 'PATCH', `/v1/events/${id}`, { body: { start: at('2027-08-02T15:00:00Z', 'America/New_York'), end: at('2027-08-02T16:00:00Z', 'America/New_York') } });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual(await day('2027-08-04'), ['2027-08-04T11:00:00-04:00 Review (edited)'], 'one occurrence that day, at the new time, with its edit');
    assert.deepEqual(await day('2027-08-05'), ['2027-08-05T16:00:00-04:00 Review (renamed)'], 'the moved one keeps its offset from its slot (+5 h) and its length, and took the series\' new title');
    const rows = (await api.store.tenant(api.a.id).events.byUid(cal(), uid)).filter((r) => r.event.originalStart !== null);
    assert.deepEqual(rows.map((r) => r.event.originalStart && 'dateTime' in r.event.originalStart && r.event.originalStart.dateTime).sort(), ['2027-08-04T15:00:00Z', '2027-08-05T15:00:00Z']);
    // Two days a week instead of every day: the series has no 4 August any more.
    const ruled = await call(api, 'PATCH', `/v1/events/${id}`, { body: { recurrence: { rrules: ['FREQ=WEEKLY;BYDAY=MO,TH;COUNT=4'] } } });
    assert.equal(ruled.statusCode, 200, ruled.body);
    assert.deepEqual(await day('2027-08-04'), [], 'the edited Wednesday went with the rule change');
    assert.deepEqual(await day('2027-08-05'), ['2027-08-05T16:00:00-04:00 Review (renamed)'], 'the Thursday is still an occurrence: its override stays');
  });
});
