/**
 * recurrenceTimeZone frames only range.startDate/endDate (recurrencerange.md): the hub's reading of
 * a Graph series must give the occurrences the emulator (and Graph) give, near midnight too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandSeries, localToUtcMs } from '../../shared/time/index.ts';
import { fromGraph, type GraphEvent } from './map-microsoft-event.ts';
import { rrulesToPattern } from './map-recurrence.ts';

const owner = 'megan@contoso.test';
// Daily 23:30 Berlin (22:30 UTC) from 2026-11-10, endDate 2026-11-12.
const series = (recurrenceTimeZone?: string, cancelledOccurrences: string[] = []): GraphEvent => ({
  id: 'M', type: 'seriesMaster', subject: 'late', originalStartTimeZone: 'W. Europe Standard Time', originalEndTimeZone: 'W. Europe Standard Time',
  start: { dateTime: '2026-11-10T22:30:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-11-10T22:45:00.0000000', timeZone: 'UTC' },
  recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', startDate: '2026-11-10', endDate: '2026-11-12', ...(recurrenceTimeZone ? { recurrenceTimeZone } : {}) } },
  cancelledOccurrences,
} as GraphEvent);

const starts = (ev: GraphEvent): string[] => {
  const master = fromGraph(ev, { ownerEmail: owner });
  return expandSeries({ master, overrides: [], calendarTimeZone: 'Europe/Berlin', window: { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') } })
    .map((o) => new Date(o.startMs).toISOString().slice(0, 16));
};

describe('Graph recurrenceTimeZone ⇄ canonical recurrence', () => {
  it('keeps the last occurrence when endDate is in the start zone (default and explicit)', () => {
    const want = ['2026-11-10T22:30', '2026-11-11T22:30', '2026-11-12T22:30'];
    assert.deepEqual(starts(series()), want);
    assert.deepEqual(starts(series('W. Europe Standard Time')), want);
  });

  it('drops it when endDate is read in a zone where that start is already the next day', () => {
    assert.deepEqual(starts(series('Tokyo Standard Time')), ['2026-11-10T22:30', '2026-11-11T22:30']);
  });

  it('keeps one more when endDate is read in a zone where that start is still the day before', () => {
    // Daily 00:30 Berlin = 18:30 the evening before in New York: 2026-11-13 00:30 Berlin is 2026-11-12 there.
    const early = { ...series('Eastern Standard Time'), start: { dateTime: '2026-11-09T23:30:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-11-09T23:45:00.0000000', timeZone: 'UTC' } };
    assert.deepEqual(starts(early), ['2026-11-09T23:30', '2026-11-10T23:30', '2026-11-11T23:30', '2026-11-12T23:30']);
    assert.equal(starts({ ...early, recurrence: { ...early.recurrence!, range: { ...early.recurrence!.range, recurrenceTimeZone: undefined } } } as GraphEvent).length, 3);
  });

  it('keeps occurrences at the start zone wall clock and reads cancelledOccurrences dates there', () => {
    const master = fromGraph(series('Tokyo Standard Time', ['OID.M.2026-11-11']), { ownerEmail: owner });
    assert.deepEqual(master.recurrence?.exdates, [{ dateTime: '2026-11-11T22:30:00Z', timeZone: 'Europe/Berlin' }]);
  });

  it('writes an UNTIL earlier in the day than the start as the previous endDate', () => {
    const anchor = { localStart: '2026-11-10T09:00:00', zone: 'Europe/Berlin', allDay: false };
    // 09:00 Berlin on 2026-11-12 is 08:00Z, after UNTIL: RFC 5545 stops on the 11th.
    const early = rrulesToPattern(['FREQ=DAILY;UNTIL=20261112T000000Z'], 0, anchor, 'W. Europe Standard Time');
    assert.equal(early.range.endDate, '2026-11-11');
    const exact = rrulesToPattern([`FREQ=DAILY;UNTIL=${new Date(localToUtcMs('2026-11-12T09:00:00', 'Europe/Berlin')).toISOString().replace(/[-:]|\.\d+/g, '')}`], 0, anchor, 'W. Europe Standard Time');
    assert.equal(exact.range.endDate, '2026-11-12');
    assert.equal(exact.range.recurrenceTimeZone, 'W. Europe Standard Time', 'the range is written in the start zone');
  });

  it('expands a daily 02:30 New York series where the emulator puts it on the spring-forward day (03:30 EDT)', () => {
    const gap = {
      ...series(), originalStartTimeZone: 'Eastern Standard Time', originalEndTimeZone: 'Eastern Standard Time',
      start: { dateTime: '2027-03-13T07:30:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2027-03-13T08:00:00.0000000', timeZone: 'UTC' },
      recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2027-03-13', numberOfOccurrences: 3 } },
    } as GraphEvent;
    const master = fromGraph(gap, { ownerEmail: owner });
    const got = expandSeries({ master, overrides: [], calendarTimeZone: 'America/New_York', window: { start: new Date('2027-03-01T00:00:00Z'), end: new Date('2027-04-01T00:00:00Z') } })
      .map((o) => new Date(o.startMs).toISOString().slice(0, 16));
    // Same three instants as emulators/microsoft/recurrence-zones.test.ts.
    assert.deepEqual(got, ['2027-03-13T07:30', '2027-03-14T07:30', '2027-03-15T06:30']);
  });
});
