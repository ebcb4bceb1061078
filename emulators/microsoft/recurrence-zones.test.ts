/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Where occurrences land: range.recurrenceTimeZone is the zone of startDate/endDate only
 * (recurrencerange.md), and a wall time in a DST gap moves forward by the gap, as Outlook shows it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestGraph, timed, type TestGraph } from './test-helpers.ts';

const window = 'startDateTime=2026-10-01T00:00:00Z&endDateTime=2027-04-01T00:00:00Z';

describe('Graph emulator: recurrence time zones and DST gaps', () => {
  let g: TestGraph;
  before(async () => {
    g = await startTestGraph();
  });
  after(async () => {
    await g.emu.close();
  });
  const starts = async (body: unknown): Promise<string[]> => {
    const created = await g.call('POST', `/me/calendars/${g.calendarId}/events`, { body });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const inst = await g.call('GET', `/me/events/${created.json.id}/instances?${window}&$top=50`);
    return inst.json.value.map((o: any) => o.start.dateTime.slice(0, 16));
  };
  // Daily 23:30 in Berlin (22:30 UTC, 17:30 New York). endDate 2026-11-12.
  const lateBerlin = (recurrenceTimeZone?: string) => timed('late', '2026-11-10T23:30:00', '2026-11-10T23:45:00', 'W. Europe Standard Time', {
    recurrence: {
      pattern: { type: 'daily', interval: 1 },
      range: { type: 'endDate', startDate: '2026-11-10', endDate: '2026-11-12', ...(recurrenceTimeZone ? { recurrenceTimeZone } : {}) },
    },
  });

  it('keeps the wall-clock start in the start zone whatever recurrenceTimeZone says', async () => {
    const got = await starts(lateBerlin('Eastern Standard Time'));
    assert.ok(got.every((s) => s.endsWith('T22:30')), `every occurrence at 23:30 Berlin (22:30 UTC): ${got}`);
  });

  it('reads endDate in recurrenceTimeZone, defaulting to the start zone', async () => {
    assert.deepEqual(await starts(lateBerlin()), ['2026-11-10T22:30', '2026-11-11T22:30', '2026-11-12T22:30']);
    // In Tokyo 23:30 Berlin is 07:30 the next day: the 2026-11-12 occurrence starts on the 13th there, so it is out.
    assert.deepEqual(await starts(lateBerlin('Tokyo Standard Time')), ['2026-11-10T22:30', '2026-11-11T22:30']);
    // 00:30 Berlin is 18:30 the day before in New York: 2026-11-13 00:30 Berlin is still 2026-11-12 there, so it is in.
    const early = (tz?: string) => timed('early', '2026-11-10T00:30:00', '2026-11-10T00:45:00', 'W. Europe Standard Time', {
      recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', startDate: '2026-11-10', endDate: '2026-11-12', ...(tz ? { recurrenceTimeZone: tz } : {}) } },
    });
    assert.equal((await starts(early())).length, 3);
    assert.deepEqual((await starts(early('Eastern Standard Time'))).at(-1), '2026-11-12T23:30');
  });

  it('places an occurrence in a spring-forward gap one hour later (02:30 New York → 03:30 EDT)', async () => {
    const got = await starts(timed('gap', '2027-03-13T02:30:00', '2027-03-13T03:00:00', 'Eastern Standard Time', {
      recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2027-03-13', numberOfOccurrences: 3 } },
    }));
    // 07:30 UTC before the change (EST), 07:30 UTC on the day (03:30 EDT), 06:30 UTC after (02:30 EDT).
    assert.deepEqual(got, ['2027-03-13T07:30', '2027-03-14T07:30', '2027-03-15T06:30']);
  });
});
