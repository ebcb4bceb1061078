/**
 * Exchange keeps a series in order (400 ErrorOccurrenceCrossingBoundary): one occurrence moved onto
 * or past its neighbour was accepted with 200, counted as busy at its new time, then failed at
 * every push and parked. It is now 400 OCCURRENCE_OUT_OF_ORDER on Microsoft 365 calendars, before
 * anything is queued; other providers take it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, json, startTestApi, type TestApi } from './test-support.ts';

type Failure = { error: { code: string; message: string } };
const berlin = (dateTime: string) => ({ dateTime, timeZone: 'Europe/Berlin' });
// Daily 09:00–10:00 Berlin (08:00Z), 10–14 November.
const daily = { title: 'Standup', start: berlin('2026-11-10T09:00:00'), end: berlin('2026-11-10T10:00:00'), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } };
const move = (start: string, end: string) => ({ start: berlin(start), end: berlin(end) });

describe('moving one occurrence past its neighbours', () => {
  let api: TestApi;
  let outlook: string;
  before(async () => {
    api = await startTestApi();
    const t = api.store.tenant(api.a.id);
    const account = await t.accounts.upsert({ provider: 'microsoft', externalId: 'lee@example.com' });
    [outlook] = (await t.calendars.upsertMany(account.id, [{ providerCalendarId: 'AAMk-cal', name: 'Calendar', timeZone: 'Europe/Berlin', color: null, readOnly: false }])).map((c) => c.id) as [string];
  });
  after(() => api.close());

  const series = async (calendarId: string) => {
    const r = await call(api, 'POST', `/v1/calendars/${calendarId}/events`, { body: daily });
    assert.equal(r.statusCode, 201, r.body);
    return json<{ id: string }>(r).id;
  };
  const queued = async () => json<{ items: unknown[] }>(await call(api, 'GET', `/v1/calendars/${outlook}/writes`)).items.length;

  it('onto or past the next or the previous occurrence is 400 on Microsoft 365, nothing queued', async () => {
    const id = await series(outlook);
    const before = await queued();
    for (const [s, e] of [['2026-11-12T09:30:00', '2026-11-12T10:30:00'], ['2026-11-12T09:00:00', '2026-11-12T10:00:00'], ['2026-11-10T08:00:00', '2026-11-10T09:00:00']]) {
      const r = await call(api, 'PATCH', `/v1/events/${id}/occurrences/2026-11-11T08:00:00Z`, { body: move(s!, e!) });
      assert.equal(r.statusCode, 400, `${s}: ${r.body}`);
      assert.equal(json<Failure>(r).error.code, 'OCCURRENCE_OUT_OF_ORDER');
    }
    assert.equal(await queued(), before, 'no write queued');
    const between = await call(api, 'PATCH', `/v1/events/${id}/occurrences/2026-11-11T08:00:00Z`, { body: move('2026-11-12T08:30:00', '2026-11-12T09:30:00') });
    assert.equal(between.statusCode, 200, between.body);
  });

  it('counts a moved neighbour where it stands, and a cancelled one not at all', async () => {
    const id = await series(outlook);
    const third = await call(api, 'PATCH', `/v1/events/${id}/occurrences/2026-11-12T08:00:00Z`, { body: move('2026-11-11T20:00:00', '2026-11-11T21:00:00') });
    assert.equal(third.statusCode, 200, third.body);
    const past = await call(api, 'PATCH', `/v1/events/${id}/occurrences/2026-11-11T08:00:00Z`, { body: move('2026-11-11T20:30:00', '2026-11-11T21:30:00') });
    assert.equal(json<Failure>(past).error.code, 'OCCURRENCE_OUT_OF_ORDER', past.body);
    assert.equal((await call(api, 'DELETE', `/v1/events/${id}/occurrences/2026-11-14T08:00:00Z`)).statusCode, 204);
    const onTheGap = await call(api, 'PATCH', `/v1/events/${id}/occurrences/2026-11-13T08:00:00Z`, { body: move('2026-11-14T09:00:00', '2026-11-14T10:00:00') });
    assert.equal(onTheGap.statusCode, 200, onTheGap.body);
  });

  it('other providers take the same move', async () => {
    const id = await series(api.a.calendarId);
    const r = await call(api, 'PATCH', `/v1/events/${id}/occurrences/2026-11-11T08:00:00Z`, { body: move('2026-11-12T09:30:00', '2026-11-12T10:30:00') });
    assert.equal(r.statusCode, 200, r.body);
  });
});
