/**
 * A calendar's sync switched off and on (PATCH /v1/calendars/:id {"syncEnabled"}) against the
 * Google emulator and the real connector: off, calhub drops its copy (events, busy time, sync
 * state), stops pulling it, answers its events with 409 CALENDAR_NOT_SYNCED and leaves it out of
 * its account's busy time; on, it syncs from the start, changes made at Google meanwhile included.
 * Switching off is refused while a local change waits for Google or a mirror rule names it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import { syncRepo } from '../../shared/store/index.ts';
import { refreshCalendarList } from '../../hub/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { apiOver } from '../support/api-over.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { storeAndGoogle } from '../support/emulator-store.ts';

type Reply = {
  id: string;
  syncEnabled: boolean;
  countsForBusy: boolean;
  items: Array<{ id: string; title: string }>;
  calendars: Array<{ calendarId: string; id: string; busy?: unknown[]; errors?: Array<{ code: string }> }>;
  error: { code: string; message: string };
};

describe("switching a calendar's sync off and on", () => {
  const h = storeAndGoogle();

  it('Google: refused while a write waits or a rule names it; off drops the copy and the pulls; on brings back what Google holds', async () => {
    const { store, emu: google } = h;
    const env = await googleModelEnv(google, store);
    const { app, call } = await apiOver<Reply>(env);
    const t = store.tenant(env.tenantId);
    const [a, b] = env.calendars as [string, string];
    const cal = (await t.calendars.get(a))!;
    const account = cal.accountId;
    const window = { timeMin: '2026-12-10T00:00:00Z', timeMax: '2026-12-11T00:00:00Z' };

    const made = await call('POST', `/v1/calendars/${a}/events`, { title: 'Review', start: { dateTime: '2026-12-10T09:00:00Z' }, end: { dateTime: '2026-12-10T10:00:00Z' } });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const pending = await call('PATCH', `/v1/calendars/${a}`, { syncEnabled: false });
    assert.equal(pending.status, 409);
    assert.equal(pending.json.error.code, 'WRITES_PENDING');
    assert.match(pending.json.error.message, /1 local change/);
    assert.equal((await call('POST', `/v1/accounts/${account}/resync`, {})).status, 202);
    assert.equal(google.control.listStoredEvents(cal.providerCalendarId).filter((e) => !e.deleted).length, 1, 'the write reached Google');

    const rule = await call('POST', '/v1/rules', { sourceCalendarId: a, targetCalendarId: b, mode: 'busy-block' });
    assert.equal(rule.status, 201, JSON.stringify(rule.json));
    const mirrored = await call('PATCH', `/v1/calendars/${a}`, { syncEnabled: false });
    assert.equal(mirrored.status, 409);
    assert.equal(mirrored.json.error.code, 'CALENDAR_MIRRORED');
    assert.match(mirrored.json.error.message, new RegExp(rule.json.id));
    // Several fields at once: the refusal comes before the rename and the busy setting, so nothing changes.
    const named = (await t.calendars.get(a))!.name;
    const several = await call('PATCH', `/v1/calendars/${a}`, { name: 'Renamed', countsForBusy: false, syncEnabled: false });
    assert.equal(several.status, 409);
    assert.equal(several.json.error.code, 'CALENDAR_MIRRORED');
    const kept = (await t.calendars.get(a))!;
    assert.deepEqual([kept.name, kept.countsForBusy, kept.syncEnabled], [named, null, true], 'a refused PATCH changes nothing');
    assert.equal((await call('DELETE', `/v1/rules/${rule.json.id}`)).status, 200);

    const off = await call('PATCH', `/v1/calendars/${a}`, { syncEnabled: false });
    assert.equal(off.status, 200, JSON.stringify(off.json));
    assert.deepEqual([off.json.syncEnabled, off.json.countsForBusy], [false, false]);
    assert.equal((await t.events.list(a)).length, 0, 'the copy went');
    assert.equal((await t.busy([a], new Date(window.timeMin), new Date(window.timeMax))).length, 0, 'its busy time went');
    const stored = (await t.calendars.get(a))!;
    assert.deepEqual([stored.syncCursor, stored.lastSuccessAt, stored.failureCount], [null, null, 0]);
    assert.equal(google.control.listStoredEvents(cal.providerCalendarId).filter((e) => !e.deleted).length, 1, 'Google keeps the event');

    for (const [method, url, body] of [['GET', `/v1/calendars/${a}/events`], ['POST', `/v1/calendars/${a}/events`, { title: 'x', start: { dateTime: '2026-12-10T11:00:00Z' }, end: { dateTime: '2026-12-10T12:00:00Z' } }]] as const) {
      const r = await call(method, url, body);
      assert.equal(r.status, 409, `${method} ${url}`);
      assert.equal(r.json.error.code, 'CALENDAR_NOT_SYNCED');
    }
    const ruleOnIt = await call('POST', '/v1/rules', { sourceCalendarId: b, targetCalendarId: a, mode: 'busy-block' });
    assert.equal(ruleOnIt.status, 409);
    assert.equal(ruleOnIt.json.error.code, 'CALENDAR_NOT_SYNCED');

    // Its account's busy time leaves it out; named by id it is answered with no busy time and says why.
    const byAccount = await call('POST', '/v1/freebusy', { accountIds: [account], ...window });
    assert.ok(!byAccount.json.calendars.some((c) => c.calendarId === a));
    const byId = await call('POST', '/v1/freebusy', { calendarIds: [a], ...window });
    assert.equal(byId.status, 200, JSON.stringify(byId.json));
    assert.deepEqual(byId.json.calendars[0]!.busy, []);
    assert.deepEqual(byId.json.calendars[0]!.errors?.map((e) => e.code), ['CALENDAR_NOT_SYNCED']);

    // Not polled, not pulled by a resync; what Google gets meanwhile waits there.
    google.control.insertEvent(cal.providerCalendarId, { summary: 'Added at Google', start: { dateTime: '2026-12-10T14:00:00Z' }, end: { dateTime: '2026-12-10T15:00:00Z' } });
    assert.ok(!(await syncRepo.dueForPoll(store.db, 1)).some((d) => d.calendarId === a));
    const before = google.control.requests().length;
    const resynced = await call('POST', `/v1/accounts/${account}/resync`, {});
    assert.equal(resynced.status, 202);
    assert.ok(!resynced.json.calendars.some((c) => c.id === a), 'a resync leaves it out');
    assert.ok(!google.control.requests().slice(before).some((r) => r.path.includes(`/calendars/${encodeURIComponent(cal.providerCalendarId)}/events`)), 'nothing asked of Google for it');
    assert.equal((await t.events.list(a)).length, 0);

    const on = await call('PATCH', `/v1/calendars/${a}`, { syncEnabled: true });
    assert.equal(on.status, 200);
    assert.deepEqual([on.json.syncEnabled, on.json.countsForBusy], [true, true]);
    assert.equal((await call('POST', `/v1/accounts/${account}/resync`, {})).status, 202);
    const events = await call('GET', `/v1/calendars/${a}/events`);
    assert.equal(events.status, 200);
    assert.deepEqual(events.json.items.map((e) => e.title).sort(), ['Added at Google', 'Review']);
    const busy = await call('POST', '/v1/freebusy', { accountIds: [account], ...window });
    assert.equal(busy.json.calendars.find((c) => c.calendarId === a)?.busy?.length, 2);
    // Switches racing each other: each answer says what its own switch left, not a later one's.
    const flips = await Promise.all([false, true, false, true, false, true].map((syncEnabled) => call('PATCH', `/v1/calendars/${a}`, { syncEnabled })));
    assert.deepEqual(flips.map((f) => [f.status, f.json.syncEnabled]), [false, true, false, true, false, true].map((v) => [200, v]));
    await app.close();
  });

  it('a run under way when the sync is switched off commits nothing after it, and its end counts as no failure', async () => {
    const { store, emu: google } = h;
    const env = await googleModelEnv(google, store);
    const t = store.tenant(env.tenantId);
    const a = env.calendars[0]!;
    assert.ok(await t.calendars.claimSync(a, 'run-1', 60_000));
    const r = await t.setSyncEnabled(a, false);
    assert.deepEqual(r && r.done && [r.changed, r.calendar.syncEnabled], [true, false]);
    const page = [{ kind: 'upsert' as const, remoteId: 'late', version: '"1"', events: [parseEvent({ uid: 'late@x', title: 'late', start: { dateTime: '2026-12-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T10:00:00Z', timeZone: 'UTC' } })] }];
    await assert.rejects(t.events.applyRemoteChanges(a, page, { cursor: 'c1' }), (e: { code?: string }) => e.code === 'CALENDAR_NOT_SYNCED');
    await t.calendars.releaseSync(a, 'run-1', { ok: false, error: 'CALENDAR_NOT_SYNCED: switched off' });
    const cal = (await t.calendars.get(a))!;
    assert.deepEqual([cal.syncStage, cal.failureCount, cal.lastError, cal.syncCursor, cal.syncEnabled], ['idle', 0, null, null, false]);
    assert.equal((await t.events.list(a)).length, 0);
    assert.deepEqual(await t.setSyncEnabled(a, false).then((r) => r && r.done && [r.changed, r.calendar.syncEnabled]), [false, false], 'switching off twice changes nothing');
    assert.equal(await t.setSyncEnabled('cal_nope', false), null);
  });

  it('CALHUB_SYNC_SHARED_CALENDARS=false: a calendar shared with the account to read is first recorded with its sync off; calendars already recorded keep theirs', async () => {
    const { store, emu: google } = h;
    const env = await googleModelEnv(google, store);
    const t = store.tenant(env.tenantId);
    const account = (await t.accounts.list())[0]!;
    const other = `colleague-${Math.random().toString(36).slice(2, 8)}@example.com`;
    google.control.createUser({ email: other, timeZone: 'UTC' });
    const theirs = google.control.createCalendar({ ownerEmail: other, summary: "A colleague's", timeZone: 'UTC' });
    google.control.shareCalendar(theirs.id, account.externalId, 'reader');
    const ours = google.control.createCalendar({ ownerEmail: account.externalId, summary: 'Our new one', timeZone: 'UTC' });
    const { hub, app } = await apiOver(env, env.deps.connect, { config: { ...loadConfig({}), syncSharedCalendars: false } });
    const r = await refreshCalendarList(hub, env.tenantId, account.id, { pull: false });
    // The user's primary is new to calhub too (the model environment recorded three others).
    assert.deepEqual(r.added.map((c) => c.name).sort(), ["A colleague's", 'Our new one', account.externalId]);
    const byName = new Map((await t.calendars.list({ accountId: account.id })).map((c) => [c.name, c]));
    assert.deepEqual([byName.get("A colleague's")!.syncEnabled, byName.get("A colleague's")!.accessRole], [false, 'reader']);
    assert.equal(byName.get('Our new one')!.syncEnabled, true, 'an own calendar syncs');
    assert.equal(ours.id, byName.get('Our new one')!.providerCalendarId);
    // Switched on by the tenant, it stays on at the next listing.
    await t.setSyncEnabled(byName.get("A colleague's")!.id, true);
    await refreshCalendarList(hub, env.tenantId, account.id, { pull: false });
    assert.equal((await t.calendars.get(byName.get("A colleague's")!.id))!.syncEnabled, true);
    await app.close();
  });
});
