import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandSeries, utcMsToLocal } from './index.ts';
import { event, input, isoZ, series, zoned } from './test-support.ts';

const NY = 'America/New_York';
const BE = 'Europe/Berlin';

test('a zoned daily series keeps its wall time across DST', () => {
  const m = series(zoned('2026-03-01T09:00:00', NY), zoned('2026-03-01T09:30:00', NY), ['FREQ=DAILY']);
  const occ = expandSeries(input(m, '2026-03-06T00:00:00Z', '2026-03-11T00:00:00Z'));
  assert.deepEqual(occ.map((o) => utcMsToLocal(o.startMs, NY)), [
    '2026-03-06T09:00:00', '2026-03-07T09:00:00', '2026-03-08T09:00:00', '2026-03-09T09:00:00', '2026-03-10T09:00:00',
  ]);
  assert.deepEqual(occ.map((o) => isoZ(o.startMs).slice(11, 13)), ['14', '14', '13', '13', '13']);
  assert.ok(occ.every((o) => o.endMs - o.startMs === 30 * 60_000));
  assert.equal(occ[0]?.originalStartKey, '2026-03-06T14:00:00Z');
  assert.ok(occ.every((o) => o.event === m && !o.isOverride));
});

test('instances in a DST gap move forward; in an overlap take the first', () => {
  const gap = series(zoned('2026-03-06T02:30:00', NY), zoned('2026-03-06T03:00:00', NY), ['FREQ=DAILY;COUNT=4']);
  assert.deepEqual(expandSeries(input(gap, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).map((o) => utcMsToLocal(o.startMs, NY)), [
    '2026-03-06T02:30:00', '2026-03-07T02:30:00', '2026-03-08T03:30:00', '2026-03-09T02:30:00',
  ]);
  const overlap = series(zoned('2026-10-30T01:30:00', NY), zoned('2026-10-30T02:00:00', NY), ['FREQ=DAILY;COUNT=4']);
  assert.deepEqual(expandSeries(input(overlap, '2026-10-01T00:00:00Z', '2026-12-01T00:00:00Z')).map((o) => isoZ(o.startMs)), [
    '2026-10-30T05:30:00Z', '2026-10-31T05:30:00Z', '2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z',
  ]);
});

test('EXDATE removes an instance but still counts toward COUNT', () => {
  const m = series(zoned('2026-11-02T09:00:00', BE), zoned('2026-11-02T10:00:00', BE), ['FREQ=WEEKLY;COUNT=3'], {
    exdates: [zoned('2026-11-09T09:00:00', BE)],
  });
  assert.deepEqual(expandSeries(input(m, '2026-10-01T00:00:00Z', '2027-01-01T00:00:00Z')).map((o) => isoZ(o.startMs)), [
    '2026-11-02T08:00:00Z', '2026-11-16T08:00:00Z',
  ]);
});

test('overrides: moved into and out of the window, cancelled, orphaned', () => {
  const m = series(zoned('2026-11-02T09:00:00', BE), zoned('2026-11-02T10:00:00', BE), ['FREQ=WEEKLY;COUNT=6']);
  const movedIn = event({ originalStart: zoned('2026-11-30T09:00:00', BE), start: zoned('2026-11-20T09:00:00', BE), end: zoned('2026-11-20T10:00:00', BE) });
  const movedOut = event({ originalStart: zoned('2026-11-16T09:00:00', BE), start: zoned('2026-12-20T09:00:00', BE), end: zoned('2026-12-20T10:00:00', BE) });
  const cancelled = event({ originalStart: zoned('2026-11-09T09:00:00', BE), start: zoned('2026-11-09T09:00:00', BE), end: zoned('2026-11-09T10:00:00', BE), status: 'cancelled' });
  const orphan = event({ originalStart: zoned('2026-11-18T09:00:00', BE), start: zoned('2026-11-18T11:00:00', BE), end: zoned('2026-11-18T12:00:00', BE) });
  const occ = expandSeries(input(m, '2026-11-01T00:00:00Z', '2026-11-25T00:00:00Z', [movedIn, movedOut, cancelled, orphan]));
  assert.deepEqual(occ.map((o) => [isoZ(o.startMs), o.originalStartKey, o.isOverride]), [
    ['2026-11-02T08:00:00Z', '2026-11-02T08:00:00Z', false],
    ['2026-11-18T10:00:00Z', '2026-11-18T08:00:00Z', true],
    ['2026-11-20T08:00:00Z', '2026-11-30T08:00:00Z', true],
    ['2026-11-23T08:00:00Z', '2026-11-23T08:00:00Z', false],
  ]);
  assert.equal(occ[2]?.event, movedIn);
  const later = expandSeries(input(m, '2026-11-25T00:00:00Z', '2027-01-01T00:00:00Z', [movedIn, movedOut, cancelled, orphan]));
  assert.deepEqual(later.map((o) => isoZ(o.startMs)), ['2026-12-07T08:00:00Z', '2026-12-20T08:00:00Z']);
  // Overrides alone (master not known yet) still show.
  assert.equal(expandSeries(input(null, '2026-11-01T00:00:00Z', '2026-11-25T00:00:00Z', [movedIn, orphan])).length, 2);
});

test('all-day series resolve in the calendar zone, with date keys', () => {
  const m = series({ date: '2026-12-24' }, { date: '2026-12-26' }, ['FREQ=YEARLY;COUNT=3'], { exdates: [{ date: '2027-12-24' }] });
  const occ = expandSeries(input(m, '2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z', [], BE));
  assert.deepEqual(occ.map((o) => [isoZ(o.startMs), isoZ(o.endMs), o.originalStartKey]), [
    ['2026-12-23T23:00:00Z', '2026-12-25T23:00:00Z', '2026-12-24'],
    ['2028-12-23T23:00:00Z', '2028-12-25T23:00:00Z', '2028-12-24'],
  ]);
  // A multi-day all-day span stays whole calendar days across a DST change.
  const weekly = series({ date: '2026-03-28' }, { date: '2026-03-30' }, ['FREQ=WEEKLY;COUNT=1']);
  const [o] = expandSeries(input(weekly, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', [], BE));
  assert.equal(o!.endMs - o!.startMs, 47 * 3_600_000);
});

test('floating series use the calendar zone and floating keys', () => {
  const m = series({ local: '2026-06-01T08:00:00' }, { local: '2026-06-01T09:00:00' }, ['FREQ=DAILY;COUNT=2']);
  const occ = expandSeries(input(m, '2026-05-31T00:00:00Z', '2026-07-01T00:00:00Z', [], 'Asia/Tokyo'));
  assert.deepEqual(occ.map((o) => [isoZ(o.startMs), o.originalStartKey]), [
    ['2026-05-31T23:00:00Z', '2026-06-01T08:00:00~floating'],
    ['2026-06-01T23:00:00Z', '2026-06-02T08:00:00~floating'],
  ]);
});

test('single events and RDATEs', () => {
  const single = event({ start: zoned('2026-06-01T08:00:00', BE), end: zoned('2026-06-01T09:00:00', BE) });
  assert.equal(expandSeries(input(single, '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z')).length, 1);
  assert.equal(expandSeries(input(single, '2026-06-01T07:00:00Z', '2026-06-02T00:00:00Z')).length, 0, 'half-open: ends at window start');
  assert.equal(expandSeries(input(single, '2026-05-01T00:00:00Z', '2026-06-01T06:00:00Z')).length, 0, 'starts at window end');
  const m = series(zoned('2026-06-01T08:00:00', BE), zoned('2026-06-01T09:30:00', BE), [], { rdates: [zoned('2026-06-05T15:00:00', BE)] });
  assert.deepEqual(expandSeries(input(m, '2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z')).map((o) => [isoZ(o.startMs), isoZ(o.endMs)]), [
    ['2026-06-01T06:00:00Z', '2026-06-01T07:30:00Z'],
    ['2026-06-05T13:00:00Z', '2026-06-05T14:30:00Z'],
  ]);
});

test('a window far from DTSTART gives what full expansion gives (skip-ahead and COUNT)', () => {
  const rules = [
    'FREQ=DAILY', 'FREQ=DAILY;INTERVAL=3;COUNT=4000', 'FREQ=WEEKLY;BYDAY=TU,TH;COUNT=3000', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR',
    'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=400', 'FREQ=HOURLY;INTERVAL=7;BYDAY=SA;COUNT=900', 'FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU',
    'FREQ=DAILY;BYDAY=MO,WE;COUNT=2500',
  ];
  for (const rule of rules) {
    const m = series(zoned('1995-01-02T09:00:00', NY), zoned('1995-01-02T10:00:00', NY), [rule]);
    const full = expandSeries({ ...input(m, '1995-01-01T00:00:00Z', '2030-01-01T00:00:00Z'), window: { start: new Date('1995-01-01T00:00:00Z'), end: new Date('2030-01-01T00:00:00Z') } });
    for (const [from, to] of [['2018-03-01T00:00:00Z', '2018-04-15T00:00:00Z'], ['2026-10-20T00:00:00Z', '2026-11-20T00:00:00Z']] as const) {
      const want = full.filter((o) => o.startMs < Date.parse(to) && o.endMs > Date.parse(from)).map((o) => o.originalStartKey);
      const got = expandSeries(input(m, from, to)).map((o) => o.originalStartKey);
      if (full.length < 5000) assert.deepEqual(got, want, `${rule} ${from}`);
      else assert.ok(got.length > 0, rule);
    }
  }
});

test('the output is capped', () => {
  const m = series(zoned('2026-01-01T00:00:00', 'UTC'), zoned('2026-01-01T00:00:01', 'UTC'), ['FREQ=MINUTELY']);
  assert.equal(expandSeries(input(m, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).length, 5000);
});

test('an instance produced twice is emitted once; a sink gets what the array gets, EXDATEs and overrides applied', () => {
  const at = (local: string) => zoned(local, BE);
  const moved = event({ originalStart: at('2026-11-05T09:00:00'), start: at('2026-11-05T15:00:00'), end: at('2026-11-05T16:00:00') });
  const cases: Array<[string, ReturnType<typeof series>, ReturnType<typeof event>[]]> = [
    // BYSECOND=60 reads as 59: the rule itself yields each minute's instance twice.
    ['one rule repeating itself', series(at('2026-11-02T09:00:59'), at('2026-11-02T09:01:00'), ['FREQ=MINUTELY;BYSECOND=59,60;COUNT=6']), []],
    ['RDATEs repeating DTSTART and each other', series(at('2026-11-02T09:00:00'), at('2026-11-02T10:00:00'), [], { rdates: [at('2026-11-02T09:00:00'), at('2026-11-03T09:00:00'), at('2026-11-03T09:00:00')] }), []],
    ['two rules sharing days', series(at('2026-11-02T09:00:00'), at('2026-11-02T10:00:00'), ['FREQ=DAILY;COUNT=5', 'FREQ=DAILY;INTERVAL=2;COUNT=3']), []],
    ['EXDATE and a moved instance', series(at('2026-11-02T09:00:00'), at('2026-11-02T10:00:00'), ['FREQ=DAILY;COUNT=5'], { exdates: [at('2026-11-03T09:00:00')] }), [moved]],
  ];
  const want: Record<string, string[]> = {
    'one rule repeating itself': ['08:00:59', '08:01:59', '08:02:59'],
    'RDATEs repeating DTSTART and each other': ['2026-11-02T08', '2026-11-03T08'],
    'two rules sharing days': ['02T08', '03T08', '04T08', '05T08', '06T08'],
    'EXDATE and a moved instance': ['02T08', '04T08', '05T14', '06T08'],
  };
  for (const [name, m, overrides] of cases) {
    const inp = input(m, '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', overrides);
    const array = expandSeries(inp).map((o) => isoZ(o.startMs));
    const sunk: number[] = [];
    expandSeries({ ...inp, sink: (o) => (sunk.push(o.startMs), true) });
    assert.deepEqual(sunk.sort((a, b) => a - b).map(isoZ), array, name);
    assert.equal(new Set(array).size, array.length, `${name}: ${array.join(' ')}`);
    for (const w of want[name]!) assert.ok(array.some((a) => a.includes(w)), `${name}: ${w} missing from ${array.join(' ')}`);
    assert.equal(array.length, want[name]!.length, `${name}: ${array.join(' ')}`);
  }
});

test('a series its budget cuts short says so (it used to end silently); one that finishes does not', () => {
  // Every second for three years: ~94 million occurrences into a sink, far past the work budget.
  const endless = series(zoned('2026-01-01T00:00:00', BE), zoned('2026-01-01T00:00:01', BE), ['FREQ=SECONDLY']);
  const told: string[] = [];
  let seen = 0;
  expandSeries({ ...input(endless, '2026-01-01T00:00:00Z', '2029-01-01T00:00:00Z'), sink: () => (seen++, true), onBudgetExhausted: (b) => void told.push(b) });
  assert.equal(told.length, 1);
  assert.ok(['work', 'time'].includes(told[0]!), told[0]);
  assert.ok(seen > 0 && seen < 94_000_000);
  const fine: string[] = [];
  const daily = series(zoned('2026-01-01T09:00:00', BE), zoned('2026-01-01T10:00:00', BE), ['FREQ=DAILY']);
  expandSeries({ ...input(daily, '2026-01-01T00:00:00Z', '2029-01-01T00:00:00Z'), sink: () => true, onBudgetExhausted: (b) => void fine.push(b) });
  assert.deepEqual(fine, []);
});
