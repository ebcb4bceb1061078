/**
 * A series written to Graph must mean what it meant: for each rule, either rrulesToPattern refuses
 * it (UnsupportedError) or the pattern the emulator expands (as Graph does, provider-facts B.3)
 * gives exactly the dates calhub's own expander gives — no lost or extra instance, the last one
 * included, across zones far from UTC.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import { expandSeries, localToUtcMs } from '../../shared/time/index.ts';
import { occurrenceDates, type PatternedRecurrence } from '../../emulators/microsoft/recurrence.ts';
import { UnsupportedError } from '../errors.ts';
import { rrulesToPattern, type SeriesAnchor } from './map-recurrence.ts';

const WINDOW = { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2029-01-01T00:00:00Z') };

/** The series' occurrence dates as calhub expands the RRULE (in the series zone; all-day: the dates). */
function canonicalDates(rrule: string, a: SeriesAnchor): string[] {
  const day = a.localStart.slice(0, 10);
  const startMs = localToUtcMs(a.localStart, a.zone);
  const master = parseEvent({
    uid: 'meaning@calhub.test',
    start: a.allDay ? { date: day } : { dateTime: new Date(startMs).toISOString(), timeZone: a.zone },
    end: a.allDay ? { date: new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) } : { dateTime: new Date(startMs + 3_600_000).toISOString(), timeZone: a.zone },
    recurrence: { rrules: [rrule] },
  });
  return expandSeries({ master, overrides: [], calendarTimeZone: a.zone, window: WINDOW })
    .map((o) => new Date(o.startMs).toLocaleDateString('sv-SE', { timeZone: a.zone }));
}

/** What Graph (the emulator) expands from what calhub writes; null: refused. */
function graphDates(rrule: string, a: SeriesAnchor): string[] | null {
  try {
    const rec = rrulesToPattern([rrule], 0, a, 'written-in-the-series-zone');
    return occurrenceDates(rec as unknown as PatternedRecurrence, '2028-12-31');
  } catch (e) {
    if (e instanceof UnsupportedError) return null;
    throw e;
  }
}

const at = (zone: string, localStart: string, allDay = false): SeriesAnchor => ({ localStart, zone, allDay });

