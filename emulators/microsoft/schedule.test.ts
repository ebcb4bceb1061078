/* eslint-disable @typescript-eslint/no-explicit-any */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestGraph, timed, type TestGraph } from './test-helpers.ts';

describe('Graph emulator: getSchedule', () => {
  let g: TestGraph;
  const ask = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    g.call('POST', '/me/calendar/getSchedule', { body: { schedules: ['adele@contoso.test'], ...body }, headers });
  const day = { startTime: { dateTime: '2026-07-01T08:00:00', timeZone: 'W. Europe Standard Time' }, endTime: { dateTime: '2026-07-01T12:00:00', timeZone: 'W. Europe Standard Time' } };
  before(async () => {
    g = await startTestGraph();
    const add = (subject: string, s: string, e: string, showAs: string, extra: Record<string, unknown> = {}) =>
      g.emu.control.createEvent({ userId: g.userId, event: { ...timed(subject, s, e), showAs, ...extra } as any });
    add('tentative', '2026-07-01T08:00:00', '2026-07-01T08:30:00', 'tentative');
    add('busy', '2026-07-01T09:00:00', '2026-07-01T09:30:00', 'busy');
    add('oof', '2026-07-01T09:30:00', '2026-07-01T10:00:00', 'oof');
    add('elsewhere', '2026-07-01T10:00:00', '2026-07-01T10:30:00', 'workingElsewhere');
    add('free', '2026-07-01T10:30:00', '2026-07-01T11:00:00', 'free');
    add('cancelled', '2026-07-01T11:00:00', '2026-07-01T11:30:00', 'busy', { isCancelled: true });
    add('overlap-busy', '2026-07-01T08:15:00', '2026-07-01T08:45:00', 'busy');
  });
  after(async () => {
    await g.emu.close();
  });

  it('writes one digit per slot: 0 free, 1 tentative, 2 busy, 3 oof, 4 workingElsewhere; the strongest wins', async () => {
    const r = await ask({ ...day, availabilityViewInterval: 30 });
    assert.equal(r.status, 200);
    assert.equal(r.json.value[0].availabilityView, '22234000');
    assert.equal(r.json.value[0].scheduleItems.length, 5, 'free and cancelled items are left out');
  });

  it('defaults the interval to 30 minutes and accepts 5 and 1440, not 4 or 1441', async () => {
    assert.equal((await ask(day)).json.value[0].availabilityView.length, 8);
    assert.equal((await ask({ ...day, availabilityViewInterval: 5 })).json.value[0].availabilityView.length, 48);
    assert.equal((await ask({ ...day, availabilityViewInterval: 1440 })).status, 200);
    assert.equal((await ask({ ...day, availabilityViewInterval: 4 })).status, 400);
    assert.equal((await ask({ ...day, availabilityViewInterval: 1441 })).status, 400);
  });

  it('refuses windows longer than 62 days', async () => {
    const ok = await ask({ startTime: { dateTime: '2026-07-01T00:00:00', timeZone: 'UTC' }, endTime: { dateTime: '2026-09-01T00:00:00', timeZone: 'UTC' }, availabilityViewInterval: 1440 });
    assert.equal(ok.status, 200);
    const r = await ask({ startTime: { dateTime: '2026-07-01T00:00:00', timeZone: 'UTC' }, endTime: { dateTime: '2026-09-01T00:00:01', timeZone: 'UTC' } });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'ErrorTimeIntervalTooBig');
  });

  it('reports items in the Prefer zone and unknown people as a per-schedule error', async () => {
    const r = await g.call('POST', '/me/calendar/getSchedule', {
      body: { schedules: ['adele@contoso.test', 'nobody@contoso.test'], ...day },
      headers: { Prefer: 'outlook.timezone="W. Europe Standard Time"' },
    });
    assert.deepEqual(r.json.value[0].scheduleItems[0].start, { dateTime: '2026-07-01T08:00:00.0000000', timeZone: 'W. Europe Standard Time' });
    assert.equal(r.json.value[1].error.responseCode, 'ErrorMailRecipientNotFound');
    assert.equal(r.json.value[0].workingHours.timeZone.name, 'W. Europe Standard Time');
  });
});
