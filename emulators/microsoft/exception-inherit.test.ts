/* eslint-disable @typescript-eslint/no-explicit-any */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deltaRound, startTestGraph, timed, type TestGraph } from './test-helpers.ts';

const window = 'startDateTime=2026-11-01T00:00:00Z&endDateTime=2026-12-01T00:00:00Z';
const at = (dateTime: string) => ({ dateTime, timeZone: 'W. Europe Standard Time' });

describe('Graph emulator: a series master change reaches exceptions that do not override the field (MS-OXOCAL OverrideFlags)', () => {
  let g: TestGraph;
  before(async () => {
    g = await startTestGraph();
  });
  after(async () => {
    await g.emu.close();
  });

  it('a rename: the moved exception takes the new subject, the retitled one keeps its own; both come again in delta', async () => {
    const m = await g.call('POST', `/me/calendars/${g.calendarId}/events`, { body: timed('Weekly sync', '2026-11-02T09:00:00', '2026-11-02T10:00:00', 'W. Europe Standard Time', {
      location: { displayName: 'Room 1' },
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2026-11-02', numberOfOccurrences: 4 } },
    }) });
    const [, second, third] = (await g.call('GET', `/me/events/${m.json.id}/instances?${window}`)).json.value.map((o: any) => o.id) as string[];
    assert.equal((await g.call('PATCH', `/me/events/${second}`, { body: { start: at('2026-11-09T14:00:00'), end: at('2026-11-09T15:00:00') } })).status, 200);
    assert.equal((await g.call('PATCH', `/me/events/${third}`, { body: { subject: 'Board' } })).status, 200);
    const round = await deltaRound(g, `/me/calendars/${g.calendarId}/calendarView/delta?${window}`);
    const movedKey = (await g.call('GET', `/me/events/${second}`)).json.changeKey;

    assert.equal((await g.call('PATCH', `/me/events/${m.json.id}`, { body: { subject: 'Team sync', location: { displayName: 'Room 2' } } })).status, 200);
    const view = (await g.call('GET', `/me/calendars/${g.calendarId}/calendarView?${window}`)).json.value as any[];
    assert.deepEqual(view.map((e) => `${e.start.dateTime.slice(5, 16)} ${e.type} ${e.subject} @ ${e.location.displayName}`), [
      '11-02T08:00 occurrence Team sync @ Room 2',
      '11-09T13:00 exception Team sync @ Room 2',
      '11-16T08:00 exception Board @ Room 2',
      '11-23T08:00 occurrence Team sync @ Room 2',
    ]);
    const moved = (await g.call('GET', `/me/events/${second}`)).json;
    assert.notEqual(moved.changeKey, movedKey, 'the exception changed, so did its changeKey');
    const next = await deltaRound(g, round.deltaLink);
    const exceptions = next.items.filter((i: any) => i.type === 'exception').map((i: any) => i.subject).sort();
    assert.deepEqual(exceptions, ['Board', 'Team sync'], 'delta carries both exceptions as they now are');
  });
});
