/* eslint-disable @typescript-eslint/no-explicit-any */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deltaRound, startTestGraph, timed, type TestGraph } from './test-helpers.ts';

describe('Graph emulator: calendarView/delta', () => {
  let g: TestGraph;
  let start: string;
  const ids: string[] = [];
  before(async () => {
    g = await startTestGraph();
    start = `/me/calendars/${g.calendarId}/calendarView/delta?startDateTime=2026-11-01T00:00:00Z&endDateTime=2026-12-01T00:00:00Z`;
    for (let i = 0; i < 5; i++) {
      ids.push(g.emu.control.createEvent({ userId: g.userId, calendarId: g.calendarId, event: timed(`e${i}`, `2026-11-1${i}T10:00:00`, `2026-11-1${i}T11:00:00`) }).id);
    }
  });
  after(async () => {
    await g.emu.close();
  });

  it('pages with odata.maxpagesize and ends with a deltaLink that carries no window parameters', async () => {
    const r = await deltaRound(g, start, { Prefer: 'odata.maxpagesize=2' });
    assert.equal(r.pages.length, 3);
    assert.ok(r.pages[0]['@odata.nextLink'].includes('$skiptoken='));
    assert.equal(r.items.length, 5);
    assert.ok(r.deltaLink.includes('$deltatoken='));
    assert.ok(!r.deltaLink.includes('startDateTime'), 'the window is inside the token');
  });

  it('rejects $select and other query options on delta', async () => {
    const r = await g.call('GET', `${start}&$select=subject`);
    assert.equal(r.status, 400);
  });

  it('sends empty pages that still carry a nextLink', async () => {
    g.emu.control.emptyPages({ count: 2 });
    const r = await deltaRound(g, start, { Prefer: 'odata.maxpagesize=10' });
    assert.deepEqual(r.pages.map((p) => p.value.length), [0, 0, 5]);
    assert.ok(r.pages[0]['@odata.nextLink']);
  });

  it('reports deletions, items that left the window and changes outside it as @removed', async () => {
    const first = await deltaRound(g, start);
    g.emu.control.deleteEvent({ userId: g.userId, id: ids[0]! });
    g.emu.control.updateEvent({ userId: g.userId, id: ids[1]!, patch: { start: { dateTime: '2027-03-01T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2027-03-01T11:00:00', timeZone: 'UTC' } } });
    const outside = g.emu.control.createEvent({ userId: g.userId, calendarId: g.calendarId, event: timed('far', '2027-05-01T10:00:00', '2027-05-01T11:00:00') });
    g.emu.control.updateEvent({ userId: g.userId, id: ids[2]!, patch: { subject: 'renamed' } });
    const next = await deltaRound(g, first.deltaLink);
    const removed = next.items.filter((i) => i['@removed']).map((i) => i.id).sort();
    assert.deepEqual(removed, [ids[0], ids[1], outside.id].sort());
    assert.ok(next.items.every((i) => !i['@removed'] || i['@removed'].reason === 'deleted'));
    const changed = next.items.filter((i) => !i['@removed']);
    assert.deepEqual(changed.map((i) => [i.id, i.subject]), [[ids[2], 'renamed']]);
    const quiet = await deltaRound(g, next.deltaLink);
    assert.equal(quiet.items.length, 0);
  });

  it('replays items of the previous page when asked', async () => {
    const cal = g.emu.control.createCalendar({ userId: g.userId, name: 'replay' });
    for (let i = 0; i < 4; i++) g.emu.control.createEvent({ userId: g.userId, calendarId: cal.id, event: timed(`r${i}`, `2026-11-0${i + 2}T10:00:00`, `2026-11-0${i + 2}T11:00:00`) });
    const page1 = await g.call('GET', `/me/calendars/${cal.id}/calendarView/delta?startDateTime=2026-11-01T00:00:00Z&endDateTime=2026-12-01T00:00:00Z`, { headers: { Prefer: 'odata.maxpagesize=2' } });
    g.emu.control.replayNext({ count: 1 });
    const page2 = await g.call('GET', page1.json['@odata.nextLink'], { headers: { Prefer: 'odata.maxpagesize=2' } });
    assert.equal(page2.json.value.length, 3);
    assert.equal(page2.json.value[0].id, page1.json.value[1].id);
  });

  it('re-sends every occurrence in the window when its series master changes', async () => {
    const cal = g.emu.control.createCalendar({ userId: g.userId, name: 'series' });
    const m = g.emu.control.createEvent({
      userId: g.userId, calendarId: cal.id,
      event: { ...timed('daily', '2026-11-02T09:00:00', '2026-11-02T09:15:00'), recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2026-11-02', numberOfOccurrences: 3 } } } as any,
    });
    const path = `/me/calendars/${cal.id}/calendarView/delta?startDateTime=2026-11-01T00:00:00Z&endDateTime=2026-12-01T00:00:00Z`;
    const r = await deltaRound(g, path);
    assert.deepEqual(r.items.map((i) => i.type), ['occurrence', 'occurrence', 'occurrence']);
    g.emu.control.updateEvent({ userId: g.userId, id: m.id, patch: { subject: 'daily!' } });
    const next = await deltaRound(g, r.deltaLink);
    assert.equal(next.items.length, 3);
    assert.ok(next.items.every((i) => i.subject === 'daily!' && i.seriesMasterId === m.id));
  });

  it('uses immutable ids in delta when asked', async () => {
    const r = await deltaRound(g, start, { Prefer: 'IdType="ImmutableId"' });
    assert.ok(r.items.every((i) => i.id.startsWith('AAkALg')));
  });

  it('answers an invalidated token with 410, a Location to restart from and syncStateNotFound', async () => {
    const r = await deltaRound(g, start);
    g.emu.control.invalidateDeltaTokens({ userId: g.userId });
    const gone = await g.call('GET', r.deltaLink);
    assert.equal(gone.status, 410);
    assert.equal(gone.json.error.code, 'syncStateNotFound');
    const location = gone.headers.get('location')!;
    assert.match(location, /\$deltatoken=$/);
    assert.match(location, /startDateTime=2026-11-01T00%3A00%3A00Z&endDateTime=2026-12-01T00%3A00%3A00Z/, 'the window of the lost token');
    const restart = await deltaRound(g, location);
    assert.ok(restart.items.length > 0);
    const r2 = await deltaRound(g, start);
    g.emu.control.invalidateDeltaTokens({ userId: g.userId, mode: 'notFound' });
    const nf = await g.call('GET', r2.deltaLink);
    assert.equal(nf.status, 400);
    assert.equal(nf.json.error.code, 'syncStateNotFound');
  });

  /** A calendar of its own with `n` events in November, so these tests do not see each other's changes. */
  const freshCalendar = (name: string, n: number) => {
    const cal = g.emu.control.createCalendar({ userId: g.userId, name });
    for (let i = 0; i < n; i++) g.emu.control.createEvent({ userId: g.userId, calendarId: cal.id, event: timed(`${name}${i}`, `2026-11-0${i + 1}T10:00:00`, `2026-11-0${i + 1}T11:00:00`) });
    return `/me/calendars/${cal.id}/calendarView/delta?startDateTime=2026-11-01T00:00:00Z&endDateTime=2026-12-01T00:00:00Z`;
  };

  it('answers a token evicted from the 500-token cache with 410 and a Location restarting the same window', async () => {
    const path = freshCalendar('evict', 3);
    const old = await deltaRound(g, path);
    const empty = `/me/calendars/${g.emu.control.createCalendar({ userId: g.userId, name: 'churn' }).id}/calendarView/delta?startDateTime=2030-01-01T00:00:00Z&endDateTime=2030-01-02T00:00:00Z`;
    for (let i = 0; i < 500; i++) await deltaRound(g, empty);
    const gone = await g.call('GET', old.deltaLink);
    assert.equal(gone.status, 410);
    assert.equal(gone.json.error.code, 'syncStateNotFound');
    const location = gone.headers.get('location')!;
    assert.match(location, /startDateTime=2026-11-01T00%3A00%3A00Z&endDateTime=2026-12-01T00%3A00%3A00Z&\$deltatoken=$/);
    const restart = await deltaRound(g, location);
    assert.deepEqual(restart.items.map((i) => i.subject).sort(), ['evict0', 'evict1', 'evict2'], 'a full round of the original window, not an empty one');
  });

  it('answers a token that is not one of its own with 400 naming the parameter, without a Location', async () => {
    const path = freshCalendar('garbage', 1);
    for (const [param, value] of [['$deltatoken', 'not-a-token'], ['$skiptoken', 'AAAA']]) {
      const r = await g.call('GET', `${path.split('?')[0]}?${param}=${value}`);
      assert.equal(r.status, 400, param);
      assert.ok(r.json.error.message.includes(param) && r.json.error.message.includes(value), r.json.error.message);
      assert.equal(r.headers.get('location'), null);
    }
  });

  it('serves the same page again when a nextLink is retried, up to the deltaLink', async () => {
    const path = freshCalendar('retry', 3);
    const headers = { Prefer: 'odata.maxpagesize=2' };
    const first = await g.call('GET', path, { headers });
    const next = first.json['@odata.nextLink'];
    const a = await g.call('GET', next, { headers });
    const b = await g.call('GET', next, { headers });
    assert.equal(b.status, 200);
    assert.deepEqual(b.json, a.json, 'a retried nextLink returns the same page');
    assert.ok(a.json['@odata.deltaLink']);
    const ids = [...first.json.value, ...b.json.value].map((i: any) => i.subject).sort();
    assert.deepEqual(ids, ['retry0', 'retry1', 'retry2']);
  });

  it('empties every Nth page with emptyPages({every}) and rejects every: 1, which would never end a round', async () => {
    const path = freshCalendar('every', 5);
    assert.throws(() => g.emu.control.emptyPages({ every: 1 }), /every must be 0 \(off\) or an integer >= 2/);
    const http = await fetch(`${g.emu.url}/_emulator/emptyPages`, { method: 'POST', body: JSON.stringify({ every: 1 }) });
    assert.equal(http.status, 400);
    g.emu.control.emptyPages({ every: 2 });
    const r = await deltaRound(g, path, { Prefer: 'odata.maxpagesize=2' });
    g.emu.control.clearFaults();
    assert.deepEqual(r.pages.map((p) => p.value.length), [0, 2, 0, 2, 0, 1]);
  });

  it('delta items carry @odata.type; thinDeltaItems leaves occurrences and exceptions with id, type, seriesMasterId, start, end', async () => {
    const cal = g.emu.control.createCalendar({ userId: g.userId, name: 'thin' });
    const series = g.emu.control.createEvent({
      userId: g.userId, calendarId: cal.id,
      event: { ...timed('weekly', '2026-11-02T09:00:00', '2026-11-02T09:30:00'), recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2026-11-02', numberOfOccurrences: 3 } } } as any,
    });
    const [, second] = g.emu.control.calendarView({ userId: g.userId, calendarId: cal.id, start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' });
    g.emu.control.updateEvent({ userId: g.userId, id: second!.id as string, patch: { subject: 'moved' } });
    g.emu.control.createEvent({ userId: g.userId, calendarId: cal.id, event: timed('single', '2026-11-05T10:00:00', '2026-11-05T11:00:00') });
    const path = `/me/calendars/${cal.id}/calendarView/delta?startDateTime=2026-11-01T00:00:00Z&endDateTime=2026-12-01T00:00:00Z`;
    const full = await deltaRound(g, path);
    assert.ok(full.items.every((i) => i['@odata.type'] === '#microsoft.graph.event'));
    assert.ok(full.items.every((i) => 'subject' in i), 'documented: the same properties as calendarView');
    g.emu.control.setSwitches({ thinDeltaItems: true });
    try {
      const thin = await deltaRound(g, path);
      const byType = (t: string) => thin.items.filter((i) => i.type === t);
      for (const i of [...byType('occurrence'), ...byType('exception')]) {
        assert.deepEqual(Object.keys(i).sort(), ['@odata.type', 'end', 'id', 'seriesMasterId', 'start', 'type']);
        assert.equal(i.seriesMasterId, series.id);
      }
      assert.equal(byType('occurrence').length, 2);
      assert.equal(byType('exception').length, 1);
      assert.equal(byType('singleInstance')[0].subject, 'single', 'single instances stay whole');
    } finally {
      g.emu.control.setSwitches({ thinDeltaItems: false });
    }
  });

  it('a series moved to another time: its exception comes back as the occurrence under the same id; moved to another day: @removed', async () => {
    const cal = g.emu.control.createCalendar({ userId: g.userId, name: 'moved-series' });
    const window = `/me/calendars/${cal.id}/calendarView/delta?startDateTime=2026-11-01T00:00:00Z&endDateTime=2026-12-01T00:00:00Z`;
    const weekly = { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' }, range: { type: 'numbered', startDate: '2026-11-02', numberOfOccurrences: 3 } };
    const master = g.emu.control.createEvent({ userId: g.userId, calendarId: cal.id, event: timed('standup', '2026-11-02T09:00:00', '2026-11-02T09:30:00', 'Europe/Berlin', { recurrence: weekly }) as any });
    const occ = (await deltaRound(g, window)).items;
    g.emu.control.updateEvent({ userId: g.userId, id: occ[1].id, patch: { subject: 'standup (demo)' } });
    const seen = await deltaRound(g, (await deltaRound(g, window)).deltaLink);
    const exceptionId = occ[1].id;
    // Outlook drops the exception (MS-OXOCAL 3.1.4.7.3.5); the occurrence of that date keeps its id.
    g.emu.control.updateEvent({ userId: g.userId, id: master.id, patch: { start: { dateTime: '2026-11-02T11:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-02T11:30:00', timeZone: 'Europe/Berlin' } } });
    const moved = await deltaRound(g, seen.deltaLink);
    assert.deepEqual(moved.items.map((i) => [i.id === exceptionId, i.type, i.subject, i.start.dateTime.slice(0, 16)]), [
      [false, 'occurrence', 'standup', '2026-11-02T10:00'],
      [true, 'occurrence', 'standup', '2026-11-09T10:00'],
      [false, 'occurrence', 'standup', '2026-11-16T10:00'],
    ], 'no @removed: the dropped exception\'s id is listed as the plain occurrence');

    const again = (await deltaRound(g, window)).items;
    g.emu.control.updateEvent({ userId: g.userId, id: again[1].id, patch: { subject: 'standup (demo)' } });
    const before = await deltaRound(g, (await deltaRound(g, window)).deltaLink);
    const tuesday = { ...weekly, pattern: { ...weekly.pattern, daysOfWeek: ['tuesday'] }, range: { ...weekly.range, startDate: '2026-11-03' } };
    g.emu.control.updateEvent({ userId: g.userId, id: master.id, patch: { start: { dateTime: '2026-11-03T11:00:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-11-03T11:30:00', timeZone: 'Europe/Berlin' }, recurrence: tuesday } as any });
    const toTuesday = await deltaRound(g, before.deltaLink);
    const removed = toTuesday.items.filter((i) => i['@removed']).map((i) => i.id);
    assert.ok(removed.includes(again[1].id), 'the exception\'s id, whose date the series no longer has, is @removed');
    assert.deepEqual(toTuesday.items.filter((i) => !i['@removed']).map((i) => [i.type, i.start.dateTime.slice(0, 10)]), [['occurrence', '2026-11-03'], ['occurrence', '2026-11-10'], ['occurrence', '2026-11-17']]);
  });

  it('$batch answers up to 20 requests each with its own status and body', async () => {
    const batch = (requests: unknown[]) => g.call('POST', '/$batch', { body: { requests } });
    const r = await batch([
      { id: '1', method: 'GET', url: `/me/events/${ids[3]}?$select=subject`, headers: { Prefer: 'IdType="ImmutableId"' } },
      { id: '2', method: 'GET', url: '/me/events/AAMkNOPE' },
      { id: '3', method: 'PATCH', url: `/me/events/${ids[3]}`, headers: { 'If-Match': 'W/"stale"', 'Content-Type': 'application/json' }, body: { subject: 'x' } },
    ]);
    assert.equal(r.status, 200);
    const byId = new Map(r.json.responses.map((x: any) => [x.id, x]));
    assert.deepEqual([(byId.get('1') as any).status, (byId.get('1') as any).body.subject], [200, 'e3']);
    assert.deepEqual([(byId.get('2') as any).status, (byId.get('2') as any).body.error.code], [404, 'ErrorItemNotFound']);
    assert.equal((byId.get('3') as any).status, 412);
    const tooMany = await batch(Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' })));
    assert.equal(tooMany.status, 400);
    const log = g.emu.control.requests().slice(-5);
    assert.deepEqual(log.map((x) => [x.path.endsWith('$batch'), x.inBatch === true]), [[false, true], [false, true], [false, true], [true, false], [true, false]], 'requests inside a batch are logged as such');
  });
});
