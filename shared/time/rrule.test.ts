import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandSeries, parseRRule } from './index.ts';
import { input, isoZ, series } from './test-support.ts';

/** Instance starts (UTC) of `rule` from a UTC DTSTART inside [from, to). */
function run(dtstart: string, rule: string, from: string, to: string): string[] {
  const at = { dateTime: dtstart, timeZone: 'UTC' };
  return expandSeries(input(series(at, at, [rule]), from, to)).map((o) => isoZ(o.startMs));
}
const days = (list: string[]): string[] => list.map((s) => s.slice(0, 10));

test('parseRRule reads every part', () => {
  const r = parseRRule('FREQ=MONTHLY;INTERVAL=2;COUNT=5;BYDAY=-1FR,2MO,TU;BYMONTHDAY=-1,15;BYMONTH=1,3;BYSETPOS=-1;WKST=SU;BYHOUR=9;BYMINUTE=30;BYSECOND=0');
  assert.equal(r.freq, 'MONTHLY');
  assert.equal(r.interval, 2);
  assert.equal(r.count, 5);
  assert.deepEqual(r.byDay, [{ wd: 4, n: -1 }, { wd: 0, n: 2 }, { wd: 1, n: 0 }]);
  assert.deepEqual(r.byMonthDay, [-1, 15]);
  assert.deepEqual(r.byMonth, [1, 3]);
  assert.deepEqual(r.bySetPos, [-1]);
  assert.equal(r.wkst, 6);
  assert.deepEqual([r.byHour, r.byMinute, r.bySecond], [[9], [30], [0]]);
  assert.deepEqual(parseRRule('RRULE:FREQ=DAILY;UNTIL=20261106T133000Z').until, { kind: 'utc', ms: Date.parse('2026-11-06T13:30:00Z') });
  assert.deepEqual(parseRRule('FREQ=DAILY;UNTIL=20261106').until, { kind: 'date', day: Date.parse('2026-11-06') / 86_400_000 });
  assert.equal(parseRRule('FREQ=DAILY;X-EVOLUTION-ENDDATE=20261106T133000Z').freq, 'DAILY');
});

test('parseRRule names the bad part', () => {
  const cases: [string, RegExp][] = [
    ['INTERVAL=2', /FREQ/],
    ['FREQ=FORTNIGHTLY', /FREQ/],
    ['FREQ=DAILY;INTERVAL=0', /INTERVAL/],
    ['FREQ=DAILY;COUNT=-1', /COUNT/],
    ['FREQ=DAILY;UNTIL=2026-11-06', /UNTIL/],
    ['FREQ=DAILY;UNTIL=20260231', /UNTIL/],
    ['FREQ=WEEKLY;BYDAY=XX', /BYDAY/],
    ['FREQ=MONTHLY;BYDAY=0MO', /BYDAY/],
    ['FREQ=MONTHLY;BYMONTHDAY=32', /BYMONTHDAY/],
    ['FREQ=MONTHLY;BYMONTHDAY=0', /BYMONTHDAY/],
    ['FREQ=YEARLY;BYMONTH=13', /BYMONTH/],
    ['FREQ=YEARLY;BYWEEKNO=54', /BYWEEKNO/],
    ['FREQ=YEARLY;BYYEARDAY=367', /BYYEARDAY/],
    ['FREQ=DAILY;BYHOUR=24', /BYHOUR/],
    ['FREQ=DAILY;BYMINUTE=60', /BYMINUTE/],
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0', /BYSETPOS/],
    ['FREQ=DAILY;WKST=XX', /WKST/],
    ['FREQ=DAILY;FREQ=WEEKLY', /FREQ/],
    ['FREQ=DAILY;FOO=1', /FOO/],
    ['FREQ=DAILY;COUNT', /COUNT/],
  ];
  for (const [rule, part] of cases) assert.throws(() => parseRRule(rule), { name: 'ValidationError', message: part }, rule);
});

