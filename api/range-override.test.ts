/**
 * A series with RECURRENCE-ID;RANGE=THISANDFUTURE overrides (RFC 5545 §3.2.13, as a CalDAV
 * client wrote it): the listing and free/busy show every later occurrence moved and changed, and a
 * change of one occurrence or of "this and following" starts from what was shown.
 * The series is connectors/caldav/ical/fixtures/weekly-range-thisandfuture-berlin.ics, its busy times hand-computed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { at, call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Instance = { eventId: string; uid: string; originalStartKey: string; isOverride: boolean; start: string; end: string; title: string | null; location: string | null };
type Page<T> = { items: T[] };
type Busy = { calendars: Array<{ busy: Array<{ start: string; end: string; status?: string }> }> };
type Ev = { id: string; uid: string; etag: string; title: string | null; start: Record<string, string>; end: Record<string, string>; originalStart: Record<string, string> | null; recurrence: { rrules: string[]; exdates: unknown[] } | null };

const BE = 'Europe/Berlin';
const EXPECTED = JSON.parse(readFileSync(new URL('../connectors/caldav/ical/fixtures/weekly-range-thisandfuture-berlin.json', import.meta.url), 'utf8')) as { busy: Array<{ start: string; end: string }> };
const iso = (s: string) => new Date(s).toISOString().replace('.000Z', 'Z');

describe('RANGE=THISANDFUTURE overrides', () => {
  let api: TestApi;
  const cal = () => api.a.calendarId;
  const listed = async () => json<Page<Instance>>(await call(api, 'GET', `/v1/calendars/${cal()}/events?timeMin=2026-10-01T00:00:00Z&timeMax=2027-01-01T00:00:00Z&limit=100`)).items;
  const busy = async () => json<Busy>(await call(api, 'POST', '/v1/freebusy', { body: { calendarIds: [cal()], timeMin: '2026-10-01T00:00:00Z', timeMax: '2027-01-01T00:00:00Z' } })).calendars[0]!.busy;
  const rows = (uid: string) => api.store.tenant(api.a.id).events.byUid(cal(), uid);

  before(async () => {
    api = await startTestApi();
    await seed(api.store, api.a.id, cal(), [
      ev({ uid: 'range-1', title: 'Standup', location: 'Room A', start: at('2026-10-05T07:00:00Z', BE), end: at('2026-10-05T08:00:00Z', BE), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=10'], exdates: [at('2026-11-09T08:00:00Z', BE)] } }),
      ev({ uid: 'range-1', title: 'Standup (later)', location: 'Room B', originalStart: at('2026-10-19T07:00:00Z', BE), start: at('2026-10-19T08:30:00Z', BE), end: at('2026-10-19T09:15:00Z', BE), thisAndFuture: true }),
      ev({ uid: 'range-1', title: 'Standup (one-off)', originalStart: at('2026-11-16T08:00:00Z', BE), start: at('2026-11-17T13:00:00Z', BE), end: at('2026-11-17T14:00:00Z', BE) }),
      ev({ uid: 'range-1', title: 'Standup (tentative)', status: 'tentative', originalStart: at('2026-11-30T08:00:00Z', BE), start: at('2026-11-30T08:00:00Z', BE), end: at('2026-11-30T09:00:00Z', BE), thisAndFuture: true }),
    ]);
  });
  after(() => api.close());

  it('lists and counts as busy every later occurrence moved and changed', async () => {
    const items = await listed();
    assert.deepEqual(items.map((i) => ({ start: iso(i.start), end: iso(i.end) })), EXPECTED.busy.map(({ start, end }) => ({ start, end })));
    assert.deepEqual(items.map((i) => `${i.start} ${i.title} ${i.location}`), [
      '2026-10-05T09:00:00+02:00 Standup Room A',
      '2026-10-12T09:00:00+02:00 Standup Room A',
      '2026-10-19T10:30:00+02:00 Standup (later) Room B',
      '2026-10-26T10:30:00+01:00 Standup (later) Room B',
      '2026-11-02T10:30:00+01:00 Standup (later) Room B',
      '2026-11-17T14:00:00+01:00 Standup (one-off) null',
      '2026-11-23T10:30:00+01:00 Standup (later) Room B',
      '2026-11-30T09:00:00+01:00 Standup (tentative) null',
      '2026-12-07T09:00:00+01:00 Standup (tentative) null',
    ]);
    const master = (await rows('range-1')).find((r) => r.event.originalStart === null)!;
    const oct26 = items[3]!;
    assert.deepEqual([oct26.eventId, oct26.originalStartKey, oct26.isOverride], [master.id, '2026-10-26T08:00:00Z', false], 'a moved occurrence is still the master\'s, at its original key');
    assert.deepEqual((await busy()).map((b) => ({ start: iso(b.start), end: iso(b.end) })), EXPECTED.busy.map(({ start, end }) => ({ start, end })));
    // The override says it reaches later occurrences; the master says nothing; no client can set it.
    assert.equal(json<{ thisAndFuture?: boolean }>(await call(api, 'GET', `/v1/events/${items[2]!.eventId}`)).thisAndFuture, true);
    assert.equal('thisAndFuture' in json(await call(api, 'GET', `/v1/events/${master.id}`)), false);
    const made = await call(api, 'POST', `/v1/calendars/${cal()}/events`, { body: { title: 'x', start: at('2026-12-01T09:00:00Z'), end: at('2026-12-01T10:00:00Z'), thisAndFuture: true } });
    assert.equal(made.statusCode, 400, made.body);
  });

  it('a change of one later occurrence starts from the range override\'s content and moved time', async () => {
    const master = (await rows('range-1')).find((r) => r.event.originalStart === null)!;
    const url = `/v1/events/${master.id}/occurrences/2026-10-26T08:00:00Z`;
    const got = await call(api, 'GET', url);
    const shown = json<Instance>(got);
    assert.equal(`${shown.start} ${shown.title}`, '2026-10-26T10:30:00+01:00 Standup (later)');
    const r = await call(api, 'PATCH', url, { body: { description: 'agenda' }, headers: { 'if-match': String(got.headers.etag) } });
    assert.equal(r.statusCode, 200, r.body);
    const o = json<Ev & { location: string | null }>(r);
    assert.deepEqual([o.title, o.location, iso(o.start.dateTime!), iso(o.end.dateTime!), o.originalStart?.dateTime && iso(o.originalStart.dateTime)], [
      'Standup (later)', 'Room B', '2026-10-26T09:30:00Z', '2026-10-26T10:15:00Z', '2026-10-26T08:00:00Z',
    ]);
    assert.deepEqual((await busy()).map((b) => ({ start: iso(b.start), end: iso(b.end) })), EXPECTED.busy.map(({ start, end }) => ({ start, end })), 'busy time unchanged');
  });

  it('"this and following" from an occurrence in a range override\'s reach keeps what was shown, as a plain series', async () => {
    const master = (await rows('range-1')).find((r) => r.event.originalStart === null)!;
    const r = await call(api, 'PATCH', `/v1/events/${master.id}/occurrences/2026-11-02T08:00:00Z/following?sendUpdates=none`, { body: { description: 'from November' }, headers: { 'if-match': (json<Ev>(await call(api, 'GET', `/v1/events/${master.id}`))).etag } });
    assert.equal(r.statusCode, 200, r.body);
    const fresh = json<Ev>(r);
    assert.deepEqual([fresh.title, iso(fresh.start.dateTime!), fresh.recurrence?.rrules], ['Standup (later)', '2026-11-02T09:30:00Z', ['FREQ=WEEKLY;COUNT=6']]);
    const items = await listed();
    assert.deepEqual(items.map((i) => `${i.start} ${i.title}`), [
      '2026-10-05T09:00:00+02:00 Standup',
      '2026-10-12T09:00:00+02:00 Standup',
      '2026-10-19T10:30:00+02:00 Standup (later)',
      '2026-10-26T10:30:00+01:00 Standup (later)',
      '2026-11-02T10:30:00+01:00 Standup (later)',
      '2026-11-17T14:00:00+01:00 Standup (one-off)',
      '2026-11-23T10:30:00+01:00 Standup (later)',
      '2026-11-30T09:00:00+01:00 Standup (tentative)',
      '2026-12-07T09:00:00+01:00 Standup (tentative)',
    ]);
    assert.ok(items.slice(4).every((i) => i.uid === fresh.uid), 'the new series holds the cut and everything after it');
    const later = (await rows(fresh.uid)).filter((x) => x.event.originalStart !== null).map((x) => [x.event.title, x.event.originalStart && 'dateTime' in x.event.originalStart ? iso(x.event.originalStart.dateTime) : null, x.event.thisAndFuture ?? false]);
    assert.deepEqual(later.sort(), [
      ['Standup (one-off)', '2026-11-16T09:30:00Z', false],
      ['Standup (tentative)', '2026-11-30T09:30:00Z', true],
    ], 'later overrides re-keyed onto the moved rule; the later range override still a range');
    assert.deepEqual((await busy()).map((b) => ({ start: iso(b.start), end: iso(b.end) })), EXPECTED.busy.map(({ start, end }) => ({ start, end })), 'busy time unchanged');
  });
});
