/**
 * A weekly series moved an hour later through the API, with one occurrence retitled before: the
 * retitled occurrence follows the series to the new time on Google, Microsoft Graph, Radicale and
 * Xandikos, in the hub's listing and at the provider, and the day is busy once. Graph discards a series'
 * exceptions when its start changes, so the push writes the carried one again after the master;
 * Google keeps the old exception at the old time, which the push cancels; on CalDAV the whole UID
 * is one object.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../../emulators/microsoft/index.ts';
import type { CanonicalEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { expandSeries } from '../../shared/time/index.ts';
import { settle } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { apiOver } from '../support/api-over.ts';
import { startRadicale, startXandikos, type DavServer } from '../support/dav-servers.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

type Reply = { id: string; uid: string; items: Array<{ start: string; end: string; title: string | null; uid: string }>; calendars: Array<{ busy: Array<{ start: string; end: string }> }> };
const utc = (iso: string) => ({ dateTime: iso, timeZone: 'UTC' });
const WEEK = { start: new Date('2026-12-07T00:00:00Z'), end: new Date('2027-01-04T00:00:00Z') };

/** The provider's objects of `uid` expanded as any client would list them: `start title` per instance. */
function providerInstances(objects: Array<{ events: CanonicalEvent[] }>, uid: string): string[] {
  const events = objects.flatMap((o) => o.events).filter((e) => e.uid === uid);
  const master = events.find((e) => e.originalStart === null) ?? null;
  const occ = expandSeries({ master, overrides: events.filter((e) => e !== master), calendarTimeZone: 'UTC', window: WEEK });
  return occ.map((o) => `${new Date(o.startMs).toISOString()} ${o.event.title}`);
}

async function check(env: ModelEnv): Promise<void> {
  const cal = env.calendars[0]!;
  const { app, call } = await apiOver<Reply>(env);
  const push = () => settle(env.deps, env.tenantId, [cal]);
  const made = await call('POST', `/v1/calendars/${cal}/events`, { title: 'Weekly sync', start: utc('2026-12-07T09:00:00Z'), end: utc('2026-12-07T10:00:00Z'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  const { id, uid } = made.json;
  await push();
  const retitled = await call('PATCH', `/v1/events/${id}/occurrences/2026-12-14T09:00:00Z`, { title: 'Weekly sync (board)' });
  assert.equal(retitled.status, 200, JSON.stringify(retitled.json));
  await push();

  const moved = await call('PATCH', `/v1/events/${id}`, { start: utc('2026-12-07T10:00:00Z'), end: utc('2026-12-07T11:00:00Z') });
  assert.equal(moved.status, 200, JSON.stringify(moved.json));
  await push();
  await push(); // the provider's echo comes back and changes nothing

  const want = ['2026-12-07T10:00:00.000Z Weekly sync', '2026-12-14T10:00:00.000Z Weekly sync (board)', '2026-12-21T10:00:00.000Z Weekly sync', '2026-12-28T10:00:00.000Z Weekly sync'];
  const listed = await call('GET', `/v1/calendars/${cal}/events?timeMin=${WEEK.start.toISOString()}&timeMax=${WEEK.end.toISOString()}`);
  assert.equal(listed.status, 200, JSON.stringify(listed.json));
  assert.deepEqual(listed.json.items.filter((i) => i.uid === uid).map((i) => `${new Date(i.start).toISOString()} ${i.title}`), want, 'the hub lists the retitled occurrence at the new time, once');
  assert.deepEqual(providerInstances(await env.driver.list(0), uid), want, 'the provider shows the same');
  const fb = await call('POST', '/v1/freebusy', { calendarIds: [cal], timeMin: '2026-12-14T00:00:00Z', timeMax: '2026-12-15T00:00:00Z' });
  assert.equal(fb.status, 200, JSON.stringify(fb.json));
  assert.deepEqual(fb.json.calendars[0]!.busy.map((b) => [new Date(b.start).toISOString(), new Date(b.end).toISOString()]), [['2026-12-14T10:00:00.000Z', '2026-12-14T11:00:00.000Z']], 'busy once, at the new time');
  assert.deepEqual(await env.store.db.query('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
  const writes = env.driver.writes();
  assert.equal((await push()).written, 0, 'a settled series is not written again');
  assert.equal(env.driver.writes(), writes);
  await app.close();
}

describe('a series moved by an hour takes its retitled occurrence along', () => {
  let store: Store;
  let google: RunningGoogleEmulator;
  let ms: MicrosoftEmulator;
  let radicale: DavServer;
  let xandikos: DavServer;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
    google = await startGoogleEmulator();
    ms = await startMicrosoftEmulator();
    radicale = await startRadicale();
    xandikos = await startXandikos();
  });
  after(async () => {
    await store.close();
    await google.close();
    await ms.close();
    await radicale.stop();
    await xandikos.stop();
  });

  it('Google', async () => check(await googleModelEnv(google, store)));
  it('Microsoft Graph', async () => check(await microsoftModelEnv(ms, store)));
  it('Radicale', async () => check(await davModelEnv(radicale, store)));
  it('Xandikos', async () => check(await davModelEnv(xandikos, store)));
});
