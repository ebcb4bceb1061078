/* eslint-disable @typescript-eslint/no-explicit-any */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestGraph, timed, type TestGraph } from './test-helpers.ts';

const window = 'startDateTime=2026-11-01T00:00:00Z&endDateTime=2026-12-01T00:00:00Z';
const at = (dateTime: string) => ({ dateTime, timeZone: 'W. Europe Standard Time' });

describe('Graph emulator: an occurrence cannot cross its neighbours (ErrorOccurrenceCrossingBoundary)', () => {
  let g: TestGraph;
  before(async () => {
    g = await startTestGraph();
  });
  after(async () => {
    await g.emu.close();
  });
  // Daily 09:00–10:00 Berlin, 3–6 November.
  const daily = async () => {
    const m = await g.call('POST', `/me/calendars/${g.calendarId}/events`, { body: timed('daily', '2026-11-03T09:00:00', '2026-11-03T10:00:00', 'W. Europe Standard Time', {
      recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2026-11-03', numberOfOccurrences: 4 } },
    }) });
    const inst = await g.call('GET', `/me/events/${m.json.id}/instances?${window}`);
    return inst.json.value.map((o: any) => o.id) as string[];
  };
  const move = (id: string, start: string, end: string) => g.call('PATCH', `/me/events/${id}`, { body: { start: at(start), end: at(end) } });

  it('refuses a move onto or past the next or previous occurrence, and changes nothing', async () => {
    const [, second] = await daily();
    for (const [s, e] of [['2026-11-05T10:00:00', '2026-11-05T11:00:00'], ['2026-11-05T09:00:00', '2026-11-05T10:00:00'], ['2026-11-02T09:00:00', '2026-11-02T10:00:00']]) {
      const r = await move(second!, s!, e!);
      assert.equal(r.status, 400, `${s}: ${JSON.stringify(r.json)}`);
      assert.equal(r.json.error.code, 'ErrorOccurrenceCrossingBoundary');
    }
    const still = await g.call('GET', `/me/events/${second}`);
    assert.equal(still.json.type, 'occurrence', 'no exception was made');
  });

  it('allows a move between its neighbours, even overlapping one of them', async () => {
    const [, second] = await daily();
    const r = await move(second!, '2026-11-05T08:00:00', '2026-11-05T09:30:00');
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.type, 'exception');
  });

  it('counts neighbours where they stand: a moved exception, not a cancelled occurrence', async () => {
    const [, second, third, fourth] = await daily();
    assert.equal((await move(third!, '2026-11-04T20:00:00', '2026-11-04T21:00:00')).status, 200);
    assert.equal((await move(second!, '2026-11-04T21:00:00', '2026-11-04T22:00:00')).json.error.code, 'ErrorOccurrenceCrossingBoundary');
    assert.equal((await g.call('DELETE', `/me/events/${fourth}`)).status, 204);
    assert.equal((await move(third!, '2026-11-06T12:00:00', '2026-11-06T13:00:00')).status, 200, 'the cancelled 6th is no boundary');
  });
});
