import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestGraph, timed, type TestGraph } from './test-helpers.ts';

describe('Graph emulator: online meetings made by a write', () => {
  let g: TestGraph;
  before(async () => (g = await startTestGraph()));
  after(() => g.emu.close());
  const path = () => `/me/calendars/${g.calendarId}/events`;

  it('isOnlineMeeting makes a Teams meeting that stays; onlineMeeting itself is read-only', async () => {
    const plain = (await g.call('POST', path(), { body: timed('plain', '2026-07-01T10:00:00', '2026-07-01T11:00:00', undefined, { onlineMeeting: { joinUrl: 'https://evil.example/join' } }) })).json;
    assert.equal(plain.isOnlineMeeting, false);
    assert.equal(plain.onlineMeeting, null, 'a client cannot write the join link');
    const ev = (await g.call('POST', path(), { body: timed('call', '2026-07-01T10:00:00', '2026-07-01T11:00:00', undefined, { isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' }) })).json;
    assert.equal(ev.isOnlineMeeting, true);
    assert.equal(ev.onlineMeetingProvider, 'teamsForBusiness');
    assert.match(ev.onlineMeeting.joinUrl, /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    const off = (await g.call('PATCH', `/me/events/${ev.id}`, { body: { isOnlineMeeting: false, subject: 'renamed' } })).json;
    assert.equal(off.onlineMeeting.joinUrl, ev.onlineMeeting.joinUrl, 'Outlook ignores later changes of isOnlineMeeting');
    const later = (await g.call('PATCH', `/me/events/${plain.id}`, { body: { isOnlineMeeting: true } })).json;
    assert.match(later.onlineMeeting.joinUrl, /^https:\/\/teams\.microsoft\.com\//, 'added to an existing event, with the default provider');
    const skype = (await g.call('POST', path(), { body: timed('skype', '2026-07-01T10:00:00', '2026-07-01T11:00:00', undefined, { onlineMeetingProvider: 'skypeForConsumer' }) })).json;
    assert.equal(skype.onlineMeeting, null, 'a provider the calendar does not allow makes none');
  });
});
