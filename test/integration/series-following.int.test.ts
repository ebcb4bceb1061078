/**
 * "This and following events" through the API on each provider: a weekly meeting (09:00 Berlin, a
 * DST change between) moves to 11:00 from its third occurrence, its retitled later occurrence
 * carried to the new series; an all-day series with UNTIL is retitled from one date and then
 * cancelled from a later one. The hub's listing, its free/busy and the provider's own objects show
 * the old times before the cut and the new ones after, nothing doubled and nothing lost.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import type { CanonicalEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { expandSeries } from '../../shared/time/index.ts';
import { settle } from '../../sync-engine/index.ts';
import { memoryModelEnv, type ModelEnv } from '../../sync-engine/test-support/model.ts';
import { apiOver } from '../support/api-over.ts';
import { startRadicale, type DavServer } from '../support/dav-servers.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

type Item = { start: string; end: string; title: string | null; uid: string; originalStartKey: string };
type Reply = {
  id: string;
  uid: string;
  etag: string;
  items: Item[];
  recurrence: { rrules: string[] } | null;
  calendars: Array<{ busy: Array<{ start: string; end: string }> }>;
  error?: { code: string };
};
const berlin = (wall: string) => ({ dateTime: wall, timeZone: 'Europe/Berlin' });
const WINDOW = { start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-12-20T00:00:00Z') };
const utc = (ms: number | string) => new Date(ms).toISOString().slice(0, 16);
/** A rule without the BYDAY Graph spells out for a weekly series (the same rule). */
const rules = (r: { recurrence: { rrules: string[] } | null }) => r.recurrence?.rrules.map((x) => x.replace(/;?BYDAY=MO(?=;|$)/, ''));
const line = (start: number | string, end: number | string, title: string | null) => `${utc(start)}-${utc(end).slice(11)} ${title}`;

/** The provider's objects of these UIDs expanded as any client would list them. */
function providerInstances(objects: Array<{ events: CanonicalEvent[] }>, uids: string[]): string[] {
  return uids
    .flatMap((uid) => {
      const events = objects.flatMap((o) => o.events).filter((e) => e.uid === uid);
      const master = events.find((e) => e.originalStart === null) ?? null;
      return expandSeries({ master, overrides: events.filter((e) => e !== master), calendarTimeZone: 'UTC', window: WINDOW });
    })
    .sort((a, b) => a.startMs - b.startMs)
    .map((o) => line(o.startMs, o.endMs, o.event.title));
}

