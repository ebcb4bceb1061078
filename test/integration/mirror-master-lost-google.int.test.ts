/**
 * A mirror copy series on Google whose master row the store no longer holds (as a full listing
 * once dropped it) while it holds an exception of it. The rule's next run took the exception's
 * remote id for the master ("any row of the UID", which is right only where the whole UID is one
 * object, CalDAV), and the push wrote the master's body, recurrence and all, to the instance: the
 * Dec 14 busy block moved to Dec 7 at Google. Real connector, Google emulator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settle } from '../../sync-engine/index.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { storeAndGoogle } from '../support/emulator-store.ts';

describe('mirror: a copy series whose master row is missing', () => {
  const h = storeAndGoogle();

  it('never writes the master to an instance id', async () => {
    const { store, emu: google } = h;
    const env = await googleModelEnv(google, store);
    const t = store.tenant(env.tenantId);
    const [a, b] = env.calendars as [string, string];
    const source = (await t.calendars.get(a))!.providerCalendarId;
    const target = (await t.calendars.get(b))!.providerCalendarId;
    const m = google.control.insertEvent(source, { summary: 'Weekly', start: { dateTime: '2026-12-07T15:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-07T16:00:00Z', timeZone: 'UTC' }, recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'] });
    google.control.patchEvent(source, `${m.id}_20261214T150000Z`, { start: { dateTime: '2026-12-14T17:00:00Z' }, end: { dateTime: '2026-12-14T18:00:00Z' } });
    assert.ok(await t.mirror.create(a, b, { mode: 'busy-block' }));
    await settle(env.deps, env.tenantId, [a, b]);
    const copies = google.control.listStoredEvents(target).filter((e) => !e.deleted);
    const master = copies.find((e) => e.event.recurrence)!;
    assert.ok(master && copies.some((e) => e.event.recurringEventId === master.event.id), 'a copy series with its exception');
    await store.db.query("DELETE FROM events WHERE calendar_id = $1 AND uid = $2 AND original_start_key = ''", [b, master.event.iCalUID]);
    google.control.clearRequests();
    await settle(env.deps, env.tenantId, [a, b]);
    await settle(env.deps, env.tenantId, [a, b]);

    const wrong = google.control.requests().filter((r) => r.method !== 'GET' && r.path.includes(`${master.event.id}_`) && (r.body as { recurrence?: unknown } | null)?.recurrence);
    assert.deepEqual(wrong.map((r) => `${r.method} ${r.path}`), [], 'no master body sent to an instance');
    const ex = google.control.getEvent(target, `${master.event.id}_20261214T150000Z`);
    assert.equal(ex.start?.dateTime?.slice(0, 19), '2026-12-14T17:00:00');
    const rows = (await t.events.byUid(b, master.event.iCalUID!)).map((r) => `${r.remoteId} ${r.event.originalStart ? 'o' : 'm'}`).sort();
    assert.deepEqual(rows, [`${master.event.id} m`, `${master.event.id}_20261214T150000Z o`].sort(), 'the store holds the series again, each row under its own id');
  });
});
