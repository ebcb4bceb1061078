import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEnv, timed, type TestEnv } from './test-support.ts';

describe('google emulator: freebusy.query', () => {
  let env: TestEnv;
  const query = (body: unknown) => env.call('/calendar/v3/freeBusy', { method: 'POST', body });
  before(async () => {
    env = await startEnv();
    const c = env.emu.control;
    c.insertEvent(env.calId, timed('2026-03-02T10:00:00+01:00', '2026-03-02T11:00:00+01:00'));
    c.insertEvent(env.calId, timed('2026-03-02T10:30:00+01:00', '2026-03-02T12:00:00+01:00', { status: 'tentative' }));
    c.insertEvent(env.calId, timed('2026-03-02T13:00:00+01:00', '2026-03-02T14:00:00+01:00', { transparency: 'transparent' }));
    c.insertEvent(env.calId, timed('2026-03-02T15:00:00+01:00', '2026-03-02T16:00:00+01:00', { attendees: [{ email: env.email, responseStatus: 'declined' }] }));
    c.insertEvent(env.calId, { start: { date: '2026-03-04' }, end: { date: '2026-03-05' } });
    const m = c.insertEvent(env.calId, timed('2026-03-09T09:00:00', '2026-03-09T09:30:00', { recurrence: ['RRULE:FREQ=DAILY;COUNT=3'] }));
    c.deleteEvent(env.calId, `${m.id}_20260310T080000Z`);
  });
  after(() => env.emu.close());

  it('merges overlaps; skips transparent, declined and cancelled instances; all-day in the calendar zone', async () => {
    const r = await query({ timeMin: '2026-03-01T00:00:00Z', timeMax: '2026-03-20T00:00:00Z', items: [{ id: env.calId }] });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.calendars[env.calId].busy, [
      { start: '2026-03-02T09:00:00Z', end: '2026-03-02T11:00:00Z' },
      { start: '2026-03-03T23:00:00Z', end: '2026-03-04T23:00:00Z' },
      { start: '2026-03-09T08:00:00Z', end: '2026-03-09T08:30:00Z' },
      { start: '2026-03-11T08:00:00Z', end: '2026-03-11T08:30:00Z' },
    ]);
  });

  it('clips busy periods to the window', async () => {
    const r = await query({ timeMin: '2026-03-02T09:30:00Z', timeMax: '2026-03-02T10:00:00Z', items: [{ id: env.calId }] });
    assert.deepEqual(r.json.calendars[env.calId].busy, [{ start: '2026-03-02T09:30:00Z', end: '2026-03-02T10:00:00Z' }]);
  });

  it('unknown calendars and calendars beyond 50 get per-calendar errors', async () => {
    const items = [{ id: 'nobody@example.com' }, ...Array.from({ length: 50 }, () => ({ id: env.calId })), { id: 'late@example.com' }];
    const r = await query({ timeMin: '2026-03-01T00:00:00Z', timeMax: '2026-03-02T00:00:00Z', items });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.calendars['nobody@example.com'].errors, [{ domain: 'global', reason: 'notFound' }]);
    assert.equal(r.json.calendars['late@example.com'].errors[0].reason, 'tooManyCalendarsRequested');
  });

  it('a window over 90 days or an empty window is a 400', async () => {
    const long = await query({ timeMin: '2026-01-01T00:00:00Z', timeMax: '2026-04-02T00:00:00Z', items: [{ id: env.calId }] });
    assert.equal(long.status, 400);
    assert.equal(long.json.error.errors[0].reason, 'timeRangeTooLong');
    const empty = await query({ timeMin: '2026-01-02T00:00:00Z', timeMax: '2026-01-01T00:00:00Z', items: [] });
    assert.equal(empty.json.error.errors[0].reason, 'timeRangeEmpty');
  });
});
