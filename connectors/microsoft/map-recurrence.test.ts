import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import { expandSeries, localToUtcMs } from '../../shared/time/index.ts';
import { occurrenceDates, type PatternedRecurrence } from '../../emulators/microsoft/recurrence.ts';
import { UnsupportedError } from '../errors.ts';
import { patternToRrule, rrulesToPattern, type GraphRecurrence, type SeriesAnchor } from './map-recurrence.ts';

const berlin = (localStart: string): SeriesAnchor => ({ localStart, zone: 'Europe/Berlin', allDay: false });
const range = (startDate: string, extra: Partial<GraphRecurrence['range']> = {}) => ({ type: 'noEnd' as const, startDate, ...extra });

/** [pattern, anchor, RRULE] — read gives the RRULE, writing the RRULE gives the pattern back. */
const table: Array<[string, GraphRecurrence, SeriesAnchor, string]> = [
  ['daily every 2 days, 5 times', { pattern: { type: 'daily', interval: 2 }, range: range('2026-11-02', { type: 'numbered', numberOfOccurrences: 5 }) }, berlin('2026-11-02T09:00:00'), 'FREQ=DAILY;INTERVAL=2;COUNT=5'],
  ['weekly Monday and Wednesday', { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'wednesday'], firstDayOfWeek: 'monday' }, range: range('2026-11-02') }, berlin('2026-11-02T09:00:00'), 'FREQ=WEEKLY;BYDAY=MO,WE'],
  ['fortnightly with a Sunday week start', { pattern: { type: 'weekly', interval: 2, daysOfWeek: ['friday'], firstDayOfWeek: 'sunday' }, range: range('2026-11-06') }, berlin('2026-11-06T09:00:00'), 'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;WKST=SU'],
  ['monthly on the 15th until a date (UNTIL in UTC)', { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 15 }, range: range('2026-11-15', { type: 'endDate', endDate: '2027-03-15' }) }, berlin('2026-11-15T09:00:00'), 'FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270315T080000Z'],
  ['second Tuesday', { pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['tuesday'], index: 'second' }, range: range('2026-11-10') }, berlin('2026-11-10T09:00:00'), 'FREQ=MONTHLY;BYDAY=2TU'],
  ['last weekday of the month', { pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], index: 'last' }, range: range('2026-11-30') }, berlin('2026-11-30T09:00:00'), 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'],
  ['every 1 March', { pattern: { type: 'absoluteYearly', interval: 1, month: 3, dayOfMonth: 1 }, range: range('2027-03-01') }, berlin('2027-03-01T09:00:00'), 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1'],
  ['fourth Thursday of November', { pattern: { type: 'relativeYearly', interval: 1, month: 11, daysOfWeek: ['thursday'], index: 'fourth' }, range: range('2026-11-26') }, berlin('2026-11-26T09:00:00'), 'FREQ=YEARLY;BYMONTH=11;BYDAY=4TH'],
  ['all-day until a date (UNTIL as DATE)', { pattern: { type: 'daily', interval: 1 }, range: range('2026-12-24', { type: 'endDate', endDate: '2026-12-31' }) }, { localStart: '2026-12-24T00:00:00', zone: 'Europe/Berlin', allDay: true }, 'FREQ=DAILY;UNTIL=20261231'],
];

