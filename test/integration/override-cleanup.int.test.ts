/**
 * Override rows that stand for nothing at Google are not kept, and a pull cleans those stored
 * earlier (Google emulator).
 *
 * - A series moved at Google by another client: Google leaves each exception at its old original
 *   start (originalStartTime is immutable, provider-facts A.3). A cancelled one is then off the
 *   moved rule and cancels nothing, but it is not listed again (only the master changed), so the
 *   hub kept its cancelled-override row at the old time. The pull that applies the moved master
 *   drops it (and no occurrence of the moved series is lost: free/busy and the listing show all).
 * - Rows stored by earlier versions (before the off-rule and plain-occurrence fixes): a cancelled
 *   override at an original start off the series' rule, and an override row that is exactly the
 *   plain occurrence Google also holds there. `resync --full` (a full listing) removes both, writes
 *   nothing to Google, and leaves the user's real override with its id.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { contentHash, type CanonicalEvent } from '../../shared/model/index.ts';
import { pullCalendar, settle } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { apiOver } from '../support/api-over.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { storeAndGoogle } from '../support/emulator-store.ts';

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
  const h = storeAndGoogle();

  it('a series moved at Google by another client keeps no cancelled override at an old time', async () => {
    const { store, emu: google } = h;
    const env = await googleModelEnv(google, store);
    const cal = env.calendars[0]!;
    const { app, call } = await apiOver<Reply>(env);
    const push = async () => {
      await settle(env.deps, env.tenantId, [cal]);
      await settle(env.deps, env.tenantId, [cal]);
    };
    const made = await call('POST', `/v1/calendars/${cal}/events`, { title: 'M series', start: berlin('2027-01-04T09:00:00'), end: berlin('2027-01-04T10:00:00'), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const { id: S, uid } = made.json;
    await push();
    const o = await call('PATCH', `/v1/events/${S}/occurrences/2027-01-07T08:00:00Z`, { title: 'M override' });
    assert.equal(o.status, 200, JSON.stringify(o.json));
    await push();
    const pcal = await providerCalendar(env, cal);
    const master = (await rowsOf(env, cal, uid)).find((r) => r.id === S)!.remote_id!;
    // The 6th is cancelled at Google (another client): the hub holds a cancelled override there.
    google.control.deleteEvent(pcal, `${master}_20270106T080000Z`);
    await push();
    const before = await rowsOf(env, cal, uid);
    assert.deepEqual(before.map((r) => r.status), ['confirmed', 'cancelled', 'confirmed'], JSON.stringify(before));

    // Another client moves the whole series half an hour later at Google.
    google.control.patchEvent(pcal, master, { start: berlin('2027-01-04T09:30:00'), end: berlin('2027-01-04T10:30:00') });
    await push();

    const rows = await rowsOf(env, cal, uid);
    assert.ok(!rows.some((r) => r.status === 'cancelled'), `no cancelled override at an old time: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => r.id === S), 'the series stays');
    // Google shows five occurrences at 09:30 (its exception at the old 09:00 on the 7th stays where it is); so does the hub.
    const fb = await call('POST', '/v1/freebusy', { calendarIds: [cal], timeMin: '2027-01-03T00:00:00Z', timeMax: '2027-01-10T00:00:00Z' });
    assert.equal(fb.status, 200, JSON.stringify(fb.json));
    const merged = (fb.json as unknown as { merged: Array<{ start: string; end: string }> }).merged.map((b) => b.start);
    assert.deepEqual(merged, ['2027-01-04T08:30:00.000Z', '2027-01-05T08:30:00.000Z', '2027-01-06T08:30:00.000Z', '2027-01-07T08:00:00.000Z', '2027-01-08T08:30:00.000Z'], JSON.stringify(fb.json));
    const list = await call('GET', `/v1/calendars/${cal}/events?timeMin=2027-01-03T00:00:00Z&timeMax=2027-01-10T00:00:00Z`);
    assert.equal(list.status, 200, JSON.stringify(list.json));
    const shown = list.json.items.map((i) => [new Date(i.start).toISOString(), i.status, i.title]);
    const at = (d: string, hm: string, title = 'M series') => [`2027-01-0${d}T${hm}:00.000Z`, 'confirmed', title];
    assert.deepEqual(shown, [at('4', '08:30'), at('5', '08:30'), at('6', '08:30'), at('7', '08:00', 'M override'), at('7', '08:30'), at('8', '08:30')], `the moved series and Google's exception left at 09:00 on the 7th: ${JSON.stringify(shown)}`);
    assert.deepEqual(await env.store.db.query('SELECT uid FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
    await app.close();
  });

  it('resync --full removes rows stored before the fixes, writes nothing to Google, keeps the real override', async () => {
    const { store, emu: google } = h;
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
