/** Another tenant's account is 404 NOT_FOUND in one wording on every route that names it, as an id that does not exist. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { at, call, startTestApi, type TestApi } from './test-support.ts';

let api: TestApi;
before(async () => (api = await startTestApi()));
after(() => api.close());

it('by path, in a free/busy body and in ifFreeAccountIds: "no account <id> in tenant <yours>"', async () => {
  const theirs = api.b.accountId;
  const window = { timeMin: '2026-11-10T00:00:00Z', timeMax: '2026-11-11T00:00:00Z' };
  const answers = [
    await call(api, 'GET', `/v1/accounts/${theirs}`),
    await call(api, 'POST', `/v1/accounts/${theirs}/calendars`, { body: { name: 'x' } }),
    await call(api, 'POST', '/v1/freebusy', { body: { ...window, accountIds: [theirs] } }),
    await call(api, 'POST', `/v1/calendars/${api.a.calendarId}/events?ifFreeAccountIds=${theirs}`, { body: { title: 'x', start: at('2026-11-10T09:00:00Z'), end: at('2026-11-10T10:00:00Z') } }),
  ];
  for (const r of answers) {
    assert.equal(r.statusCode, 404, r.body);
    assert.deepEqual((r.json() as { error: { code: string; message: string } }).error, { code: 'NOT_FOUND', message: `no account ${theirs} in tenant ${api.a.id}` });
  }
});
