import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEnv, timed, type TestEnv } from './test-support.ts';

describe('google emulator: recurring events', () => {
  let env: TestEnv;
  let masterId = '';
  let syncToken = '';
  const path = (id: string) => `/calendar/v3/calendars/${encodeURIComponent(env.calId)}/events/${id}`;
  before(async () => {
    env = await startEnv();
    // Mondays 10:00 Berlin, across the DST change at the end of March.
    const m = env.emu.control.insertEvent(env.calId, timed('2026-03-16T10:00:00', '2026-03-16T11:00:00', { summary: 'weekly', recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'] }));
    masterId = m.id;
    syncToken = (await env.events()).json.nextSyncToken;
  });
  after(() => env.emu.close());

  it('the master carries recurrence[] and its first instance as start/end, with the offset of its zone', async () => {
    const m = (await env.call(path(masterId))).json;
    assert.deepEqual(m.recurrence, ['RRULE:FREQ=WEEKLY;COUNT=4']);
    assert.deepEqual(m.start, { dateTime: '2026-03-16T10:00:00+01:00', timeZone: 'Europe/Berlin' });
  });

  it('a recurring event without a start timeZone is rejected; DTSTART lines are not allowed', async () => {
    const base = `/calendar/v3/calendars/${encodeURIComponent(env.calId)}/events`;
    const noZone = await env.call(base, { method: 'POST', body: { start: { dateTime: '2026-03-16T10:00:00Z' }, end: { dateTime: '2026-03-16T11:00:00Z' }, recurrence: ['RRULE:FREQ=DAILY'] } });
    assert.equal(noZone.status, 400);
    const dtstart = await env.call(base, { method: 'POST', body: { ...timed('2026-03-16T10:00:00Z', '2026-03-16T11:00:00Z'), recurrence: ['DTSTART:20260316T100000Z', 'RRULE:FREQ=DAILY'] } });
    assert.equal(dtstart.status, 400);
  });

  it('instances use <masterId>_<UTC basic time> ids and keep wall time across DST', async () => {
    const r = await env.call(`${path(masterId)}/instances`);
    assert.deepEqual(
      r.json.items.map((i: { id: string }) => i.id),
      ['20260316T090000Z', '20260323T090000Z', '20260330T080000Z', '20260406T080000Z'].map((s) => `${masterId}_${s}`),
    );
    assert.equal(r.json.items[2].start.dateTime, '2026-03-30T10:00:00+02:00');
    assert.equal(r.json.items[2].recurringEventId, masterId);
    assert.deepEqual(r.json.items[2].originalStartTime, { dateTime: '2026-03-30T10:00:00+02:00', timeZone: 'Europe/Berlin' });
  });

  it('patching an instance creates an exception with recurringEventId and originalStartTime', async () => {
    const id = `${masterId}_20260323T090000Z`;
    const r = await env.call(path(id), { method: 'PATCH', body: { summary: 'moved', start: { dateTime: '2026-03-24T15:00:00+01:00' }, end: { dateTime: '2026-03-24T16:00:00+01:00' } } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.id, id);
    assert.equal(r.json.recurringEventId, masterId);
    assert.equal(r.json.originalStartTime.dateTime, '2026-03-23T10:00:00+01:00');
    assert.equal(r.json.recurrence, undefined);
    const list = (await env.events()).json.items;
    assert.ok(list.some((e: { id: string }) => e.id === masterId));
    assert.ok(list.some((e: { id: string; summary: string }) => e.id === id && e.summary === 'moved'));
  });

  it('deleting an instance leaves a cancelled exception: minimal in incremental sync, present in a plain full listing', async () => {
    const id = `${masterId}_20260330T080000Z`;
    assert.equal((await env.call(path(id), { method: 'DELETE' })).status, 204);
    const inc = (await env.events({ syncToken })).json.items;
    const c = inc.find((e: { id: string }) => e.id === id);
    assert.deepEqual(Object.keys(c).sort(), ['etag', 'id', 'kind', 'originalStartTime', 'recurringEventId', 'status']);
    assert.equal(c.status, 'cancelled');
    // "Cancelled instances … will still be included if showDeleted and singleEvents are both False."
    assert.ok((await env.events()).json.items.some((e: { id: string }) => e.id === id));
    assert.ok(!(await env.events({ singleEvents: 'true' })).json.items.some((e: { id: string }) => e.id === id));
    assert.equal((await env.call(path(id), { method: 'DELETE' })).status, 410);
  });

  it('iCalUID lists the master with its exceptions, which share it (A.3), the cancelled one minimal (A.1)', async () => {
    const uid = (await env.call(path(masterId))).json.iCalUID;
    const items = (await env.events({ iCalUID: uid })).json.items as { id: string; status: string; recurringEventId?: string; summary?: string }[];
    const byId = new Map(items.map((e) => [e.id, e]));
    assert.deepEqual([...byId.keys()].sort(), [masterId, `${masterId}_20260323T090000Z`, `${masterId}_20260330T080000Z`].sort());
    assert.equal(byId.get(`${masterId}_20260323T090000Z`)!.summary, 'moved');
    assert.deepEqual(Object.keys(byId.get(`${masterId}_20260330T080000Z`)!).sort(), ['etag', 'id', 'kind', 'originalStartTime', 'recurringEventId', 'status']);
  });

  it('singleEvents=true returns instances (moved one included, cancelled one not), never the master', async () => {
    const items = (await env.events({ singleEvents: 'true', orderBy: 'startTime' })).json.items;
    assert.equal(items.length, 3);
    assert.ok(items.every((i: { recurringEventId?: string }) => i.recurringEventId === masterId));
    assert.equal(items[1].summary, 'moved');
  });

  it('all-day series use <masterId>_<YYYYMMDD> ids', async () => {
    const m = env.emu.control.insertEvent(env.calId, { start: { date: '2026-04-01' }, end: { date: '2026-04-02' }, recurrence: ['RRULE:FREQ=DAILY;COUNT=2'], summary: 'daily' });
    const r = await env.call(`${path(m.id)}/instances`);
    assert.deepEqual(r.json.items.map((i: { id: string }) => i.id), [`${m.id}_20260401`, `${m.id}_20260402`]);
    assert.deepEqual(r.json.items[1].end, { date: '2026-04-03' });
  });

  it('deleting the master deletes its exceptions, which then carry only id and status', async () => {
    const before = (await env.events()).json.nextSyncToken;
    assert.equal((await env.call(path(masterId), { method: 'DELETE' })).status, 204);
    const inc = (await env.events({ syncToken: before })).json.items;
    const exc = inc.find((e: { id: string }) => e.id === `${masterId}_20260323T090000Z`);
    assert.deepEqual(Object.keys(exc).sort(), ['etag', 'id', 'kind', 'status']);
    assert.ok(inc.some((e: { id: string; status: string }) => e.id === masterId && e.status === 'cancelled'));
    // §E A.2: with singleEvents=true the same changes list the cancelled instances instead of the series.
    const single = (await env.events({ syncToken: before, singleEvents: 'true' })).json.items;
    assert.ok(!single.some((e: { id: string }) => e.id === masterId), 'not the cancelled recurring event');
    const instances = single.filter((e: { recurringEventId?: string }) => e.recurringEventId === masterId);
    assert.deepEqual(instances.map((e: { id: string }) => e.id).sort(), [`${masterId}_20260316T090000Z`, `${masterId}_20260406T080000Z`]);
    assert.ok(instances.every((e: { status: string; originalStartTime?: object }) => e.status === 'cancelled' && e.originalStartTime));
    assert.ok(single.some((e: { id: string }) => e.id === `${masterId}_20260323T090000Z`), 'the moved instance, deleted with its series');
    // "The get method always returns them."
    assert.equal((await env.call(path(masterId))).json.status, 'cancelled');
  });
});

describe('google emulator: a change to a recurring event reaches its exceptions in the fields they did not change', () => {
  let env: TestEnv;
  const path = (id: string) => `/calendar/v3/calendars/${encodeURIComponent(env.calId)}/events/${id}`;
  before(async () => {
    env = await startEnv();
  });
  after(() => env.emu.close());

  it('a moved exception takes the new title and location; a retitled one keeps its title; both get a new etag and are listed again', async () => {
    const m = env.emu.control.insertEvent(env.calId, timed('2026-03-16T10:00:00', '2026-03-16T11:00:00', { summary: 'weekly', location: 'Room 1', recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'] }));
    const moved = `${m.id}_20260323T090000Z`;
    const retitled = `${m.id}_20260406T080000Z`;
    await env.call(path(moved), { method: 'PATCH', body: { start: { dateTime: '2026-03-23T15:00:00+01:00' }, end: { dateTime: '2026-03-23T16:00:00+01:00' } } });
    const own = (await env.call(path(retitled), { method: 'PATCH', body: { summary: 'board' } })).json;
    const token = (await env.events()).json.nextSyncToken;
    const r = await env.call(path(m.id), { method: 'PATCH', body: { summary: 'weekly sync', location: 'Room 2', transparency: 'transparent' } });
    assert.equal(r.status, 200, r.text);
    const a = (await env.call(path(moved))).json;
    const b = (await env.call(path(retitled))).json;
    assert.deepEqual([a.summary, a.location, a.transparency, a.start.dateTime], ['weekly sync', 'Room 2', 'transparent', '2026-03-23T15:00:00+01:00']);
    assert.deepEqual([b.summary, b.location, b.transparency], ['board', 'Room 2', 'transparent']);
    assert.notEqual(b.etag, own.etag);
    const listed = (await env.events({ syncToken: token })).json.items.map((e: { id: string }) => e.id).sort();
    assert.deepEqual(listed, [m.id, moved, retitled].sort());
  });

  it('a change to a field no exception held (the description of a series without one) leaves the exceptions alone', async () => {
    const m = env.emu.control.insertEvent(env.calId, timed('2026-03-16T10:00:00', '2026-03-16T11:00:00', { summary: 'daily', recurrence: ['RRULE:FREQ=DAILY;COUNT=3'] }));
    const ex = (await env.call(path(`${m.id}_20260317T090000Z`), { method: 'PATCH', body: { summary: 'mine', description: 'own notes' } })).json;
    await env.call(path(m.id), { method: 'PATCH', body: { description: 'series notes' } });
    const after = (await env.call(path(ex.id))).json;
    assert.deepEqual([after.summary, after.description, after.etag], ['mine', 'own notes', ex.etag]);
  });
});
