/** Request limits and the per-key rate limit come from API_* configuration, each answered with its 4xx code. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadApiConfig } from '../shared/config/index.ts';
import { call, json, startTestApi } from './test-support.ts';

type Err = { error: { code: string; message: string } };
const win = (days: number) => ({ timeMin: '2026-11-01T00:00:00Z', timeMax: new Date(Date.parse('2026-11-01T00:00:00Z') + days * 86_400_000).toISOString() });

describe('configured API limits', () => {
  it('window, calendars, body size and rate follow the configuration', async () => {
    const config = { ...loadApiConfig({}), maxWindowDays: 7, maxAvailabilityDays: 3, maxCalendars: 1, maxBodyBytes: 2048, rateLimitPerSec: 1, rateLimitBurst: 12 };
    const api = await startTestApi({ config });
    try {
      const fb = (body: object) => call(api, 'POST', '/v1/freebusy', { body });
      const codeOf = async (p: Promise<{ statusCode: number; json(): unknown }>) => {
        const r = await p;
        return `${r.statusCode} ${(r.json() as Err).error?.code ?? 'ok'}`;
      };
      assert.equal(await codeOf(fb({ calendarIds: [api.a.calendarId], ...win(7) })), '200 ok');
      assert.equal(await codeOf(fb({ calendarIds: [api.a.calendarId], ...win(8) })), '400 WINDOW_TOO_LARGE');
      assert.equal(await codeOf(call(api, 'GET', `/v1/calendars/${api.a.calendarId}/events?timeMin=${win(8).timeMin}&timeMax=${win(8).timeMax}`)), '400 WINDOW_TOO_LARGE');
      const avail = (days: number) => call(api, 'POST', '/v1/availability', { body: { participants: [{ calendarIds: [api.a.calendarId] }], durationMinutes: 30, ...win(days) } });
      assert.equal(await codeOf(avail(3)), '200 ok');
      assert.equal(await codeOf(avail(4)), '400 WINDOW_TOO_LARGE');
      assert.equal(await codeOf(fb({ calendarIds: [api.a.calendarId, 'cal_other'], ...win(1) })), '400 TOO_MANY_CALENDARS');
      const padded = { calendarIds: [api.a.calendarId], ...win(1), accountIds: Array.from({ length: 100 }, (_, i) => `acc_padding_padding_${i}`) };
      assert.equal(await codeOf(fb(padded)), '413 PAYLOAD_TOO_LARGE');
      // The 7 requests above left 5 of the bucket's 12 tokens; refills (1/s) while the test runs only
      // add, so at least 5 more pass and the first 429 comes once the bucket is empty.
      const answers: Array<Awaited<ReturnType<typeof call>>> = [];
      while (answers.length < 40 && answers.at(-1)?.statusCode !== 429) answers.push(await call(api, 'GET', '/v1/accounts'));
      const codes = answers.map((r) => r.statusCode).join();
      assert.ok(answers.slice(0, 5).every((r) => r.statusCode === 200), codes);
      const limited = answers.at(-1)!;
      assert.equal(limited.statusCode, 429, codes);
      assert.equal(json<Err>(limited).error.code, 'RATE_LIMITED');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
    } finally {
      await api.close();
    }
  });

  it('expensive writes are charged per tenant by the occurrences they materialize: 429 WRITE_BUDGET_EXCEEDED, other tenants unaffected', async () => {
    const api = await startTestApi({ writeBudget: { perSecond: 1, burst: 10_000 } });
    try {
      const soon = new Date(Date.now() + 86_400_000).toISOString().slice(0, 11);
      const series = { start: { dateTime: `${soon}09:00:00Z`, timeZone: 'UTC' }, end: { dateTime: `${soon}09:01:00Z`, timeZone: 'UTC' }, recurrence: { rrules: ['FREQ=MINUTELY;COUNT=4000'] } };
      const single = { start: { dateTime: `${soon}12:00:00Z`, timeZone: 'UTC' }, end: { dateTime: `${soon}13:00:00Z`, timeZone: 'UTC' } };
      const create = (key: string, cal: string, body: object) => call(api, 'POST', `/v1/calendars/${cal}/events`, { key, body });
      assert.equal((await create(api.a.key, api.a.calendarId, series)).statusCode, 201);
      assert.equal((await create(api.a.key, api.a.calendarId, series)).statusCode, 201);
      const refused = await create(api.a.key, api.a.calendarId, series);
      assert.equal(refused.statusCode, 429);
      assert.equal(json<Err>(refused).error.code, 'WRITE_BUDGET_EXCEEDED');
      assert.ok(Number(refused.headers['retry-after']) >= 1000, `retry-after ${refused.headers['retry-after']}`);
      // 2,000 tokens remain: single events (cost 1) still pass; the other tenant has its own bucket.
      assert.equal((await create(api.a.key, api.a.calendarId, single)).statusCode, 201);
      assert.equal((await create(api.b.key, api.b.calendarId, series)).statusCode, 201);
      assert.equal((await create(api.b.key, api.b.calendarId, series)).statusCode, 201);
    } finally {
      await api.close();
    }
  });

  it('an unbounded MINUTELY series is charged what the busy index expands (up to the whole burst), not 5,000', async () => {
    const api = await startTestApi({ writeBudget: { perSecond: 1, burst: 12_000 } });
    try {
      const soon = new Date(Date.now() + 86_400_000).toISOString().slice(0, 11);
      const endless = { start: { dateTime: `${soon}09:00:00Z`, timeZone: 'UTC' }, end: { dateTime: `${soon}09:01:00Z`, timeZone: 'UTC' }, recurrence: { rrules: ['FREQ=MINUTELY'] } };
      const create = () => call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events`, { key: api.a.key, body: endless });
      assert.equal((await create()).statusCode, 201);
      // Priced at 5,000 a second one fitted the 12,000 burst; it is 100,000 occurrences of work.
      const refused = await create();
      assert.equal(refused.statusCode, 429);
      assert.equal(json<Err>(refused).error.code, 'WRITE_BUDGET_EXCEEDED');
    } finally {
      await api.close();
    }
  });

  it('without a config passed, buildApp reads the API_* variables from the environment', async () => {
    process.env.API_MAX_WINDOW_DAYS = '2';
    try {
      const api = await startTestApi();
      try {
        const r = await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [api.a.calendarId], ...win(3) } });
        assert.equal(json<Err>(r).error.code, 'WINDOW_TOO_LARGE');
        assert.match(json<Err>(r).error.message, /at most 2 days/);
      } finally {
        await api.close();
      }
    } finally {
      delete process.env.API_MAX_WINDOW_DAYS;
    }
  });

  it('the default rate limit lets one key make 1,000 requests at once (P1 drives 500/s)', async () => {
    const defaults = loadApiConfig({});
    assert.ok(defaults.rateLimitPerSec >= 1000 && defaults.rateLimitBurst >= 1000, JSON.stringify(defaults));
    const api = await startTestApi({ config: defaults });
    try {
      const answers = await Promise.all(Array.from({ length: 1000 }, () => call(api, 'GET', '/v1/accounts')));
      assert.deepEqual([...new Set(answers.map((r) => r.statusCode))], [200]);
    } finally {
      await api.close();
    }
  });

  it('a route that declares no query parameters refuses an unknown one with 400 naming it; an empty JSON body is no body', async () => {
    const api = await startTestApi();
    try {
      for (const [method, url] of [['GET', `/v1/calendars/${api.a.calendarId}?bogus=1`], ['GET', `/v1/accounts/${api.a.accountId}?verbose=true`], ['POST', `/v1/accounts/${api.a.accountId}/resync?bogus=1`]] as const) {
        const r = await call(api, method, url, method === 'POST' ? { body: {} } : {});
        assert.equal(r.statusCode, 400, `${method} ${url}: ${r.body}`);
        assert.match(json<Err>(r).error.message, /^querystring\.(bogus|verbose) is not a known field; querystring takes none$/);
      }
      assert.equal((await call(api, 'GET', `/v1/calendars/${api.a.calendarId}`)).statusCode, 200);
      // A client that sends the JSON content type on every request, with an empty body: a DELETE works,
      // a route that needs a body says so by its schema.
      const t = api.store.tenant(api.a.id);
      const [other] = await t.calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'other', name: 'Other', timeZone: 'UTC', color: null, readOnly: false }]);
      const rule = json<{ id: string }>(await call(api, 'POST', '/v1/rules', { body: { sourceCalendarId: api.a.calendarId, targetCalendarId: other!.id, mode: 'busy-block' } }));
      const jsonType = { authorization: `Bearer ${api.a.key}`, 'content-type': 'application/json' };
      assert.equal((await api.app.inject({ method: 'DELETE', url: `/v1/rules/${rule.id}`, headers: jsonType, payload: '' })).statusCode, 200);
      const empty = await api.app.inject({ method: 'POST', url: '/v1/freebusy', headers: jsonType, payload: '' });
      assert.deepEqual([empty.statusCode, json<Err>(empty).error.message], [400, 'body must be object']);
    } finally {
      await api.close();
    }
  });
});
