/**
 * Which calendars count when free/busy or availability names an account: the account's own and
 * writable calendars by default, not those shared with it to read (a colleague's calendar,
 * holidays); PATCH /v1/calendars/:id sets it either way or back to the default; a calendar named
 * by id always counts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type FreeBusy = { calendars: Array<{ calendarId: string; busy: Array<{ start: string }> }> };
type Availability = { slots: Array<{ start: string }>; calendars: Array<{ calendarId: string; participants: string[] }> };
type Cal = { id: string; countsForBusy: boolean; countsForBusyChosen: boolean; error: { code: string } };

describe('calendars counting for their account\'s busy time', () => {
  let api: TestApi;
  let colleague: string;
  let holidays: string;
  const win = { timeMin: '2026-11-10T00:00:00Z', timeMax: '2026-11-11T00:00:00Z' };
  const fb = async (body: object) => json<FreeBusy>(await call(api, 'POST', '/v1/freebusy', { body: { ...body, ...win } })).calendars.map((c) => c.calendarId).sort();

  before(async () => {
    api = await startTestApi();
    const t = api.store.tenant(api.a.id);
    const shared = await t.calendars.upsertMany(api.a.accountId, [
      { providerCalendarId: 'colleague@example.com', name: "A colleague's", timeZone: 'UTC', color: null, readOnly: true },
      { providerCalendarId: 'en.usa#holiday@group.v.calendar.google.com', name: 'Holidays', timeZone: 'UTC', color: null, readOnly: true },
    ]);
    [colleague, holidays] = shared.map((c) => c.id) as [string, string];
    await seed(api.store, api.a.id, api.a.calendarId, ev({ uid: 'own', start: at('2026-11-10T09:00:00Z'), end: at('2026-11-10T10:00:00Z') }));
    await seed(api.store, api.a.id, colleague, ev({ uid: 'theirs', start: at('2026-11-10T10:00:00Z'), end: at('2026-11-10T11:00:00Z') }));
  });
  after(() => api.close());

  it('by default an account means its own calendars; one named by id counts anyway', async () => {
    assert.deepEqual(await fb({ accountIds: [api.a.accountId] }), [api.a.calendarId]);
    assert.deepEqual(await fb({ accountIds: [api.a.accountId], calendarIds: [colleague] }), [api.a.calendarId, colleague].sort());
    for (const id of [colleague, holidays]) {
      const shown = json<Cal>(await call(api, 'GET', `/v1/calendars/${id}`));
      assert.deepEqual([shown.countsForBusy, shown.countsForBusyChosen], [false, false]);
    }
  });

  it('PATCH countsForBusy: a reader calendar made to count, an own one left out, null back to the default', async () => {
    const r = await call(api, 'PATCH', `/v1/calendars/${colleague}`, { body: { countsForBusy: true } });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual([json<Cal>(r).countsForBusy, json<Cal>(r).countsForBusyChosen], [true, true]);
    assert.deepEqual(await fb({ accountIds: [api.a.accountId] }), [api.a.calendarId, colleague].sort());

    // Availability: the colleague's meeting at 10:00 now blocks the account's participant.
    const slots = async () =>
      json<Availability>(await call(api, 'POST', '/v1/availability', { body: { participants: [{ id: 'me', accountIds: [api.a.accountId] }], durationMinutes: 60, stepMinutes: 60, ...win } }));
    const starts = (a: Availability) => a.slots.map((s) => s.start.slice(11, 16));
    assert.ok(!starts(await slots()).includes('10:00'));

    assert.equal((await call(api, 'PATCH', `/v1/calendars/${api.a.calendarId}`, { body: { countsForBusy: false } })).statusCode, 200);
    assert.deepEqual(await fb({ accountIds: [api.a.accountId] }), [colleague]);
    const without = await slots();
    assert.ok(starts(without).includes('09:00'), 'the own calendar no longer blocks 09:00');
    assert.ok(!without.calendars.some((c) => c.calendarId === api.a.calendarId));

    for (const id of [colleague, api.a.calendarId]) {
      const back = json<Cal>(await call(api, 'PATCH', `/v1/calendars/${id}`, { body: { countsForBusy: null } }));
      assert.equal(back.countsForBusyChosen, false);
    }
    assert.deepEqual(await fb({ accountIds: [api.a.accountId] }), [api.a.calendarId]);
  });

  it("an account whose counting calendars all have their sync off is answered as not synced, never as free", async () => {
    const b = api.b;
    await seed(api.store, b.id, b.calendarId, ev({ uid: 'away', start: at('2026-11-10T09:00:00Z'), end: at('2026-11-10T17:00:00Z') }));
    const off = await call(api, 'PATCH', `/v1/calendars/${b.calendarId}`, { key: b.key, body: { syncEnabled: false } });
    assert.equal(off.statusCode, 200, off.body);
    type Answer = { partial: boolean; slots: unknown[]; calendars: Array<{ calendarId: string; participants: string[]; errors?: Array<{ code: string }> }> };
    const avail = json<Answer>(
      await call(api, 'POST', '/v1/availability', { key: b.key, body: { participants: [{ id: 'away', accountIds: [b.accountId] }], durationMinutes: 60, stepMinutes: 60, ...win } }),
    );
    assert.equal(avail.partial, true);
    assert.deepEqual(avail.calendars.map((c) => [c.calendarId, c.participants, c.errors?.map((e) => e.code)]), [[b.calendarId, ['away'], ['CALENDAR_NOT_SYNCED']]]);
    const busy = json<{ calendars: Array<{ calendarId: string; errors?: Array<{ code: string }> }> }>(await call(api, 'POST', '/v1/freebusy', { key: b.key, body: { accountIds: [b.accountId], ...win } }));
    assert.deepEqual(busy.calendars.map((c) => [c.calendarId, c.errors?.map((e) => e.code)]), [[b.calendarId, ['CALENDAR_NOT_SYNCED']]]);
    // Left out by the tenant's choice, it is not consulted at all.
    assert.equal((await call(api, 'PATCH', `/v1/calendars/${b.calendarId}`, { key: b.key, body: { countsForBusy: false } })).statusCode, 200);
    assert.deepEqual(json<{ calendars: unknown[] }>(await call(api, 'POST', '/v1/freebusy', { key: b.key, body: { accountIds: [b.accountId], ...win } })).calendars, []);
    assert.equal((await call(api, 'PATCH', `/v1/calendars/${b.calendarId}`, { key: b.key, body: { countsForBusy: null } })).statusCode, 200);
  });

  it('an account that stands for no calendar is marked NO_BUSY_CALENDARS, never answered as free', async () => {
    const t = api.store.tenant(api.a.id);
    const fresh = await t.accounts.upsert({ provider: 'memory', externalId: 'just-connected@example.com', credentials: 'sealed-secret-envelope' });
    const readerOnly = await t.accounts.upsert({ provider: 'memory', externalId: 'reader@example.com', credentials: 'sealed-secret-envelope' });
    await t.calendars.upsertMany(readerOnly.id, [{ providerCalendarId: 'boss@example.com', name: "The boss's", timeZone: 'UTC', color: null, readOnly: true }]);
    type Marked = { code: string; message: string; lastSyncedAt: null };
    type Answer = { partial: boolean; slots: unknown[]; participants: Array<{ id: string; calendarIds: string[]; errors?: Marked[] }> };
    const avail = json<Answer>(
      await call(api, 'POST', '/v1/availability', {
        body: { participants: [{ id: 'own', accountIds: [api.a.accountId] }, { id: 'new', accountIds: [fresh.id] }, { id: 'reader', accountIds: [readerOnly.id], optional: true }], durationMinutes: 60, stepMinutes: 60, ...win },
      }),
    );
    assert.equal(avail.partial, true);
    assert.deepEqual(avail.participants.map((p) => [p.id, p.calendarIds, p.errors?.map((e) => e.code)]), [
      ['own', [api.a.calendarId], undefined],
      ['new', [], ['NO_BUSY_CALENDARS']],
      ['reader', [], ['NO_BUSY_CALENDARS']],
    ]);
    assert.match(avail.participants[1]!.errors![0]!.message, new RegExp(`account ${fresh.id} has no calendars yet`));
    assert.match(avail.participants[2]!.errors![0]!.message, /1 calendar\(s\) counts for busy time/);
    type Busy = { calendars: unknown[]; accounts?: Array<{ accountId: string; calendarIds: string[]; errors?: Marked[] }> };
    const busy = json<Busy>(await call(api, 'POST', '/v1/freebusy', { body: { accountIds: [api.a.accountId, fresh.id], ...win } }));
    assert.deepEqual(busy.accounts?.map((a) => [a.accountId, a.calendarIds, a.errors?.map((e) => e.code)]), [
      [api.a.accountId, [api.a.calendarId], undefined],
      [fresh.id, [], ['NO_BUSY_CALENDARS']],
    ]);
    // Named by calendar ids alone, the answer is as before: no accounts list.
    assert.equal(json<Busy>(await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [api.a.calendarId], ...win } })).accounts, undefined);
  });

  it('refusals: a missing body field is 400; another tenant\'s calendar is 404 and stays as it was', async () => {
    assert.equal((await call(api, 'PATCH', `/v1/calendars/${colleague}`, { body: {} })).statusCode, 400);
    assert.equal((await call(api, 'PATCH', `/v1/calendars/${colleague}`, { body: { countsForBusy: 'yes' } })).statusCode, 400);
    const foreign = await call(api, 'PATCH', `/v1/calendars/${colleague}`, { key: api.b.key, body: { countsForBusy: true } });
    assert.equal(foreign.statusCode, 404);
    assert.equal(json<Cal>(await call(api, 'GET', `/v1/calendars/${colleague}`)).countsForBusyChosen, false);
  });
});
