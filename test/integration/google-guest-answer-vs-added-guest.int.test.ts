/**
 * A guest's new answer at Google and a guest added through the API at about the same time (found
 * by an outside user, under latest-wins, the default): the attendee list was one field of the
 * merge, the hub's side won as the newer, a conflict `:attendees` was recorded with outcome
 * `local` (no webhook), and the push wrote calhub's stale `responseStatus` for Bob over his new
 * answer. Google stores what an organizer's write sends in attendees[].responseStatus (the
 * emulator does too), so the push must not send an answer calhub did not change. Attendees now
 * merge one by one (sync-engine/attendee-merge.ts): both changes stand, no conflict.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settle } from '../../sync-engine/index.ts';
import { apiOver } from '../support/api-over.ts';
import { storeAndGoogle } from '../support/emulator-store.ts';
import { googleModelEnv } from '../support/google-model-env.ts';

type Attendee = { email: string; response: string };
const answers = (list: Attendee[]) => Object.fromEntries(list.map((a) => [a.email.toLowerCase(), a.response]));

describe("a guest's answer at Google while the API adds a guest", () => {
  const h = storeAndGoogle();

  for (const first of ['provider', 'api'] as const) {
    it(`keeps Bob's new answer and adds Carol, with no conflict (${first === 'provider' ? 'the answer' : 'the API change'} first)`, async () => {
      const { store, emu: google } = h;
      const env = await googleModelEnv(google, store);
      const cal = env.calendars[0]!;
      const t = store.tenant(env.tenantId);
      const providerCal = (await t.calendars.get(cal))!.providerCalendarId;
      // Opened before the first sync, not between two: opening the hub took seconds on a loaded
      // machine, and the next listing met ECONNRESET (likely a pooled connection reused as the
      // emulator closed it idle, Node's 5 s keep-alive).
      const api = await apiOver<{ attendees: Attendee[] }>(env);
      const made = google.control.insertEvent(providerCal, {
        summary: 'Review',
        start: { dateTime: '2026-12-15T10:00:00Z', timeZone: 'UTC' },
        end: { dateTime: '2026-12-15T11:00:00Z', timeZone: 'UTC' },
        attendees: [{ email: 'bob@corp.test', responseStatus: 'accepted' }, { email: 'jane@corp.test', responseStatus: 'declined' }],
      });
      await settle(env.deps, env.tenantId, [cal]);
      const row = (await t.events.byUid(cal, made.iCalUID!))[0]!;
      assert.deepEqual(answers(row.event.attendees), { 'bob@corp.test': 'accepted', 'jane@corp.test': 'declined' });

      // Bob answers tentative: Google records it on the organizer's copy.
      const bobAnswers = () => google.control.patchEvent(providerCal, made.id!, { attendees: [{ email: 'bob@corp.test', responseStatus: 'tentative' }, { email: 'jane@corp.test', responseStatus: 'declined' }] });
      if (first === 'provider') bobAnswers();
      const r = await api.call('PATCH', `/v1/events/${row.id}`, { attendees: [{ email: 'bob@corp.test' }, { email: 'jane@corp.test' }, { email: 'carol@corp.test' }] });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      if (first === 'api') bobAnswers();

      await settle(env.deps, env.tenantId, [cal]);
      await settle(env.deps, env.tenantId, [cal]);
      const expected = { 'bob@corp.test': 'tentative', 'jane@corp.test': 'declined', 'carol@corp.test': 'needsAction' };
      const there = google.control.getEvent(providerCal, made.id!);
      assert.deepEqual(Object.fromEntries((there.attendees ?? []).map((a) => [a.email, a.responseStatus ?? 'needsAction'])), expected, "Bob's answer at Google is not overwritten");
      const stored = (await t.events.byUid(cal, made.iCalUID!))[0]!;
      assert.deepEqual(answers(stored.event.attendees), expected);
      assert.deepEqual(await store.db.query('SELECT fields, outcome FROM conflicts WHERE calendar_id = $1', [cal]), [], 'no conflict: each side changed other attendees');
      assert.deepEqual(await store.db.query('SELECT uid FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing left to push');
    });
  }
});
