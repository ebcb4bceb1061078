/**
 * A series and an override at an original start Google has no instance for, pushed together: the
 * override's write answers 404 and the push drops it (occurrenceGone). It rewrote the UID's rows from
 * what it read before the master's create, so the master row lost the id Google had just given it:
 * the store held a copy master Google's listing named under no row (seen in a mirror copy).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanonicalEvent } from '../../shared/model/index.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { settle, writeUid } from '../../sync-engine/index.ts';
import { storeAndGoogle } from '../support/emulator-store.ts';

const utc = (iso: string) => ({ dateTime: iso, timeZone: 'UTC' });
const base = (over: Partial<CanonicalEvent>): CanonicalEvent => ({
  uid: 'gone-1@test', providerEventId: null, originalStart: null, start: utc('2026-12-07T15:00:00Z'), end: utc('2026-12-07T16:00:00Z'),
  recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'], exdates: [], rdates: [] }, status: 'confirmed', availability: 'busy', visibility: 'default',
  title: 'Weekly', description: null, location: null, organizer: null, attendees: [], conferenceUrl: null, sequence: 0,
  providerUpdatedAt: null, providerVersion: null, provenance: null, ...over,
} as CanonicalEvent);

describe('push: an override whose instance Google does not have', () => {
  const h = storeAndGoogle();

  it('is dropped with one conflict, and the master row keeps the id its create was given', async () => {
    const { store, emu: google } = h;
    const env = await googleModelEnv(google, store);
    const t = store.tenant(env.tenantId);
    const cal = env.calendars[0]!;
    const orphan = base({ originalStart: utc('2026-12-14T14:00:00Z'), start: utc('2026-12-14T17:00:00Z'), end: utc('2026-12-14T18:00:00Z'), recurrence: null });
    await writeUid(env.deps, env.tenantId, cal, 'gone-1@test', [base({}), orphan]);
    for (let i = 0; i < 3; i++) await settle(env.deps, env.tenantId, [cal]);
    const atGoogle = google.control.listStoredEvents((await t.calendars.get(cal))!.providerCalendarId).filter((e) => !e.deleted).map((e) => e.event.id);
    assert.equal(atGoogle.length, 1);
    const rows = (await t.events.byUid(cal, 'gone-1@test')).map((r) => `${r.remoteId} ${r.event.originalStart ? 'o' : 'm'}`);
    assert.deepEqual(rows, [`${atGoogle[0]} m`]);
    const conflicts = await store.db.query<{ policy: string }>('SELECT policy FROM conflicts WHERE calendar_id = $1', [cal]);
    assert.deepEqual(conflicts.map((c) => c.policy), ['provider-cannot-restore']);
    // Written again as before (a mirror rule did so on every run): no second record of the same refusal.
    const master = (await t.events.byUid(cal, 'gone-1@test'))[0]!;
    await writeUid(env.deps, env.tenantId, cal, 'gone-1@test', [{ ...master.event, providerEventId: master.remoteId }, orphan]);
    await settle(env.deps, env.tenantId, [cal]);
    const again = await store.db.query<{ policy: string }>('SELECT policy FROM conflicts WHERE calendar_id = $1', [cal]);
    assert.equal(again.length, 1, 'one conflict, not one per run');
  });
});
