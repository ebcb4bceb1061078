/**
 * Two answers to different occurrences of one invited series, one quiet (sendUpdates=none) and one
 * loud (all), pushed in one run: each occurrence is its own provider request on Google and Graph,
 * and each carries the sendUpdates of its own answer. The outbox keeps one entry per UID; before
 * it kept the widest sendUpdates per occurrence too, the quiet answer told the organizer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

const LOUD = '2026-12-22T10:00:00Z';
const QUIET = '2026-12-29T10:00:00Z';

describe('answers to two occurrences of a series, one quiet and one loud, pushed together', () => {
  let store: Store;
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
  });
  after(async () => {
    await store.close();
    await google.close();
    await ms.close();
  });

  /** Answers LOUD with sendUpdates=all, then QUIET with none, before one push. */
  async function answerBoth(call: Awaited<ReturnType<typeof apiOver>>['call'], seriesId: string): Promise<void> {
    for (const [key, say, response] of [[LOUD, 'all', 'accepted'], [QUIET, 'none', 'declined']] as const) {
      const r = await call('POST', `/v1/events/${seriesId}/occurrences/${encodeURIComponent(key)}/rsvp?sendUpdates=${say}`, { response });
      assert.equal(r.status, 200, JSON.stringify(r.json));
    }
  }

  it('Google: each instance is written with its own answer\'s sendUpdates; only the loud one mails the organizer', async () => {
    const env = await googleModelEnv(google, store);
    const cal = env.calendars[0]!;
    const t = store.tenant(env.tenantId);
    const providerCal = (await t.calendars.get(cal))!.providerCalendarId;
    const me = (await t.accounts.list())[0]!.externalId;
    const invite = google.control.inviteEvent(
      providerCal,
      {
        summary: 'Weekly review',
        start: { dateTime: '2026-12-15T10:00:00Z', timeZone: 'UTC' },
        end: { dateTime: '2026-12-15T11:00:00Z', timeZone: 'UTC' },
        recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'],
        attendees: [{ email: me, responseStatus: 'needsAction' }, { email: 'cfo@corp.test', responseStatus: 'accepted' }],
      },
      { email: 'ceo@corp.test' },
    );
    await settle(env.deps, env.tenantId, [cal]);
    const series = (await t.events.byUid(cal, invite.iCalUID!)).find((r) => r.event.originalStart === null)!;
    const { app, call } = await apiOver<{ error?: unknown }>(env);
    await answerBoth(call, series.id);
    google.control.clearGuestMail();
    const since = google.control.requests().length;
    await settle(env.deps, env.tenantId, [cal]);

    const instanceId = (key: string) => `${invite.id}_${key.replace(/[-:]/g, '')}`;
    const writes = google.control.requests().slice(since).filter((q) => q.method !== 'GET');
    const said = (key: string) => writes.filter((q) => q.path.endsWith(`/events/${instanceId(key)}`)).map((q) => q.query.sendUpdates ?? '(absent)');
    assert.deepEqual(said(LOUD), ['all'], JSON.stringify(writes.map((q) => [q.method, q.path, q.query])));
    assert.deepEqual(said(QUIET), ['none'], 'the quiet answer is written quietly');
    const mails = google.control.guestMail().map((m) => [m.eventId, m.kind, m.to]);
    assert.deepEqual(mails, [[instanceId(LOUD), 'response', 'ceo@corp.test']], 'only the loud answer reaches the organizer');
    assert.deepEqual(await store.db.query('SELECT uid FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
    await app.close();
  });

  it('Microsoft Graph: each occurrence is answered with its own sendResponse; only the loud one messages the organizer', async () => {
    const env = await microsoftModelEnv(ms, store);
    const cal = env.calendars[0]!;
    const t = store.tenant(env.tenantId);
    const providerCal = (await t.calendars.get(cal))!.providerCalendarId;
    const me = (await t.accounts.list())[0]!.externalId;
    ms.control.createEvent({
      userId: me,
      calendarId: providerCal,
      event: {
        subject: 'Weekly review',
        start: { dateTime: '2026-12-15T10:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-15T11:00:00', timeZone: 'UTC' },
        organizer: { emailAddress: { address: 'ceo@fabrikam.test', name: 'CEO' } },
        attendees: [{ type: 'required', emailAddress: { address: me } }, { type: 'required', emailAddress: { address: 'cfo@fabrikam.test' } }],
        recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'] }, range: { type: 'numbered', startDate: '2026-12-15', numberOfOccurrences: 4 } },
      },
    });
    await settle(env.deps, env.tenantId, [cal]);
    const series = (await t.events.list(cal)).find((r) => r.event.title === 'Weekly review' && r.event.originalStart === null)!;
    const { app, call } = await apiOver<{ error?: unknown }>(env);
    await answerBoth(call, series.id);
    ms.control.clearMeetingMessages();
    ms.control.clearRequests();
    await settle(env.deps, env.tenantId, [cal]);

    const answers = ms.control.requests().filter((q) => q.method === 'POST' && /\/(accept|decline)$/.test(q.path)).map((q) => q.path.split('/').pop());
    assert.deepEqual(answers.sort(), ['accept', 'decline']);
    const told = ms.control.meetingMessages().map((m) => `${m.meetingMessageType} ${m.to}`);
    assert.deepEqual(told, ['meetingAccepted ceo@fabrikam.test'], 'the quiet decline is sent with sendResponse: false');
    assert.deepEqual(await store.db.query('SELECT uid FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
    await app.close();
  });
});
