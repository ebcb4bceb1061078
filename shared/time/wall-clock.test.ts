import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalTime, canonicalTimes, instantInZone, presentTime, type TimeNote } from './index.ts';

const read = (value: unknown, calendarZone = 'Europe/Berlin') => {
  const notes: TimeNote[] = [];
  return { time: canonicalTime(value, 'start', calendarZone, notes), notes };
};

test('a wall clock with an IANA or Windows zone becomes the UTC instant plus the IANA zone', () => {
  assert.deepEqual(read({ dateTime: '2026-12-07T09:00:00', timeZone: 'Europe/Berlin' }).time, { dateTime: '2026-12-07T08:00:00Z', timeZone: 'Europe/Berlin' });
  assert.deepEqual(read({ dateTime: '2026-12-07T09:00:00.0000000', timeZone: 'W. Europe Standard Time' }).time, { dateTime: '2026-12-07T08:00:00Z', timeZone: 'Europe/Berlin' });
  assert.deepEqual(read({ dateTime: '2026-07-07T09:00:00', timeZone: 'Eastern Standard Time' }).time, { dateTime: '2026-07-07T13:00:00Z', timeZone: 'America/New_York' });
  assert.deepEqual(read({ dateTime: '2026-07-07T09:00:00.250', timeZone: 'UTC' }).time, { dateTime: '2026-07-07T09:00:00.250Z', timeZone: 'UTC' });
});

test('an RFC 3339 instant with an offset keeps its instant; the zone is the given one, the agreeing calendar zone, or a fixed one', () => {
  assert.deepEqual(read({ dateTime: '2026-12-07T09:00:00+01:00' }).time, { dateTime: '2026-12-07T08:00:00Z', timeZone: 'Europe/Berlin' });
  assert.deepEqual(read({ dateTime: '2026-12-07T09:00:00-05:00' }).time, { dateTime: '2026-12-07T14:00:00Z', timeZone: 'Etc/GMT+5' });
  assert.deepEqual(read({ dateTime: '2026-12-07T09:00:00+05:30' }).time, { dateTime: '2026-12-07T03:30:00Z', timeZone: 'UTC' });
  assert.deepEqual(read({ dateTime: '2026-12-07T09:00:00-05:00', timeZone: 'America/New_York' }).time, { dateTime: '2026-12-07T14:00:00Z', timeZone: 'America/New_York' });
  assert.deepEqual(read({ dateTime: '2026-12-07T08:00:00Z', timeZone: 'Europe/Berlin' }).time, { dateTime: '2026-12-07T08:00:00Z', timeZone: 'Europe/Berlin' });
  assert.deepEqual(read({ dateTime: '2026-12-07T08:00:00.000Z' }, 'Europe/Berlin').time, { dateTime: '2026-12-07T08:00:00Z', timeZone: 'UTC' });
  assert.deepEqual(read({ dateTime: '2026-12-07T08:00:00Z' }, 'Europe/London').time, { dateTime: '2026-12-07T08:00:00Z', timeZone: 'Europe/London' });
});

test('DST gaps and overlaps in New York and Berlin follow RFC 5545 and are noted', () => {
  const cases = [
    ['2026-03-08T02:30:00', 'America/New_York', '2026-03-08T07:30:00Z', 'nonexistent', '2026-03-08T03:30:00-04:00'],
    ['2026-03-29T02:30:00', 'Europe/Berlin', '2026-03-29T01:30:00Z', 'nonexistent', '2026-03-29T03:30:00+02:00'],
    ['2026-11-01T01:30:00', 'America/New_York', '2026-11-01T05:30:00Z', 'ambiguous', '2026-11-01T01:30:00-04:00'],
    ['2026-10-25T02:30:00', 'Europe/Berlin', '2026-10-25T00:30:00Z', 'ambiguous', '2026-10-25T02:30:00+02:00'],
  ] as const;
  for (const [wall, zone, utc, kind, resolved] of cases) {
    const r = read({ dateTime: wall, timeZone: zone });
    assert.deepEqual(r.time, { dateTime: utc, timeZone: zone }, `${wall} ${zone}`);
    assert.equal(r.notes.length, 1);
    assert.deepEqual({ ...r.notes[0], rule: undefined }, { field: 'start', kind, requested: wall, timeZone: zone, resolved, rule: undefined });
    assert.match(r.notes[0]!.rule, /RFC 5545/);
  }
  // The hours just around the transitions are plain.
  for (const [wall, zone] of [['2026-03-08T01:59:59', 'America/New_York'], ['2026-03-08T03:00:00', 'America/New_York'], ['2026-11-01T02:00:00', 'America/New_York'], ['2026-10-25T03:00:00', 'Europe/Berlin'], ['2026-10-25T01:59:59', 'Europe/Berlin']] as const) {
    assert.deepEqual(read({ dateTime: wall, timeZone: zone }).notes, [], `${wall} ${zone}`);
  }
});

