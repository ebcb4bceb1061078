/** GET /v1/calendars/:id/quarantine: what a calendar set aside, by remote id and reason code, never the item content. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, json, startTestApi, type TestApi } from './test-support.ts';

type Item = { remoteId: string; reason: string; message: string; firstSeen: string; lastSeen: string };
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
      assert.deepEqual(Object.keys(i).sort(), ['firstSeen', 'lastSeen', 'message', 'reason', 'remoteId']);
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
});
