import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { deltaRound, startTestGraph, timed, type TestGraph } from './test-helpers.ts';

const who = (...emails: string[]) => emails.map((address) => ({ type: 'required' as const, emailAddress: { address } }));
const BOSS = { emailAddress: { address: 'boss@fabrikam.test', name: 'Boss' } };

describe('Graph emulator: answering an invitation (accept, tentativelyAccept, decline)', () => {
  let g: TestGraph;
  before(async () => (g = await startTestGraph()));
  after(() => g.emu.close());
  beforeEach(() => g.emu.control.clearMeetingMessages());
  const invite = (subject: string, extra: Record<string, unknown> = {}) =>
    g.emu.control.createEvent({ userId: g.userId, event: { ...timed(subject, '2026-07-01T10:00:00', '2026-07-01T11:00:00'), organizer: BOSS, attendees: who('adele@contoso.test', 'bob@fabrikam.test'), ...extra } }).id;

  it('accept sets the mailbox\'s response, answers 202 with no body and tells the organizer; a PATCH cannot set it', async () => {
    const id = invite('review');
    const before = (await g.call('GET', `/me/events/${id}`)).json;
    assert.equal(before.isOrganizer, false);
    assert.equal(before.responseStatus.response, 'none');
    await g.call('PATCH', `/me/events/${id}`, { body: { responseStatus: { response: 'accepted' } } });
    assert.equal((await g.call('GET', `/me/events/${id}`)).json.responseStatus.response, 'none', 'responseStatus is read-only');

    const r = await g.call('POST', `/me/events/${id}/accept`, { body: { comment: 'see you', sendResponse: true } });
    assert.equal(r.status, 202);
    assert.equal(r.json, null);
    const after = (await g.call('GET', `/me/calendars/${g.calendarId}/events/${id}`)).json;
    assert.equal(after.responseStatus.response, 'accepted');
    assert.notEqual(after.changeKey, before.changeKey, 'an answer is a change');
    assert.deepEqual(g.emu.control.meetingMessages().map((m) => [m.meetingMessageType, m.to]), [['meetingAccepted', 'boss@fabrikam.test']]);

    g.emu.control.clearMeetingMessages();
    assert.equal((await g.call('POST', `/me/calendars/${g.calendarId}/events/${id}/tentativelyAccept`, { body: { sendResponse: false } })).status, 202);
    assert.equal((await g.call('GET', `/me/events/${id}`)).json.responseStatus.response, 'tentativelyAccepted');
    assert.deepEqual(g.emu.control.meetingMessages(), [], 'sendResponse false tells no one');
  });

  it('decline takes the meeting off the calendar, and delta reports it removed', async () => {
    const id = invite('declined');
    const first = await deltaRound(g, `/me/calendars/${g.calendarId}/calendarView/delta?startDateTime=2026-06-01T00:00:00Z&endDateTime=2026-08-01T00:00:00Z`);
    assert.ok(first.items.some((i: { id: string }) => i.id === id));
    assert.equal((await g.call('POST', `/me/events/${id}/decline`, { body: {} })).status, 202);
    assert.equal((await g.call('GET', `/me/events/${id}`)).status, 404);
    const next = await deltaRound(g, first.deltaLink);
    assert.deepEqual(next.items.map((i: { id: string; '@removed'?: unknown }) => [i.id, Boolean(i['@removed'])]), [[id, true]]);
    assert.deepEqual(g.emu.control.meetingMessages().map((m) => m.meetingMessageType), ['meetingDeclined'], 'sendResponse defaults to true');
  });

  it('one occurrence answered alone: accept makes it an exception, decline cancels it', async () => {
    const id = invite('weekly', {
      start: { dateTime: '2026-11-02T09:00:00', timeZone: 'W. Europe Standard Time' }, end: { dateTime: '2026-11-02T09:30:00', timeZone: 'W. Europe Standard Time' },
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2026-11-02', numberOfOccurrences: 3 } },
    });
    const list = async () => (await g.call('GET', `/me/events/${id}/instances?startDateTime=2026-11-01T00:00:00Z&endDateTime=2026-12-01T00:00:00Z`)).json.value;
    const occ = await list();
    assert.equal((await g.call('POST', `/me/events/${occ[0].id}/accept`, { body: { sendResponse: false } })).status, 202);
    assert.equal((await g.call('POST', `/me/events/${occ[2].id}/decline`, { body: { sendResponse: false } })).status, 202);
    const now = await list();
    assert.deepEqual(now.map((o: { type: string; responseStatus: { response: string } }) => [o.type, o.responseStatus.response]), [['exception', 'accepted'], ['occurrence', 'none']]);
    assert.equal((await g.call('GET', `/me/events/${id}`)).json.responseStatus.response, 'none', 'the series is unanswered');
  });

  it('refuses the organizer, a bad sendResponse and a proposed time that is not sent', async () => {
    const own = (await g.call('POST', `/me/calendars/${g.calendarId}/events`, { body: timed('mine', '2026-07-02T10:00:00', '2026-07-02T11:00:00', undefined, { attendees: who('bob@fabrikam.test') }) })).json.id;
    g.emu.control.clearMeetingMessages();
    const mine = await g.call('POST', `/me/events/${own}/accept`, { body: {} });
    assert.equal(mine.status, 400);
    assert.equal(mine.json.error.code, 'ErrorInvalidRequest');
    assert.match(mine.json.error.message, /you're the meeting organizer/);
    const id = invite('bad');
    assert.equal((await g.call('POST', `/me/events/${id}/accept`, { body: { sendResponse: 'yes' } })).status, 400);
    const slot = { start: { dateTime: '2026-07-01T12:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-07-01T13:00:00', timeZone: 'UTC' } };
    const quiet = await g.call('POST', `/me/events/${id}/decline`, { body: { sendResponse: false, proposedNewTime: slot } });
    assert.equal(quiet.status, 400);
    assert.equal((await g.call('GET', `/me/events/${id}`)).status, 200, 'a refused decline leaves the meeting');
    assert.equal((await g.call('POST', '/me/events/AAMkAGnope/accept', { body: {} })).status, 404);
    assert.deepEqual(g.emu.control.meetingMessages(), []);
  });
});
