/**
 * Override rows that stand for nothing at Google are not kept, and a pull cleans those stored
 * earlier (Google emulator).
 *
 * - Rows stored by earlier versions (before the off-rule and plain-occurrence fixes): a cancelled
 *   override at an original start off the series' rule, and an override row that is exactly the
 *   plain occurrence Google also holds there. `resync --full` (a full listing) removes both, writes
 *   nothing to Google, and leaves the user's real override with its id.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { contentHash, type CanonicalEvent } from '../../shared/model/index.ts';
import { Store } from '../../shared/store/index.ts';
import { pullCalendar, settle } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { apiOver } from '../support/api-over.ts';
import { googleModelEnv } from '../support/google-model-env.ts';

type Reply = { id: string; uid: string; title: string | null; status: string; items: Array<{ id: string; start: string; status: string; title: string | null }> };
const berlin = (dateTime: string) => ({ dateTime, timeZone: 'Europe/Berlin' });
type Row = { id: string; k: string; status: string; title: string | null; remote_id: string | null };

async function rowsOf(env: ModelEnv, cal: string, uid: string): Promise<Row[]> {
  return env.store.db.query<Row>("SELECT id, original_start_key AS k, data->>'status' AS status, data->>'title' AS title, remote_id FROM events WHERE calendar_id = $1 AND uid = $2 ORDER BY original_start_key", [cal, uid]);
}

async function providerCalendar(env: ModelEnv, cal: string): Promise<string> {
  const [r] = await env.store.db.query<{ p: string }>('SELECT provider_calendar_id AS p FROM calendars WHERE id = $1', [cal]);
  return r!.p;
}

const writesTo = (google: RunningGoogleEmulator) => google.control.requests().filter((r) => r.method !== 'GET' && r.path.startsWith('/calendar/v3/calendars/')).length;

describe('override rows that stand for nothing at Google', () => {
  let store: Store;
  let google: RunningGoogleEmulator;
  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    google = await startGoogleEmulator();
  });
  after(async () => {
    await store.close();
    await google.close();
  });

  it('resync --full removes rows stored before the fixes, writes nothing to Google, keeps the real override', async () => {
    const env = await googleModelEnv(google, store);
    const cal = env.calendars[0]!;
    const t = env.store.tenant(env.tenantId);
    const { app, call } = await apiOver<Reply>(env);
    const push = async () => {
      await settle(env.deps, env.tenantId, [cal]);
      await settle(env.deps, env.tenantId, [cal]);
    };
    const made = await call('POST', `/v1/calendars/${cal}/events`, { title: 'P series', start: berlin('2027-01-11T09:00:00'), end: berlin('2027-01-11T09:30:00'), recurrence: { rrules: ['FREQ=DAILY;COUNT=6'] } });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const { id: S, uid } = made.json;
    await push();
    const o = await call('PATCH', `/v1/events/${S}/occurrences/2027-01-13T08:00:00Z`, { title: 'P ovr' });
    assert.equal(o.status, 200, JSON.stringify(o.json));
    const O = o.json.id;
    await push();
    const pcal = await providerCalendar(env, cal);
    const masterRow = (await t.events.byUid(cal, uid)).find((r) => r.event.originalStart === null)!;
    const masterId = masterRow.event.providerEventId!;
    // Google holds a cancelled exception at 08:15 on the 12th (off the rule: an old original
    // start of a series moved by the old code) and one at 08:00 on the 14th reset to the plain occurrence.
    // (Another client moved the series to 09:15, cancelled the 12th, and moved it back.)
    google.control.patchEvent(pcal, masterId, { start: berlin('2027-01-11T09:15:00'), end: berlin('2027-01-11T09:45:00') });
    google.control.deleteEvent(pcal, `${masterId}_20270112T081500Z`);
    google.control.patchEvent(pcal, masterId, { start: berlin('2027-01-11T09:00:00'), end: berlin('2027-01-11T09:30:00') });
    const off = google.control.getEvent(pcal, `${masterId}_20270112T081500Z`);
    const plain = google.control.patchEvent(pcal, `${masterId}_20270114T080000Z`, { summary: 'P series' });
    // What the old code stored for them: a cancelled override with start == end, and the plain occurrence as an override row.
    const at = (dateTime: string) => ({ dateTime, timeZone: 'Europe/Berlin' });
    const base: CanonicalEvent = { ...masterRow.event, recurrence: null, providerVersion: null, providerUpdatedAt: null };
    const phantom: CanonicalEvent = { ...base, providerEventId: off.id!, originalStart: at('2027-01-12T08:15:00Z'), start: at('2027-01-12T08:15:00Z'), end: at('2027-01-12T08:15:00Z'), status: 'cancelled' };
    const stray: CanonicalEvent = { ...base, providerEventId: plain.id!, originalStart: at('2027-01-14T08:00:00Z'), start: at('2027-01-14T08:00:00Z'), end: at('2027-01-14T08:30:00Z') };
    for (const [ev, g] of [[phantom, off], [stray, plain]] as const) {
      await t.events.applyRemoteChanges(cal, [{ kind: 'upsert', remoteId: g.id!, version: g.etag ?? null, events: [ev] }]);
      await t.ledger.put(cal, [{ remoteId: g.id!, uid, base: [ev], baseHash: contentHash(ev), providerVersion: g.etag ?? null }]);
    }
    assert.equal((await rowsOf(env, cal, uid)).length, 4, 'the old rows are stored');
    const writes = writesTo(google);

    await pullCalendar(env.deps, env.tenantId, cal, { full: true });
    await push();
    const rows = await rowsOf(env, cal, uid);
    assert.deepEqual(rows.map((r) => [r.id === S ? 'S' : r.id === O ? 'O' : r.id, r.status, r.title]), [['S', 'confirmed', 'P series'], ['O', 'confirmed', 'P ovr']], `after resync --full: ${JSON.stringify(rows)}`);
    assert.equal(writesTo(google), writes, 'nothing is written to Google');
    assert.equal((await call('GET', `/v1/events/${O}`)).json.title, 'P ovr', 'the real override keeps its id');
    await pullCalendar(env.deps, env.tenantId, cal, { full: true });
    assert.equal((await rowsOf(env, cal, uid)).length, 2, 'a second full resync changes nothing');
    assert.equal(writesTo(google), writes, 'still nothing written to Google');
    await app.close();
  });
});
