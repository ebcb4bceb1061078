/**
 * RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 §3.2.13, §3.8.4.4): the override's content and move
 * apply to every later occurrence. Expected values are the fixture's hand-computed busy times
 * (connectors/caldav/ical/fixtures/weekly-range-thisandfuture-berlin.json); the weekly dates under them
 * come from `rrule`, an implementation independent of calhub's expander.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import rrule from 'rrule';
import { busyStatusOf } from '../model/index.ts';
import { expandSeries } from './index.ts';
import { event, input, isoZ, series, zoned } from './test-support.ts';

const BE = 'Europe/Berlin';
const FROM = '2026-10-01T00:00:00Z';
const TO = '2027-01-01T00:00:00Z';
const EXPECTED = new URL('../../connectors/caldav/ical/fixtures/weekly-range-thisandfuture-berlin.json', import.meta.url);

/** The fixture's VEVENTs, translated by hand (no iCalendar parser involved). */
function fixture() {
  const master = series(zoned('2026-10-05T09:00:00', BE), zoned('2026-10-05T10:00:00', BE), ['FREQ=WEEKLY;COUNT=10'], {
    exdates: [zoned('2026-11-09T09:00:00', BE)],
  });
  const later = event({
    originalStart: zoned('2026-10-19T09:00:00', BE), start: zoned('2026-10-19T10:30:00', BE), end: zoned('2026-10-19T11:15:00', BE),
    title: 'Standup (later)', location: 'Room B', thisAndFuture: true,
  });
  const oneOff = event({
    originalStart: zoned('2026-11-16T09:00:00', BE), start: zoned('2026-11-17T14:00:00', BE), end: zoned('2026-11-17T15:00:00', BE), title: 'Standup (one-off)',
  });
  const tentative = event({
    originalStart: zoned('2026-11-30T09:00:00', BE), start: zoned('2026-11-30T09:00:00', BE), end: zoned('2026-11-30T10:00:00', BE),
    title: 'Standup (tentative)', status: 'tentative', thisAndFuture: true,
  });
  return { master: { ...master, title: 'Standup', location: 'Room A' }, overrides: [later, oneOff, tentative] };
}

test('the hand-computed expectation stands on rrule\'s weekly dates', () => {
  // Floating wall times (as UTC) of the master's rule: the dates the expectation moves.
  const walls = new rrule.RRule({ freq: rrule.RRule.WEEKLY, count: 10, dtstart: new Date('2026-10-05T09:00:00Z') }).all().map((d) => d.toISOString().slice(5, 10));
  assert.deepEqual(walls, ['10-05', '10-12', '10-19', '10-26', '11-02', '11-09', '11-16', '11-23', '11-30', '12-07']);
  const busy = (JSON.parse(readFileSync(EXPECTED, 'utf8')) as { busy: { start: string }[] }).busy.map((b) => b.start.slice(5, 10));
  // Minus the EXDATE (11-09), with 11-16 moved to 11-17 by its own override.
  assert.deepEqual(busy, walls.filter((d) => d !== '11-09').map((d) => (d === '11-16' ? '11-17' : d)));
});

test('a RANGE=THISANDFUTURE override moves and changes every later occurrence, up to the next range override', () => {
  const { master, overrides } = fixture();
  const occ = expandSeries(input(master, FROM, TO, overrides));
  const expected = (JSON.parse(readFileSync(EXPECTED, 'utf8')) as { busy: { start: string; end: string; status: string }[] }).busy;
  assert.deepEqual(occ.map((o) => ({ start: isoZ(o.startMs), end: isoZ(o.endMs), status: busyStatusOf(o.event) })), expected.map(({ start, end, status }) => ({ start, end, status })));
  assert.deepEqual(occ.map((o) => o.event.title), [
    'Standup', 'Standup', 'Standup (later)', 'Standup (later)', 'Standup (later)', 'Standup (one-off)', 'Standup (later)', 'Standup (tentative)', 'Standup (tentative)',
  ]);
  assert.deepEqual(occ.map((o) => o.event.location), ['Room A', 'Room A', 'Room B', 'Room B', 'Room B', null, 'Room B', null, null]);
  // Each occurrence keeps the key of its original start; a moved one is a regular occurrence (of the master's row).
  const oct26 = occ[3]!;
  assert.equal(oct26.originalStartKey, '2026-10-26T08:00:00Z');
  assert.equal(oct26.isOverride, false);
  assert.deepEqual([oct26.event.originalStart, oct26.event.start, oct26.event.end, oct26.event.thisAndFuture], [
    { dateTime: '2026-10-26T08:00:00Z', timeZone: BE }, { dateTime: '2026-10-26T09:30:00Z', timeZone: BE }, { dateTime: '2026-10-26T10:15:00Z', timeZone: BE }, undefined,
  ]);
});

test('an occurrence moved into the window from outside it is found', () => {
  const { master, overrides } = fixture();
  // Dec 7 09:00 (original) is before this window; moved by nothing it would not be in it, so
  // move the last range override by a day and look only at Dec 8.
  const moved = overrides.map((o) => (o.title === 'Standup (tentative)' ? { ...o, start: zoned('2026-12-01T09:00:00', BE), end: zoned('2026-12-01T10:00:00', BE) } : o));
  const occ = expandSeries(input(master, '2026-12-08T00:00:00Z', '2026-12-09T00:00:00Z', moved));
  assert.deepEqual(occ.map((o) => [isoZ(o.startMs), o.originalStartKey]), [['2026-12-08T08:00:00Z', '2026-12-07T08:00:00Z']]);
});

test('a cancelled RANGE=THISANDFUTURE override cancels the rest of the series', () => {
  const { master } = fixture();
  const cut = event({ originalStart: zoned('2026-11-23T09:00:00', BE), start: zoned('2026-11-23T09:00:00', BE), end: zoned('2026-11-23T10:00:00', BE), status: 'cancelled', thisAndFuture: true });
  const occ = expandSeries(input(master, FROM, TO, [cut]));
  assert.deepEqual(occ.map((o) => isoZ(o.startMs).slice(5, 10)), ['10-05', '10-12', '10-19', '10-26', '11-02', '11-16']);
});

test('the busy index\'s sink gets the moved occurrences too', () => {
  const { master, overrides } = fixture();
  const got: string[] = [];
  expandSeries({ ...input(master, FROM, TO, overrides), sink: (o) => (got.push(`${isoZ(o.startMs)} ${o.rangeKey ?? ''}`), true) });
  assert.ok(got.includes('2026-10-26T09:30:00Z 2026-10-19T07:00:00Z'));
  assert.ok(got.includes('2026-12-07T08:00:00Z 2026-11-30T08:00:00Z'));
  assert.equal(got.length, 9);
});
