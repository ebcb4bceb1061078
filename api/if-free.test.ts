/**
 * Writing an event only if its time is free (`ifFree`, `ifFreeCalendarIds`, `ifFreeAccountIds` on
 * POST /v1/calendars/:id/events, PATCH /v1/events/:id, PATCH /v1/events/:id/occurrences/:key and
 * the rsvp routes): 409 SLOT_TAKEN when busy time overlaps
 * it, nothing written; of many writes racing for one slot exactly one gets it (on PostgreSQL
 * through api-pg.int.test.ts, where the writes really run side by side).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Saved = { id: string; etag: string; title: string; start: { dateTime: string } };
type Failure = { error: { code: string; message: string } };

const slot = (start: string, end: string, extra: Record<string, unknown> = {}) => ({ title: 'Booking', start: at(start), end: at(end), ...extra });

describe('writing an event only if its time is free', () => {
  let api: TestApi;
  let other: string;
  const events = (q = '') => `/v1/calendars/${api.a.calendarId}/events${q}`;
  const titlesAt = async (calendarId: string) => (await api.store.tenant(api.a.id).events.list(calendarId)).map((e) => e.event.title).sort();

  before(async () => {
    api = await startTestApi();
    const t = api.store.tenant(api.a.id);
    [other] = (await t.calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'personal', name: 'Personal', timeZone: 'UTC', color: null, readOnly: false }])).map((c) => c.id) as [string];
    await seed(api.store, api.a.id, api.a.calendarId,
      ev({ uid: 'standup', start: at('2026-11-10T09:00:00Z'), end: at('2026-11-10T10:00:00Z') }),
      ev({ uid: 'maybe', start: at('2026-11-10T14:00:00Z'), end: at('2026-11-10T15:00:00Z'), status: 'tentative' }),
      ev({ uid: 'free', start: at('2026-11-10T16:00:00Z'), end: at('2026-11-10T17:00:00Z'), availability: 'free' }),
    );
    await seed(api.store, api.a.id, other, ev({ uid: 'dentist', start: at('2026-11-10T12:00:00Z'), end: at('2026-11-10T13:00:00Z') }));
  });
  after(() => api.close());

  it('a free time is written; busy or tentative time is 409 SLOT_TAKEN and nothing is written; touching and free events are no overlap', async () => {
    const ok = await call(api, 'POST', events('?ifFree=true'), { body: slot('2026-11-10T10:00:00Z', '2026-11-10T11:00:00Z') });
    assert.equal(ok.statusCode, 201, ok.body);
    const before = await titlesAt(api.a.calendarId);
    for (const [start, end] of [['2026-11-10T09:30:00Z', '2026-11-10T10:30:00Z'], ['2026-11-10T14:30:00Z', '2026-11-10T15:30:00Z'], ['2026-11-10T10:15:00Z', '2026-11-10T10:45:00Z']]) {
      const taken = await call(api, 'POST', events('?ifFree=true'), { body: slot(start!, end!) });
      assert.equal(taken.statusCode, 409, `${start}: ${taken.body}`);
      assert.equal(json<Failure>(taken).error.code, 'SLOT_TAKEN');
      assert.match(json<Failure>(taken).error.message, new RegExp(`overlaps busy time in ${api.a.calendarId} 2026-11-10T`));
      assert.doesNotMatch(json<Failure>(taken).error.message, /standup|maybe/, 'other events are not named');
    }
    assert.deepEqual(await titlesAt(api.a.calendarId), before, 'nothing written');
    assert.equal(json<{ items: unknown[] }>(await call(api, 'GET', `/v1/calendars/${api.a.calendarId}/writes`)).items.length, 1, 'no outbox entry for a refused write');
    assert.equal((await call(api, 'POST', events('?ifFree=true'), { body: slot('2026-11-10T16:00:00Z', '2026-11-10T17:00:00Z', { title: 'Over a free event' }) })).statusCode, 201);
    // A free event takes no time, so it is written over busy time too.
    assert.equal((await call(api, 'POST', events('?ifFree=true'), { body: slot('2026-11-10T09:00:00Z', '2026-11-10T10:00:00Z', { title: 'Free note', availability: 'free' }) })).statusCode, 201);
    const far = await call(api, 'POST', events('?ifFree=true'), { body: slot('2030-11-10T09:00:00Z', '2030-11-10T10:00:00Z') });
    assert.equal(far.statusCode, 400, far.body);
    assert.match(json<Failure>(far).error.message, /outside the time the busy index covers/);
    // Without ifFree a double booking is the client's to make.
    assert.equal((await call(api, 'POST', events(), { body: slot('2026-11-10T09:00:00Z', '2026-11-10T10:00:00Z', { title: 'On purpose' }) })).statusCode, 201);
  });

  it("other calendars by id or through their account; an unknown one is 404; a series is checked at every occurrence", async () => {
    const body = slot('2026-11-11T12:00:00Z', '2026-11-11T13:00:00Z', { title: 'Lunch talk', recurrence: { rrules: ['FREQ=DAILY;COUNT=3'] } });
    // 2026-11-10 12:00 is the dentist in Personal; the series starts a day later, so it is free until it is moved back.
    assert.equal((await call(api, 'POST', events(`?ifFreeCalendarIds=${other}`), { body })).statusCode, 201);
    const series = { ...body, title: 'Earlier talk', start: at('2026-11-09T12:00:00Z'), end: at('2026-11-09T13:00:00Z') };
    const byId = await call(api, 'POST', events(`?ifFreeCalendarIds=${other}`), { body: series });
    assert.equal(byId.statusCode, 409, byId.body);
    assert.match(json<Failure>(byId).error.message, new RegExp(`${other} 2026-11-10T12:00:00.000Z–2026-11-10T13:00:00.000Z \\(busy\\)`));
    const byAccount = await call(api, 'POST', events(`?ifFreeAccountIds=${api.a.accountId}`), { body: series });
    assert.equal(byAccount.statusCode, 409);
    assert.equal((await call(api, 'POST', events('?ifFreeCalendarIds=cal_nope'), { body: series })).statusCode, 404);
    const empty = await call(api, 'POST', events('?ifFreeCalendarIds=,'), { body: series });
    assert.equal(empty.statusCode, 400, `a list naming nothing is not a write without the check: ${empty.body}`);
    assert.match(json<Failure>(empty).error.message, /querystring\.ifFreeCalendarIds names no id/);
    assert.equal((await call(api, 'POST', events(`?ifFreeCalendarIds=${api.b.calendarId}`), { body: series })).statusCode, 404, "another tenant's calendar is not found");
  });

  it('an account that stands for no calendar counting for busy is refused (409 NO_BUSY_CALENDARS), not answered free', async () => {
    const t = api.store.tenant(api.a.id);
    const bare = await t.accounts.upsert({ provider: 'memory', externalId: 'bare@example.com' });
    const readerOnly = await t.accounts.upsert({ provider: 'memory', externalId: 'reader@example.com' });
    const [shared] = await t.calendars.upsertMany(readerOnly.id, [{ providerCalendarId: 'holidays', name: 'Holidays', timeZone: 'UTC', color: null, readOnly: true }]);
    assert.equal((await call(api, 'PATCH', `/v1/calendars/${shared!.id}`, { body: { countsForBusy: false } })).statusCode, 200);
    const body = slot('2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z', { title: 'Unchecked' });
    for (const [account, why] of [[bare.id, /has no calendars yet/], [readerOnly.id, /1 calendar\(s\) counts for busy time/]] as const) {
      const r = await call(api, 'POST', events(`?ifFreeAccountIds=${account}`), { body });
      assert.equal(r.statusCode, 409, r.body);
      assert.equal(json<Failure>(r).error.code, 'NO_BUSY_CALENDARS');
      assert.match(json<Failure>(r).error.message, new RegExp(account));
      assert.match(json<Failure>(r).error.message, why);
    }
    assert.ok(!(await titlesAt(api.a.calendarId)).includes('Unchecked'), 'nothing was written');
    // Named beside an account that counts, it is still refused: its busy time is unknown.
    assert.equal((await call(api, 'POST', events(`?ifFreeAccountIds=${api.a.accountId},${bare.id}`), { body })).statusCode, 409);
    // A calendar whose sync is off holds no busy time either: named by id or standing for its account.
    const paused = await t.accounts.upsert({ provider: 'memory', externalId: 'paused@example.com' });
    const [off] = await t.calendars.upsertMany(paused.id, [{ providerCalendarId: 'off', name: 'Off', timeZone: 'UTC', color: null, readOnly: false }]);
    assert.equal((await call(api, 'PATCH', `/v1/calendars/${off!.id}`, { body: { syncEnabled: false } })).statusCode, 200);
    for (const q of [`ifFreeCalendarIds=${off!.id}`, `ifFreeAccountIds=${paused.id}`]) {
      const r = await call(api, 'POST', events(`?${q}`), { body });
      assert.equal(r.statusCode, 409, `${q}: ${r.body}`);
      assert.equal(json<Failure>(r).error.code, 'CALENDAR_NOT_SYNCED', q);
    }
    assert.ok(!(await titlesAt(api.a.calendarId)).includes('Unchecked'), 'nothing was written');
  });

  it('PATCH moves an event only into a free time; its own old time does not count against it', async () => {
    const made = json<Saved>(await call(api, 'POST', events('?ifFree=true'), { body: slot('2026-11-12T09:00:00Z', '2026-11-12T10:00:00Z', { title: 'Movable' }) }));
    const longer = await call(api, 'PATCH', `/v1/events/${made.id}?ifFree=true`, { body: { end: at('2026-11-12T10:30:00Z') } });
    assert.equal(longer.statusCode, 200, longer.body);
    const blocked = await call(api, 'PATCH', `/v1/events/${made.id}?ifFree=true`, { body: { start: at('2026-11-10T09:30:00Z'), end: at('2026-11-10T10:30:00Z') } });
    assert.equal(blocked.statusCode, 409);
    const stored = json<Saved>(await call(api, 'GET', `/v1/events/${made.id}`));
    assert.equal(stored.etag, json<Saved>(longer).etag, 'unchanged');
  });

  // An outside user's zero-length booking inside busy time was refused as "outside the busy horizon".
  it('an event that ends when it starts has no free slot to ask for: 400 INVALID_WINDOW with ifFree, nothing written; without ifFree it is written', async () => {
    const before = await titlesAt(api.a.calendarId);
    for (const at_ of ['2026-11-10T09:30:00Z', '2026-11-10T11:30:00Z']) {
      const r = await call(api, 'POST', events('?ifFree=true'), { body: slot(at_, at_, { title: 'Zero' }) });
      assert.equal(r.statusCode, 400, r.body);
      assert.equal(json<Failure>(r).error.code, 'INVALID_WINDOW');
      assert.match(json<Failure>(r).error.message, /^ifFree: the event ends when it starts/);
    }
    assert.deepEqual(await titlesAt(api.a.calendarId), before, 'nothing written');
    const made = json<Saved>(await call(api, 'POST', events('?ifFree=true'), { body: slot('2026-11-25T09:00:00Z', '2026-11-25T10:00:00Z', { title: 'Shrinking' }) }));
    const shrunk = await call(api, 'PATCH', `/v1/events/${made.id}?ifFree=true`, { body: { end: at('2026-11-25T09:00:00Z') } });
    assert.equal(json<Failure>(shrunk).error.code, 'INVALID_WINDOW', shrunk.body);
    const marker = await call(api, 'POST', events(), { body: slot('2026-11-10T09:30:00Z', '2026-11-10T09:30:00Z', { title: 'Marker' }) });
    assert.equal(marker.statusCode, 201, 'a zero-length event itself is accepted, as RFC 5545 and the providers accept it');
  });

  it('an invitation accepted only if nothing else is at its time; a decline needs no free time', async () => {
    const invite = (uid: string, start: string, end: string) =>
      ev({ uid, start: at(start), end: at(end), organizer: { email: 'boss@example.com', name: null }, attendees: [{ email: 'boss@example.com' }, { email: 'me@example.com', self: true, response: 'needsAction' }] });
    await seed(api.store, api.a.id, api.a.calendarId, invite('clash', '2026-11-10T09:30:00Z', '2026-11-10T10:30:00Z'), invite('clear', '2026-11-15T09:00:00Z', '2026-11-15T10:00:00Z'));
    const idOf = async (uid: string) => (await api.store.tenant(api.a.id).events.byUid(api.a.calendarId, uid))[0]!.id;
    const clash = await idOf('clash');
    const refused = await call(api, 'POST', `/v1/events/${clash}/rsvp?ifFree=true`, { body: { response: 'accepted' } });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(json<Failure>(refused).error.code, 'SLOT_TAKEN');
    assert.equal((await call(api, 'POST', `/v1/events/${clash}/rsvp?ifFree=true`, { body: { response: 'declined' } })).statusCode, 200);
    assert.equal((await call(api, 'POST', `/v1/events/${await idOf('clear')}/rsvp?ifFree=true`, { body: { response: 'accepted' } })).statusCode, 200);
  });

  it("one occurrence moves only into a free time: only its own time is checked, and the series' other occurrences count against it", async () => {
    const series = json<Saved>(await call(api, 'POST', events(), { body: slot('2026-11-16T15:00:00Z', '2026-11-16T15:30:00Z', { title: 'One to one', recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } }) }));
    // Another event over the series' fourth occurrence, and one in Personal on the third day.
    await seed(api.store, api.a.id, api.a.calendarId, ev({ uid: 'over-fourth', start: at('2026-11-19T15:00:00Z'), end: at('2026-11-19T15:30:00Z') }));
    await seed(api.store, api.a.id, other, ev({ uid: 'blocker', start: at('2026-11-18T17:00:00Z'), end: at('2026-11-18T18:00:00Z') }));
    const occurrence = (key: string, q: string) => `/v1/events/${series.id}/occurrences/${key}${q}`;
    const retitled = await call(api, 'PATCH', occurrence('2026-11-17T15:00:00Z', '?ifFree=true'), { body: { title: 'One to one (agenda)' } });
    assert.equal(retitled.statusCode, 200, `the fourth occurrence's clash is not this one's: ${retitled.body}`);
    const override = json<Saved>(retitled);
    assert.equal((await call(api, 'PATCH', `/v1/events/${override.id}?ifFree=true`, { body: { location: 'Room 1' } })).statusCode, 200, 'the override itself, by its own id');
    const intoBlocker = await call(api, 'PATCH', occurrence('2026-11-17T15:00:00Z', `?ifFreeCalendarIds=${other}`), { body: { start: at('2026-11-18T17:00:00Z'), end: at('2026-11-18T17:30:00Z') } });
    assert.equal(intoBlocker.statusCode, 409, intoBlocker.body);
    assert.match(json<Failure>(intoBlocker).error.message, new RegExp(`${other} 2026-11-18T17:00:00.000Z`));
    const ontoSibling = await call(api, 'PATCH', occurrence('2026-11-17T15:00:00Z', '?ifFree=true'), { body: { start: at('2026-11-16T15:15:00Z'), end: at('2026-11-16T15:45:00Z') } });
    assert.equal(ontoSibling.statusCode, 409, `onto the series' own first occurrence: ${ontoSibling.body}`);
    const regular = await call(api, 'PATCH', occurrence('2026-11-20T15:00:00Z', '?ifFree=true'), { body: { start: at('2026-11-19T15:15:00Z'), end: at('2026-11-19T15:45:00Z') } });
    assert.equal(regular.statusCode, 409, 'a regular occurrence moved onto another event');
    const moved = await call(api, 'PATCH', occurrence('2026-11-17T15:00:00Z', `?ifFreeCalendarIds=${other}`), { body: { start: at('2026-11-17T16:00:00Z'), end: at('2026-11-17T16:30:00Z') } });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(json<Saved>(moved).start.dateTime.slice(0, 16), '2026-11-17T16:00');
  });

  it('of ten writes racing for one time exactly one gets it; the others are 409 SLOT_TAKEN', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call(api, 'POST', events(`?ifFreeCalendarIds=${other}`), { body: slot('2026-11-13T09:00:00Z', '2026-11-13T10:00:00Z', { title: `Racer ${i}` }) })),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, ...Array<number>(9).fill(409)], results.map((r) => r.body).join('\n'));
    // Crosswise: one write into each calendar, each asking the other to be free too.
    const cross = await Promise.all([
      call(api, 'POST', events(`?ifFreeCalendarIds=${other}`), { body: slot('2026-11-14T09:00:00Z', '2026-11-14T10:00:00Z', { title: 'Cross A' }) }),
      call(api, 'POST', `/v1/calendars/${other}/events?ifFreeCalendarIds=${api.a.calendarId}`, { body: slot('2026-11-14T09:30:00Z', '2026-11-14T10:30:00Z', { title: 'Cross B' }) }),
    ]);
    assert.deepEqual(cross.map((r) => r.statusCode).sort(), [201, 409], cross.map((r) => r.body).join('\n'));
  });
});

describe('a change of an event is checked only at the time it newly takes', () => {
  let api: TestApi;
  let personal: string;
  const events = (q = '') => `/v1/calendars/${api.a.calendarId}/events${q}`;
  before(async () => {
    api = await startTestApi();
    const t = api.store.tenant(api.a.id);
    [personal] = (await t.calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'personal', name: 'Personal', timeZone: 'UTC', color: null, readOnly: false }])).map((c) => c.id) as [string];
    await seed(api.store, api.a.id, api.a.calendarId, ev({ uid: 'review', start: at('2026-11-10T09:00:00Z'), end: at('2026-11-10T10:00:00Z') }));
    await seed(api.store, api.a.id, personal, ev({ uid: 'gym', start: at('2026-11-10T13:00:00Z'), end: at('2026-11-10T14:00:00Z') }));
  });
  after(() => api.close());

  it('a retitle of an event that already overlaps something takes no new time; a move is checked at its new part only', async () => {
    const double = json<Saved>(await call(api, 'POST', events(), { body: slot('2026-11-10T09:30:00Z', '2026-11-10T10:30:00Z', { title: 'Booked twice' }) }));
    const retitled = await call(api, 'PATCH', `/v1/events/${double.id}?ifFree=true`, { body: { title: 'Booked twice (agenda)' } });
    assert.equal(retitled.statusCode, 200, retitled.body);
    // Moving later by 30 minutes leaves the review behind: its new part 10:30–11:00 is free.
    const later = await call(api, 'PATCH', `/v1/events/${double.id}?ifFree=true`, { body: { start: at('2026-11-10T10:00:00Z'), end: at('2026-11-10T11:00:00Z') } });
    assert.equal(later.statusCode, 200, later.body);
    const back = await call(api, 'PATCH', `/v1/events/${double.id}?ifFree=true`, { body: { start: at('2026-11-10T09:45:00Z'), end: at('2026-11-10T10:45:00Z') } });
    assert.equal(back.statusCode, 409, `its new part 09:45–10:00 is the review's: ${back.body}`);
  });

  it('an occurrence of a free series made busy takes its whole time anew', async () => {
    const series = json<Saved>(await call(api, 'POST', events(), { body: slot('2026-11-10T09:00:00Z', '2026-11-10T09:30:00Z', { title: 'Focus', availability: 'free', recurrence: { rrules: ['FREQ=DAILY;COUNT=2'] } }) }));
    const busy = await call(api, 'PATCH', `/v1/events/${series.id}/occurrences/2026-11-10T09:00:00Z?ifFree=true`, { body: { availability: 'busy' } });
    assert.equal(busy.statusCode, 409, `the review is at 09:00: ${busy.body}`);
  });

  it("a series' retitle is not refused for its own occurrences overlapping each other", async () => {
    const series = json<Saved>(await call(api, 'POST', events(), { body: slot('2026-11-16T15:00:00Z', '2026-11-16T15:30:00Z', { title: 'Daily', recurrence: { rrules: ['FREQ=DAILY;COUNT=3'] } }) }));
    assert.equal((await call(api, 'PATCH', `/v1/events/${series.id}/occurrences/2026-11-17T15:00:00Z`, { body: { start: at('2026-11-18T15:00:00Z'), end: at('2026-11-18T15:30:00Z') } })).statusCode, 200);
    const retitled = await call(api, 'PATCH', `/v1/events/${series.id}?ifFree=true`, { body: { title: 'Daily (new agenda)' } });
    assert.equal(retitled.statusCode, 200, retitled.body);
  });

  it("the event's own mirror copy is no other busy time; the target calendar's other events are", async () => {
    const made = json<Saved>(await call(api, 'POST', events(`?ifFreeCalendarIds=${personal}`), { body: slot('2026-11-12T15:00:00Z', '2026-11-12T16:00:00Z', { title: 'Mirrored booking' }) }));
    // A new rule copies what is there at once.
    const rule = await call(api, 'POST', '/v1/rules', { body: { sourceCalendarId: api.a.calendarId, targetCalendarId: personal, mode: 'busy-block' } });
    assert.equal(rule.statusCode, 201, rule.body);
    const copies = (await api.store.tenant(api.a.id).events.list(personal)).filter((e) => e.event.title === 'Busy');
    assert.ok(copies.some((c) => 'dateTime' in c.event.start && c.event.start.dateTime.startsWith('2026-11-12T15:00')), 'the copy is in Personal');
    // The copy stays at 15:00 until the rule runs again: moved away and back onto it, the event meets only its own copy.
    const away = await call(api, 'PATCH', `/v1/events/${made.id}?ifFreeCalendarIds=${personal}`, { body: { start: at('2026-11-12T17:00:00Z'), end: at('2026-11-12T18:00:00Z') } });
    assert.equal(away.statusCode, 200, away.body);
    const onCopy = await call(api, 'PATCH', `/v1/events/${made.id}?ifFreeCalendarIds=${personal}`, { body: { start: at('2026-11-12T15:30:00Z'), end: at('2026-11-12T16:30:00Z') } });
    assert.equal(onCopy.statusCode, 200, onCopy.body);
    const onGym = await call(api, 'POST', events(`?ifFreeCalendarIds=${personal}`), { body: slot('2026-11-10T13:30:00Z', '2026-11-10T14:30:00Z') });
    assert.equal(onGym.statusCode, 409, onGym.body);
  });
});

