/**
 * An invitation in a Microsoft 365 calendar answered through calhub: the owner's response, set with
 * PATCH /v1/events/:id, reaches Graph through its accept / tentativelyAccept / decline actions,
 * the only way Graph sets it (event-accept.md); `sendUpdates=none` answers without telling the
 * organizer. A decline takes the meeting off the Outlook calendar, and the hub follows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventData } from '../../emulators/microsoft/model.ts';
import { pushCalendar, settle } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { storeAndGraph } from '../support/emulator-store.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';

const BOSS = { emailAddress: { address: 'ceo@fabrikam.test', name: 'CEO' } };
const WEEKLY = { pattern: { type: 'weekly' as const, interval: 1, daysOfWeek: ['tuesday'] }, range: { type: 'numbered' as const, startDate: '2026-12-15', numberOfOccurrences: 3 } };
const at = (day: string, time: string) => ({ dateTime: `${day}T${time}`, timeZone: 'UTC' });

describe('an invitation on Microsoft 365 answered through the API', () => {
  const h = storeAndGraph();

  /** A mailbox holding one invitation from BOSS (the owner among its attendees), synced, with the API over it. */
  async function invited(event: Partial<EventData> & { subject: string }, guests: EventData['attendees'] = []) {
    const env = await microsoftModelEnv(h.emu, h.store);
    const cal = env.calendars[0]!;
    const t = h.store.tenant(env.tenantId);
    const providerCal = (await t.calendars.get(cal))!.providerCalendarId;
    const me = (await t.accounts.list())[0]!.externalId;
    const invite = h.emu.control.createEvent({
      userId: me, calendarId: providerCal,
      event: { start: at('2026-12-15', '10:00:00'), end: at('2026-12-15', '11:00:00'), organizer: BOSS, attendees: [{ type: 'required', emailAddress: { address: me } }, ...(guests ?? [])], ...event },
    });
    await settle(env.deps, env.tenantId, [cal]);
    const row = (await t.events.list(cal)).find((r) => r.event.title === event.subject && !r.event.originalStart)!;
    const api = await apiOver<{ error?: unknown }>(env);
    /** The answer the owner gives (`response` on their own attendee entry), as a client sends it. */
    const reply = (response: string, url = `/v1/events/${row.id}`) =>
      api.call('PATCH', url, { attendees: row.event.attendees.map((a) => ({ email: a.email, response: a.self ? response : a.response })) });
    return { env, cal, t, me, invite, row, reply, ...api };
  }
  /** The provider writes since the last clear, as `METHOD last-path-segment status` ($batch reads left out). */
  const writes = () => h.emu.control.requests().filter((q) => q.method !== 'GET' && !q.path.endsWith('/$batch')).map((q) => `${q.method} ${q.path.split('/').pop()} ${q.status}`);

  it('accept, tentative and decline go out as Graph\'s answers, never as a PATCH of the guest list', async () => {
    const s = await invited({ subject: 'Board meeting' }, [{ type: 'required', emailAddress: { address: 'cfo@fabrikam.test' }, status: { response: 'accepted' } }]);
    assert.deepEqual(s.row.event.organizer, { email: 'ceo@fabrikam.test', name: 'CEO' });
    assert.equal(s.row.event.attendees.find((a) => a.self)?.response, 'needsAction');
    const answer = async (response: string, route = '') => {
      const r = route.startsWith('/rsvp')
        ? await s.call('POST', `/v1/events/${s.row.id}${route}`, { response })
        : await s.reply(response, `/v1/events/${s.row.id}${route}`);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      h.emu.control.clearRequests();
      h.emu.control.clearMeetingMessages();
      await settle(s.env.deps, s.env.tenantId, [s.cal]);
      assert.deepEqual(await h.store.db.query('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [s.cal]), [], 'nothing is left to push');
      return { writes: writes(), told: h.emu.control.meetingMessages().map((m) => `${m.meetingMessageType} ${m.to}`) };
    };

    const accepted = await answer('accepted');
    assert.deepEqual(accepted.writes, ['POST accept 202'], 'only the answer: the guest list is the organizer\'s');
    assert.deepEqual(accepted.told, ['meetingAccepted ceo@fabrikam.test']);
    const there = h.emu.control.getEvent({ userId: s.me, id: s.invite.id }) as { responseStatus: { response: string }; attendees: unknown[] };
    assert.equal(there.responseStatus.response, 'accepted');
    assert.equal(there.attendees.length, 2, 'the owner is still on their own copy');
    const stored = (await s.t.events.list(s.cal)).find((r) => r.id === s.row.id)!;
    assert.equal(stored.event.attendees.find((a) => a.self)?.response, 'accepted', 'read back from responseStatus');

    // Through the answer route this time: only the response is sent.
    const quiet = await answer('tentative', '/rsvp?sendUpdates=none');
    assert.deepEqual(quiet.writes, ['POST tentativelyAccept 202']);
    assert.deepEqual(quiet.told, [], 'sendUpdates=none answers without telling the organizer');

    const declined = await answer('declined');
    assert.deepEqual(declined.writes, ['POST decline 202']);
    assert.deepEqual(declined.told, ['meetingDeclined ceo@fabrikam.test']);
    await settle(s.env.deps, s.env.tenantId, [s.cal]);
    assert.equal((await s.t.events.list(s.cal)).find((r) => r.id === s.row.id), undefined, 'Outlook takes a declined meeting off the calendar, and so does the hub');
    await s.app.close();
  });

  it('an invitation declined and edited again before the next pull is never created anew in the owner\'s name', async () => {
    const s = await invited({ subject: 'All hands', start: at('2026-12-16', '10:00:00'), end: at('2026-12-16', '11:00:00') }, [{ type: 'required', emailAddress: { address: 'cfo@fabrikam.test' } }]);
    assert.equal((await s.reply('declined')).status, 200);
    await pushCalendar(s.env.deps, s.env.tenantId, s.cal, 'decline');
    assert.equal((await s.call('PATCH', `/v1/events/${s.row.id}`, { title: 'All hands (skipping)' })).status, 200);
    h.emu.control.clearRequests();
    h.emu.control.clearMeetingMessages();
    await pushCalendar(s.env.deps, s.env.tenantId, s.cal, 'edit').catch(() => undefined);
    const posts = h.emu.control.requests().filter((q) => q.method === 'POST' && q.path.endsWith('/events'));
    assert.deepEqual(posts, [], 'not created again');
    assert.deepEqual(h.emu.control.meetingMessages(), [], 'no one was invited in the owner\'s name');
    assert.match(JSON.stringify((await s.call('GET', `/v1/calendars/${s.cal}/writes`)).json), /cannot create a meeting organized by ceo@fabrikam\.test/);
    await s.app.close();
  });

  // Graph lists no organizer among the attendees: a 1:1 invitation's only attendee is the owner,
  // which the connector's create guard (another attendee to invite) let through.
  for (const order of ['push first', 'pull first'] as const) {
    it(`a 1:1 invitation gone from Outlook and answered here before the next pull stays gone (${order})`, async () => {
      const s = await invited({ subject: 'Skip level', start: at('2026-12-17', '10:00:00'), end: at('2026-12-17', '11:00:00') });
      h.emu.control.deleteEvent({ userId: s.me, id: s.invite.id });
      const r = await s.call('POST', `/v1/events/${s.row.id}/rsvp`, { response: 'accepted' });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      h.emu.control.clearRequests();
      if (order === 'push first') await pushCalendar(s.env.deps, s.env.tenantId, s.cal, 'answer');
      await settle(s.env.deps, s.env.tenantId, [s.cal]);
      const posts = h.emu.control.requests().filter((q) => q.method === 'POST' && q.path.endsWith('/events'));
      assert.deepEqual(posts, [], 'not created again in the owner\'s name');
      assert.equal((await s.t.events.list(s.cal)).some((x) => x.event.title === 'Skip level'), false, 'gone from the hub too');
      assert.deepEqual(await h.store.db.query('SELECT uid FROM outbox WHERE calendar_id = $1', [s.cal]), []);
      const conflicts = await h.store.db.query<{ outcome: string }>('SELECT outcome FROM conflicts WHERE calendar_id = $1', [s.cal]);
      assert.deepEqual(conflicts.map((c) => c.outcome), ['deleted']);
      await s.app.close();
    });
  }

  it('one occurrence of an invited series is answered alone, and a change of the series by the invitee keeps the guest list', async () => {
    const s = await invited({ subject: 'Weekly sync', start: at('2026-12-15', '09:00:00'), end: at('2026-12-15', '09:30:00'), recurrence: WEEKLY });
    const key = '2026-12-22T09:00:00Z';
    const r = await s.call('POST', `/v1/events/${s.row.id}/occurrences/${encodeURIComponent(key)}/rsvp?sendUpdates=none`, { response: 'declined' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    h.emu.control.clearRequests();
    await settle(s.env.deps, s.env.tenantId, [s.cal]);
    assert.deepEqual(writes(), ['POST decline 202']);
    await settle(s.env.deps, s.env.tenantId, [s.cal]);
    const left = (await s.t.events.list(s.cal)).find((x) => x.id === s.row.id)!;
    assert.deepEqual(left.event.recurrence?.exdates, [{ dateTime: key, timeZone: 'UTC' }], 'the declined occurrence is gone from the series');

    const renamed = await s.call('PATCH', `/v1/events/${s.row.id}`, { title: 'Weekly sync (my notes)' });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.json));
    h.emu.control.clearRequests();
    await settle(s.env.deps, s.env.tenantId, [s.cal]);
    assert.equal(h.emu.control.requests().filter((q) => q.method === 'PATCH').length, 1);
    const graphMaster = h.emu.control.getEvent({ userId: s.me, id: left.remoteId! }) as { subject: string; attendees: Array<{ emailAddress: { address: string } }> };
    assert.equal(graphMaster.subject, 'Weekly sync (my notes)');
    assert.deepEqual(graphMaster.attendees.map((a) => a.emailAddress.address), [s.me], 'the owner stays on the guest list');
    await s.app.close();
  });
});
