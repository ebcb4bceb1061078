/* eslint-disable @typescript-eslint/no-explicit-any */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestGraph, timed, type TestGraph } from './test-helpers.ts';

const weekly = (count = 4) => ({
  pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday' },
  range: { type: 'numbered', startDate: '2026-11-02', numberOfOccurrences: count },
});
const window = 'startDateTime=2026-10-01T00:00:00Z&endDateTime=2027-01-01T00:00:00Z';

describe('Graph emulator: events', () => {
  let g: TestGraph;
  before(async () => {
    g = await startTestGraph();
  });
  after(async () => {
    await g.emu.close();
  });
  const create = async (body: unknown, headers: Record<string, string> = {}) => {
    const r = await g.call('POST', `/me/calendars/${g.calendarId}/events`, { body, headers });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    return r.json;
  };

  it('lists calendars with the default one marked', async () => {
    const r = await g.call('GET', '/me/calendars');
    assert.equal(r.status, 200);
    assert.equal(r.json.value[0].isDefaultCalendar, true);
    assert.equal((await g.call('GET', '/me/calendar')).json.id, g.calendarId);
  });

  it('answers in UTC with 7 fractional digits and keeps the Windows zone in originalStartTimeZone', async () => {
    const ev = await create(timed('standup', '2026-07-01T10:00:00', '2026-07-01T10:30:00'));
    assert.deepEqual(ev.start, { dateTime: '2026-07-01T08:00:00.0000000', timeZone: 'UTC' });
    assert.equal(ev.originalStartTimeZone, 'W. Europe Standard Time');
    assert.equal(ev['@odata.etag'], `W/"${ev.changeKey}"`);
    assert.equal(ev.type, 'singleInstance');
  });

  it('converts times for Prefer: outlook.timezone and says so in Preference-Applied', async () => {
    const ev = await create(timed('call', '2026-07-01T10:00:00', '2026-07-01T11:00:00'));
    const r = await g.call('GET', `/me/events/${ev.id}`, { headers: { Prefer: 'outlook.timezone="Eastern Standard Time"' } });
    assert.deepEqual(r.json.start, { dateTime: '2026-07-01T04:00:00.0000000', timeZone: 'Eastern Standard Time' });
    assert.equal(r.headers.get('preference-applied'), 'outlook.timezone="Eastern Standard Time"');
  });

  it('rejects an unknown time zone with TimeZoneNotSupportedException in the Graph error shape', async () => {
    const r = await g.call('POST', '/me/events', { body: timed('x', '2026-07-01T10:00:00', '2026-07-01T11:00:00', 'Mars/Olympus') });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'TimeZoneNotSupportedException');
    assert.ok(r.json.error.innerError['request-id']);
  });

  it('requires all-day events to be midnight to midnight and renders them as midnight in any zone', async () => {
    const bad = await g.call('POST', '/me/events', { body: timed('x', '2026-07-01T10:00:00', '2026-07-02T00:00:00', 'W. Europe Standard Time', { isAllDay: true }) });
    assert.equal(bad.status, 400);
    const ev = await create(timed('holiday', '2026-07-01T00:00:00', '2026-07-03T00:00:00', 'W. Europe Standard Time', { isAllDay: true }));
    assert.equal(ev.start.dateTime, '2026-07-01T00:00:00.0000000');
    const r = await g.call('GET', `/me/events/${ev.id}`, { headers: { Prefer: 'outlook.timezone="Tokyo Standard Time"' } });
    assert.equal(r.json.end.dateTime, '2026-07-03T00:00:00.0000000');
  });

  it('lists masters on /events but occurrences on calendarView, each with its own iCalUId', async () => {
    const master = await create(timed('weekly', '2026-11-02T09:00:00', '2026-11-02T09:30:00', 'W. Europe Standard Time', { recurrence: weekly() }));
    assert.equal(master.type, 'seriesMaster');
    const list = await g.call('GET', `/me/calendars/${g.calendarId}/events?$top=100`);
    assert.ok(list.json.value.some((e: any) => e.id === master.id));
    assert.ok(list.json.value.every((e: any) => e.type !== 'occurrence'));
    const view = await g.call('GET', `/me/calendars/${g.calendarId}/calendarView?${window}&$top=100`);
    const occ = view.json.value.filter((e: any) => e.seriesMasterId === master.id);
    assert.equal(occ.length, 4);
    assert.ok(occ.every((o: any) => o.type === 'occurrence' && o.originalStart));
    assert.equal(new Set(occ.map((o: any) => o.iCalUId)).size, 4);
    assert.equal(occ[0].start.dateTime, '2026-11-02T08:00:00.0000000');
  });

  it('turns an edited occurrence into an exception with the same id, a deleted one into cancelledOccurrences', async () => {
    const master = await create(timed('series', '2026-11-03T09:00:00', '2026-11-03T10:00:00', 'W. Europe Standard Time', {
      recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2026-11-03', numberOfOccurrences: 3 } },
    }));
    const inst = await g.call('GET', `/me/events/${master.id}/instances?${window}`);
    const [first, second] = inst.json.value;
    const patched = await g.call('PATCH', `/me/events/${first.id}`, { body: { subject: 'moved', start: { dateTime: '2026-11-03T11:00:00', timeZone: 'W. Europe Standard Time' }, end: { dateTime: '2026-11-03T12:00:00', timeZone: 'W. Europe Standard Time' } } });
    assert.equal(patched.json.type, 'exception');
    assert.equal(patched.json.id, first.id);
    assert.equal(patched.json.originalStart, '2026-11-03T08:00:00Z');
    assert.equal((await g.call('DELETE', `/me/events/${second.id}`)).status, 204);
    const plain = await g.call('GET', `/me/events/${master.id}`);
    assert.equal(plain.json.cancelledOccurrences, undefined, 'cancelledOccurrences needs $select');
    const sel = await g.call('GET', `/me/events/${master.id}?$select=subject,cancelledOccurrences`);
    assert.deepEqual(sel.json.cancelledOccurrences, [`OID.${master.id}.2026-11-04`]);
    const after = await g.call('GET', `/me/events/${master.id}/instances?${window}`);
    assert.deepEqual(after.json.value.map((e: any) => e.type), ['exception', 'occurrence']);
    assert.equal((await g.call('GET', `/me/events/${second.id}`)).status, 404);
  });

  it('changes the changeKey on every update and answers a stale If-Match with 412', async () => {
    const ev = await create(timed('etag', '2026-07-02T10:00:00', '2026-07-02T11:00:00'));
    const upd = await g.call('PATCH', `/me/events/${ev.id}`, { body: { subject: 'v2' }, headers: { 'If-Match': ev['@odata.etag'] } });
    assert.equal(upd.status, 200);
    assert.notEqual(upd.json.changeKey, ev.changeKey);
    const stale = await g.call('PATCH', `/me/events/${ev.id}`, { body: { subject: 'v3' }, headers: { 'If-Match': ev['@odata.etag'] } });
    assert.equal(stale.status, 412);
    assert.equal(stale.json.error.code, 'resourceModified');
    assert.equal((await g.call('DELETE', `/me/events/${ev.id}`, { headers: { 'If-Match': ev['@odata.etag'] } })).status, 412);
    g.emu.control.setSwitches({ irresolvableConflict412: true });
    try {
      const field = await g.call('PATCH', `/me/events/${ev.id}`, { body: { subject: 'v4' }, headers: { 'If-Match': ev['@odata.etag'] } });
      assert.deepEqual([field.status, field.json.error.code], [412, 'ErrorIrresolvableConflict'], 'the FIELD code when switched on');
    } finally {
      g.emu.control.setSwitches({ irresolvableConflict412: false });
    }
  });

  it('changes the REST id when an event moves to another calendar but keeps the immutable id', async () => {
    const other = g.emu.control.createCalendar({ userId: g.userId, name: 'Other' });
    const ev = await create(timed('mover', '2026-07-03T10:00:00', '2026-07-03T11:00:00'), { Prefer: 'IdType="ImmutableId"' });
    const rest = (await g.call('GET', `/me/events/${ev.id}`)).json.id;
    assert.notEqual(rest, ev.id);
    g.emu.control.moveEvent({ userId: g.userId, id: rest, calendarId: other.id });
    assert.equal((await g.call('GET', `/me/events/${rest}`)).status, 404, 'the old REST id is gone');
    const byImmutable = await g.call('GET', `/me/events/${ev.id}`, { headers: { Prefer: 'IdType="ImmutableId"' } });
    assert.equal(byImmutable.json.id, ev.id);
  });

  it('returns single-value extended properties only through $expand and filters on them case-insensitively', async () => {
    const id = 'String {66f5a359-4659-4830-9070-00040ec6ac6e} Name Color';
    const ev = await create({ ...timed('tagged', '2026-07-04T10:00:00', '2026-07-04T11:00:00'), singleValueExtendedProperties: [{ id, value: 'Green' }] });
    assert.equal((await g.call('GET', `/me/events/${ev.id}`)).json.singleValueExtendedProperties, undefined);
    const exp = await g.call('GET', `/me/events/${ev.id}?$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${id}')`)}`);
    assert.deepEqual(exp.json.singleValueExtendedProperties, [{ id, value: 'Green' }]);
    const f = await g.call('GET', `/me/events?$filter=${encodeURIComponent(`singleValueExtendedProperties/Any(ep: ep/id eq '${id}' and ep/value eq 'green')`)}`);
    assert.deepEqual(f.json.value.map((e: any) => e.id), [ev.id]);
  });

  it('drops a repeated POST with the same transactionId', async () => {
    const body = { ...timed('once', '2026-07-05T10:00:00', '2026-07-05T11:00:00'), transactionId: 'tx-1' };
    const a = await create(body);
    const b = await create(body);
    assert.equal(a.id, b.id);
    assert.equal(a.transactionId, 'tx-1');
  });

  it('renders bodies as HTML unless Prefer: outlook.body-content-type="text"', async () => {
    const ev = await create({ ...timed('body', '2026-07-06T10:00:00', '2026-07-06T11:00:00'), body: { contentType: 'text', content: 'a < b' } });
    assert.equal(ev.body.contentType, 'html');
    assert.match(ev.body.content, /a &lt; b/);
    const t = await g.call('GET', `/me/events/${ev.id}`, { headers: { Prefer: 'outlook.body-content-type="text"' } });
    assert.deepEqual(t.json.body, { contentType: 'text', content: 'a < b' });
  });

  it('discards exceptions and cancellations when the pattern of a series changes', async () => {
    const master = await create(timed('reshaped', '2026-11-02T15:00:00', '2026-11-02T16:00:00', 'W. Europe Standard Time', { recurrence: weekly(3) }));
    const occ = (await g.call('GET', `/me/events/${master.id}/instances?${window}`)).json.value;
    await g.call('DELETE', `/me/events/${occ[1].id}`);
    await g.call('PATCH', `/me/events/${master.id}`, { body: { recurrence: weekly(5) } });
    const after = (await g.call('GET', `/me/events/${master.id}/instances?${window}`)).json.value;
    assert.equal(after.length, 5);
  });

  it('discards exceptions when a series moves to another time, and keeps them for a change that leaves its time', async () => {
    const master = await create(timed('moved', '2026-11-02T15:00:00', '2026-11-02T16:00:00', 'W. Europe Standard Time', { recurrence: weekly(3) }));
    const occ = (await g.call('GET', `/me/events/${master.id}/instances?${window}`)).json.value;
    assert.equal((await g.call('PATCH', `/me/events/${occ[1].id}`, { body: { subject: 'moved (board)' } })).status, 200);
    await g.call('PATCH', `/me/events/${master.id}`, { body: { subject: 'moved (renamed)' } });
    const kept = (await g.call('GET', `/me/events/${master.id}/instances?${window}`)).json.value;
    assert.deepEqual(kept.map((o: any) => o.type), ['occurrence', 'exception', 'occurrence'], 'a retitle of the series keeps its exceptions');
    const later = { start: { dateTime: '2026-11-02T16:00:00', timeZone: 'W. Europe Standard Time' }, end: { dateTime: '2026-11-02T17:00:00', timeZone: 'W. Europe Standard Time' } };
    assert.equal((await g.call('PATCH', `/me/events/${master.id}`, { body: { ...later, recurrence: weekly(3) } })).status, 200);
    const after = (await g.call('GET', `/me/events/${master.id}/instances?${window}`)).json.value;
    assert.deepEqual(after.map((o: any) => [o.type, o.subject, o.start.dateTime]), [
      ['occurrence', 'moved (renamed)', '2026-11-02T15:00:00.0000000'],
      ['occurrence', 'moved (renamed)', '2026-11-09T15:00:00.0000000'],
      ['occurrence', 'moved (renamed)', '2026-11-16T15:00:00.0000000'],
    ]);
  });

  it('requires a window on calendarView and answers 401 without a token', async () => {
    const r = await g.call('GET', `/me/calendars/${g.calendarId}/calendarView`);
    assert.equal(r.status, 400);
    const anon = await fetch(`${g.emu.url}/v1.0/me/calendars`);
    assert.equal(anon.status, 401);
    assert.equal(((await anon.json()) as any).error.code, 'InvalidAuthenticationToken');
  });

  it('serves /users/{id|upn}/… like /me/…', async () => {
    const r = await g.call('GET', `/users/${encodeURIComponent('adele@contoso.test')}/calendars`);
    assert.equal(r.status, 200);
    assert.equal(r.json.value[0].id, g.calendarId);
  });
});
