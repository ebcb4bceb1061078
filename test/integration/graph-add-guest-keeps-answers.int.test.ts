/**
 * Adding a guest to a meeting on Microsoft 365 through the API (found by an outside user): the
 * connector sends the attendee list without answers (Graph takes none from an organizer), and the
 * emulator replaced the stored list wholesale, so Bob's acceptance and Jane's decline became
 * `none` at Graph and the next pull reported all four needsAction. Exchange keeps the answer of an
 * attendee who stays on the list (emulators/microsoft/attendee-status.ts); calhub must keep it too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settle } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { storeAndGraph } from '../support/emulator-store.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';

type Attendee = { email: string; response: string };
const answers = (list: Attendee[]) => Object.fromEntries(list.map((a) => [a.email.toLowerCase(), a.response]));
const replied = (address: string, response: string) => ({ type: 'required' as const, emailAddress: { address }, status: { response, time: '2026-12-01T09:00:00Z' } });

describe('a guest added to a Microsoft 365 meeting through the API', () => {
  const h = storeAndGraph();

  it("leaves the other guests' answers as they were, at Graph and in calhub", async () => {
    const env = await microsoftModelEnv(h.emu, h.store);
    const cal = env.calendars[0]!;
    const t = h.store.tenant(env.tenantId);
    const providerCal = (await t.calendars.get(cal))!.providerCalendarId;
    const api = await apiOver<{ attendees: Attendee[] }>(env);
    const made = h.emu.control.createEvent({
      userId: env.userId, calendarId: providerCal,
      event: { subject: 'Review', start: { dateTime: '2026-12-15T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-15T11:00:00', timeZone: 'UTC' }, attendees: [replied('bob@fabrikam.test', 'accepted'), replied('jane@fabrikam.test', 'declined')] },
    });
    await settle(env.deps, env.tenantId, [cal]);
    const row = (await t.events.list(cal)).find((r) => r.event.title === 'Review')!;
    assert.deepEqual(answers(row.event.attendees), { 'bob@fabrikam.test': 'accepted', 'jane@fabrikam.test': 'declined' });

    const guests = ['bob@fabrikam.test', 'jane@fabrikam.test', 'carol@fabrikam.test', 'dan@fabrikam.test'].map((email) => ({ email }));
    const r = await api.call('PATCH', `/v1/events/${row.id}`, { attendees: guests });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const expected = { 'bob@fabrikam.test': 'accepted', 'jane@fabrikam.test': 'declined', 'carol@fabrikam.test': 'needsAction', 'dan@fabrikam.test': 'needsAction' };
    assert.deepEqual(answers(r.json.attendees), expected);

    await settle(env.deps, env.tenantId, [cal]);
    const there = h.emu.control.getEvent({ userId: env.userId, id: made.id }) as { attendees: Array<{ emailAddress: { address: string }; status: { response: string } }> };
    assert.deepEqual(Object.fromEntries(there.attendees.map((a) => [a.emailAddress.address, a.status.response])),
      { 'bob@fabrikam.test': 'accepted', 'jane@fabrikam.test': 'declined', 'carol@fabrikam.test': 'none', 'dan@fabrikam.test': 'none' }, 'Graph keeps the answers given');
    // A later listing brings Graph's version back: still the same answers.
    h.emu.control.updateEvent({ userId: env.userId, id: made.id, patch: { subject: 'Review (moved room)' } });
    await settle(env.deps, env.tenantId, [cal]);
    const stored = (await t.events.list(cal)).find((x) => x.id === row.id)!;
    assert.equal(stored.event.title, 'Review (moved room)', 'the later listing was taken');
    assert.deepEqual(answers(stored.event.attendees), expected);
    assert.deepEqual(await h.store.db.query('SELECT fields FROM conflicts WHERE calendar_id = $1', [cal]), [], 'no conflict');
    assert.deepEqual(await h.store.db.query('SELECT uid FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing left to push');
  });
});
