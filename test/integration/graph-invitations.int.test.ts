/**
 * An invitation in a Microsoft 365 calendar answered through calhub: the owner's response, set with
 * PATCH /v1/events/:id, reaches Graph through its accept / tentativelyAccept / decline actions,
 * the only way Graph sets it (event-accept.md); `sendUpdates=none` answers without telling the
 * organizer. A decline takes the meeting off the Outlook calendar, and the hub follows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../api/app.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { openHub } from '../../hub/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { createMetrics } from '../../shared/metrics.ts';
import { Store } from '../../shared/store/index.ts';
import { pushCalendar, settle } from '../../sync-engine/index.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';

const BOSS = { emailAddress: { address: 'ceo@fabrikam.test', name: 'CEO' } };
const WEEKLY = { pattern: { type: 'weekly' as const, interval: 1, daysOfWeek: ['tuesday'] }, range: { type: 'numbered' as const, startDate: '2026-12-15', numberOfOccurrences: 3 } };

describe('an invitation on Microsoft 365 answered through the API', () => {
  let store: Store;
  let emu: MicrosoftEmulator;
  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    emu = await startMicrosoftEmulator();
  });
  after(async () => {
    await store.close();
    await emu.close();
  });

  it('accept, tentative and decline go out as Graph\'s answers, never as a PATCH of the guest list', async () => {
    const env = await microsoftModelEnv(emu, store);
    const cal = env.calendars[0]!;
    const t = store.tenant(env.tenantId);
    const providerCal = (await t.calendars.get(cal))!.providerCalendarId;
    const me = (await t.accounts.list())[0]!.externalId;
    const userId = me;
    const invite = emu.control.createEvent({
      userId, calendarId: providerCal,
      event: {
        subject: 'Board meeting', start: { dateTime: '2026-12-15T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-15T11:00:00', timeZone: 'UTC' },
        organizer: BOSS, attendees: [{ type: 'required', emailAddress: { address: me } }, { type: 'required', emailAddress: { address: 'cfo@fabrikam.test' }, status: { response: 'accepted' } }],
      },
    });
    await settle(env.deps, env.tenantId, [cal]);
    const rows = await t.events.list(cal);
    const row = rows.find((r) => r.remoteId !== null && r.event.title === 'Board meeting')!;
    assert.deepEqual(row.event.organizer, { email: 'ceo@fabrikam.test', name: 'CEO' });
    assert.equal(row.event.attendees.find((a) => a.self)?.response, 'needsAction');

    const hub = await openHub({ store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
    const app = await buildApp({ hub, probes: [] });
    const apiKey = await store.tenants.createApiKey(env.tenantId);
    const auth = { authorization: `Bearer ${apiKey}` };
    const answer = async (response: string, query = '') => {
      const attendees = row.event.attendees.map((a) => ({ email: a.email, response: a.self ? response : a.response }));
      const r = await app.inject({ method: 'PATCH', url: `/v1/events/${row.id}${query}`, headers: auth, payload: { attendees } });
      assert.equal(r.statusCode, 200, r.body);
      emu.control.clearRequests();
      emu.control.clearMeetingMessages();
      await settle(env.deps, env.tenantId, [cal]);
      const writes = emu.control.requests().filter((q) => q.method !== 'GET' && !q.path.endsWith('/$batch')).map((q) => `${q.method} ${q.path.split('/').pop()} ${q.status}`);
      const left = await store.db.query('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [cal]);
      assert.deepEqual(left, [], 'nothing is left to push');
      return { writes, told: emu.control.meetingMessages().map((m) => `${m.meetingMessageType} ${m.to}`) };
    };

    const accepted = await answer('accepted');
    assert.deepEqual(accepted.writes, ['POST accept 202'], 'only the answer: the guest list is the organizer\'s');
    assert.deepEqual(accepted.told, ['meetingAccepted ceo@fabrikam.test']);
    const at = emu.control.getEvent({ userId, id: invite.id }) as { responseStatus: { response: string }; attendees: unknown[] };
    assert.equal(at.responseStatus.response, 'accepted');
    assert.equal(at.attendees.length, 2, 'the owner is still on their own copy');
    const stored = (await t.events.list(cal)).find((r) => r.id === row.id)!;
    assert.equal(stored.event.attendees.find((a) => a.self)?.response, 'accepted', 'read back from responseStatus');

    const quiet = await answer('tentative', '?sendUpdates=none');
    assert.deepEqual(quiet.writes, ['POST tentativelyAccept 202']);
    assert.deepEqual(quiet.told, [], 'sendUpdates=none answers without telling the organizer');

    const declined = await answer('declined');
    assert.deepEqual(declined.writes, ['POST decline 202']);
    assert.deepEqual(declined.told, ['meetingDeclined ceo@fabrikam.test']);
    await settle(env.deps, env.tenantId, [cal]);
    assert.equal((await t.events.list(cal)).find((r) => r.id === row.id), undefined, 'Outlook takes a declined meeting off the calendar, and so does the hub');
    await app.close();
  });

  it('an invitation declined and edited again before the next pull is never created anew in the owner\'s name', async () => {
    const env = await microsoftModelEnv(emu, store);
    const cal = env.calendars[0]!;
    const t = store.tenant(env.tenantId);
    const providerCal = (await t.calendars.get(cal))!.providerCalendarId;
    const me = (await t.accounts.list())[0]!.externalId;
    emu.control.createEvent({
      userId: me, calendarId: providerCal,
      event: {
        subject: 'All hands', start: { dateTime: '2026-12-16T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-16T11:00:00', timeZone: 'UTC' },
        organizer: BOSS, attendees: [{ type: 'required', emailAddress: { address: me } }, { type: 'required', emailAddress: { address: 'cfo@fabrikam.test' } }],
      },
    });
    await settle(env.deps, env.tenantId, [cal]);
    const row = (await t.events.list(cal)).find((r) => r.event.title === 'All hands')!;
    const hub = await openHub({ store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
    const app = await buildApp({ hub, probes: [] });
    const auth = { authorization: `Bearer ${await store.tenants.createApiKey(env.tenantId)}` };
    const attendees = row.event.attendees.map((a) => ({ email: a.email, response: a.self ? 'declined' : a.response }));
    assert.equal((await app.inject({ method: 'PATCH', url: `/v1/events/${row.id}`, headers: auth, payload: { attendees } })).statusCode, 200);
    await pushCalendar(env.deps, env.tenantId, cal, 'decline');
    assert.equal((await app.inject({ method: 'PATCH', url: `/v1/events/${row.id}`, headers: auth, payload: { title: 'All hands (skipping)' } })).statusCode, 200);
    emu.control.clearRequests();
    emu.control.clearMeetingMessages();
    await pushCalendar(env.deps, env.tenantId, cal, 'edit').catch(() => undefined);
    const posts = emu.control.requests().filter((q) => q.method === 'POST' && q.path.endsWith('/events'));
    assert.deepEqual(posts, [], 'not created again');
    assert.deepEqual(emu.control.meetingMessages(), [], 'no one was invited in the owner\'s name');
    const writes = await app.inject({ method: 'GET', url: `/v1/calendars/${cal}/writes`, headers: auth });
    assert.match(writes.body, /cannot create a meeting organized by ceo@fabrikam\.test/);
    await app.close();
  });

  it('one occurrence of an invited series is answered alone, and a change of the series by the invitee keeps the guest list', async () => {
    const env = await microsoftModelEnv(emu, store);
    const cal = env.calendars[0]!;
    const t = store.tenant(env.tenantId);
    const providerCal = (await t.calendars.get(cal))!.providerCalendarId;
    const me = (await t.accounts.list())[0]!.externalId;
    emu.control.createEvent({
      userId: me, calendarId: providerCal,
      event: {
        subject: 'Weekly sync', start: { dateTime: '2026-12-15T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-15T09:30:00', timeZone: 'UTC' },
        organizer: BOSS, attendees: [{ type: 'required', emailAddress: { address: me } }], recurrence: WEEKLY,
      },
    });
    await settle(env.deps, env.tenantId, [cal]);
    const master = (await t.events.list(cal)).find((r) => r.event.recurrence)!;
    const hub = await openHub({ store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
    const app = await buildApp({ hub, probes: [] });
    const auth = { authorization: `Bearer ${await store.tenants.createApiKey(env.tenantId)}` };
    const key = '2026-12-22T09:00:00Z';
    const attendees = master.event.attendees.map((a) => ({ email: a.email, response: a.self ? 'declined' : a.response }));
    const r = await app.inject({ method: 'PATCH', url: `/v1/events/${master.id}/occurrences/${encodeURIComponent(key)}?sendUpdates=none`, headers: auth, payload: { attendees } });
    assert.equal(r.statusCode, 200, r.body);
    emu.control.clearRequests();
    await settle(env.deps, env.tenantId, [cal]);
    const writes = emu.control.requests().filter((q) => q.method !== 'GET' && !q.path.endsWith('/$batch')).map((q) => `${q.method} ${q.path.split('/').pop()} ${q.status}`);
    assert.deepEqual(writes, ['POST decline 202']);
    await settle(env.deps, env.tenantId, [cal]);
    const left = (await t.events.list(cal)).find((x) => x.id === master.id)!;
    assert.deepEqual(left.event.recurrence?.exdates, [{ dateTime: key, timeZone: 'UTC' }], 'the declined occurrence is gone from the series');

    const renamed = await app.inject({ method: 'PATCH', url: `/v1/events/${master.id}`, headers: auth, payload: { title: 'Weekly sync (my notes)' } });
    assert.equal(renamed.statusCode, 200, renamed.body);
    emu.control.clearRequests();
    await settle(env.deps, env.tenantId, [cal]);
    const patch = emu.control.requests().filter((q) => q.method === 'PATCH');
    assert.equal(patch.length, 1);
    const graphMaster = emu.control.getEvent({ userId: me, id: left.remoteId! }) as { subject: string; attendees: Array<{ emailAddress: { address: string } }> };
    assert.equal(graphMaster.subject, 'Weekly sync (my notes)');
    assert.deepEqual(graphMaster.attendees.map((a) => a.emailAddress.address), [me], 'the owner stays on the guest list');
    await app.close();
  });
});
