import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { expandSeries, resolveZone } from './index.ts';
import { event, input, isoZ, series, zoned } from './test-support.ts';
import type { ExpandInput } from './types.ts';

// Hand translations of test/fixtures/ics (copied from the handbook's fixtures), independent of the iCalendar parser.
const FIXTURES = new URL('../../test/fixtures/ics/expected', import.meta.url).pathname;
const FROM = '2026-10-01T00:00:00Z';
const TO = '2027-01-01T00:00:00Z';

function expected(name: string): { start: string; end: string }[] {
  const json = JSON.parse(readFileSync(`${FIXTURES}/${name}.json`, 'utf8')) as { busy: { start: string; end: string }[] };
  return json.busy.map((b) => ({ start: b.start, end: b.end }));
}

function actual(inp: ExpandInput): { start: string; end: string }[] {
  return expandSeries(inp).map((o) => ({ start: isoZ(o.startMs), end: isoZ(o.endMs) }));
}

test('daily-until-across-dst-newyork', () => {
  const ny = 'America/New_York';
  const master = series(zoned('2026-10-28T08:30:00', ny), zoned('2026-10-28T09:00:00', ny), [
    'FREQ=DAILY;UNTIL=20261106T133000Z',
  ]);
  assert.deepEqual(actual(input(master, FROM, TO)), expected('daily-until-across-dst-newyork'));
});

test('weekly-exdate-override-berlin', () => {
  const be = 'Europe/Berlin';
  const master = series(zoned('2026-11-02T09:00:00', be), zoned('2026-11-02T10:00:00', be), ['FREQ=WEEKLY;COUNT=10'], {
    exdates: [zoned('2026-11-09T09:00:00', be)],
  });
  const moved = event({
    originalStart: zoned('2026-11-16T09:00:00', be),
    start: zoned('2026-11-16T14:00:00', be),
    end: zoned('2026-11-16T15:00:00', be),
  });
  const occ = expandSeries(input(master, FROM, TO, [moved]));
  assert.deepEqual(actual(input(master, FROM, TO, [moved])), expected('weekly-exdate-override-berlin'));
  assert.equal(occ.filter((o) => o.isOverride).length, 1);
  assert.equal(occ[1]?.originalStartKey, '2026-11-16T08:00:00Z');
});

test('monthly-last-weekday-bysetpos', () => {
  const master = series(
    { dateTime: '2026-01-30T16:00:00Z', timeZone: 'UTC' },
    { dateTime: '2026-01-30T17:00:00Z', timeZone: 'UTC' },
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'],
  );
  assert.deepEqual(actual(input(master, FROM, TO)), expected('monthly-last-weekday-bysetpos'));
});

test('outlook-windows-tzid (zone resolved from the Windows name)', () => {
  const zone = resolveZone('W. Europe Standard Time')!;
  const master = series(zoned('2026-11-04T13:00:00', zone), zoned('2026-11-04T14:30:00', zone), ['FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=4']);
  assert.deepEqual(actual(input(master, FROM, TO)), expected('outlook-windows-tzid'));
});

test('rdate-and-duration', () => {
  const master = series({ dateTime: '2026-11-03T15:00:00Z', timeZone: 'UTC' }, { dateTime: '2026-11-03T15:45:00Z', timeZone: 'UTC' }, [], {
    rdates: [{ dateTime: '2026-11-05T15:00:00Z', timeZone: 'UTC' }, { dateTime: '2026-11-19T17:00:00Z', timeZone: 'UTC' }],
  });
  assert.deepEqual(actual(input(master, FROM, TO)), expected('rdate-and-duration'));
});

test('all-day-multi-day', () => {
  const single = event({ start: { date: '2026-11-18' }, end: { date: '2026-11-21' } });
  assert.deepEqual(actual(input(single, FROM, TO)), expected('all-day-multi-day'));
});
