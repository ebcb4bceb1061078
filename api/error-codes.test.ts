/**
 * Failures the API shows as text carry their stable code apart: an outside developer parsed
 * `AUTH_GRANT_REVOKED:` out of lastError, and met the provider's `invalid_grant` as statusReason.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, json, startTestApi, type TestApi } from './test-support.ts';

type Data = Record<string, unknown>;

describe('error codes beside error texts', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  it("a calendar's lastError has its code in lastErrorCode; an account in needs_reauth has AUTH_GRANT_REVOKED beside the provider's reason", async () => {
    const t = api.store.tenant(api.a.id);
    const line = 'AUTH_GRANT_REVOKED: account x needs to be reconnected (first refusal, on any of its calendars: invalid_grant)';
    assert.ok(await t.calendars.claimSync(api.a.calendarId, 'o', 60_000));
    await t.calendars.releaseSync(api.a.calendarId, 'o', { ok: false, error: line });
    await t.accounts.setStatus(api.a.accountId, 'needs_reauth', 'invalid_grant');
    const cal = json<Data>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}`));
    assert.deepEqual([cal.lastError, cal.lastErrorCode], [line, 'AUTH_GRANT_REVOKED']);
    const listed = json<{ items: Data[] }>(await call(api, 'GET', '/v1/calendars')).items.find((c) => c.id === api.a.calendarId)!;
    assert.equal(listed.lastErrorCode, 'AUTH_GRANT_REVOKED');
    const acc = json<Data>(await call(api, 'GET', `/v1/accounts/${api.a.accountId}`));
    assert.deepEqual([acc.status, acc.statusReason, acc.statusReasonCode], ['needs_reauth', 'invalid_grant', 'AUTH_GRANT_REVOKED']);
  });

  it('a healthy calendar and account answer null codes', async () => {
    const cal = json<Data>(await call(api, 'GET', `/v1/calendars/${api.b.calendarId}`, { key: api.b.key }));
    assert.deepEqual([cal.lastError, cal.lastErrorCode], [null, null]);
    const acc = json<Data>(await call(api, 'GET', `/v1/accounts/${api.b.accountId}`, { key: api.b.key }));
    assert.deepEqual([acc.statusReason, acc.statusReasonCode], [null, null]);
  });
});