test('FREQ, INTERVAL, COUNT, UNTIL (inclusive)', () => {
  assert.deepEqual(days(run('2026-01-01T09:00:00Z', 'FREQ=DAILY;INTERVAL=3;COUNT=4', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')), [
    '2026-01-01', '2026-01-04', '2026-01-07', '2026-01-10',
  ]);
  assert.deepEqual(run('2026-01-01T09:00:00Z', 'FREQ=DAILY;UNTIL=20260103T090000Z', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'), [
    '2026-01-01T09:00:00Z', '2026-01-02T09:00:00Z', '2026-01-03T09:00:00Z',
  ]);
  assert.equal(run('2026-01-01T09:00:00Z', 'FREQ=DAILY;UNTIL=20260103T085959Z', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z').length, 2);
  assert.equal(run('2026-01-01T09:00:00Z', 'FREQ=WEEKLY;UNTIL=20260115', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z').length, 3);
  assert.deepEqual(run('2026-01-01T09:00:00Z', 'FREQ=HOURLY;INTERVAL=5;COUNT=3', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'), [
    '2026-01-01T09:00:00Z', '2026-01-01T14:00:00Z', '2026-01-01T19:00:00Z',
  ]);
  assert.deepEqual(run('2026-01-01T09:00:00Z', 'FREQ=MINUTELY;INTERVAL=15;COUNT=3', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'), [
    '2026-01-01T09:00:00Z', '2026-01-01T09:15:00Z', '2026-01-01T09:30:00Z',
  ]);
  assert.equal(run('2026-01-01T09:00:00Z', 'FREQ=SECONDLY;INTERVAL=10;COUNT=7', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z').at(-1), '2026-01-01T09:01:00Z');
  // Yearly on Feb 29 only happens in leap years; monthly on the 31st skips short months.
  assert.deepEqual(days(run('2024-02-29T09:00:00Z', 'FREQ=YEARLY;COUNT=2', '2024-01-01T00:00:00Z', '2040-01-01T00:00:00Z')), ['2024-02-29', '2028-02-29']);
  assert.deepEqual(days(run('2026-01-31T09:00:00Z', 'FREQ=MONTHLY;COUNT=3', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')), ['2026-01-31', '2026-03-31', '2026-05-31']);
});

test('BYDAY with and without ordinals, BYMONTHDAY negatives, BYMONTH', () => {
  const from = '2026-01-01T00:00:00Z';
  const to = '2026-04-01T00:00:00Z';
  assert.deepEqual(days(run('2026-01-30T16:00:00Z', 'FREQ=MONTHLY;BYDAY=-1FR', from, to)), ['2026-01-30', '2026-02-27', '2026-03-27']);
  assert.deepEqual(days(run('2026-01-12T16:00:00Z', 'FREQ=MONTHLY;BYDAY=2MO', from, to)), ['2026-01-12', '2026-02-09', '2026-03-09']);
  assert.deepEqual(days(run('2026-01-31T16:00:00Z', 'FREQ=MONTHLY;BYMONTHDAY=-1', from, to)), ['2026-01-31', '2026-02-28', '2026-03-31']);
  assert.deepEqual(days(run('2026-01-05T08:00:00Z', 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4', from, to)), ['2026-01-05', '2026-01-07', '2026-01-12', '2026-01-14']);
  assert.deepEqual(days(run('2026-01-01T08:00:00Z', 'FREQ=DAILY;BYMONTH=3;COUNT=3', from, to)), ['2026-01-01', '2026-03-01', '2026-03-02']);
  // YEARLY;BYDAY=20MO: the 20th Monday of the year; with BYMONTH the ordinal counts within the month.
  assert.deepEqual(days(run('2026-05-18T08:00:00Z', 'FREQ=YEARLY;BYDAY=20MO;COUNT=2', from, '2028-01-01T00:00:00Z')), ['2026-05-18', '2027-05-17']);
  assert.deepEqual(days(run('2026-11-26T08:00:00Z', 'FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=2', from, '2028-01-01T00:00:00Z')), ['2026-11-26', '2027-11-25']);
});

test('BYYEARDAY, BYWEEKNO, WKST', () => {
  assert.deepEqual(days(run('2026-01-01T08:00:00Z', 'FREQ=YEARLY;BYYEARDAY=1,100,-1;COUNT=4', '2026-01-01T00:00:00Z', '2028-01-01T00:00:00Z')), [
    '2026-01-01', '2026-04-10', '2026-12-31', '2027-01-01',
  ]);
  // ISO week 1 of 2026 starts Monday 2025-12-29; week 20 Monday is 2026-05-11.
  assert.deepEqual(days(run('2026-05-11T08:00:00Z', 'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=2', '2026-01-01T00:00:00Z', '2028-01-01T00:00:00Z')), ['2026-05-11', '2027-05-17']);
  // RFC 5545 §3.3.10 WKST example: MO vs SU changes which days a biweekly rule picks.
  const mo = run('1997-08-05T09:00:00Z', 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO', '1997-01-01T00:00:00Z', '1998-01-01T00:00:00Z');
  const su = run('1997-08-05T09:00:00Z', 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU', '1997-01-01T00:00:00Z', '1998-01-01T00:00:00Z');
  assert.deepEqual(days(mo), ['1997-08-05', '1997-08-10', '1997-08-19', '1997-08-24']);
  assert.deepEqual(days(su), ['1997-08-05', '1997-08-17', '1997-08-19', '1997-08-31']);
});

test('BYSETPOS and BYHOUR/BYMINUTE/BYSECOND', () => {
  assert.deepEqual(days(run('2026-01-30T16:00:00Z', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')), [
    '2026-01-30', '2026-02-27', '2026-03-31',
  ]);
  // RFC 5545 example: the third instance of TU/WE/TH each month.
  assert.deepEqual(days(run('1997-09-04T09:00:00Z', 'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3', '1997-01-01T00:00:00Z', '1998-01-01T00:00:00Z')), [
    '1997-09-04', '1997-10-07', '1997-11-06',
  ]);
  assert.deepEqual(run('2026-01-01T09:00:00Z', 'FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0,30;BYSECOND=15;COUNT=5', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'), [
    '2026-01-01T09:00:00Z', '2026-01-01T09:00:15Z', '2026-01-01T09:30:15Z', '2026-01-01T17:00:15Z', '2026-01-01T17:30:15Z',
  ]);
  assert.deepEqual(run('2026-01-01T09:00:00Z', 'FREQ=HOURLY;BYHOUR=10,12;BYMINUTE=5;COUNT=3', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'), [
    '2026-01-01T09:00:00Z', '2026-01-01T10:05:00Z', '2026-01-01T12:05:00Z',
  ]);
});

test('DTSTART is the first instance and counts toward COUNT even off the rule', () => {
  assert.deepEqual(days(run('2026-01-01T09:00:00Z', 'FREQ=WEEKLY;BYDAY=MO;COUNT=3', '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z')), [
    '2026-01-01', '2026-01-05', '2026-01-12',
  ]);
});

test('pathological rules end: never-matching and SECONDLY', () => {
  assert.deepEqual(run('2026-01-01T09:00:00Z', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31;COUNT=5', '2026-01-01T00:00:00Z', '2100-01-01T00:00:00Z'), ['2026-01-01T09:00:00Z']);
  assert.equal(run('2026-01-01T09:00:00Z', 'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30', '2026-01-01T00:00:00Z', '9999-01-01T00:00:00Z').length, 1);
  assert.equal(run('2026-01-01T09:00:00Z', 'FREQ=SECONDLY', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z').length, 5000);
  const june = run('2026-01-01T09:00:00Z', 'FREQ=SECONDLY;BYMONTH=6;COUNT=10', '2026-01-01T00:00:00Z', '2027-02-01T00:00:00Z');
  assert.equal(june.length, 10);
  assert.equal(june.at(-1), '2026-06-01T00:00:08Z');
});
