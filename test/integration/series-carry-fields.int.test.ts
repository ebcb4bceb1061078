/**
 * A weekly series retitled, moved to another room and lengthened through the API ("all events"),
 * with one occurrence moved to the afternoon and another retitled before: the moved one keeps its
 * own time and length but takes the new title and room; the retitled one keeps its title but takes
 * the new room and length. So on Google, Microsoft Graph and Radicale, in the hub's listing and at
 * the provider. Before, the edited occurrences kept the series' old title, room and length.
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
import { startRadicale, type DavServer } from '../support/dav-servers.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { microsoftModelEnv } from '../support/microsoft-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

type Item = { start: string; end: string; title: string | null; location: string | null; uid: string };
type Reply = { id: string; uid: string; items: Item[] };
const utc = (iso: string) => ({ dateTime: iso, timeZone: 'UTC' });
const WINDOW = { start: new Date('2026-12-07T00:00:00Z'), end: new Date('2027-01-04T00:00:00Z') };
const iso = (ms: number | string) => new Date(ms).toISOString().slice(0, 16);

/** The provider's objects of `uid` expanded as any client would list them. */
function providerInstances(objects: Array<{ events: CanonicalEvent[] }>, uid: string): string[] {
  const events = objects.flatMap((o) => o.events).filter((e) => e.uid === uid);
  const master = events.find((e) => e.originalStart === null) ?? null;
  const occ = expandSeries({ master, overrides: events.filter((e) => e !== master), calendarTimeZone: 'UTC', window: WINDOW });
  return occ.map((o) => `${iso(o.startMs)}-${iso(o.endMs).slice(11)} ${o.event.title} @ ${o.event.location}`);
}

async function check(env: ModelEnv): Promise<void> {
  const cal = env.calendars[0]!;
  const { app, call } = await apiOver<Reply>(env);
  const push = () => settle(env.deps, env.tenantId, [cal]);
  const made = await call('POST', `/v1/calendars/${cal}/events`, { title: 'Weekly sync', location: 'Room 1', start: utc('2026-12-07T09:00:00Z'), end: utc('2026-12-07T10:00:00Z'), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'] } });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  const { id, uid } = made.json;
  await push();
  const moved = await call('PATCH', `/v1/events/${id}/occurrences/2026-12-14T09:00:00Z`, { start: utc('2026-12-14T13:00:00Z'), end: utc('2026-12-14T14:00:00Z') });
  assert.equal(moved.status, 200, JSON.stringify(moved.json));
  const retitled = await call('PATCH', `/v1/events/${id}/occurrences/2026-12-21T09:00:00Z`, { title: 'Board' });
  assert.equal(retitled.status, 200, JSON.stringify(retitled.json));
  await push();

  const changed = await call('PATCH', `/v1/events/${id}`, { title: 'Team sync', location: 'Room 2', end: utc('2026-12-07T10:30:00Z') });
  assert.equal(changed.status, 200, JSON.stringify(changed.json));
  await push();
  await push(); // the provider's echo comes back and changes nothing

  const want = [
    '2026-12-07T09:00-10:30 Team sync @ Room 2',
    '2026-12-14T13:00-14:00 Team sync @ Room 2',
    '2026-12-21T09:00-10:30 Board @ Room 2',
    '2026-12-28T09:00-10:30 Team sync @ Room 2',
  ];
  const listed = await call('GET', `/v1/calendars/${cal}/events?timeMin=${WINDOW.start.toISOString()}&timeMax=${WINDOW.end.toISOString()}`);
  assert.equal(listed.status, 200, JSON.stringify(listed.json));
  assert.deepEqual(listed.json.items.filter((i) => i.uid === uid).map((i) => `${iso(i.start)}-${iso(i.end).slice(11)} ${i.title} @ ${i.location}`), want, 'the hub lists the series change on its edited occurrences');
  assert.deepEqual(providerInstances(await env.driver.list(0), uid), want, 'the provider shows the same');
  assert.deepEqual(await env.store.db.query('SELECT uid, last_error FROM outbox WHERE calendar_id = $1', [cal]), [], 'nothing is left to push');
  const writes = env.driver.writes();
  assert.equal((await push()).written, 0, 'a settled series is not written again');
  assert.equal(env.driver.writes(), writes);
  await app.close();
}

describe('a series retitled, moved to another room and lengthened reaches its edited occurrences', () => {
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

  it('Google', async () => check(await googleModelEnv(google, store)));
  it('Microsoft Graph', async () => check(await microsoftModelEnv(ms, store)));
  it('Radicale', async () => check(await davModelEnv(radicale, store)));
});
