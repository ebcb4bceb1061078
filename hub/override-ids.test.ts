/**
 * An override is one occurrence of its series, and it keeps its event id when the series moves by
 * a time shift and its original start moves with it (re-keyed, hub/carry-overrides.ts): the id
 * the occurrence PATCH answered still answers, with a new etag, the tenant's webhook says the
 * instance was `updated`, and the provider's answer (a new RECURRENCE-ID in the one object) lands
 * on the same row. So does a pull of another client's move of the whole series. Before, the
 * carried override was a new row: GET of the old id answered 404 and the webhook said
 * deleted + created.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventTimeKey, parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import { Store } from '../shared/store/index.ts';
import { composeWebhooks } from '../shared/store/webhook-compose.ts';
import { pullCalendar, settle } from '../sync-engine/index.ts';
import { memoryModelEnv } from '../sync-engine/test-support/model.ts';
import { apiOver } from '../test/support/api-over.ts';
import { getEvent, updateEvent, updateOccurrence } from './index.ts';

let store: Store;
before(async () => {
  store = await Store.open({ dataDir: null });
  await store.migrate();
});
after(() => store.close());

const B = 'Europe/Berlin';
const z = (dateTime: string) => ({ dateTime, timeZone: B });
type Instance = { eventId: string; change: string };
type Msg = { payload: { data: { uid: string; series: { instances: Instance[] } | null } } };

async function instancesSince(uid: string, run: () => Promise<unknown>): Promise<Instance[]> {
  await composeWebhooks(store.db, { now: new Date() });
  const [{ m } = { m: '0' }] = await store.db.query<{ m: string }>('SELECT COALESCE(max(seq), 0)::text AS m FROM webhook_messages');
  await run();
  await composeWebhooks(store.db, { now: new Date() });
  const rows = await store.db.query<Msg>('SELECT payload FROM webhook_messages WHERE seq > $1 ORDER BY seq', [m]);
  return rows.filter((r) => r.payload.data.uid === uid).flatMap((r) => r.payload.data.series?.instances ?? []);
}

async function setUp() {
  const env = await memoryModelEnv(store);
  const cal = env.calendars[0]!;
  await store.tenant(env.tenantId).webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
  const { hub } = await apiOver(env);
  const uid = `daily-${Math.random().toString(36).slice(2, 8)}@test`;
  // Daily 09:00 Berlin (08:00Z) from Monday 4 January 2027, five times.
  const series = parseEvent({ uid, title: 'T series', start: z('2027-01-04T08:00:00Z'), end: z('2027-01-04T09:00:00Z'), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'], exdates: [], rdates: [] } });
  await env.driver.put(0, null, [series]);
  await settle(env.deps, env.tenantId, [cal]);
  const [master] = await store.tenant(env.tenantId).events.list(cal);
  const o = await updateOccurrence(hub, env.tenantId, master!.id, '2027-01-05T08:00:00Z', { title: 'T override' });
  await settle(env.deps, env.tenantId, [cal]);
  return { env, cal, hub, uid, S: master!.id, O: o.id };
}

const rowsOf = async (cal: string, uid: string) =>
  (await store.db.query<{ id: string; k: string; title: string; status: string }>("SELECT id, original_start_key AS k, data->>'title' AS title, data->>'status' AS status FROM events WHERE calendar_id = $1 AND uid = $2 ORDER BY original_start_key", [cal, uid])).map((r) => [r.id, r.k, r.title, r.status]);

describe('an override keeps its id when its series moves', () => {
  it('the API moving the series re-keys the override in place: same id, new etag, webhook `updated`, and the provider answer lands on it', async () => {
    const { env, cal, hub, uid, S, O } = await setUp();
    await updateEvent(hub, env.tenantId, S, { title: 'T series renamed' });
    await settle(env.deps, env.tenantId, [cal]);
    const before = await getEvent(hub, env.tenantId, O);
    const changes = await instancesSince(uid, () => updateEvent(hub, env.tenantId, S, { start: { dateTime: '2027-01-04T09:30:00', timeZone: B }, end: { dateTime: '2027-01-04T10:30:00', timeZone: B } }));
    const after = await getEvent(hub, env.tenantId, O);
    assert.equal(after.event.title, 'T override');
    assert.equal(eventTimeKey(after.event.originalStart!), eventTimeKey(z('2027-01-05T08:30:00Z')));
    assert.notEqual(after.contentHash, before.contentHash);
    assert.deepEqual(changes.map((c) => [c.eventId, c.change]), [[O, 'updated']]);
    // The push writes the series; the memory provider answers with the override under its new RECURRENCE-ID.
    await settle(env.deps, env.tenantId, [cal]);
    await settle(env.deps, env.tenantId, [cal]);
    const rows = await rowsOf(cal, uid);
    assert.deepEqual(rows, [
      [S, '', 'T series renamed', 'confirmed'],
      [O, eventTimeKey(z('2027-01-05T08:30:00Z')), 'T override', 'confirmed'],
    ]);
    // An If-Match PATCH with the etag a client holds from the move's answer succeeds.
    const held = await getEvent(hub, env.tenantId, O);
    const patched = await updateEvent(hub, env.tenantId, O, { title: 'T override 2' }, `"${held.contentHash}"`);
    assert.equal(patched.id, O);
  });

  it('a series moved by whole days carries each override onto the next one\'s old slot, each keeping its id', async () => {
    const { env, cal, hub, uid, S, O } = await setUp();
    const P = (await updateOccurrence(hub, env.tenantId, S, '2027-01-06T08:00:00Z', { title: 'T wed' })).id;
    await settle(env.deps, env.tenantId, [cal]);
    const changes = await instancesSince(uid, () => updateEvent(hub, env.tenantId, S, { start: { dateTime: '2027-01-05T09:00:00', timeZone: B }, end: { dateTime: '2027-01-05T10:00:00', timeZone: B } }));
    assert.deepEqual(changes.map((c) => [c.eventId, c.change]).sort(), [[O, 'updated'], [P, 'updated']].sort());
    await settle(env.deps, env.tenantId, [cal]);
    assert.deepEqual(await rowsOf(cal, uid), [
      [S, '', 'T series', 'confirmed'],
      [O, eventTimeKey(z('2027-01-06T08:00:00Z')), 'T override', 'confirmed'],
      [P, eventTimeKey(z('2027-01-07T08:00:00Z')), 'T wed', 'confirmed'],
    ]);
  });

  it('a pull of another client moving the whole series (the override under its new RECURRENCE-ID) keeps the override\'s id', async () => {
    const { env, cal, uid, S, O } = await setUp();
    const [object] = await env.driver.list(0);
    const moved = object!.events.map((e): CanonicalEvent =>
      e.originalStart === null
        ? { ...e, start: z('2027-01-04T08:30:00Z'), end: z('2027-01-04T09:30:00Z') }
        : { ...e, originalStart: z('2027-01-05T08:30:00Z'), start: z('2027-01-05T08:30:00Z'), end: z('2027-01-05T09:30:00Z') },
    );
    await env.driver.put(0, object!.remoteId, moved);
    const changes = await instancesSince(uid, () => pullCalendar(env.deps, env.tenantId, cal));
    assert.deepEqual(changes.map((c) => [c.eventId, c.change]), [[O, 'updated']]);
    assert.deepEqual(await rowsOf(cal, uid), [
      [S, '', 'T series', 'confirmed'],
      [O, eventTimeKey(z('2027-01-05T08:30:00Z')), 'T override', 'confirmed'],
    ]);
  });

  it('a rule change keeps the id of an override whose original start the new rule still has', async () => {
    const { env, cal, hub, uid, S } = await setUp();
    const W = (await updateOccurrence(hub, env.tenantId, S, '2027-01-06T08:00:00Z', { title: 'T wed' })).id;
    await settle(env.deps, env.tenantId, [cal]);
    // Every other day from Monday: the 4th, 6th and 8th; Tuesday's override (the 5th) is no longer an occurrence.
    const changes = await instancesSince(uid, () => updateEvent(hub, env.tenantId, S, { recurrence: { rrules: ['FREQ=DAILY;INTERVAL=2;COUNT=3'], exdates: [], rdates: [] } }));
    assert.ok(!changes.some((c) => c.eventId === W && c.change !== 'updated'), `the kept override is not deleted and created: ${JSON.stringify(changes)}`);
    await settle(env.deps, env.tenantId, [cal]);
    await settle(env.deps, env.tenantId, [cal]);
    assert.deepEqual(await rowsOf(cal, uid), [
      [S, '', 'T series', 'confirmed'],
      [W, eventTimeKey(z('2027-01-06T08:00:00Z')), 'T wed', 'confirmed'],
    ]);
    assert.equal((await getEvent(hub, env.tenantId, W)).event.title, 'T wed');
  });
});