const cases: Array<[string, string, SeriesAnchor]> = [
  // 1. UNTIL's value type differs from the start's.
  ['all-day, UNTIL a DATE-TIME that is already the next day in Auckland', 'FREQ=DAILY;UNTIL=20270131T120000Z', at('Pacific/Auckland', '2027-01-27T00:00:00', true)],
  ['all-day, UNTIL a DATE-TIME that is still the day before in Los Angeles', 'FREQ=DAILY;UNTIL=20270131T050000Z', at('America/Los_Angeles', '2027-01-27T00:00:00', true)],
  ['all-day weekly, UNTIL a DATE-TIME late in the UTC day', 'FREQ=WEEKLY;BYDAY=SU;UNTIL=20270131T235959Z', at('Pacific/Auckland', '2027-01-03T00:00:00', true)],
  ['timed, UNTIL a DATE (the whole last day, series zone)', 'FREQ=DAILY;UNTIL=20270131', at('Pacific/Auckland', '2027-01-27T08:00:00')],
  ['timed late evening, UNTIL a DATE', 'FREQ=DAILY;UNTIL=20270131', at('America/Los_Angeles', '2027-01-27T23:30:00')],
  ['timed, UNTIL in UTC on the previous UTC day', 'FREQ=DAILY;UNTIL=20270130T200000Z', at('Pacific/Auckland', '2027-01-27T08:00:00')],
  ['timed, UNTIL in UTC on the next UTC day', 'FREQ=DAILY;UNTIL=20270201T060000Z', at('America/Los_Angeles', '2027-01-27T21:00:00')],
  ['timed, floating UNTIL earlier in the day than the start', 'FREQ=DAILY;UNTIL=20270131T070000', at('Europe/Berlin', '2027-01-27T09:00:00')],
  ['timed, floating UNTIL at the start time', 'FREQ=DAILY;UNTIL=20270131T090000', at('Europe/Berlin', '2027-01-27T09:00:00')],
  // 2. Rules Graph's pattern cannot say, or says only in part.
  ['YEARLY;BYDAY=1MO (the first Monday of the year) from a November start', 'FREQ=YEARLY;BYDAY=1MO;COUNT=3', at('Europe/Berlin', '2026-11-02T09:00:00')],
  ['YEARLY;BYMONTHDAY without BYMONTH (every month)', 'FREQ=YEARLY;BYMONTHDAY=2;COUNT=3', at('Europe/Berlin', '2026-11-02T09:00:00')],
  ['MONTHLY;BYDAY=1MO,1TU (two a month)', 'FREQ=MONTHLY;BYDAY=1MO,1TU;COUNT=4', at('Europe/Berlin', '2026-11-02T09:00:00')],
  ['COUNT with a relative monthly rule whose start is another week', 'FREQ=MONTHLY;BYDAY=2MO;COUNT=3', at('Europe/Berlin', '2026-11-02T09:00:00')],
  ['BYSETPOS with a start that is another position', 'FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2;COUNT=3', at('Europe/Berlin', '2026-11-02T09:00:00')],
  ['relative yearly whose start is another week', 'FREQ=YEARLY;BYMONTH=11;BYDAY=-1MO;COUNT=2', at('Europe/Berlin', '2026-11-02T09:00:00')],
  ['BYSETPOS with one weekday', 'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1;COUNT=3', at('Europe/Berlin', '2026-11-30T09:00:00')],
  ['second of Monday/Tuesday', 'FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2;COUNT=4', at('Europe/Berlin', '2026-11-03T09:00:00')],
  ['last weekend day', 'FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=-1;UNTIL=20270601T000000Z', at('America/Los_Angeles', '2026-11-29T10:00:00')],
  ['relative monthly with COUNT', 'FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE;COUNT=4', at('Pacific/Auckland', '2026-11-18T07:00:00')],
  ['DAILY;BYDAY weekdays', 'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=7', at('Europe/Berlin', '2026-11-02T09:00:00')],
  ['BYMONTH list', 'FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=1', at('Europe/Berlin', '2027-03-01T09:00:00')],
  ['MONTHLY;BYMONTHDAY list', 'FREQ=MONTHLY;BYMONTHDAY=1,15', at('Europe/Berlin', '2027-03-01T09:00:00')],
  ['HOURLY', 'FREQ=HOURLY;INTERVAL=6;COUNT=8', at('Europe/Berlin', '2027-03-01T09:00:00')],
];

describe('a series written to Graph keeps its meaning or is refused', () => {
  for (const [name, rrule, anchor] of cases) {
    it(name, () => {
      const graph = graphDates(rrule, anchor);
      if (graph === null) return; // refused: the copy is not written (a refusal its rule shows)
      assert.deepEqual(graph, canonicalDates(rrule, anchor), `${rrule} at ${anchor.localStart} ${anchor.zone}`);
    });
  }

  it('refuses what it cannot say rather than writing another series', () => {
    for (const rrule of ['FREQ=YEARLY;BYDAY=1MO;COUNT=3', 'FREQ=YEARLY;BYMONTHDAY=2;COUNT=3', 'FREQ=MONTHLY;BYDAY=1MO,1TU;COUNT=4', 'FREQ=MONTHLY;BYDAY=2MO;COUNT=3']) {
      assert.equal(graphDates(rrule, at('Europe/Berlin', '2026-11-02T09:00:00')), null, rrule);
    }
  });

  it('still writes the forms Graph holds (no needless refusal)', () => {
    for (const [name, rrule, anchor] of cases.filter(([n]) => !/^(YEARLY|MONTHLY;BYDAY=1MO|COUNT with|BYSETPOS with a start|relative yearly whose|BYMONTH list|MONTHLY;BYMONTHDAY list|HOURLY)/.test(n))) {
      assert.notEqual(graphDates(rrule, anchor), null, name);
    }
  });
});
