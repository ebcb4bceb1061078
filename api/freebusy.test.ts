import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Span = { start: string; end: string; status: string; events?: Array<{ id: string; uid: string; title: string | null }> };
type FreeBusy = { calendars: Array<{ calendarId: string; busy: Span[] }>; merged: Array<{ start: string; end: string }> };
type Err = { error: { code: string; message: string } };

const day = (d: string) => ({ timeMin: `${d}T00:00:00Z`, timeMax: `${d}T23:59:59Z` });
const short = (s: Span) => `${s.start.slice(11, 16)}-${s.end.slice(11, 16)} ${s.status}`;
const self = (response: string) => [{ email: 'me@example.com', self: true, response: response as 'declined' }];

describe('POST /v1/freebusy', () => {
  let api: TestApi;
  let second: string;

  before(async () => {
    api = await startTestApi();
    const [cal] = await api.store.tenant(api.a.id).calendars.upsertMany(api.a.accountId, [{ providerCalendarId: 'second', name: 'Side', timeZone: 'UTC', color: null, readOnly: false }]);
    second = cal!.id;
    const d = (h: string) => at(`2026-11-10T${h}:00Z`);
    await seed(
      api.store,
      api.a.id,
      api.a.calendarId,
      ev({ uid: 'plain', start: d('08:00'), end: d('09:00') }),
      ev({ uid: 'declined', start: d('09:00'), end: d('10:00'), attendees: self('declined') }),
      ev({ uid: 'cancelled', start: d('10:00'), end: d('11:00'), status: 'cancelled' }),
      ev({ uid: 'transparent', start: d('11:00'), end: d('12:00'), availability: 'free' }),
      ev({ uid: 'tentative', start: d('12:00'), end: d('13:00'), status: 'tentative' }),
      ev({ uid: 'maybe-reply', start: d('13:00'), end: d('13:30'), attendees: self('tentative') }),
      ev({ uid: 'oof', start: d('14:00'), end: d('15:00'), availability: 'oof' }),
      ev({ uid: 'elsewhere', start: d('15:00'), end: d('16:00'), availability: 'workingElsewhere' }),
      ev({ uid: 'unanswered', start: d('16:00'), end: d('16:30'), attendees: self('needsAction') }),
      ev({ uid: 'all-day', start: { date: '2026-11-12' }, end: { date: '2026-11-13' } }),
      ev({ uid: 'overlap-1', start: at('2026-11-13T09:00:00Z'), end: at('2026-11-13T10:00:00Z') }),
      ev({ uid: 'overlap-2', start: at('2026-11-13T09:30:00Z'), end: at('2026-11-13T11:00:00Z'), visibility: 'private', title: 'Therapy' }),
      ev({ uid: 'long', start: at('2026-11-14T20:00:00Z'), end: at('2026-11-15T04:00:00Z') }),
      [
        ev({ uid: 'weekly', start: at('2026-11-16T08:00:00Z', 'Europe/Berlin'), end: at('2026-11-16T08:30:00Z', 'Europe/Berlin'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=3'] } }),
        ev({ uid: 'weekly', originalStart: at('2026-11-23T08:00:00Z', 'Europe/Berlin'), start: at('2026-11-23T13:00:00Z', 'Europe/Berlin'), end: at('2026-11-23T13:30:00Z', 'Europe/Berlin'), title: 'moved' }),
        ev({ uid: 'weekly', originalStart: at('2026-11-30T08:00:00Z', 'Europe/Berlin'), start: at('2026-11-30T08:00:00Z', 'Europe/Berlin'), end: at('2026-11-30T08:30:00Z', 'Europe/Berlin'), status: 'cancelled' }),
      ],
    );
    await seed(api.store, api.a.id, second, ev({ uid: 'side', start: at('2026-11-13T10:30:00Z'), end: at('2026-11-13T12:00:00Z'), status: 'tentative' }));
  });
  after(() => api.close());

  const fb = async (body: Record<string, unknown>) => {
    const r = await call(api, 'POST', '/v1/freebusy', { body });
    assert.equal(r.statusCode, 200, r.body);
    return json<FreeBusy>(r);
  };

  it('applies the busy policy: declined, cancelled and transparent are free; tentative, oof and workingElsewhere keep their kind', async () => {
    const r = await fb({ calendarIds: [api.a.calendarId], ...day('2026-11-10') });
    assert.deepEqual(r.calendars[0]!.busy.map(short), [
      '08:00-09:00 busy',
      '12:00-13:30 tentative',
      '14:00-15:00 oof',
      '15:00-16:00 workingElsewhere',
      '16:00-16:30 busy',
    ]);
    assert.deepEqual(r.merged.map((m) => `${m.start.slice(11, 16)}-${m.end.slice(11, 16)}`), ['08:00-09:00', '12:00-13:30', '14:00-16:30']);
  });

  it('blocks an all-day event for the whole day in the calendar\'s zone (Berlin), in UTC Z', async () => {
    const r = await fb({ calendarIds: [api.a.calendarId], timeMin: '2026-11-11T00:00:00Z', timeMax: '2026-11-13T00:00:00Z' });
    assert.deepEqual(r.calendars[0]!.busy, [{ start: '2026-11-11T23:00:00.000Z', end: '2026-11-12T23:00:00.000Z', status: 'busy' }]);
  });

  it('clips spans to the window', async () => {
    const r = await fb({ calendarIds: [api.a.calendarId], timeMin: '2026-11-14T22:00:00Z', timeMax: '2026-11-15T02:00:00Z' });
    assert.deepEqual(r.calendars[0]!.busy, [{ start: '2026-11-14T22:00:00.000Z', end: '2026-11-15T02:00:00.000Z', status: 'busy' }]);
  });

  it('serves expanded recurrences with moved and cancelled occurrences', async () => {
    const r = await fb({ calendarIds: [api.a.calendarId], timeMin: '2026-11-16T00:00:00Z', timeMax: '2026-12-05T00:00:00Z' });
    assert.deepEqual(r.calendars[0]!.busy.map((s) => `${s.start.slice(5, 16)} ${s.status}`), ['11-16T08:00 busy', '11-23T13:00 busy']);
  });

  it('explain names the events behind each span; private titles are hidden', async () => {
    const r = await fb({ calendarIds: [api.a.calendarId, second], timeMin: '2026-11-13T00:00:00Z', timeMax: '2026-11-14T00:00:00Z', explain: true });
    const [main, side] = r.calendars;
    assert.equal(main!.busy.length, 1);
    assert.equal(short(main!.busy[0]!), '09:00-11:00 busy');
    assert.deepEqual(main!.busy[0]!.events!.map((e) => [e.uid, e.title]).sort(), [['overlap-1', 'overlap-1'], ['overlap-2', null]]);
    const stored = await api.store.tenant(api.a.id).events.list(api.a.calendarId);
    assert.ok(main!.busy[0]!.events!.every((e) => stored.some((s) => s.id === e.id && s.event.uid === e.uid)));
    assert.deepEqual(side!.busy.map(short), ['10:30-12:00 tentative']);
    assert.equal(side!.busy[0]!.events![0]!.uid, 'side');
    assert.deepEqual(r.merged.map((m) => `${m.start.slice(11, 16)}-${m.end.slice(11, 16)}`), ['09:00-12:00']);
    const moved = await fb({ calendarIds: [api.a.calendarId], timeMin: '2026-11-23T00:00:00Z', timeMax: '2026-11-24T00:00:00Z', explain: true });
    assert.equal(moved.calendars[0]!.busy[0]!.events![0]!.title, 'moved', 'a moved occurrence is explained by its override');
    const plain = await fb({ calendarIds: [api.a.calendarId], timeMin: '2026-11-13T00:00:00Z', timeMax: '2026-11-14T00:00:00Z' });
    assert.equal(plain.calendars[0]!.busy[0]!.events, undefined, 'no events without explain');
  });

  it('explain and the plain answer agree on every span', async () => {
    const body = { calendarIds: [api.a.calendarId, second], timeMin: '2026-11-01T00:00:00Z', timeMax: '2026-12-31T00:00:00Z' };
    const plain = await fb(body);
    const explained = await fb({ ...body, explain: true });
    assert.deepEqual(explained.calendars.map((c) => c.busy.map(({ events: _e, ...s }) => s)), plain.calendars.map((c) => c.busy));
    assert.deepEqual(explained.merged, plain.merged);
    assert.ok(plain.calendars[0]!.busy.length >= 10);
  });

  it('accountIds expand to all the account\'s calendars, deduplicated with calendarIds', async () => {
    const r = await fb({ accountIds: [api.a.accountId], calendarIds: [second], ...day('2026-11-13') });
    assert.deepEqual(r.calendars.map((c) => c.calendarId), [second, api.a.calendarId]);
  });

  it('answers empty busy lists for calendars with nothing in the window', async () => {
    const r = await fb({ calendarIds: [api.a.calendarId, second], ...day('2027-03-01') });
    assert.deepEqual(r.calendars.map((c) => c.busy), [[], []]);
    assert.deepEqual(r.merged, []);
  });

  it('enforces its limits with clear 400 codes', async () => {
    const err = async (body: Record<string, unknown>) => json<Err>(await call(api, 'POST', '/v1/freebusy', { body })).error.code;
    const cal = [api.a.calendarId];
    assert.equal(await err({ calendarIds: cal, timeMin: '2026-11-01T00:00:00Z', timeMax: '2027-02-03T00:00:01Z' }), 'WINDOW_TOO_LARGE');
    assert.equal(await err({ calendarIds: cal, timeMin: '2026-11-01T00:00:00Z', timeMax: '2026-11-01T00:00:00Z' }), 'INVALID_WINDOW');
    assert.equal(await err({ calendarIds: cal, timeMin: '2026-11-02T00:00:00Z', timeMax: '2026-11-01T00:00:00Z' }), 'INVALID_WINDOW');
    assert.equal(await err({ calendarIds: Array.from({ length: 51 }, (_, i) => `cal_${i}`), ...day('2026-11-10') }), 'TOO_MANY_CALENDARS');
    assert.equal(await err({ ...day('2026-11-10') }), 'INVALID_REQUEST');
    assert.equal(await err({ calendarIds: [], accountIds: [], ...day('2026-11-10') }), 'INVALID_REQUEST');
    const ok = await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: cal, timeMin: '2026-11-01T00:00:00Z', timeMax: '2027-02-02T00:00:00Z' } });
    assert.equal(ok.statusCode, 200, '93 days is allowed');
  });

  it('accepts offsets in the request and answers in UTC Z', async () => {
    const r = await fb({ calendarIds: [api.a.calendarId], timeMin: '2026-11-10T09:00:00+01:00', timeMax: '2026-11-10T10:00:00+01:00' });
    assert.deepEqual(r.calendars[0]!.busy, [{ start: '2026-11-10T08:00:00.000Z', end: '2026-11-10T09:00:00.000Z', status: 'busy' }]);
  });
});

