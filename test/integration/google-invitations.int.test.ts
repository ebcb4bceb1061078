/**
 * An invitation in a Google calendar answered through calhub: the attendee's own response, set
 * with PATCH /v1/events/:id, reaches Google. The connector patches an invitee's copy, since an
 * update without the organizer's guest permissions counts as changing them, which Google refuses
 * with 403 forbiddenForNonOrganizer (provider-facts A.4; the emulator does the same).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../api/app.ts';
import { openHub } from '../../hub/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { createMetrics } from '../../shared/metrics.ts';
import { settle } from '../../sync-engine/index.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { storeAndGoogle } from '../support/emulator-store.ts';

describe('an invitation on Google answered through the API', () => {
  const h = storeAndGoogle();

  it('accepting it writes the response to Google and leaves the organizer\'s guest permissions as they were', async () => {
    const { store, emu: google } = h;
    const env = await googleModelEnv(google, store);
    const cal = env.calendars[0]!;
    const providerCal = (await store.tenant(env.tenantId).calendars.get(cal))!.providerCalendarId;
    const me = (await store.tenant(env.tenantId).accounts.list())[0]!.externalId;
    const invite = google.control.inviteEvent(
      providerCal,
      {
        summary: 'Board meeting',
        start: { dateTime: '2026-12-15T10:00:00Z', timeZone: 'UTC' },
        end: { dateTime: '2026-12-15T11:00:00Z', timeZone: 'UTC' },
        guestsCanSeeOtherGuests: false,
        attendees: [{ email: me, responseStatus: 'needsAction' }, { email: 'cfo@corp.test', responseStatus: 'accepted' }],
      },
      { email: 'ceo@corp.test' },
    );
    await settle(env.deps, env.tenantId, [cal]);
    const row = (await store.tenant(env.tenantId).events.byUid(cal, invite.iCalUID!))[0]!;
    assert.deepEqual(row.event.organizer, { email: 'ceo@corp.test', name: null });

    const hub = await openHub({ store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
    const app = await buildApp({ hub, probes: [] });
    const apiKey = await store.tenants.createApiKey(env.tenantId);
    const attendees = row.event.attendees.map((a) => ({ email: a.email, ...(a.self ? { response: 'accepted' } : { response: a.response }) }));
    const r = await app.inject({ method: 'PATCH', url: `/v1/events/${row.id}?sendUpdates=all`, headers: { authorization: `Bearer ${apiKey}` }, payload: { attendees } });
    assert.equal(r.statusCode, 200, r.body);
    await settle(env.deps, env.tenantId, [cal]);
    const writes = google.control.requests().filter((q) => q.method !== 'GET' && q.path.endsWith(`/events/${invite.id}`));
    assert.deepEqual(writes.map((q) => [q.method, q.status]), [['PATCH', 200]], "an invitee's copy is patched, never PUT");
    const at = google.control.getEvent(providerCal, invite.id);
    assert.equal(at.attendees?.find((a) => a.email === me)?.responseStatus, 'accepted');
    assert.equal(at.guestsCanSeeOtherGuests, false, "the organizer's setting is untouched");
    const left = await store.db.query('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [cal]);
    assert.deepEqual(left, [], 'nothing is left to push');
    assert.deepEqual(google.control.guestMail().filter((m) => m.eventId === invite.id).map((m) => [m.kind, m.to]), [['response', 'ceo@corp.test']], 'the organizer hears of the response, no other guest');

    // Declined through the answer route, the attendee list not sent at all: the owner stays known, so the busy policy frees the time.
    const rsvp = await app.inject({ method: 'POST', url: `/v1/events/${row.id}/rsvp`, headers: { authorization: `Bearer ${apiKey}` }, payload: { response: 'declined' } });
    assert.equal(rsvp.statusCode, 200, rsvp.body);
    assert.deepEqual(JSON.parse(rsvp.body).attendees.map((a: { email: string; response: string; self: boolean }) => [a.email, a.response, a.self]), [[me, 'declined', true], ['cfo@corp.test', 'accepted', false]]);
    const fb = await app.inject({ method: 'POST', url: '/v1/freebusy', headers: { authorization: `Bearer ${apiKey}` }, payload: { calendarIds: [cal], timeMin: '2026-12-15T00:00:00Z', timeMax: '2026-12-16T00:00:00Z' } });
    assert.equal(fb.statusCode, 200, fb.body);
    assert.doesNotMatch(fb.body, /2026-12-15T10:00/, 'a declined invitation is free');
    await settle(env.deps, env.tenantId, [cal]);
    assert.equal(google.control.getEvent(providerCal, invite.id).attendees?.find((a) => a.email === me)?.responseStatus, 'declined');

    // The owner's own meeting is not an invitation to answer.
    const own = await app.inject({ method: 'POST', url: `/v1/calendars/${cal}/events`, headers: { authorization: `Bearer ${apiKey}` }, payload: { title: 'Mine', start: { dateTime: '2026-12-17T10:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-17T11:00:00Z', timeZone: 'UTC' }, attendees: [{ email: 'cfo@corp.test' }] } });
    const notInvited = await app.inject({ method: 'POST', url: `/v1/events/${JSON.parse(own.body).id}/rsvp`, headers: { authorization: `Bearer ${apiKey}` }, payload: { response: 'accepted' } });
    assert.equal(notInvited.statusCode, 400);
    assert.equal(JSON.parse(notInvited.body).error.code, 'NOT_INVITED');
    const bad = await app.inject({ method: 'POST', url: `/v1/events/${row.id}/rsvp`, headers: { authorization: `Bearer ${apiKey}` }, payload: { response: 'maybe' } });
    assert.equal(bad.statusCode, 400);
    assert.match(JSON.parse(bad.body).error.message, /accepted, declined, tentative/);
    await app.close();
  });
});
