/**
 * `sendUpdates` on the API's event writes reaches the provider with the push: Google mails the
 * guests it names (the emulator records who), and on CalDAV `none` is written as
 * SCHEDULE-AGENT=CLIENT (Radicale stores it as sent). Writes pushed together take the widest.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCaldavConnector } from '../../connectors/caldav/index.ts';
import { PreconditionFailedError } from '../../connectors/index.ts';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import { parseEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { settle } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { davContext } from '../support/caldav-harness.ts';
import { authHeader, makeCalendar, startRadicale, startXandikos, type DavServer } from '../support/dav-servers.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { apiOver as apiOverEnv } from '../support/api-over.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

// The answers' shapes are the API's; these tests read a few fields of them.
type Reply = { id: string; error: { code: string; message: string } };
const apiOver = (env: ModelEnv) => apiOverEnv<Reply>(env);

const meeting = (title: string, day: string, extra: Record<string, unknown> = {}) => ({
  title,
  start: { dateTime: `${day}T10:00:00Z`, timeZone: 'UTC' },
  end: { dateTime: `${day}T11:00:00Z`, timeZone: 'UTC' },
  attendees: [{ email: 'bob@outside.test' }, { email: 'grace@example.com' }],
  ...extra,
});

describe('sendUpdates on event writes', () => {
  let store: Store;
  let google: RunningGoogleEmulator;
  let radicale: DavServer;
  let xandikos: DavServer;
  let ms: MicrosoftEmulator;
  before(async () => {
    ms = await startMicrosoftEmulator();
    store = await openTestStore();
    await store.migrate();
    google = await startGoogleEmulator();
    google.control.createUser({ email: 'grace@example.com', timeZone: 'UTC' });
    radicale = await startRadicale();
    xandikos = await startXandikos();
  });
  after(async () => {
    await store.close();
    await google.close();
    await radicale.stop();
    await xandikos.stop();
    await ms.close();
  });

  it('Google: the API default invites every guest, none is quiet, externalOnly skips Google users, a delete tells of the cancellation', async () => {
    const env = await googleModelEnv(google, store);
    const { app, call } = await apiOver(env);
    const cal = env.calendars[0]!;
    const push = () => settle(env.deps, env.tenantId, [cal]);
    const mail = () => {
      const m = google.control.guestMail().map((x) => `${x.kind} ${x.to}`).sort();
      google.control.clearGuestMail();
      return m;
    };
    google.control.clearGuestMail();

    const made = await call('POST', `/v1/calendars/${cal}/events`, meeting('Kick-off', '2026-12-14'));
    assert.equal(made.status, 201, JSON.stringify(made.json));
    await push();
    assert.deepEqual(mail(), ['invitation bob@outside.test', 'invitation grace@example.com']);

    assert.equal((await call('PATCH', `/v1/events/${made.json.id}?sendUpdates=none`, { title: 'Kick-off (room B)' })).status, 200);
    await push();
    assert.deepEqual(mail(), [], 'none: nobody is told');

    assert.equal((await call('PATCH', `/v1/events/${made.json.id}?sendUpdates=externalOnly`, { location: 'Room C' })).status, 200);
    await push();
    assert.deepEqual(mail(), ['update bob@outside.test'], 'externalOnly: only the guest who is not a Google user');

    assert.equal((await call('DELETE', `/v1/events/${made.json.id}`)).status, 204);
    await push();
    assert.deepEqual(mail(), ['cancellation bob@outside.test', 'cancellation grace@example.com']);

    // A quiet create and a default edit before the push are one insert: the invitation stands.
    const quiet = await call('POST', `/v1/calendars/${cal}/events?sendUpdates=none`, meeting('Booked', '2026-12-15'));
    assert.equal((await call('PATCH', `/v1/events/${quiet.json.id}?sendUpdates=all`, { title: 'Booked (confirmed)' })).status, 200);
    await push();
    assert.deepEqual(mail(), ['invitation bob@outside.test', 'invitation grace@example.com']);
    // ...and a create asking for invitations keeps them when a quiet edit follows before the push.
    const loud = await call('POST', `/v1/calendars/${cal}/events`, meeting('Review', '2026-12-16'));
    assert.equal((await call('PATCH', `/v1/events/${loud.json.id}?sendUpdates=none`, { description: 'agenda' })).status, 200);
    await push();
    assert.deepEqual(mail(), ['invitation bob@outside.test', 'invitation grace@example.com']);

    // One occurrence cancelled quietly, another moved with updates: only the moved one is mailed.
    const series = await call('POST', `/v1/calendars/${cal}/events?sendUpdates=none`, meeting('Standup', '2026-12-21', { recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } }));
    await push();
    assert.equal((await call('DELETE', `/v1/events/${series.json.id}/occurrences/2026-12-22T10:00:00Z?sendUpdates=none`)).status, 204);
    await push();
    assert.deepEqual(mail(), []);
    const moved = await call('PATCH', `/v1/events/${series.json.id}/occurrences/2026-12-23T10:00:00Z`, { start: { dateTime: '2026-12-23T14:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-23T15:00:00Z', timeZone: 'UTC' } });
    assert.equal(moved.status, 200, JSON.stringify(moved.json));
    await push();
    assert.deepEqual(mail(), ['update bob@outside.test', 'update grace@example.com']);

    const bad = await call('POST', `/v1/calendars/${cal}/events?sendUpdates=everyone`, meeting('Typo', '2026-12-17'));
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.message, 'querystring.sendUpdates must be equal to one of the allowed values: none, externalOnly, all');
    assert.equal((await call('POST', `/v1/calendars/${cal}/events?sendupdates=none`, meeting('Typo', '2026-12-17'))).status, 400, 'a misspelt parameter is refused, not ignored');
    await app.close();
  });

  it('Microsoft Graph: Exchange sends the meeting messages whatever sendUpdates says (Graph has no quiet write)', async () => {
    const env = await microsoftModelEnv(ms, store);
    const { app, call } = await apiOver(env);
    const cal = env.calendars[0]!;
    const sent = () => {
      const m = ms.control.meetingMessages().map((x) => `${x.meetingMessageType} ${x.to}`).sort();
      ms.control.clearMeetingMessages();
      return m;
    };
    ms.control.clearMeetingMessages();
    const made = await call('POST', `/v1/calendars/${cal}/events?sendUpdates=none`, meeting('Quiet?', '2026-12-14'));
    assert.equal(made.status, 201, JSON.stringify(made.json));
    await settle(env.deps, env.tenantId, [cal]);
    assert.deepEqual(sent(), ['meetingRequest bob@outside.test', 'meetingRequest grace@example.com']);
    assert.equal((await call('DELETE', `/v1/events/${made.json.id}?sendUpdates=none`)).status, 204);
    await settle(env.deps, env.tenantId, [cal]);
    assert.deepEqual(sent(), ['meetingCancelled bob@outside.test', 'meetingCancelled grace@example.com']);
    await app.close();
  });

  for (const kind of ['Radicale', 'Xandikos'] as const) {
    it(`CalDAV (${kind}): none is written as SCHEDULE-AGENT=CLIENT on the organizer and every attendee; the default leaves the server to schedule`, async () => {
      const server = kind === 'Radicale' ? radicale : xandikos;
      const env = await davModelEnv(server, store);
      const { app, call } = await apiOver(env);
      const cal = env.calendars[0]!;
      const stored = async (eventId: string) => {
        await settle(env.deps, env.tenantId, [cal]);
        const row = await store.tenant(env.tenantId).events.get(eventId);
        assert.ok(row?.remoteId, 'pushed');
        const r = await fetch(new URL(row.remoteId, server.url), { headers: authHeader(server) });
        assert.equal(r.status, 200);
        return (await r.text()).replace(/\r\n[ \t]/g, '');
      };
      const made = await call('POST', `/v1/calendars/${cal}/events?sendUpdates=none`, meeting('Quiet', '2026-12-14', { organizer: { email: 'owner@example.com' } }));
      assert.equal(made.status, 201, JSON.stringify(made.json));
      const quiet = await stored(made.json.id);
      // Both servers store the parameters sorted; X-CALHUB-AGENT marks them as calhub's to take back.
      assert.match(quiet, /^ORGANIZER[^:\r\n]*;SCHEDULE-AGENT=CLIENT[;:][^\r\n]*mailto:owner@example.com/m);
      assert.match(quiet, /^ORGANIZER[^:\r\n]*;X-CALHUB-AGENT=CLIENT[;:]/m);
      assert.equal(quiet.match(/^ATTENDEE[^:\r\n]*;SCHEDULE-AGENT=CLIENT[;:]/gm)?.length, 2, quiet);

      assert.equal((await call('PATCH', `/v1/events/${made.json.id}`, { title: 'Now told' })).status, 200);
      const told = await stored(made.json.id);
      assert.match(told, /SUMMARY:Now told/);
      assert.doesNotMatch(told, /SCHEDULE-AGENT/);
      const again = await settle(env.deps, env.tenantId, [cal]);
      assert.equal(again.written, 0, 'reading the parameter back is no change');
      await app.close();
    });

    it(`CalDAV (${kind}): a quiet delete of a meeting written with the default first writes it with SCHEDULE-AGENT=CLIENT, then deletes that version, where the server may schedule`, async () => {
      const server = kind === 'Radicale' ? radicale : xandikos;
      const sent: string[] = [];
      const recording: typeof fetch = async (input, init) => {
        const agent = typeof init?.body === 'string' && init.body.includes('SCHEDULE-AGENT=CLIENT') ? ' quiet' : '';
        sent.push(`${init?.method ?? 'GET'}${agent}`);
        return fetch(input, init);
      };
      const connector = createCaldavConnector({ serverUrl: server.homeUrl, fetch: recording });
      const ctx = davContext(server);
      const url = await makeCalendar(server, `quiet-${Math.random().toString(36).slice(2, 8)}`);
      const cal = (await connector.listCalendars(ctx)).find((c) => c.providerCalendarId === url || c.providerCalendarId.endsWith(new URL(url).pathname))!;
      const ref = { providerCalendarId: cal.providerCalendarId, timeZone: 'UTC' };
      const event = (uid: string, attendees: Array<{ email: string }>) =>
        parseEvent({ uid, title: uid, start: { dateTime: '2026-12-14T10:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-14T11:00:00Z', timeZone: 'UTC' }, organizer: { email: 'owner@example.com' }, attendees });
      const meeting = await connector.putObject(ctx, ref, { remoteId: null, events: [event('meeting-1', [{ email: 'bob@outside.test' }])] }, { ifNoneMatch: '*' });
      const alone = await connector.putObject(ctx, ref, { remoteId: null, events: [event('alone-1', [])] }, { ifNoneMatch: '*' });
      const hushed = await connector.putObject(ctx, ref, { remoteId: null, events: [event('hushed-1', [{ email: 'bob@outside.test' }])], sendUpdates: 'none' }, { ifNoneMatch: '*' });
      sent.length = 0;
      await connector.deleteObject(ctx, ref, meeting.remoteId, { ifMatch: meeting.version! }, { sendUpdates: 'none' });
      // Radicale does not schedule (no calendar-auto-schedule in its DAV header): nothing to quieten.
      // Xandikos says it does (as calendar-auto-scheduling), so the meeting is written quietly first.
      const schedules = kind === 'Xandikos';
      assert.deepEqual(sent.filter((m) => m !== 'PROPFIND'), schedules ? ['OPTIONS', 'GET', 'PUT quiet', 'GET', 'DELETE'] : ['OPTIONS', 'DELETE']);
      sent.length = 0;
      await connector.deleteObject(ctx, ref, alone.remoteId, { ifMatch: alone.version! }, { sendUpdates: 'none' });
      assert.deepEqual(sent.filter((m) => m !== 'PROPFIND'), schedules ? ['GET', 'DELETE'] : ['DELETE'], 'no attendees: nothing to quieten (OPTIONS asked once)');
      sent.length = 0;
      await connector.deleteObject(ctx, ref, hushed.remoteId, { ifMatch: hushed.version! }, { sendUpdates: 'none' });
      assert.deepEqual(sent.filter((m) => m !== 'PROPFIND'), schedules ? ['GET', 'DELETE'] : ['DELETE'], 'written quietly already: SCHEDULE-AGENT=CLIENT stands for the delete');
      const left = await fetch(new URL(meeting.remoteId, server.url), { headers: authHeader(server) });
      assert.equal(left.status, 404, 'the meeting is gone');
      // Changed since it was read: the quiet write is refused as the delete would be, and nothing is lost.
      const v1 = await connector.putObject(ctx, ref, { remoteId: null, events: [event('meeting-2', [{ email: 'bob@outside.test' }])] }, { ifNoneMatch: '*' });
      await connector.putObject(ctx, ref, { remoteId: v1.remoteId, events: [{ ...event('meeting-2', [{ email: 'bob@outside.test' }]), title: 'changed' }] }, { ifMatch: v1.version! });
      await assert.rejects(connector.deleteObject(ctx, ref, v1.remoteId, { ifMatch: v1.version! }, { sendUpdates: 'none' }), PreconditionFailedError);
      assert.equal((await connector.getObject(ctx, ref, v1.remoteId)).events[0]!.title, 'changed');
    });
  }
});
