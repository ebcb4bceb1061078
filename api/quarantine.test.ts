/** GET /v1/calendars/:id/quarantine: what a calendar set aside, by remote id and reason code, never the item content. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Item = { remoteId: string; eventId: string | null; reason: string; message: string; firstSeen: string; lastSeen: string };
type Page = { items: Item[]; nextCursor: string | null };

describe('GET /v1/calendars/:id/quarantine', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
    // As a pull leaves them: screen.ts and the store's own checks word these messages.
    await api.store.tenant(api.a.id).events.applyRemoteChanges(api.a.calendarId, [
      { kind: 'invalid', remoteId: 'obj-nul', version: '"1"', error: 'unstorable text: event.0.title contains a NUL character', raw: '{"title":"password hunter2"}' },
      { kind: 'invalid', remoteId: 'obj-twin', version: null, error: 'UID a@b is also used by obj-first in this calendar (one object per UID); this one is set aside', raw: null },
      { kind: 'invalid', remoteId: 'obj-bad', version: null, error: 'invalid event: start: Required', raw: 'BEGIN:VEVENT\nDESCRIPTION:token=abc.def.ghi' },
    ]);
  });
  after(() => api.close());

  it('lists each item with its reason code, message and first/last seen, and no raw content', async () => {
    const r = await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/quarantine`);
    assert.equal(r.statusCode, 200, r.body);
    const page = json<Page>(r);
    assert.deepEqual(page.items.map((i) => [i.remoteId, i.reason]), [['obj-bad', 'INVALID_DATA'], ['obj-nul', 'UNSTORABLE_TEXT'], ['obj-twin', 'UID_CLASH']]);
    assert.match(page.items[2]!.message, /also used by obj-first/);
    for (const i of page.items) {
      assert.ok(Date.parse(i.firstSeen) <= Date.parse(i.lastSeen));
      assert.deepEqual(Object.keys(i).sort(), ['eventId', 'firstSeen', 'lastSeen', 'message', 'reason', 'remoteId']);
      assert.equal(i.eventId, null, 'never read: no event kept');
    }
    assert.ok(!r.body.includes('hunter2') && !r.body.includes('abc.def.ghi'), 'item content reached the answer');
    assert.equal(page.nextCursor, null);
  });

  it('pages by remote id and filters by reason code and text', async () => {
    const first = json<Page>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/quarantine?limit=2`));
    assert.deepEqual(first.items.map((i) => i.remoteId), ['obj-bad', 'obj-nul']);
    assert.ok(first.nextCursor);
    const second = json<Page>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/quarantine?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`));
    assert.deepEqual(second.items.map((i) => i.remoteId), ['obj-twin']);
    const clashes = json<Page>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/quarantine?status=UID_CLASH`));
    assert.deepEqual(clashes.items.map((i) => i.remoteId), ['obj-twin']);
    assert.deepEqual(json<Page>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/quarantine?q=NUL`)).items.map((i) => i.remoteId), ['obj-nul']);
    assert.equal((await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/quarantine?status=NOPE`)).statusCode, 400);
  });

  it('another tenant and a missing calendar get 404 NOT_FOUND', async () => {
    for (const [key, id] of [[api.b.key, api.a.calendarId], [api.a.key, 'cal_nope']] as const) {
      const r = await call(api, 'GET', `/v1/calendars/${id}/quarantine`, { key });
      assert.equal(r.statusCode, 404, r.body);
      assert.equal(json<{ error: { code: string } }>(r).error.code, 'NOT_FOUND');
    }
  });

  it('an event whose item became unreadable is kept, answered quarantined: true everywhere, and refuses writes with 409 EVENT_QUARANTINED', async () => {
    const { calendarId } = api.a;
    await seed(api.store, api.a.id, calendarId, ev({ uid: 'kept', title: 'Kept', start: { dateTime: '2026-11-20T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-20T10:00:00Z', timeZone: 'UTC' } }), ev({ uid: 'fine', start: { dateTime: '2026-11-20T11:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-20T12:00:00Z', timeZone: 'UTC' } }));
    const rows = await api.store.tenant(api.a.id).events.list(calendarId);
    const kept = rows.find((r) => r.event.uid === 'kept')!;
    const fine = rows.find((r) => r.event.uid === 'fine')!;
    await api.store.tenant(api.a.id).events.applyRemoteChanges(calendarId, [{ kind: 'invalid', remoteId: kept.remoteId!, version: '"2"', error: 'VEVENT kept DTSTART: invalid date-time: the object has DTSTART:None', raw: null }]);

    const one = json<{ id: string; title: string; quarantined: boolean }>(await call(api, 'GET', `/v1/events/${kept.id}`));
    assert.deepEqual([one.id, one.title, one.quarantined], [kept.id, 'Kept', true]);
    assert.equal(json<{ quarantined: boolean }>(await call(api, 'GET', `/v1/events/${fine.id}`)).quarantined, false);
    const list = json<{ items: Array<{ id: string; quarantined: boolean }> }>(await call(api, 'GET', `/v1/calendars/${calendarId}/events`));
    assert.deepEqual(list.items.filter((i) => [kept.id, fine.id].includes(i.id)).map((i) => [i.id, i.quarantined]).sort(), [[kept.id, true], [fine.id, false]].sort());
    const window = json<{ items: Array<{ eventId: string; quarantined: boolean }> }>(await call(api, 'GET', `/v1/calendars/${calendarId}/events?timeMin=2026-11-20T00:00:00Z&timeMax=2026-11-21T00:00:00Z`));
    assert.deepEqual(window.items.map((i) => [i.eventId, i.quarantined]), [[kept.id, true], [fine.id, false]]);

    for (const r of [await call(api, 'PATCH', `/v1/events/${kept.id}`, { body: { title: 'mine' } }), await call(api, 'DELETE', `/v1/events/${kept.id}`)]) {
      assert.equal(r.statusCode, 409, r.body);
      const error = json<{ error: { code: string; message: string } }>(r).error;
      assert.equal(error.code, 'EVENT_QUARANTINED');
      assert.match(error.message, /kept#0\) is quarantined: it could not be read \(VEVENT kept DTSTART: invalid date-time/);
    }
    assert.equal((await call(api, 'PATCH', `/v1/events/${fine.id}`, { body: { title: 'fine too' } })).statusCode, 200);
    assert.equal((await api.store.tenant(api.a.id).events.get(kept.id))?.event.title, 'Kept', 'nothing was written');

    // The listing names the kept event, so an operator can look at the copy the API still answers.
    const listed = json<Page>(await call(api, 'GET', `/v1/calendars/${calendarId}/quarantine?q=${encodeURIComponent(kept.remoteId!)}`)).items;
    assert.deepEqual(listed.map((i) => [i.remoteId, i.eventId]), [[kept.remoteId, kept.id]]);
  });
});
