/** Partial answers say so: calendars of a needs_reauth account, or whose last sync failed, are marked in free/busy and availability. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type CalErr = { code: string; message: string; lastSyncedAt: string | null };
type FreeBusy = { calendars: Array<{ calendarId: string; busy: unknown[]; errors?: CalErr[] }> };
type Availability = { slots: Array<{ start: string; end: string }>; partial: boolean; calendars: Array<{ calendarId: string; participants: string[]; errors?: CalErr[] }> };

describe('partial answers', () => {
  let api: TestApi;
  let healthy: string;
  let reauth: string;
  let failed: string;
  let flagged: string;
  const window = { timeMin: '2026-11-10T00:00:00Z', timeMax: '2026-11-11T00:00:00Z' };

  before(async () => {
    api = await startTestApi();
    const t = api.store.tenant(api.a.id);
    healthy = api.a.calendarId;
    const other = await t.accounts.upsert({ provider: 'memory', externalId: 'revoked@example.com', credentials: 'sealed' });
    [reauth] = (await t.calendars.upsertMany(other.id, [{ providerCalendarId: 'r', name: 'Revoked', timeZone: 'UTC', color: null, readOnly: false }])).map((c) => c.id) as [string];
    [failed, flagged] = (await t.calendars.upsertMany(api.a.accountId, ['f', 'g'].map((p) => ({ providerCalendarId: p, name: p, timeZone: 'UTC', color: null, readOnly: false })))).map((c) => c.id) as [string, string];
    for (const c of [healthy, reauth, failed]) await seed(api.store, api.a.id, c, ev({ uid: `busy-${c}`, start: at('2026-11-10T09:00:00Z'), end: at('2026-11-10T10:00:00Z') }));
    // As the sync engine and token manager leave them (test code may write the store directly).
    await api.store.db.query(`UPDATE accounts SET status = 'needs_reauth', status_reason = 'invalid_grant: token revoked' WHERE id = $1`, [other.id]);
    await api.store.db.query(`UPDATE calendars SET sync_stage = 'failed', failure_count = 3, last_error = 'GET https://user:hunter2@dav.example.com/ answered 503 (Bearer abc.def.ghi)', last_success_at = '2026-11-09T08:00:00Z' WHERE id = $1`, [failed]);
    await api.store.db.query(`UPDATE calendars SET flagged_reason = 'a sync would delete 80% of the calendar' WHERE id = $1`, [flagged]);
  });
  after(() => api.close());

  for (const explain of [false, true]) {
    it(`free/busy marks each incomplete calendar with errors${explain ? ' (explain)' : ''}, and keeps the busy time it has`, async () => {
      const r = await call(api, 'POST', '/v1/freebusy', { body: { ...window, calendarIds: [healthy, reauth, failed, flagged], explain } });
      assert.equal(r.statusCode, 200, r.body);
      const fb = json<FreeBusy>(r);
      const by = new Map(fb.calendars.map((c) => [c.calendarId, c]));
      assert.equal(by.get(healthy)!.errors, undefined);
      assert.deepEqual(by.get(reauth)!.errors!.map((e) => e.code), ['ACCOUNT_NEEDS_REAUTH']);
      assert.match(by.get(reauth)!.errors![0]!.message, /reconnect/);
      assert.deepEqual(by.get(failed)!.errors!.map((e) => e.code), ['SYNC_FAILED']);
      assert.equal(by.get(failed)!.errors![0]!.lastSyncedAt, '2026-11-09T08:00:00.000Z');
      assert.deepEqual(by.get(flagged)!.errors!.map((e) => e.code), ['CALENDAR_FLAGGED']);
      for (const c of [healthy, reauth, failed]) assert.equal(by.get(c)!.busy.length, 1, 'the busy time known is still answered');
      assert.ok(!r.body.includes('hunter2') && !r.body.includes('abc.def.ghi'), 'secrets in an error must not reach the answer');
    });
  }

  it('a calendar with quarantined items says their busy time is missing, and not once they heal', async () => {
    const [cal] = (await api.store.tenant(api.a.id).calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'q', name: 'q', timeZone: 'UTC', color: null, readOnly: false }])).map((c) => c.id) as [string];
    await seed(api.store, api.a.id, cal, ev({ uid: 'busy-q', start: at('2026-11-10T09:00:00Z'), end: at('2026-11-10T10:00:00Z') }));
    await api.store.db.query(`INSERT INTO quarantine (calendar_id, tenant_id, remote_id, version, error, raw) VALUES ($1, $2, 'obj-1', null, 'unstorable text: event.0.title contains a NUL character', null)`, [cal, api.a.id]);
    const fb = json<FreeBusy>(await call(api, 'POST', '/v1/freebusy', { body: { ...window, calendarIds: [cal] } }));
    assert.deepEqual(fb.calendars[0]!.errors!.map((e) => e.code), ['ITEMS_QUARANTINED']);
    assert.match(fb.calendars[0]!.errors![0]!.message, /^1 item\(s\) .*\(quarantined\); their busy time is missing$/);
    assert.equal(fb.calendars[0]!.busy.length, 1);
    await api.store.db.query('DELETE FROM quarantine WHERE calendar_id = $1', [cal]);
    assert.equal(json<FreeBusy>(await call(api, 'POST', '/v1/freebusy', { body: { ...window, calendarIds: [cal] } })).calendars[0]!.errors, undefined);
  });

  it("an item that became unreadable keeps its busy time from the last good copy, and the message says so", async () => {
    const [cal] = (await api.store.tenant(api.a.id).calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'k', name: 'k', timeZone: 'UTC', color: null, readOnly: false }])).map((c) => c.id) as [string];
    await seed(api.store, api.a.id, cal, ev({ uid: 'busy-k', start: at('2026-11-10T12:00:00Z'), end: at('2026-11-10T13:00:00Z') }));
    const events = api.store.tenant(api.a.id).events;
    const [row] = await events.list(cal);
    await events.applyRemoteChanges(cal, [{ kind: 'invalid', remoteId: row!.remoteId!, version: '"2"', error: 'over 512 KB', raw: null }]);
    const fb = json<FreeBusy>(await call(api, 'POST', '/v1/freebusy', { body: { ...window, calendarIds: [cal] } }));
    assert.deepEqual(fb.calendars[0]!.errors!.map((e) => e.message), ['1 item(s) of this calendar could not be stored (quarantined); their busy time is as of the last good copy calhub keeps of each']);
    assert.equal(fb.calendars[0]!.busy.length, 1, 'the busy time stays');
    await events.applyRemoteChanges(cal, [{ kind: 'invalid', remoteId: 'never-read', version: '"1"', error: 'over 512 KB', raw: null }]);
    const both = json<FreeBusy>(await call(api, 'POST', '/v1/freebusy', { body: { ...window, calendarIds: [cal] } }));
    assert.match(both.calendars[0]!.errors![0]!.message, /^2 item\(s\) .*; the busy time of 1 is as of the last good copy calhub keeps, that of the other 1 is missing$/);
  });

  it('a calendar that recovers is no longer marked', async () => {
    await api.store.db.query(`UPDATE calendars SET sync_stage = 'idle', failure_count = 0 WHERE id = $1`, [failed]);
    const fb = json<FreeBusy>(await call(api, 'POST', '/v1/freebusy', { body: { ...window, calendarIds: [failed] } }));
    assert.equal(fb.calendars[0]!.errors, undefined);
    await api.store.db.query(`UPDATE calendars SET sync_stage = 'failed', failure_count = 1 WHERE id = $1`, [failed]);
  });

  // Found by an outside user: beyond the busy index's horizon an endless weekly series was answered free, partial false.
  it('a window reaching outside the busy horizon marks every calendar BEYOND_HORIZON, in free/busy and availability', async () => {
    const covered = api.store.busyCoverage();
    const later = { timeMin: new Date(covered.end.getTime() - 3_600_000).toISOString(), timeMax: new Date(covered.end.getTime() + 3_600_000).toISOString() };
    const earlier = { timeMin: new Date(covered.start.getTime() - 3_600_000).toISOString(), timeMax: new Date(covered.start.getTime() + 3_600_000).toISOString() };
    for (const w of [later, earlier]) {
      const fb = json<FreeBusy>(await call(api, 'POST', '/v1/freebusy', { body: { ...w, calendarIds: [healthy] } }));
      assert.deepEqual(fb.calendars[0]!.errors!.map((e) => e.code), ['BEYOND_HORIZON']);
      assert.match(fb.calendars[0]!.errors![0]!.message, /CALHUB_HORIZON_PAST_DAYS/);
      const a = json<Availability>(await call(api, 'POST', '/v1/availability', { body: { ...w, durationMinutes: 30, participants: [{ id: 'ann', calendarIds: [healthy] }] } }));
      assert.equal(a.partial, true);
      assert.deepEqual(a.calendars[0]!.errors!.map((e) => e.code), ['BEYOND_HORIZON']);
      // Found by an outside user: slots were still offered beyond the horizon, where nothing is known.
      assert.ok(a.slots.every((s) => Date.parse(s.start) >= covered.start.getTime() && Date.parse(s.end) <= covered.end.getTime()), JSON.stringify(a.slots));
    }
    const straddling = json<Availability>(await call(api, 'POST', '/v1/availability', { body: { ...later, durationMinutes: 30, participants: [{ id: 'ann', calendarIds: [healthy] }] } }));
    assert.ok(straddling.slots.length > 0, 'the part of the window inside the horizon still has its slots');
    const inside = json<FreeBusy>(await call(api, 'POST', '/v1/freebusy', { body: { timeMin: new Date(covered.end.getTime() - 7_200_000).toISOString(), timeMax: covered.end.toISOString(), calendarIds: [healthy, reauth] } }));
    assert.deepEqual(inside.calendars.map((c) => c.errors?.map((e) => e.code) ?? []), [[], ['ACCOUNT_NEEDS_REAUTH']]);
  });

  it('availability says it is partial and which calendars, of which participants, are incomplete', async () => {
    const body = { ...window, durationMinutes: 60, participants: [{ id: 'ann', calendarIds: [healthy] }, { id: 'ben', accountIds: [(await api.store.tenant(api.a.id).calendars.get(reauth))!.accountId] }] };
    const r = await call(api, 'POST', '/v1/availability', { body });
    assert.equal(r.statusCode, 200, r.body);
    const a = json<Availability>(r);
    assert.equal(a.partial, true);
    assert.deepEqual(a.calendars.map((c) => [c.calendarId, c.participants, c.errors?.map((e) => e.code) ?? []]), [
      [healthy, ['ann'], []],
      [reauth, ['ben'], ['ACCOUNT_NEEDS_REAUTH']],
    ]);
    const whole = json<Availability>(await call(api, 'POST', '/v1/availability', { body: { ...body, participants: [body.participants[0]] } }));
    assert.equal(whole.partial, false);
    assert.equal(whole.calendars[0]!.errors, undefined);
  });
});
