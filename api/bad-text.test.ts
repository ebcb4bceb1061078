import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, startTestApi, type TestApi } from './test-support.ts';

type Err = { error: { code: string; message: string } };
const body = { start: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-10T10:00:00Z', timeZone: 'UTC' } };

// Issue 18: a NUL or a lone surrogate in any id or text field answered 500 STORE_FAILED.
describe('text the store cannot hold is refused at the API edge', () => {
  let api: TestApi;
  before(async () => (api = await startTestApi()));
  after(() => api.close());

  const expect400 = async (p: ReturnType<typeof call>, field: RegExp) => {
    const r = await p;
    assert.equal(r.statusCode, 400, r.body);
    const e = r.json() as Err;
    assert.equal(e.error.code, 'INVALID_TEXT');
    assert.match(e.error.message, field);
  };
  const raw = (url: string, method: 'POST' | 'PATCH', payload: string) =>
    api.app.inject({ method, url, headers: { authorization: `Bearer ${api.a.key}`, 'content-type': 'application/json' }, payload });

  it('in a body field (NUL, lone high and low surrogates, nested, in a key)', async () => {
    const url = `/v1/calendars/${api.a.calendarId}/events`;
    await expect400(call(api, 'POST', url, { body: { ...body, title: 'a\u0000b' } }), /body\.title .*NUL/);
    await expect400(raw(url, 'POST', JSON.stringify({ ...body, location: 'x' }).replace('"x"', '"x\\ud800"')), /body\.location .*surrogate/);
    await expect400(raw(url, 'POST', JSON.stringify({ ...body, description: 'x' }).replace('"x"', '"\\udc00x"')), /body\.description .*surrogate/);
    await expect400(call(api, 'POST', url, { body: { ...body, attendees: [{ email: 'a@b.c', name: 'N\u0000' }] } }), /body\.attendees\.0\.name/);
    await expect400(call(api, 'POST', url, { body: { ...body, uid: 'u\u0000' } }), /body\.uid/);
  });

  it('in a path id or a query parameter', async () => {
    await expect400(call(api, 'GET', '/v1/events/evt_%00x'), /params\.id .*NUL/);
    await expect400(call(api, 'GET', `/v1/calendars/${api.a.calendarId}%00/events`), /params\.id/);
    await expect400(call(api, 'GET', `/v1/calendars/${api.a.calendarId}/events?cursor=a%00b`), /querystring\.cursor/);
    // Not UTF-8 at all (an encoded lone surrogate): a bad URL, in the documented shape.
    const bad = await call(api, 'GET', '/v1/events/evt_%ED%A0%80');
    assert.equal(bad.statusCode, 400);
    assert.equal((bad.json() as Err).error.code, 'INVALID_REQUEST');
  });

  it('in a PATCH, a mirror rule and a webhook endpoint, and a good request still works', async () => {
    const created = await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { ...body, title: 'fine \u{1F600}' } });
    assert.equal(created.statusCode, 201, created.body);
    const id = (created.json() as { id: string }).id;
    await expect400(call(api, 'PATCH', `/v1/events/${id}`, { body: { title: 'x\u0000' } }), /body\.title/);
    assert.equal((await call(api, 'GET', `/v1/events/${id}`)).json().title, 'fine \u{1F600}');
    await expect400(call(api, 'POST', '/v1/rules', { body: { sourceCalendarId: api.a.calendarId, targetCalendarId: 'cal_\u0000', mode: 'busy-block' } }), /body\.targetCalendarId .*NUL/);
    await expect400(call(api, 'POST', '/v1/rules', { body: { sourceCalendarId: api.a.calendarId, targetCalendarId: api.a.calendarId, mode: 'busy-block', filters: { ['k\u0000']: true } } }), /field name under body\.filters/);
    await expect400(call(api, 'POST', '/v1/webhooks', { body: { url: 'https://example.com/h\u0000', events: ['event.created'] } }), /body\.url/);
  });

  it('a webhook receiver answers in its own code', async () => {
    const r = await api.app.inject({ method: 'POST', url: '/webhooks/microsoft', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ value: [{ clientState: 'x' }] }).replace('"x"', '"x\\u0000"') });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal((r.json() as Err).error.code, 'WEBHOOK_INVALID_REQUEST');
    assert.match((r.json() as Err).error.message, /body\.value\.0\.clientState .*NUL/);
  });

  it('a body nested thousands of levels deep is 400, not a stack overflow (500, or 503 at a receiver)', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    for (const url of ['/v1/freebusy', `/v1/calendars/${api.a.calendarId}/events`, '/v1/rules']) {
      const r = await raw(url, 'POST', deep);
      assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
      assert.equal((r.json() as Err).error.code, 'INVALID_REQUEST');
      assert.match((r.json() as Err).error.message, /more than 32 levels deep/);
    }
    const receiver = await api.app.inject({ method: 'POST', url: '/webhooks/microsoft', headers: { 'content-type': 'application/json' }, payload: `{"value":[{"subscriptionId":"x","resourceData":${deep}}]}` });
    assert.equal(receiver.statusCode, 400, receiver.body);
    assert.equal((receiver.json() as Err).error.code, 'WEBHOOK_INVALID_REQUEST');
    // A NUL deep inside is still named by its path, found without recursion.
    const nested = { ...body, extra: Array.from({ length: 20 }).reduce<unknown>((v) => ({ a: v }), 'bad\u0000') };
    await expect400(call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: nested }), /body\.extra(\.a){20} .*NUL/);
  });
});
