import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findSlots, workingIntervals, zoneGrid, type WorkingHours } from '../freebusy/index.ts';
import { utcMsToLocal } from '../shared/time/index.ts';
import { at, call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Slots = { slots: Array<{ start: string; end: string; participants: string[] }>; truncated: boolean };
type Err = { error: { code: string; message: string } };

const weekdays = (timeZone: string, start = '09:00', end = '17:00'): WorkingHours => ({
  timeZone,
  days: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start, end }]])),
});
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const ms = (s: string) => Date.parse(s);

describe('working hours and slots (pure)', () => {
  it('resolves working hours in the participant\'s zone across the autumn DST change', () => {
    const w = workingIntervals(weekdays('Europe/Berlin'), ms('2026-10-23T00:00:00Z'), ms('2026-10-27T00:00:00Z'));
    const inWindow = w.filter((x) => x.start >= ms('2026-10-23T00:00:00Z') && x.start < ms('2026-10-27T00:00:00Z'));
    assert.deepEqual(inWindow.map((x) => `${iso(x.start)}/${iso(x.end).slice(11)}`), ['2026-10-23T07:00/15:00', '2026-10-26T08:00/16:00']);
  });

  it('moves a start inside the spring-forward gap forward and runs overnight ranges into the next day', () => {
    const gap = workingIntervals({ timeZone: 'Europe/Berlin', days: { sun: [{ start: '02:30', end: '04:00' }] } }, ms('2026-03-29T00:00:00Z'), ms('2026-03-30T00:00:00Z'));
    assert.deepEqual(gap.map((x) => `${iso(x.start)}/${iso(x.end).slice(11)}`), ['2026-03-29T01:30/02:00']);
    const night = workingIntervals({ timeZone: 'UTC', days: { fri: [{ start: '22:00', end: '06:00' }], sat: [{ start: '20:00', end: '24:00' }] } }, ms('2026-11-13T00:00:00Z'), ms('2026-11-15T00:00:00Z'));
    assert.deepEqual(night.map((x) => `${iso(x.start)}/${iso(x.end)}`), ['2026-11-13T22:00/2026-11-14T06:00', '2026-11-14T20:00/2026-11-15T00:00']);
    // A range ending where it starts is empty, never 24 hours (the API refuses it).
    assert.deepEqual(workingIntervals({ timeZone: 'UTC', days: { fri: [{ start: '10:00', end: '10:00' }] } }, ms('2026-11-13T00:00:00Z'), ms('2026-11-14T00:00:00Z')), []);
  });

  it('a zone\'s slot grid skips the wall times the clocks skip', () => {
    const g = [...zoneGrid('Europe/Berlin', 30 * 60_000, ms('2026-03-29T00:00:00Z'), ms('2026-03-29T02:00:00Z'))];
    assert.deepEqual(g.map((x) => utcMsToLocal(x, 'Europe/Berlin').slice(11, 16)), ['01:00', '01:30', '03:00', '03:30', '04:00']);
  });

  it('keeps buffers around busy time on both sides', () => {
    const q = { start: ms('2026-11-10T12:00:00Z'), end: ms('2026-11-10T15:00:00Z'), durationMs: 30 * 60_000, stepMs: 15 * 60_000, bufferBeforeMs: 15 * 60_000, bufferAfterMs: 15 * 60_000, minimumOptional: 0, maxSlots: 100, notBefore: 0, gridZone: null };
    const r = findSlots(q, [{ id: 'a', optional: false, busy: [{ start: ms('2026-11-10T13:00:00Z'), end: ms('2026-11-10T14:00:00Z') }], workingHours: null }]);
    assert.deepEqual(r.slots.map((s) => iso(s.start).slice(11)), ['12:00', '12:15', '14:15', '14:30']);
  });

  it('truncates at maxSlots and says so', () => {
    const q = { start: 0, end: 10 * 3_600_000, durationMs: 3_600_000, stepMs: 3_600_000, bufferBeforeMs: 0, bufferAfterMs: 0, minimumOptional: 0, maxSlots: 3, notBefore: 0, gridZone: null };
    const r = findSlots(q, [{ id: 'a', optional: false, busy: [], workingHours: null }]);
    assert.equal(r.slots.length, 3);
    assert.equal(r.truncated, true);
  });
});