describe('patternedRecurrence ⇄ RRULE', () => {
  for (const [name, rec, anchor, rrule] of table) {
    it(`reads ${name}`, () => assert.equal(patternToRrule(rec, anchor), rrule));
    it(`writes ${name}`, () => {
      const back = rrulesToPattern([rrule], 0, anchor, 'W. Europe Standard Time');
      assert.equal(patternToRrule(back, anchor), rrule);
      assert.equal(back.pattern.type, rec.pattern.type);
      assert.equal(back.range.startDate, rec.range.startDate);
    });
  }

  describe('dayOfMonth 29–31 in months without that day (UNCONFIRMED, provider-facts §E): both readings', () => {
    const expand = (rrule: string, localStart: string, count: number) => {
      const utc = (local: string) => `${new Date(localToUtcMs(local, 'Europe/Berlin')).toISOString().slice(0, 19)}Z`;
      const master = parseEvent({
        uid: 'dom@calhub.test', start: { dateTime: utc(localStart), timeZone: 'Europe/Berlin' }, end: { dateTime: utc(localStart.replace('T09', 'T10')), timeZone: 'Europe/Berlin' },
        recurrence: { rrules: [`${rrule};COUNT=${count}`], exdates: [], rdates: [] },
      });
      return expandSeries({ master, overrides: [], calendarTimeZone: 'Europe/Berlin', window: { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2030-01-01T00:00:00Z') } })
        .map((o) => new Date(o.startMs).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' }));
    };
    const monthly31: GraphRecurrence = { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }, range: range('2027-01-31') };
    const anchor = berlin('2027-01-31T09:00:00');

    it('skip (RFC 5545, the default and the emulator\'s): months without a 31st have no occurrence', () => {
      const rrule = patternToRrule(monthly31, anchor, 'skip');
      assert.equal(rrule, 'FREQ=MONTHLY;BYMONTHDAY=31');
      assert.equal(patternToRrule(monthly31, anchor), rrule, 'skip is the default');
      assert.deepEqual(expand(rrule, '2027-01-31T09:00:00', 4), ['2027-01-31', '2027-03-31', '2027-05-31', '2027-07-31']);
      const emulated = occurrenceDates(monthly31 as unknown as PatternedRecurrence, '2027-08-01');
      assert.deepEqual(emulated.slice(0, 4), ['2027-01-31', '2027-03-31', '2027-05-31', '2027-07-31'], 'the emulator plays the same reading');
    });

    it('lastDay (Outlook\'s wording): the occurrence falls on the last day of a short month', () => {
      const rrule = patternToRrule(monthly31, anchor, 'lastDay');
      assert.equal(rrule, 'FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1');
      assert.deepEqual(expand(rrule, '2027-01-31T09:00:00', 5), ['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31']);
      const the30th = patternToRrule({ pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 30 }, range: range('2027-01-30') }, berlin('2027-01-30T09:00:00'), 'lastDay');
      assert.deepEqual(expand(the30th, '2027-01-30T09:00:00', 3), ['2027-01-30', '2027-02-28', '2027-03-30'], 'the 30th stays the 30th in long months');
      const leap = patternToRrule({ pattern: { type: 'absoluteYearly', interval: 1, month: 2, dayOfMonth: 29 }, range: range('2028-02-29') }, berlin('2028-02-29T09:00:00'), 'lastDay');
      assert.deepEqual(expand(leap, '2028-02-29T09:00:00', 2), ['2028-02-29', '2029-02-28']);
      assert.equal(patternToRrule({ pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 15 }, range: range('2027-01-15') }, berlin('2027-01-15T09:00:00'), 'lastDay'), 'FREQ=MONTHLY;BYMONTHDAY=15', 'days up to 28 are the same in both');
    });
  });

  it('writes DAILY;BYDAY as a weekly pattern', () => {
    const p = rrulesToPattern(['FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR'], 0, berlin('2026-11-02T09:00:00'), 'UTC');
    assert.equal(p.pattern.type, 'weekly');
    assert.deepEqual(p.pattern.daysOfWeek, ['monday', 'tuesday', 'wednesday', 'thursday', 'friday']);
  });

  const unsupported: Array<[string, string[], number, string?]> = [
    ['an RDATE', ['FREQ=WEEKLY;BYDAY=MO'], 1],
    ['two RRULEs', ['FREQ=WEEKLY;BYDAY=MO', 'FREQ=MONTHLY;BYMONTHDAY=2'], 0],
    ['FREQ=HOURLY', ['FREQ=HOURLY;INTERVAL=4'], 0],
    ['BYHOUR', ['FREQ=DAILY;BYHOUR=9,17'], 0],
    ['BYSETPOS 5', ['FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=5'], 0],
    ['two BYSETPOS values', ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1,3'], 0],
    ['a negative BYMONTHDAY', ['FREQ=MONTHLY;BYMONTHDAY=-1'], 0],
    ['several BYMONTHDAY values', ['FREQ=MONTHLY;BYMONTHDAY=2,16'], 0],
    ['mixed BYDAY ordinals', ['FREQ=MONTHLY;BYDAY=1MO,3MO'], 0],
    ['BYWEEKNO', ['FREQ=YEARLY;BYWEEKNO=45'], 0],
    ['BYYEARDAY', ['FREQ=YEARLY;BYYEARDAY=306'], 0],
    ['a start that is not an occurrence', ['FREQ=WEEKLY;BYDAY=TU'], 0],
    ['DAILY;INTERVAL=2 with BYDAY', ['FREQ=DAILY;INTERVAL=2;BYDAY=MO'], 0],
  ];
  for (const [name, rrules, rdates] of unsupported) {
    it(`refuses ${name} with UnsupportedError`, () => {
      assert.throws(() => rrulesToPattern(rrules, rdates, berlin('2026-11-02T09:00:00'), 'UTC'), (e: unknown) => {
        assert.ok(e instanceof UnsupportedError);
        assert.match(e.message, /Microsoft Graph cannot store the recurrence/);
        return true;
      });
    });
  }

  it('gives the same dates as the emulator expands for every table pattern (Graph semantics = RRULE semantics)', () => {
    for (const [name, rec, anchor, rrule] of table) {
      const allDay = anchor.allDay;
      const startMs = localToUtcMs(anchor.localStart, anchor.zone);
      const master = parseEvent({
        uid: 'x', start: allDay ? { date: anchor.localStart.slice(0, 10) } : { dateTime: new Date(startMs).toISOString(), timeZone: anchor.zone },
        end: allDay ? { date: '2026-12-25' } : { dateTime: new Date(startMs + 3_600_000).toISOString(), timeZone: anchor.zone },
        recurrence: { rrules: [rrule] },
      });
      const occ = expandSeries({ master, overrides: [], calendarTimeZone: 'Europe/Berlin', window: { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2029-01-01T00:00:00Z') } });
      const got = occ.map((o) => new Date(o.startMs).toLocaleDateString('sv', { timeZone: 'Europe/Berlin' }));
      const want = occurrenceDates(rec as PatternedRecurrence, '2028-12-31');
      assert.deepEqual(got, want, name);
    }
  });
});
