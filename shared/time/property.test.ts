import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import rrule from 'rrule';
import { expandSeries } from './index.ts';
import { input, isoZ, series } from './test-support.ts';

const { rrulestr } = rrule;

// rrule.js (no tzid, UTC only) is the reference for simple rules; DTSTART is moved onto the
// rule's first instance because rrule.js does not add an unsynchronized DTSTART (RFC 5545 does).
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const compact = (ms: number): string => isoZ(ms).replace(/[-:]/g, '');

// Rules that match at least once a year: rrule.js runs to year 9999 (minutes) on one that
// never matches, even inside between(), so BYSETPOS only picks from weekday sets of a month/year
// and BYMONTHDAY with BYMONTH only uses days every month has.
const ruleArb = fc
  .record({
    freq: fc.constantFrom('YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY'),
    interval: fc.integer({ min: 1, max: 3 }),
    dayFilter: fc.constantFrom('none', 'byDay', 'byMonthDay'),
    byDay: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }),
    ordinal: fc.option(fc.constantFrom(1, 2, -1, -2), { nil: undefined }),
    byMonthDay: fc.uniqueArray(fc.constantFrom(1, 5, 15, 28, -1, -3), { minLength: 1, maxLength: 2 }),
    byMonth: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    // Sorted: rrule.js orders BYHOUR instances (and so BYSETPOS) as written, RFC 5545 by time.
    byHour: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 2 }).map((h) => h.sort((a, b) => a - b)), { nil: undefined }),
    bySetPos: fc.option(fc.constantFrom(1, -1, 2), { nil: undefined }),
    end: fc.constantFrom('none', 'count', 'until'),
    count: fc.integer({ min: 1, max: 60 }),
    wkst: fc.constantFrom('MO', 'SU'),
  })
  .map((r) => {
    const parts = [`FREQ=${r.freq}`, `INTERVAL=${r.interval}`, `WKST=${r.wkst}`];
    const periodic = r.freq === 'MONTHLY' || r.freq === 'YEARLY';
    if (r.dayFilter === 'byDay' || r.freq === 'WEEKLY') {
      const ord = periodic && r.ordinal !== undefined && r.bySetPos === undefined ? r.ordinal : '';
      parts.push(`BYDAY=${r.byDay.map((d) => `${ord}${DAYS[d]}`).join(',')}`);
      if (periodic && r.bySetPos !== undefined) parts.push(`BYSETPOS=${r.bySetPos}`);
    } else if (r.dayFilter === 'byMonthDay' && r.freq !== 'HOURLY') {
      parts.push(`BYMONTHDAY=${r.byMonthDay.join(',')}`);
    }
    if (r.byMonth && r.freq !== 'HOURLY') parts.push(`BYMONTH=${r.byMonth.join(',')}`);
    if (r.byHour && r.freq !== 'HOURLY') parts.push(`BYHOUR=${r.byHour.join(',')}`);
    return { parts, end: r.end, count: r.count };
  });

test('expandSeries agrees with rrule.js on random UTC rules', () => {
  fc.assert(
    fc.property(
      ruleArb,
      fc.integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2026, 0, 1) / 1000 }),
      fc.integer({ min: 0, max: 400 }),
      fc.integer({ min: 1, max: 90 }),
      (r, dtSec, windowOffsetDays, windowDays) => {
        const rough = dtSec * 1000;
        // between() with an upper bound: after() runs to year 9999 on a rule that never matches.
        const first = rrulestr(`DTSTART:${compact(rough)}\nRRULE:${r.parts.join(';')}`)
          .between(new Date(rough), new Date(rough + 4 * 365 * 86_400_000), true, (_d, i) => i < 1)[0];
        if (first === undefined) return;
        const dt = first.getTime();
        const parts = [...r.parts];
        if (r.end === 'count') parts.push(`COUNT=${r.count}`);
        if (r.end === 'until') parts.push(`UNTIL=${compact(dt + r.count * 9 * 86_400_000)}`);
        const ref = rrulestr(`DTSTART:${compact(dt)}\nRRULE:${parts.join(';')}`);
        const check = ref.between(new Date(dt), new Date(dt + 4 * 365 * 86_400_000), true, (_d, i) => i < 1)[0];
        if (check?.getTime() !== dt) return; // DTSTART not on the rule
        const ws = dt + windowOffsetDays * 86_400_000 - 30 * 86_400_000;
        const we = ws + windowDays * 86_400_000;
        const want = ref
          .between(new Date(ws), new Date(we), true)
          .map((d) => d.getTime())
          .filter((t) => t >= ws && t < we)
          .sort((a, b) => a - b) // rrule.js keeps BYHOUR=1,0 in the order written
          .map(isoZ);
        const at = { dateTime: isoZ(dt), timeZone: 'UTC' };
        const got = expandSeries(input(series(at, at, [parts.join(';')]), isoZ(ws), isoZ(we))).map((o) => isoZ(o.startMs));
        assert.deepEqual(got, want, parts.join(';'));
      },
    ),
    { numRuns: 250 },
  );
});
