/** GET /v1/calendars/:id/writes: local changes a calendar still owes its provider, and why one was refused. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Item = {
  uid: string;
  op: string;
  state: string;
  refusals: number;
  message: string | null;
  sendUpdates: string | null;
  sendUpdatesByOccurrence: Array<{ occurrence: string | null; sendUpdates: string }>;
  queuedAt: string;
  updatedAt: string;
};
type Page = { items: Item[]; nextCursor: string | null };

describe('GET /v1/calendars/:id/writes', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
    for (const uid of ['w-new', 'w-refused', 'w-parked']) {
      const quiet = uid === 'w-refused' ? '?sendUpdates=none' : '';
      const r = await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events${quiet}`, { body: ev({ uid }) });
      assert.equal(r.statusCode, 201, r.body);
    }
    // As a push leaves them (sync-engine/push.ts): a content refusal counts, a permission error does not.
    const outbox = api.store.tenant(api.a.id).outbox;
    await outbox.failed(api.a.calendarId, 'w-refused', 'CONNECTOR_INVALID: the provider refused the event: start is after end', true);
    for (let i = 0; i < 3; i++) await outbox.failed(api.a.calendarId, 'w-parked', 'CONNECTOR_INVALID: 400 invalid recurrence', true);
  });
  after(() => api.close());

  it('lists each change by UID with its state, refusals, who it will tell and the provider\'s last answer', async () => {
    const r = await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/writes`);
    assert.equal(r.statusCode, 200, r.body);
    const page = json<Page>(r);
    assert.deepEqual(page.items.map((i) => [i.uid, i.op, i.state, i.refusals, i.sendUpdates]), [
      ['w-new', 'put', 'pending', 0, 'all'],
      ['w-parked', 'put', 'parked', 3, 'all'],
      ['w-refused', 'put', 'failing', 1, 'none'],
    ]);
    assert.equal(page.items[0]!.message, null);
    assert.match(page.items[2]!.message!, /start is after end/);
    for (const i of page.items) assert.ok(Date.parse(i.queuedAt) <= Date.parse(i.updatedAt) + 1000);
  });

  it('a series names who each changed occurrence\'s write will tell, next to the widest', async () => {
    const cal = api.a.calendarId;
    await seed(api.store, api.a.id, cal, ev({ uid: 'w-series', start: at('2026-11-09T09:00:00Z'), end: at('2026-11-09T10:00:00Z'), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } }));
    const series = (await api.store.tenant(api.a.id).events.byUid(cal, 'w-series'))[0]!.id;
    for (const [key, quiet] of [['2026-11-10T09:00:00Z', '?sendUpdates=none'], ['2026-11-11T09:00:00Z', '?sendUpdates=externalOnly'], ['2026-11-12T09:00:00Z', '']] as const) {
      const r = await call(api, 'PATCH', `/v1/events/${series}/occurrences/${key}${quiet}`, { body: { title: `moved ${key}` } });
      assert.equal(r.statusCode, 200, r.body);
    }
    const item = json<Page>(await call(api, 'GET', `/v1/calendars/${cal}/writes?q=w-series`)).items[0]!;
    assert.equal(item.sendUpdates, 'all', 'the widest, as a CalDAV server is written');
    assert.deepEqual(item.sendUpdatesByOccurrence, [
      { occurrence: '2026-11-10T09:00:00Z', sendUpdates: 'none' },
      { occurrence: '2026-11-11T09:00:00Z', sendUpdates: 'externalOnly' },
      { occurrence: '2026-11-12T09:00:00Z', sendUpdates: 'all' },
    ]);
    const single = json<Page>(await call(api, 'GET', `/v1/calendars/${cal}/writes?q=w-refused`)).items[0]!;
    assert.deepEqual(single.sendUpdatesByOccurrence, [{ occurrence: null, sendUpdates: 'none' }], 'a single event is named as itself');
    await api.store.tenant(api.a.id).outbox.done(cal, 'w-series', null);
  });

  it('filters by state and text, and pages by UID', async () => {
    assert.deepEqual(json<Page>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/writes?status=parked`)).items.map((i) => i.uid), ['w-parked']);
    assert.deepEqual(json<Page>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/writes?q=recurrence`)).items.map((i) => i.uid), ['w-parked']);
    const first = json<Page>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/writes?limit=2`));
    assert.deepEqual(first.items.map((i) => i.uid), ['w-new', 'w-parked']);
    const second = json<Page>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/writes?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`));
    assert.deepEqual(second.items.map((i) => i.uid), ['w-refused']);
    assert.equal((await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/writes?status=NOPE`)).statusCode, 400);
  });

  it('another tenant and a missing calendar get 404 NOT_FOUND', async () => {
    for (const [key, id] of [[api.b.key, api.a.calendarId], [api.a.key, 'cal_nope']] as const) {
      const r = await call(api, 'GET', `/v1/calendars/${id}/writes`, { key });
      assert.equal(r.statusCode, 404, r.body);
      assert.equal(json<{ error: { code: string } }>(r).error.code, 'NOT_FOUND');
    }
  });
});