async function check(env: ModelEnv): Promise<void> {
  const cal = env.calendars[0]!;
  const { app, call } = await apiOver<Reply>(env);
  const push = () => settle(env.deps, env.tenantId, [cal]);
  const listed = async (uids: string[]) => {
    const r = await call('GET', `/v1/calendars/${cal}/events?timeMin=${WINDOW.start.toISOString()}&timeMax=${WINDOW.end.toISOString()}&limit=100`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return r.json.items.filter((i) => uids.includes(i.uid)).map((i) => line(i.start, i.end, i.title));
  };
  const settled = async () => {
    await push();
    await push(); // the provider's echo comes back and changes nothing
    assert.deepEqual(await env.store.db.query('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
  };

  // Weekly on Mondays 09:00 Berlin, six times: Oct 5, 12 and 19 in summer time, Oct 26, Nov 2 and 9 in winter time.
  const made = await call('POST', `/v1/calendars/${cal}/events`, { title: 'Weekly sync', start: berlin('2026-10-05T09:00:00'), end: berlin('2026-10-05T10:00:00'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6'] } });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  await push();
  const planning = await call('PATCH', `/v1/events/${made.json.id}/occurrences/2026-10-12T07:00:00Z`, { title: 'Planning' });
  assert.equal(planning.status, 200, JSON.stringify(planning.json));
  const review = await call('PATCH', `/v1/events/${made.json.id}/occurrences/2026-11-02T08:00:00Z`, { title: 'Review' });
  assert.equal(review.status, 200, JSON.stringify(review.json));
  await push();

  const moved = await call('PATCH', `/v1/events/${made.json.id}/occurrences/2026-10-19T07:00:00Z/following`, { start: berlin('2026-10-19T11:00:00'), end: berlin('2026-10-19T12:00:00') });
  assert.equal(moved.status, 200, JSON.stringify(moved.json));
  assert.notEqual(moved.json.uid, made.json.uid, 'the following occurrences are a new series');
  assert.deepEqual(rules(moved.json), ['FREQ=WEEKLY;COUNT=4']);
  await settled();
  const weekly = [
    '2026-10-05T07:00-08:00 Weekly sync',
    '2026-10-12T07:00-08:00 Planning',
    '2026-10-19T09:00-10:00 Weekly sync',
    '2026-10-26T10:00-11:00 Weekly sync',
    '2026-11-02T10:00-11:00 Review',
    '2026-11-09T10:00-11:00 Weekly sync',
  ];
  const uids = [made.json.uid, moved.json.uid];
  assert.deepEqual(await listed(uids), weekly, 'the hub lists 09:00 before the cut and 11:00 after it');
  assert.deepEqual(providerInstances(await env.driver.list(0), uids), weekly, 'the provider shows the same');
  const fb = await call('POST', '/v1/freebusy', { calendarIds: [cal], timeMin: WINDOW.start.toISOString(), timeMax: '2026-11-30T00:00:00Z' });
  assert.equal(fb.status, 200, JSON.stringify(fb.json));
  assert.deepEqual(fb.json.calendars[0]!.busy.map((b) => line(b.start, b.end, null).slice(0, -5)), weekly.map((w) => w.slice(0, 22)), 'busy once at each time, never at 09:00 after the cut');

  // All-day on Mondays until Dec 7; the Nov 23 one retitled on its own.
  const office = await call('POST', `/v1/calendars/${cal}/events`, { title: 'Office day', start: { date: '2026-11-02' }, end: { date: '2026-11-03' }, recurrence: { rrules: ['FREQ=WEEKLY;UNTIL=20261207'] } });
  assert.equal(office.status, 201, JSON.stringify(office.json));
  await push();
  assert.equal((await call('PATCH', `/v1/events/${office.json.id}/occurrences/2026-11-23`, { title: 'Moved desk' })).status, 200);
  await push();
  const renamed = await call('PATCH', `/v1/events/${office.json.id}/occurrences/2026-11-16/following`, { title: 'Office (new floor)' });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.json));
  assert.deepEqual(rules(renamed.json), ['FREQ=WEEKLY;UNTIL=20261207'], 'the new series keeps the UNTIL');
  await settled();
  const oldOffice = await call('GET', `/v1/events/${office.json.id}`);
  assert.deepEqual(rules(oldOffice.json), ['FREQ=WEEKLY;UNTIL=20261115'], 'an all-day series ends with a DATE the day before');
  const cancelled = await call('DELETE', `/v1/events/${renamed.json.id}/occurrences/2026-11-30/following`);
  assert.equal(cancelled.status, 204, JSON.stringify(cancelled.json));
  await settled();
  const days = ['2026-11-02T00:00-00:00 Office day', '2026-11-09T00:00-00:00 Office day', '2026-11-16T00:00-00:00 Office (new floor)', '2026-11-23T00:00-00:00 Moved desk'];
  const officeUids = [office.json.uid, renamed.json.uid];
  assert.deepEqual(providerInstances(await env.driver.list(0), officeUids), days, 'the provider holds each day once, none after the cancellation');
  assert.equal((await listed(officeUids)).length, 4);

  const past = await call('DELETE', `/v1/events/${renamed.json.id}/occurrences/2026-12-14/following`);
  assert.equal(past.status, 400, JSON.stringify(past.json));
  assert.equal(past.json.error?.code, 'NO_FOLLOWING_OCCURRENCE');
  const writes = env.driver.writes();
  assert.equal((await push()).written, 0, 'settled series are not written again');
  assert.equal(env.driver.writes(), writes);
  await app.close();
}

describe('a series changed and cancelled from one occurrence on (this and following events)', () => {
  let store: Store;
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  let radicale: DavServer;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
    radicale = await startRadicale();
  });
  after(async () => {
    await store.close();
    await google.close();
    await ms.close();
    await radicale.stop();
  });

  it('memory connector', async () => check(await memoryModelEnv(store)));
  it('Google', async () => check(await googleModelEnv(google, store)));
  it('Microsoft Graph', async () => check(await microsoftModelEnv(ms, store)));
  it('Radicale', async () => check(await davModelEnv(radicale, store)));
});

describe('this and following: the two provider writes converge when one fails or its answer is lost', () => {
  let store: Store;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
  });
  after(() => store.close());

  for (const faults of [['server-error'], ['timeout-after-write'], ['timeout-after-write', 'timeout-after-write'], ['server-error', 'timeout-after-write']] as const) {
    it(faults.join(' then '), async () => {
      const env = await memoryModelEnv(store);
      const cal = env.calendars[0]!;
      const { app, call } = await apiOver<Reply>(env);
      const push = () => settle(env.deps, env.tenantId, [cal], { isolate: true });
      const made = await call('POST', `/v1/calendars/${cal}/events`, { title: 'Standup', start: berlin('2026-10-19T09:00:00'), end: berlin('2026-10-19T09:15:00'), recurrence: { rrules: ['FREQ=DAILY;COUNT=10'] } });
      await push();
      const moved = await call('PATCH', `/v1/events/${made.json.id}/occurrences/2026-10-23T07:00:00Z/following`, { title: 'Standup (late)', start: berlin('2026-10-23T10:00:00'), end: berlin('2026-10-23T10:15:00') });
      assert.equal(moved.status, 200, JSON.stringify(moved.json));
      const uids = [made.json.uid, moved.json.uid];
      const want = [
        ...['19', '20', '21', '22'].map((d) => `2026-10-${d}T07:00-07:15 Standup`),
        ...['23', '24'].map((d) => `2026-10-${d}T08:00-08:15 Standup (late)`),
        ...['25', '26', '27', '28'].map((d) => `2026-10-${d}T09:00-09:15 Standup (late)`),
      ];
      env.driver.fault!(faults[0]);
      if (faults[1]) env.driver.fault!(faults[1]);
      assert.equal((await push()).failures.size, 1, 'the fault failed the push');
      for (let i = 0; i < 6; i++) await push();
      assert.deepEqual(providerInstances(await env.driver.list(0), uids), want, 'each occurrence once at the provider');
      assert.deepEqual(await env.store.db.query('SELECT uid FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
      const r = await call('GET', `/v1/calendars/${cal}/events?timeMin=${WINDOW.start.toISOString()}&timeMax=${WINDOW.end.toISOString()}&limit=100`);
      assert.deepEqual(r.json.items.map((i) => line(i.start, i.end, i.title)), want, 'and once at the hub');
      await app.close();
    });
  }
});
