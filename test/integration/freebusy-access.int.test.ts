/**
 * A Google account connected with `freebusy` access: Google has no scope that syncs busy time alone,
 * so the grant reads whole events, and calhub stored their titles, notes, places and guests, which
 * the API then served. Now only when the account is busy reaches the store; free/busy is unchanged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { busyFromIndex, openHub, type HubSetup } from '../support/hub-store.ts';

const EMAIL = 'busy.only@example.com';

describe('an account connected with freebusy access', () => {
  let emu: RunningGoogleEmulator;
  let h: HubSetup;
  before(async () => {
    emu = await startGoogleEmulator();
    emu.control.createUser({ email: EMAIL, timeZone: 'UTC' });
    emu.control.insertEvent(EMAIL, {
      summary: 'Therapy appointment - Dr. Smith', description: 'private notes', location: 'Clinic, 2nd floor',
      start: { dateTime: '2026-12-09T15:00:00Z' }, end: { dateTime: '2026-12-09T16:00:00Z' },
      attendees: [{ email: EMAIL, responseStatus: 'accepted' }, { email: 'dr.smith@example.com' }],
    });
    const grant = emu.control.issueGrant({ email: EMAIL, clientId: 'busy-only' });
    h = await openHub({ provider: 'google', externalId: EMAIL, baseUrl: emu.url, clientId: 'busy-only', access: 'freebusy', tokens: { accessToken: grant.accessToken, refreshToken: grant.refreshToken, expiresAt: Date.now() + 3_600_000 } });
  });
  after(async () => {
    await h?.store.close();
    await emu?.close();
  });

  it('keeps when it is busy and nothing of what the event is', async () => {
    const calId = h.calendars.get(EMAIL)!;
    await settle(h.deps, h.tenantId, [calId]);
    const [row] = await h.store.tenant(h.tenantId).events.list(calId);
    assert.ok(row, 'the event is stored');
    const e = row.event;
    assert.deepEqual([e.title, e.description, e.location, e.organizer, e.conferenceUrl, e.attendees], [null, null, null, null, null, []]);
    assert.deepEqual(await busyFromIndex(h, calId, new Date('2026-12-09T00:00:00Z'), new Date('2026-12-10T00:00:00Z')), [{ start: '2026-12-09T15:00:00.000Z', end: '2026-12-09T16:00:00.000Z' }]);
    const rows = await h.store.db.query<{ data: string }>('SELECT data::text AS data FROM events UNION ALL SELECT base::text FROM sync_ledger WHERE base IS NOT NULL');
    assert.doesNotMatch(rows.map((r) => r.data).join('\n'), /Therapy|private notes|Clinic|dr\.smith/, 'nowhere in the store');
  });
});