test('what is not a timed value is left to the model; bad wall clocks and zones are refused by field', () => {
  assert.deepEqual(read({ date: '2026-12-07' }).time, { date: '2026-12-07' });
  assert.equal(read('nope').time, 'nope');
  const extra = { dateTime: '2026-12-07T09:00:00', timeZone: 'UTC', local: 'x' };
  assert.equal(read(extra).time, extra);
  assert.throws(() => read({ dateTime: '2026-12-07T09:00:00' }), /start\.timeZone: required/);
  assert.throws(() => read({ dateTime: '2026-12-07T09:00:00', timeZone: 'Mars/Olympus' }), /start\.timeZone: unknown time zone/);
  assert.throws(() => read({ dateTime: '2026-02-30T09:00:00', timeZone: 'UTC' }), /start\.dateTime: 2026-02-30T09:00:00 is no such date/);
  // JavaScript's parser would roll these over to another day: refused in the offset form too.
  for (const bad of ['2026-11-31T09:00:00+01:00', '2026-11-31T09:00:00Z', '2026-12-07T24:00:00Z', '2027-02-29T09:00:00Z', '2026-12-07T09:00:00+24:00']) {
    assert.throws(() => read({ dateTime: bad }), (e: unknown) => (e as { code?: string }).code === 'DATE_INVALID' && new RegExp(`start\\.dateTime: ${bad.replace('+', '\\+')} is no such date`).test((e as Error).message), bad);
  }
  assert.equal((read({ dateTime: '2028-02-29T09:00:00Z' }).time as { dateTime: string }).dateTime, '2028-02-29T09:00:00Z', 'a leap day is real');
  assert.throws(() => read({ dateTime: '2026-12-07 09:00', timeZone: 'UTC' }), /start\.dateTime: must be/);
});

test('answers keep the wall clock and the zone, and read back to the same instant', () => {
  assert.deepEqual(presentTime({ dateTime: '2026-12-07T08:00:00Z', timeZone: 'Europe/Berlin' }), { dateTime: '2026-12-07T09:00:00+01:00', timeZone: 'Europe/Berlin' });
  assert.deepEqual(presentTime({ dateTime: '2026-07-07T08:00:00Z', timeZone: 'Europe/Berlin' }), { dateTime: '2026-07-07T10:00:00+02:00', timeZone: 'Europe/Berlin' });
  assert.deepEqual(presentTime({ dateTime: '2026-12-07T08:00:00Z', timeZone: 'UTC' }), { dateTime: '2026-12-07T08:00:00Z', timeZone: 'UTC' });
  assert.equal(instantInZone(Date.parse('2026-12-07T03:30:00.500Z'), 'Asia/Kolkata'), '2026-12-07T09:00:00.500+05:30');
  assert.deepEqual(presentTime({ date: '2026-12-07' }), { date: '2026-12-07' });
  assert.deepEqual(presentTime({ local: '2026-12-07T09:00:00' }), { local: '2026-12-07T09:00:00' });
  for (const ms of [Date.parse('2026-11-01T05:30:00Z'), Date.parse('2026-11-01T06:30:00Z'), Date.parse('2026-03-29T01:30:00Z')]) {
    for (const zone of ['America/New_York', 'Europe/Berlin']) {
      const shown = presentTime({ dateTime: new Date(ms).toISOString(), timeZone: zone });
      assert.deepEqual(read(shown).time, { dateTime: new Date(ms).toISOString().replace('.000Z', 'Z'), timeZone: zone });
    }
  }
});

test('every time of a body is read: start, end, originalStart, EXDATEs and RDATEs', () => {
  const { body, notes } = canonicalTimes(
    {
      title: 'x',
      start: { dateTime: '2026-03-08T02:30:00', timeZone: 'America/New_York' },
      end: { dateTime: '2026-03-08T04:00:00', timeZone: 'America/New_York' },
      recurrence: { rrules: ['FREQ=DAILY'], exdates: [{ dateTime: '2026-11-01T01:30:00', timeZone: 'America/New_York' }], rdates: [] },
    },
    'UTC',
  );
  assert.deepEqual(body.end, { dateTime: '2026-03-08T08:00:00Z', timeZone: 'America/New_York' });
  assert.deepEqual((body.recurrence as { exdates: unknown[] }).exdates, [{ dateTime: '2026-11-01T05:30:00Z', timeZone: 'America/New_York' }]);
  assert.deepEqual(notes.map((n) => `${n.field} ${n.kind}`), ['start nonexistent', 'recurrence.exdates.0 ambiguous']);
});