describe('POST /v1/availability', () => {
  let api: TestApi;
  let alice: string;
  let bob: string;
  let carol: string;

  // The fixed dates below lie before this clock's now: past slots are never offered.
  let now = new Date('2026-10-01T00:00:00Z');
  before(async () => {
    api = await startTestApi({ now: () => now });
    const cals = await api.store.tenant(api.a.id).calendars.upsertMany(api.a.accountId, [
      { providerCalendarId: 'alice', name: 'Alice', timeZone: 'Europe/Berlin', color: null, readOnly: false },
      { providerCalendarId: 'bob', name: 'Bob', timeZone: 'America/New_York', color: null, readOnly: false },
      { providerCalendarId: 'carol', name: 'Carol', timeZone: 'UTC', color: null, readOnly: false },
    ]);
    [alice, bob, carol] = cals.map((c) => c.id) as [string, string, string];
    await seed(api.store, api.a.id, alice, ev({ uid: 'a1', start: at('2026-10-26T13:00:00Z'), end: at('2026-10-26T14:00:00Z') }), ev({ uid: 'a-free', start: at('2026-10-26T14:00:00Z'), end: at('2026-10-26T15:00:00Z'), availability: 'free' }));
    await seed(api.store, api.a.id, bob, ev({ uid: 'b1', start: at('2026-10-26T14:30:00Z'), end: at('2026-10-26T15:00:00Z'), status: 'tentative' }));
    await seed(api.store, api.a.id, carol, ev({ uid: 'c1', start: at('2026-10-26T15:00:00Z'), end: at('2026-10-26T16:00:00Z') }));
  });
  after(() => api.close());

  const post = async (body: Record<string, unknown>) => {
    const r = await call(api, 'POST', '/v1/availability', { body });
    assert.equal(r.statusCode, 200, r.body);
    return json<Slots>(r);
  };
  const times = (r: Slots) => r.slots.map((s) => `${s.start.slice(5, 16)}`);

  it('finds the overlap of working hours in two zones, before and after each side\'s DST change', async () => {
    const r = await post({
      participants: [
        { id: 'alice', calendarIds: [carol], workingHours: weekdays('Europe/Berlin') },
        { id: 'bob', calendarIds: [carol], workingHours: weekdays('America/New_York') },
      ],
      durationMinutes: 60,
      stepMinutes: 60,
      timeMin: '2026-10-22T00:00:00Z',
      timeMax: '2026-11-03T00:00:00Z',
      freeStatuses: ['busy'],
    });
    // Oct 22–23: both on summer time (6 h apart); Oct 26–30: Berlin on winter time (5 h); Nov 2: both on winter time (6 h).
    assert.deepEqual(times(r), [
      '10-22T13:00', '10-22T14:00',
      '10-23T13:00', '10-23T14:00',
      '10-26T13:00', '10-26T14:00', '10-26T15:00',
      '10-27T13:00', '10-27T14:00', '10-27T15:00',
      '10-28T13:00', '10-28T14:00', '10-28T15:00',
      '10-29T13:00', '10-29T14:00', '10-29T15:00',
      '10-30T13:00', '10-30T14:00', '10-30T15:00',
      '11-02T14:00', '11-02T15:00',
    ]);
  });

  it('keeps buffers around busy time, including busy time just outside the window; free events do not block', async () => {
    const r = await post({
      participants: [{ calendarIds: [alice] }],
      durationMinutes: 30,
      bufferBeforeMinutes: 15,
      bufferAfterMinutes: 15,
      timeMin: '2026-10-26T14:00:00Z',
      timeMax: '2026-10-26T15:30:00Z',
    });
    assert.deepEqual(times(r), ['10-26T14:15', '10-26T14:30', '10-26T14:45', '10-26T15:00']);
    assert.deepEqual(r.slots[0]!.participants, ['participant-1']);
  });

  it('workingElsewhere does not block by default; freeStatuses: [] makes every status block', async () => {
    await seed(api.store, api.a.id, carol, ev({ uid: 'wfh', start: { date: '2026-10-27' }, end: { date: '2026-10-28' }, availability: 'workingElsewhere' }));
    const body = { participants: [{ calendarIds: [carol] }], durationMinutes: 60, stepMinutes: 60, timeMin: '2026-10-27T09:00:00Z', timeMax: '2026-10-27T11:00:00Z' };
    assert.deepEqual(times(await post(body)), ['10-27T09:00', '10-27T10:00']);
    assert.deepEqual(times(await post({ ...body, freeStatuses: [] })), []);
  });

  it('tentative blocks by default and can be declared free', async () => {
    const body = { participants: [{ id: 'bob', calendarIds: [bob] }], durationMinutes: 30, stepMinutes: 30, timeMin: '2026-10-26T14:00:00Z', timeMax: '2026-10-26T15:30:00Z' };
    assert.deepEqual(times(await post(body)), ['10-26T14:00', '10-26T15:00']);
    assert.deepEqual(times(await post({ ...body, freeStatuses: ['tentative'] })), ['10-26T14:00', '10-26T14:30', '10-26T15:00']);
  });

  it('needs every required participant and at least minimumOptional optional ones, and lists who is free', async () => {
    const r = await post({
      participants: [
        { id: 'alice', calendarIds: [alice] },
        { id: 'bob', calendarIds: [bob], optional: true },
        { id: 'carol', calendarIds: [carol], optional: true },
      ],
      minimumOptional: 1,
      durationMinutes: 30,
      stepMinutes: 30,
      timeMin: '2026-10-26T13:00:00Z',
      timeMax: '2026-10-26T16:30:00Z',
    });
    assert.deepEqual(
      r.slots.map((s) => `${s.start.slice(11, 16)} ${s.participants.join(',')}`),
      ['14:00 alice,bob,carol', '14:30 alice,carol', '15:00 alice,bob', '15:30 alice,bob', '16:00 alice,bob,carol'],
    );
    const none = await post({ participants: [{ id: 'alice', calendarIds: [alice] }, { id: 'carol', calendarIds: [carol], optional: true }], minimumOptional: 1, durationMinutes: 60, timeMin: '2026-10-26T15:00:00Z', timeMax: '2026-10-26T16:00:00Z' });
    assert.deepEqual(none.slots, []);
  });

  it('with every participant optional, at least one must be free (0 is refused), and unnamed ones are participant-N', async () => {
    const body = { participants: [{ calendarIds: [bob], optional: true }, { id: 'carol', calendarIds: [carol], optional: true }], durationMinutes: 30, stepMinutes: 30, timeMin: '2026-10-26T13:00:00Z', timeMax: '2026-10-26T16:30:00Z' };
    const r = await post(body);
    assert.ok(r.slots.length > 0);
    assert.ok(r.slots.every((s) => s.participants.length >= 1), JSON.stringify(r.slots));
    assert.ok(r.slots.some((s) => s.participants.includes('participant-1')));
    const zero = await call(api, 'POST', '/v1/availability', { body: { ...body, minimumOptional: 0 } });
    assert.equal(zero.statusCode, 400);
    assert.match(json<Err>(zero).error.message, /minimumOptional is 0 while every participant is optional/);
  });

  it('takes participants by account', async () => {
    const r = await post({ participants: [{ id: 'everyone', accountIds: [api.a.accountId] }], durationMinutes: 60, stepMinutes: 60, timeMin: '2026-10-26T12:00:00Z', timeMax: '2026-10-26T18:00:00Z' });
    assert.deepEqual(times(r), ['10-26T12:00', '10-26T16:00', '10-26T17:00']);
  });

  it('slotTimeZone puts the slot grid on that zone\'s wall clock: whole steps from each local midnight', async () => {
    // Kolkata is UTC+05:30: from timeMin 00:00Z every hourly slot fell on half past in IST and the 14:00 start was never offered.
    const body = { participants: [{ calendarIds: [carol], workingHours: { timeZone: 'Asia/Kolkata', days: { mon: [{ start: '14:00', end: '22:30' }] } } }], durationMinutes: 60, stepMinutes: 60, timeMin: '2026-11-02T00:00:00Z', timeMax: '2026-11-03T00:00:00Z' };
    const ist = (r: Slots) => r.slots.map((x) => utcMsToLocal(Date.parse(x.start), 'Asia/Kolkata').slice(11, 16));
    assert.deepEqual(ist(await post(body)), ['14:30', '15:30', '16:30', '17:30', '18:30', '19:30', '20:30', '21:30']);
    assert.deepEqual(ist(await post({ ...body, slotTimeZone: 'Asia/Kolkata' })), ['14:00', '15:00', '16:00', '17:00', '18:00', '19:00', '20:00', '21:00']);
    // A Windows name is read as working hours read it; steps that do not divide the day start again at each local midnight.
    assert.deepEqual(ist(await post({ ...body, slotTimeZone: 'India Standard Time' })).length, 8);
    const odd = await post({ ...body, participants: [{ calendarIds: [carol] }], stepMinutes: 25 * 60 - 60 * 2, durationMinutes: 30, slotTimeZone: 'Asia/Kolkata', timeMin: '2026-11-02T10:00:00Z', timeMax: '2026-11-04T00:00:00Z' });
    assert.deepEqual(odd.slots.map((x) => utcMsToLocal(Date.parse(x.start), 'Asia/Kolkata').slice(5, 16)), ['11-02T23:00', '11-03T00:00', '11-03T23:00', '11-04T00:00']);
    // Across a DST change the grid stays on the local hour (New York falls back on 2026-11-01: 01:00 comes twice).
    const ny = await post({ participants: [{ calendarIds: [carol] }], durationMinutes: 60, stepMinutes: 60, slotTimeZone: 'America/New_York', timeMin: '2026-11-01T03:30:00Z', timeMax: '2026-11-01T08:00:00Z' });
    assert.deepEqual(ny.slots.map((x) => x.start.slice(11, 16)), ['04:00', '05:00', '06:00', '07:00']); // 01:00 EDT and 01:00 EST
    const bad = json<Err>(await call(api, 'POST', '/v1/availability', { body: { ...body, slotTimeZone: 'Mars/Olympus' } }));
    assert.deepEqual([bad.error.code, bad.error.message], ['ZONE_UNKNOWN', 'body.slotTimeZone: unknown time zone "Mars/Olympus" (an IANA or Windows name)']);
  });

  it('offers no slot that starts before now + minimumNoticeMinutes (default 0: none in the past)', async () => {
    now = new Date('2026-11-02T07:31:27.500Z');
    try {
      const body = { participants: [{ calendarIds: [carol] }], durationMinutes: 30, stepMinutes: 30, timeMin: '2026-11-02T04:00:00Z', timeMax: '2026-11-02T11:00:00Z' };
      assert.deepEqual(times(await post(body)), ['11-02T08:00', '11-02T08:30', '11-02T09:00', '11-02T09:30', '11-02T10:00', '11-02T10:30']);
      // The grid stays timeMin + k·step: the notice drops slots, it does not shift them.
      assert.deepEqual(times(await post({ ...body, minimumNoticeMinutes: 120 })), ['11-02T10:00', '11-02T10:30']);
      assert.deepEqual(times(await post({ ...body, timeMin: '2026-11-02T04:10:00Z', minimumNoticeMinutes: 60 })), ['11-02T08:40', '11-02T09:10', '11-02T09:40', '11-02T10:10']);
      // A window wholly in the past answers no slots (and is no error).
      assert.deepEqual(times(await post({ ...body, timeMin: '2026-11-01T04:00:00Z', timeMax: '2026-11-01T11:00:00Z' })), []);
      const bad = json<Err>(await call(api, 'POST', '/v1/availability', { body: { ...body, minimumNoticeMinutes: -1 } }));
      assert.equal(bad.error.code, 'INVALID_REQUEST');
    } finally {
      now = new Date('2026-10-01T00:00:00Z');
    }
  });

  it('answers bad requests with clear codes', async () => {
    const code = async (body: Record<string, unknown>) => json<Err>(await call(api, 'POST', '/v1/availability', { body })).error.code;
    const base = { participants: [{ calendarIds: [alice] }], durationMinutes: 30, timeMin: '2026-10-26T00:00:00Z', timeMax: '2026-10-27T00:00:00Z' };
    assert.equal(await code({ ...base, timeMax: '2027-01-01T00:00:00Z' }), 'WINDOW_TOO_LARGE');
    assert.equal(await code({ ...base, timeMax: base.timeMin }), 'INVALID_WINDOW');
    assert.equal(await code({ ...base, participants: [{}] }), 'INVALID_REQUEST');
    assert.equal(await code({ ...base, minimumOptional: 1 }), 'INVALID_REQUEST');
    assert.equal(await code({ ...base, participants: Array.from({ length: 21 }, () => ({ calendarIds: [alice] })).map((p, i) => ({ ...p, id: `p${i}` })) }), 'TOO_MANY_PARTICIPANTS');
    // The published schema says the same caps the server keeps (a generated client's validators agree).
    const doc = json<{ paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, { maxItems?: number; maximum?: number }> } }> } } }> }>(await call(api, 'GET', '/openapi.json'));
    const props = doc.paths['/v1/availability']!.post.requestBody.content['application/json']!.schema.properties;
    assert.deepEqual([props.participants!.maxItems, props.maxSlots!.maximum], [20, 1000]);
    assert.equal(await code({ ...base, maxSlots: 1001 }), 'INVALID_REQUEST');
    const mars = json<Err>(await call(api, 'POST', '/v1/availability', { body: { ...base, participants: [{ calendarIds: [alice] }, { calendarIds: [alice], workingHours: { timeZone: 'Mars/Olympus', days: {} } }] } }));
    assert.deepEqual([mars.error.code, mars.error.message], ['ZONE_UNKNOWN', 'body.participants.1.workingHours.timeZone: unknown time zone "Mars/Olympus" (an IANA or Windows name)']);
    // A Windows name, as Microsoft 365 gives a mailbox's working hours, is read as event times read it.
    assert.equal((await call(api, 'POST', '/v1/availability', { body: { ...base, participants: [{ calendarIds: [alice], workingHours: { timeZone: 'W. Europe Standard Time', days: { mon: [{ start: '09:00', end: '17:00' }] } } }] } })).statusCode, 200);
    assert.equal(await code({ ...base, participants: [{ calendarIds: [alice], workingHours: { timeZone: 'UTC', days: { mon: [{ start: '9:00', end: '17:00' }] } } }] }), 'INVALID_REQUEST');
    assert.equal(await code({ ...base, durationMinutes: 0 }), 'INVALID_REQUEST');
  });

  it('refuses working hours that start where they end (they read as 24 hours), keeps end before start as overnight', async () => {
    const base = { participants: [{ calendarIds: [carol] }], durationMinutes: 60, stepMinutes: 60, timeMin: '2026-11-02T00:00:00Z', timeMax: '2026-11-03T00:00:00Z' };
    const hours = (days: WorkingHours['days']) => ({ ...base, participants: [{ calendarIds: [carol], workingHours: { timeZone: 'UTC', days } }] });
    const refused: Array<[WorkingHours['days'], string]> = [
      [{ mon: [{ start: '10:00', end: '10:00' }] }, 'body.participants.0.workingHours.days.mon.0'],
      [{ mon: [{ start: '09:00', end: '12:00' }, { start: '00:00', end: '00:00' }] }, 'body.participants.0.workingHours.days.mon.1'],
      [{ tue: [{ start: '24:00', end: '08:00' }] }, 'body.participants.0.workingHours.days.tue.0'],
    ];
    for (const [days, field] of refused) {
      const r = json<Err>(await call(api, 'POST', '/v1/availability', { body: hours(days) }));
      assert.equal(r.error.code, 'WORKING_HOURS_INVALID');
      assert.ok(r.error.message.startsWith(`${field}: `), r.error.message);
    }
    // The whole day is 00:00–24:00; a day off is an empty list or no entry.
    assert.equal(times(await post(hours({ mon: [{ start: '00:00', end: '24:00' }] }))).length, 24);
    assert.deepEqual(times(await post(hours({ mon: [] }))), []);
    assert.deepEqual(times(await post(hours({}))), []);
    // An end before the start runs into the next day (a night shift).
    assert.deepEqual(times(await post(hours({ sun: [{ start: '22:00', end: '02:00' }], mon: [{ start: '21:00', end: '23:00' }] }))), ['11-02T00:00', '11-02T01:00', '11-02T21:00', '11-02T22:00']);
  });
});
