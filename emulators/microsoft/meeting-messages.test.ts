import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestGraph, timed, type TestGraph } from './test-helpers.ts';

const who = (...emails: string[]) => emails.map((address) => ({ type: 'required', emailAddress: { address } }));

describe('Graph emulator: meeting messages of an organizer\'s writes', () => {
  let g: TestGraph;
  before(async () => (g = await startTestGraph()));
  after(() => g.emu.close());
  beforeEach(() => g.emu.control.clearMeetingMessages());
  const sent = () => g.emu.control.meetingMessages().map((m) => `${m.meetingMessageType} ${m.to}`).sort();
  const path = () => `/me/calendars/${g.calendarId}/events`;

  it('a create sends requests; an update sends them again and cancels a removed attendee; a delete cancels', async () => {
    const ev = (await g.call('POST', path(), { body: timed('review', '2026-07-01T10:00:00', '2026-07-01T11:00:00', undefined, { attendees: who('bob@fabrikam.test', 'adele@contoso.test') }) })).json;
    assert.deepEqual(sent(), ['meetingRequest bob@fabrikam.test'], 'never the organizer herself');
    g.emu.control.clearMeetingMessages();
    await g.call('PATCH', `/me/events/${ev.id}`, { body: { attendees: who('carol@fabrikam.test') } });
    assert.deepEqual(sent(), ['meetingCancelled bob@fabrikam.test', 'meetingRequest carol@fabrikam.test']);
    g.emu.control.clearMeetingMessages();
    await g.call('DELETE', `/me/events/${ev.id}`);
    assert.deepEqual(sent(), ['meetingCancelled carol@fabrikam.test']);
  });

  it('one occurrence deleted cancels that occurrence; an event without attendees or organized by someone else sends nothing', async () => {
    const series = (await g.call('POST', path(), {
      body: timed('weekly', '2026-11-02T09:00:00', '2026-11-02T09:30:00', undefined, {
        attendees: who('bob@fabrikam.test'),
        recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2026-11-02', numberOfOccurrences: 3 } },
      }),
    })).json;
    g.emu.control.clearMeetingMessages();
    const occ = (await g.call('GET', `/me/events/${series.id}/instances?startDateTime=2026-11-01T00:00:00Z&endDateTime=2026-12-01T00:00:00Z`)).json.value;
    await g.call('DELETE', `/me/events/${occ[1].id}`);
    assert.deepEqual(g.emu.control.meetingMessages().map((m) => [m.eventId, m.meetingMessageType]), [[occ[1].id, 'meetingCancelled']]);
    g.emu.control.clearMeetingMessages();
    await g.call('POST', path(), { body: timed('alone', '2026-07-02T10:00:00', '2026-07-02T11:00:00') });
    await g.call('POST', path(), { body: timed('invited', '2026-07-03T10:00:00', '2026-07-03T11:00:00', undefined, { organizer: { emailAddress: { address: 'boss@fabrikam.test' } }, attendees: who('adele@contoso.test', 'bob@fabrikam.test') }) });
    assert.deepEqual(sent(), []);
  });
});