describe('POST /v1/freebusy on the API thread of calhub start (own data dir, calendar memo)', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({}, {}, { startLike: true });
    await seed(api.store, api.b.id, api.b.calendarId, ev({ uid: 'seeded', start: at('2026-11-10T08:00:00Z'), end: at('2026-11-10T09:00:00Z') }));
  });
  after(() => api.close());

  const busy = async (key: string, calendarId: string) =>
    json<FreeBusy>(await call(api, 'POST', '/v1/freebusy', { key, body: { calendarIds: [calendarId], ...day('2026-11-10') } })).calendars[0]!.busy.map(short);

  it('answers from the memo, and a tenant\'s write shows in its next answer while the other tenant\'s stays', async () => {
    assert.deepEqual(await busy(api.b.key, api.b.calendarId), ['08:00-09:00 busy']);
    assert.ok(api.hub.calendarMemo, 'the memo is on');
    const reads = api.hub.calendarMemo.reads;
    assert.deepEqual(await busy(api.b.key, api.b.calendarId), ['08:00-09:00 busy']);
    assert.equal(api.hub.calendarMemo.reads, reads, 'a repeated request reads no calendar from the store');
    const created = await call(api, 'POST', `/v1/calendars/${api.b.calendarId}/events`, { key: api.b.key, body: { title: 'new', start: at('2026-11-10T10:00:00Z'), end: at('2026-11-10T11:00:00Z') } });
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(await busy(api.b.key, api.b.calendarId), ['08:00-09:00 busy', '10:00-11:00 busy']);
    const other = await call(api, 'POST', '/v1/freebusy', { key: api.a.key, body: { calendarIds: [api.b.calendarId], ...day('2026-11-10') } });
    assert.equal(other.statusCode, 404, 'another tenant never sees it, memorised or not');
  });
});
