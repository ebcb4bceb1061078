/**
 * Every date-time input of the API refuses a date that does not exist as the event writes do:
 * 400 DATE_INVALID naming the field and the value. An outside user's availability query with
 * timeMin 2027-02-30 was INVALID_REQUEST `must match format "date-time"`, an event's start DATE_INVALID.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, json, startTestApi, type TestApi } from './test-support.ts';

type Err = { error: { code: string; message: string } };
const NO_SUCH = '2027-02-30T00:00:00Z';
const LATER = '2027-03-02T00:00:00Z';

describe('date-time inputs', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  const refusal = async (p: ReturnType<typeof call>) => {
    const r = await p;
    return [r.statusCode, json<Err>(r).error?.code, json<Err>(r).error?.message];
  };
  const routes = (value: string) => {
    const cal = api.a.calendarId;
    const q = encodeURIComponent(value);
    return [
      ['body.timeMin', call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [cal], timeMin: value, timeMax: LATER } })],
      ['body.timeMax', call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [cal], timeMin: '2027-02-01T00:00:00Z', timeMax: value } })],
      ['body.timeMin', call(api, 'POST', '/v1/availability', { body: { participants: [{ calendarIds: [cal] }], durationMinutes: 30, timeMin: value, timeMax: LATER } })],
      ['querystring.timeMin', call(api, 'GET', `/v1/calendars/${cal}/events?timeMin=${q}&timeMax=${LATER}`)],
      ['querystring.timeMax', call(api, 'GET', `/v1/calendars/${cal}/events?timeMin=2027-02-01T00:00:00Z&timeMax=${q}`)],
      ['querystring.updatedSince', call(api, 'GET', `/v1/calendars/${cal}/events?updatedSince=${q}`)],
      ['querystring.updatedSince', call(api, 'GET', `/v1/calendars?updatedSince=${q}`)],
      ['body.since', call(api, 'POST', '/v1/webhooks/whk_none/replay', { body: { since: value } })],
    ] as const;
  };

  it('a date or time that does not exist is 400 DATE_INVALID naming the field and the value, on every route', async () => {
    for (const value of [NO_SUCH, '2026-11-31T09:00:00+01:00', '2026-13-01T00:00:00Z', '2026-12-31T23:59:60Z']) {
      for (const [field, p] of routes(value)) {
        assert.deepEqual(await refusal(p), [400, 'DATE_INVALID', `${field}: ${value} is no such date or time`]);
      }
    }
    // As an event's start says it.
    const write = await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { body: { start: { dateTime: NO_SUCH, timeZone: 'UTC' }, end: { dateTime: LATER, timeZone: 'UTC' } } });
    assert.equal(json<Err>(write).error.code, 'DATE_INVALID');
  });

  it('a value that is no date-time at all is 400 INVALID_REQUEST naming the field and what it wants', async () => {
    for (const [field, p] of routes('tomorrow')) {
      const [status, code, message] = await refusal(p);
      assert.deepEqual([status, code], [400, 'INVALID_REQUEST']);
      assert.equal(message, `${field} must be an RFC 3339 instant with an offset, such as "2026-12-07T09:00:00Z"; "tomorrow" is not one`);
    }
  });

  it('real instants still pass, with Z or an offset', async () => {
    const r = await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [api.a.calendarId], timeMin: '2028-02-29T00:00:00+01:00', timeMax: '2028-03-01T00:00:00.5Z' } });
    assert.equal(r.statusCode, 200, r.body);
  });
});
