/**
 * A full listing ends with the store holding what Google lists. A copy series' master row that had
 * lost its Google id (push.ts occurrenceGone wrote back rows read before the master's create) or
 * was dropped stayed so through every full listing: the ledger knew the object at the etag listed,
 * so each listing passed it over as unchanged. Real connector, Google emulator, 410 resync.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pullCalendar } from '../../sync-engine/index.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { storeAndGoogle } from '../support/emulator-store.ts';

describe('Google: a full listing restores a master row the store lost', () => {
  const h = storeAndGoogle();

  for (const damage of ['id cleared', 'row deleted'] as const) {
    it(`after a 410 (${damage})`, async () => {
      const { store, emu: google } = h;
      const env = await googleModelEnv(google, store);
      const t = store.tenant(env.tenantId);
      const cal = env.calendars[0]!;
      const pid = (await t.calendars.get(cal))!.providerCalendarId;
      const m = google.control.insertEvent(pid, { summary: 'Weekly', start: { dateTime: '2026-12-07T15:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-07T16:00:00Z', timeZone: 'UTC' }, recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'] });
      const gone = google.control.insertEvent(pid, { summary: 'Gym', start: { dateTime: '2026-12-08T07:00:00Z' }, end: { dateTime: '2026-12-08T08:00:00Z' } });
      await pullCalendar(env.deps, env.tenantId, cal);
      const sql = damage === 'id cleared' ? 'UPDATE events SET remote_id = NULL WHERE calendar_id = $1 AND remote_id = $2' : 'DELETE FROM events WHERE calendar_id = $1 AND remote_id = $2';
      await store.db.query(sql, [cal, m.id]);
      google.control.expireSyncTokens(pid);
      google.control.deleteEvent(pid, gone.id);
      const r = await pullCalendar(env.deps, env.tenantId, cal);
      assert.equal(r.fullListing, true);
      assert.equal(r.deleted, 1, 'only the event deleted at Google');
      const rows = (await t.events.list(cal)).map((x) => `${x.remoteId} ${x.event.title}`);
      assert.deepEqual(rows, [`${m.id} Weekly`], 'the store holds what Google lists');
    });
  }
});
