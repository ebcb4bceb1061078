/**
 * A PATCH of `attendees` that leaves out `response` (adding one guest to a meeting, say) keeps each
 * re-sent guest's answer: the schema's default reset every acceptance to needsAction, which a
 * CalDAV server then stored as PARTSTAT=NEEDS-ACTION (found by an outside user). A response sent
 * is taken as sent; a new guest starts at needsAction.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { at, call, ev, json, seed, startTestApi, type TestApi } from './test-support.ts';

type Attendee = { email: string; response: string; self?: boolean };
type Saved = { id: string; attendees: Attendee[] };
const answers = (e: Saved) => Object.fromEntries(e.attendees.map((a) => [a.email, a.response]));

describe('attendees sent back without their responses', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  const guests = [
    { email: 'me@example.com', self: true, response: 'accepted' as const },
    { email: 'Carol@example.com', response: 'accepted' as const },
    { email: 'dan@example.com', response: 'declined' as const },
  ];

  it('an event PATCH adding a guest keeps the others\' answers (addresses matched without case)', async () => {
    await seed(api.store, api.a.id, api.a.calendarId, ev({ uid: 'plan', start: at('2026-11-20T09:00:00Z'), end: at('2026-11-20T10:00:00Z'), attendees: guests }));
    const [row] = await api.store.tenant(api.a.id).events.byUid(api.a.calendarId, 'plan');
    const r = await call(api, 'PATCH', `/v1/events/${row!.id}`, {
      body: { attendees: [{ email: 'me@example.com' }, { email: 'carol@example.com' }, { email: 'dan@example.com' }, { email: 'erin@example.com' }] },
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(answers(json<Saved>(r)), { 'me@example.com': 'accepted', 'carol@example.com': 'accepted', 'dan@example.com': 'declined', 'erin@example.com': 'needsAction' });
    const reset = await call(api, 'PATCH', `/v1/events/${row!.id}`, { body: { attendees: [{ email: 'me@example.com' }, { email: 'carol@example.com', response: 'needsAction' }] } });
    assert.equal(reset.statusCode, 200, reset.body);
    assert.deepEqual(answers(json<Saved>(reset)), { 'me@example.com': 'accepted', 'carol@example.com': 'needsAction' }, 'a response sent is taken');
  });

  it('an occurrence PATCH does the same', async () => {
    await seed(api.store, api.a.id, api.a.calendarId, ev({ uid: 'weekly', start: at('2026-11-09T09:00:00Z'), end: at('2026-11-09T09:30:00Z'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] }, attendees: guests }));
    const [series] = await api.store.tenant(api.a.id).events.byUid(api.a.calendarId, 'weekly');
    const r = await call(api, 'PATCH', `/v1/events/${series!.id}/occurrences/2026-11-16T09:00:00Z`, {
      body: { attendees: [{ email: 'me@example.com' }, { email: 'carol@example.com' }, { email: 'frank@example.com' }] },
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(answers(json<Saved>(r)), { 'me@example.com': 'accepted', 'carol@example.com': 'accepted', 'frank@example.com': 'needsAction' });
  });
});
