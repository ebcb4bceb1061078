/** What the route schemas' refusals say: unknown fields, missing ones, wrong shapes, media types; RRULE spellings. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, json, startTestApi, type TestApi } from './test-support.ts';

type Err = { error: { code: string; message: string } };
const times = { start: { dateTime: '2026-12-03T10:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-12-03T11:00:00', timeZone: 'Europe/Berlin' } };

describe('schema refusals', () => {
  let api: TestApi;
  const events = () => `/v1/calendars/${api.a.calendarId}/events`;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  it('an unknown field of an event is 400 INVALID_REQUEST naming it, at any depth', async () => {
    const r = await call(api, 'POST', events(), { body: { ...times, titel: 'typo' } });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(json<Err>(r).error.code, 'INVALID_REQUEST');
    assert.match(json<Err>(r).error.message, /^body\.titel is not a known field/);
    assert.doesNotMatch(json<Err>(r).error.message, /Unrecognized/);
    const nested = await call(api, 'POST', events(), { body: { ...times, recurrence: { rrule: ['FREQ=DAILY'] } } });
    assert.equal(json<Err>(nested).error.code, 'INVALID_REQUEST');
    assert.match(json<Err>(nested).error.message, /^body\.recurrence\.rrule is not a known field/);
    const attendee = await call(api, 'POST', events(), { body: { ...times, attendees: [{ email: 'a@example.com', mail: 'x' }] } });
    assert.match(json<Err>(attendee).error.message, /^body\.attendees\.0\.mail is not a known field/);
    const patch = await call(api, 'PATCH', '/v1/events/evt_x', { body: { titel: 'typo' } });
    assert.equal(json<Err>(patch).error.code, 'INVALID_REQUEST');
    // Fields calhub sets (as a GET answers them) are still refused by name, as VALIDATION_FAILED.
    const forged = await call(api, 'POST', events(), { body: { ...times, id: 'evt_mine', etag: '"1"' } });
    assert.equal(json<Err>(forged).error.code, 'VALIDATION_FAILED');
    assert.match(json<Err>(forged).error.message, /id: set by calhub/);
    // A mirror copy's provenance, as GET shows it, cannot be written back: calhub sets it.
    const copied = await call(api, 'POST', events(), { body: { ...times, provenance: { ruleId: 'rul_1', sourceEventId: 'evt_src' } } });
    assert.equal(json<Err>(copied).error.code, 'VALIDATION_FAILED');
    assert.match(json<Err>(copied).error.message, /provenance: set by calhub/);
    const patched = await call(api, 'PATCH', '/v1/events/evt_x', { body: { provenance: null } });
    assert.match(json<Err>(patched).error.message, /provenance: set by calhub/);
  });

  it('a missing required field of an event is 400 INVALID_REQUEST naming it, as on every other route', async () => {
    const s = times.start;
    for (const [body, message] of [
      [{ end: s }, 'body.start is required'],
      [{ start: s }, 'body.end is required'],
      [{ ...times, attendees: [{ name: 'No Address' }] }, 'body.attendees.0.email is required'],
      [{ ...times, organizer: { name: 'No Address' } }, 'body.organizer.email is required'],
    ] as const) {
      const r = await call(api, 'POST', events(), { body });
      assert.deepEqual([r.statusCode, json<Err>(r).error.code], [400, 'INVALID_REQUEST'], r.body);
      assert.match(json<Err>(r).error.message, new RegExp(`^${message.replace(/\./g, '\\.')}`), r.body);
    }
    const patch = await call(api, 'PATCH', '/v1/events/evt_x', { body: { attendees: [{}] } });
    assert.deepEqual([patch.statusCode, json<Err>(patch).error.code], [400, 'INVALID_REQUEST'], patch.body);
    // The same as a route that is not about events.
    const hook = await call(api, 'POST', '/v1/webhooks', { body: {} });
    assert.deepEqual([hook.statusCode, json<Err>(hook).error.code, json<Err>(hook).error.message], [400, 'INVALID_REQUEST', 'body.url is required']);
  });

  it('an unknown field of a PATCH lists only the fields that PATCH accepts; the ones it refuses are refused by name', async () => {
    const takes = (m: string) => m.replace(/^.*takes /, '').split(', ');
    const occurrence = await call(api, 'PATCH', '/v1/events/evt_x/occurrences/2026-12-03T09:00:00Z', { body: { titel: 'typo' } });
    assert.equal(json<Err>(occurrence).error.code, 'INVALID_REQUEST');
    assert.match(json<Err>(occurrence).error.message, /^body\.titel is not a known field; body takes /);
    const occurrenceTakes = takes(json<Err>(occurrence).error.message);
    assert.ok(occurrenceTakes.includes('title') && occurrenceTakes.includes('start'), json<Err>(occurrence).error.message);
    for (const f of ['uid', 'originalStart', 'recurrence']) assert.ok(!occurrenceTakes.includes(f), `${f} listed: ${json<Err>(occurrence).error.message}`);
    const patch = await call(api, 'PATCH', '/v1/events/evt_x', { body: { titel: 'typo' } });
    const patchTakes = takes(json<Err>(patch).error.message);
    assert.ok(patchTakes.includes('recurrence'), json<Err>(patch).error.message);
    for (const f of ['uid', 'originalStart']) assert.ok(!patchTakes.includes(f), `${f} listed: ${json<Err>(patch).error.message}`);
    // Still refused by name, as fields calhub sets, not as unknown ones.
    for (const f of ['uid', 'originalStart', 'recurrence']) {
      const r = await call(api, 'PATCH', '/v1/events/evt_x/occurrences/2026-12-03T09:00:00Z', { body: { [f]: null } });
      assert.deepEqual([r.statusCode, json<Err>(r).error.code], [400, 'VALIDATION_FAILED'], `${f}: ${r.body}`);
      assert.match(json<Err>(r).error.message, new RegExp(`${f}: set by calhub`));
    }
    const uid = await call(api, 'PATCH', '/v1/events/evt_x', { body: { uid: 'other' } });
    assert.deepEqual([uid.statusCode, json<Err>(uid).error.code], [400, 'VALIDATION_FAILED'], uid.body);
    assert.match(json<Err>(uid).error.message, /uid: set by calhub/);
  });

  it('a missing field is "is required"; a wrong shape says the shape wanted', async () => {
    const hook = await call(api, 'POST', '/v1/webhooks', { body: { url: 'https://example.com/hook' } });
    assert.equal(hook.statusCode, 400);
    assert.equal(json<Err>(hook).error.message, 'body.events is required');
    const rec = await call(api, 'POST', events(), { body: { ...times, recurrence: ['FREQ=DAILY'] } });
    assert.equal(json<Err>(rec).error.code, 'INVALID_REQUEST');
    assert.match(json<Err>(rec).error.message, /^body\.recurrence must be object,null.*\{"rrules":\["FREQ=/);
  });

  it('a body sent as text/plain is 415 UNSUPPORTED_MEDIA_TYPE naming application/json', async () => {
    for (const type of ['text/plain', 'text/plain; charset=utf-8']) {
      const r = await api.app.inject({ method: 'POST', url: events(), headers: { authorization: `Bearer ${api.a.key}`, 'content-type': type }, payload: JSON.stringify({ title: 'x', ...times }) });
      assert.equal(r.statusCode, 415, r.body);
      assert.equal(json<Err>(r).error.code, 'UNSUPPORTED_MEDIA_TYPE');
      assert.match(json<Err>(r).error.message, /application\/json/);
    }
  });

  it('an RRULE written with its "RRULE:" prefix is stored and answered bare', async () => {
    const r = await call(api, 'POST', events(), { body: { ...times, title: 'prefixed', recurrence: { rrules: ['rrule:FREQ=DAILY;COUNT=2'] } } });
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual(json<{ recurrence: { rrules: string[] } }>(r).recurrence.rrules, ['FREQ=DAILY;COUNT=2']);
    const stored = (await api.store.tenant(api.a.id).events.list(api.a.calendarId)).find((e) => e.event.title === 'prefixed')!;
    assert.deepEqual(stored.event.recurrence?.rrules, ['FREQ=DAILY;COUNT=2']);
    const empty = await call(api, 'POST', events(), { body: { ...times, recurrence: { rrules: ['RRULE:'] } } });
    assert.equal(empty.statusCode, 400, empty.body);
  });
});
