/**
 * `calhub runs revert` undoes only what the run wrote, and only where it still stands (reported by
 * an outside user on CalDAV and Google). A run retitled four events and created one; afterwards:
 * the provider added a description to one (pulled), the API set a location on another, the provider
 * retitled a third (pulled), and the fourth was deleted (an API DELETE on CalDAV, a delete by
 * another client at Google). Before the fix the revert put each event's whole earlier snapshot
 * back: the description and location were wiped, the provider's title overwritten and the deleted
 * event created again under a new id, with nothing reported or recorded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGoogleEmulator, type RunningGoogleEmulator } from '../../emulators/google/index.ts';
import { parseEvent, type CanonicalEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { revertRun, settle } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { hasBinary, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { googleModelEnv } from '../support/google-model-env.ts';
import { openTestStore } from '../support/test-store.ts';

const at = (hour: number) => ({ dateTime: `2027-02-01T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const event = (name: string, hour: number) => parseEvent({ uid: `revert-${name}@calhub.test`, title: name, start: at(hour), end: at(hour + 1) });

/** Each event as `title | description | location`, by UID, as the provider or the hub holds it. */
const shape = (events: CanonicalEvent[]) =>
  Object.fromEntries(events.filter((e) => e.originalStart === null).map((e) => [e.uid.replace(/^revert-|@calhub\.test$/g, ''), `${e.title} | ${e.description ?? ''} | ${e.location ?? ''}`]).sort());

async function check(env: ModelEnv, deleteAfter: 'api' | 'provider'): Promise<void> {
  const cal = env.calendars[0]!;
  const t = env.store.tenant(env.tenantId);
  for (const [i, name] of ['a', 'b', 'c', 'd'].entries()) await env.driver.put(0, null, [event(name, 8 + i)]);
  await settle(env.deps, env.tenantId, [cal]);
  const rowOf = async (name: string) => (await t.events.list(cal)).find((r) => r.event.uid === `revert-${name}@calhub.test`);

  // The run: four titles and one new event.
  for (const name of ['a', 'b', 'c', 'd']) await env.writer.update(env.tenantId, (await rowOf(name))!.id, { title: `BAD ${name}` });
  await env.writer.create(env.tenantId, cal, { ...event('e', 14), title: 'BAD e' });
  const run = await settle(env.deps, env.tenantId, [cal], { runId: 'run-bad' });
  assert.deepEqual([...run.failures.values()], []);

  // Since the run: a description at the provider, a location through the API, a title at the provider, a delete.
  const objects = await env.driver.list(0);
  const object = (name: string) => objects.find((o) => o.events[0]!.uid === `revert-${name}@calhub.test`)!;
  await env.driver.put(0, object('a').remoteId, object('a').events.map((e) => ({ ...e, description: 'added at the provider' })));
  await env.driver.put(0, object('c').remoteId, object('c').events.map((e) => ({ ...e, title: 'Provider title' })));
  await env.writer.update(env.tenantId, (await rowOf('b'))!.id, { location: 'Room 9' });
  if (deleteAfter === 'api') await env.writer.delete(env.tenantId, (await rowOf('d'))!.id);
  else await env.driver.delete(0, object('d').remoteId);
  await settle(env.deps, env.tenantId, [cal]);
  const idOf = Object.fromEntries(await Promise.all(['a', 'b', 'c'].map(async (n) => [n, (await rowOf(n))!.id])));

  const result = await revertRun(env.deps, env.tenantId, 'run-bad');
  const synced = await settle(env.deps, env.tenantId, [cal]);
  assert.deepEqual([...synced.failures.values()], []);

  const want = {
    a: 'a | added at the provider | ',
    b: 'b |  | Room 9',
    c: 'Provider title |  | ',
  };
  assert.deepEqual(shape((await env.driver.list(0)).flatMap((o) => o.events)), want, 'the provider holds the run undone, and only the run');
  assert.deepEqual(shape((await t.events.list(cal)).map((r) => r.event)), want, 'the hub holds the same');
  for (const n of ['a', 'b', 'c']) assert.equal((await rowOf(n))!.id, idOf[n], `event ${n} keeps its id`);
  assert.deepEqual(await t.conflicts.list(), [], 'nothing to settle: the revert wrote only what still stood');

  // What the revert says it did and skipped.
  assert.deepEqual(
    result.queued.map((q) => `${q.action} ${q.uid.replace(/^revert-|@calhub\.test$/g, '')} ${q.fields.join(',')}`).sort(),
    ['delete e ', 'update a title', 'update b title'],
  );
  assert.deepEqual(
    result.skipped.map((s) => `${s.uid.replace(/^revert-|@calhub\.test$/g, '')} ${s.fields.join(',') || '-'} ${s.reason}`).sort(),
    ['c title changed-since', 'd - deleted-since'],
  );

  // Again: nothing left to undo, nothing queued, nothing written.
  const writes = env.driver.writes();
  const again = await revertRun(env.deps, env.tenantId, 'run-bad');
  assert.deepEqual(again.queued, [], 'a second revert queues nothing');
  assert.equal((await settle(env.deps, env.tenantId, [cal])).written, 0);
  assert.equal(env.driver.writes(), writes);
}

describe('reverting a run undoes only what it wrote, where that still stands', () => {
  let store: Store;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
  });
  after(async () => store?.close());

  describe('CalDAV (Radicale)', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
    let dav: DavServer;
    before(async () => {
      dav = await startRadicale();
    });
    after(async () => dav?.stop());
    it('deleted after the run through the API', async () => check(await davModelEnv(dav, store), 'api'));
    it('deleted after the run at the server', async () => check(await davModelEnv(dav, store), 'provider'));
  });

  describe('Google (emulator)', () => {
    let google: RunningGoogleEmulator;
    before(async () => {
      google = await startGoogleEmulator();
    });
    after(async () => google?.close());
    it('deleted after the run through the API', async () => check(await googleModelEnv(google, store), 'api'));
    it('deleted after the run at Google', async () => check(await googleModelEnv(google, store), 'provider'));
  });
});
