/* eslint-disable @typescript-eslint/no-explicit-any */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestGraph, timed, type TestGraph } from './test-helpers.ts';

const who = (...emails: string[]) => emails.map((address) => ({ type: 'required', emailAddress: { address } }));
const answers = (ev: any) => Object.fromEntries(ev.attendees.map((a: any) => [a.emailAddress.address, a.status.response]));

describe('Graph emulator: a PATCH of attendees keeps the answers of those who stay', () => {
  let g: TestGraph;
  before(async () => (g = await startTestGraph()));
  after(() => g.emu.close());

  it("adding a guest keeps Bob's acceptance and Jane's decline; the new guests start at none", async () => {
    const ev = (await g.call('POST', `/me/calendars/${g.calendarId}/events`, { body: timed('review', '2026-07-01T10:00:00', '2026-07-01T11:00:00', undefined, { attendees: who('bob@fabrikam.test', 'jane@fabrikam.test') }) })).json;
    // The guests' replies, as Exchange records them.
    g.emu.control.updateEvent({ userId: g.userId, id: ev.id, patch: { attendees: [
      { type: 'required', emailAddress: { address: 'bob@fabrikam.test' }, status: { response: 'accepted', time: '2026-06-20T10:00:00Z' } },
      { type: 'required', emailAddress: { address: 'jane@fabrikam.test' }, status: { response: 'declined', time: '2026-06-20T11:00:00Z' } },
    ] } });
    const r = await g.call('PATCH', `/me/events/${ev.id}`, { body: { attendees: who('Bob@Fabrikam.test', 'jane@fabrikam.test', 'carol@fabrikam.test', 'dan@fabrikam.test') } });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const expected = { 'Bob@Fabrikam.test': 'accepted', 'jane@fabrikam.test': 'declined', 'carol@fabrikam.test': 'none', 'dan@fabrikam.test': 'none' };
    assert.deepEqual(answers(r.json), expected);
    assert.deepEqual(answers((await g.call('GET', `/me/events/${ev.id}`)).json), expected);
    const sent = await g.call('PATCH', `/me/events/${ev.id}`, { body: { attendees: [{ type: 'required', emailAddress: { address: 'jane@fabrikam.test' }, status: { response: 'accepted' } }, { type: 'required', emailAddress: { address: 'erin@fabrikam.test' }, status: { response: 'accepted' } }] } });
    assert.deepEqual(answers(sent.json), { 'jane@fabrikam.test': 'declined', 'erin@fabrikam.test': 'none' }, "an answer is the attendee's to give, not the organizer's to write");
  });
});
