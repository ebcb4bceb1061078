/**
 * An overridden occurrence of a series cancelled at a CalDAV server and changed in the hub before
 * the next pull: delete-vs-modify, settled by the calendar's delete policy in either order, with
 * the conflict recorded (series-edits-both-sides covers Google and Graph). CalDAV cancels an
 * occurrence two ways, and they differ: the override's STATUS:CANCELLED keeps it in the object; an
 * EXDATE on the master removes it, so the pull sees the occurrence gone and the master changed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventTimeKey, parseEvent, type CanonicalEvent } from '../../shared/model/index.ts';
import type { Store } from '../../shared/store/index.ts';
import { findOccurrence, pushCalendar, settle, writeOccurrence, writeUid } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { hasBinary, startRadicale, type DavServer } from '../support/dav-servers.ts';
import { openTestStore } from '../support/test-store.ts';

const UID = 'cancel-vs-edit@calhub.test';
const utc = (day: number, hour: number) => ({ dateTime: `2027-01-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const KEY = '2027-01-18T09:00:00Z';
const MASTER = parseEvent({ uid: UID, title: 'Weekly', location: 'Room 1', start: utc(4, 9), end: utc(4, 10), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=6'] } });
const OVERRIDE: CanonicalEvent = { ...MASTER, recurrence: null, originalStart: utc(18, 9), start: utc(18, 9), end: utc(18, 10), location: 'Room 5' };

/** The series as both sides are compared: each occurrence that differs from the rule. */
function shape(events: CanonicalEvent[]): Record<string, string> {
  const m = events.find((e) => e.originalStart === null)!;
  const out: Record<string, string> = { series: `${m.title} @ ${m.location}` };
  for (const x of m.recurrence?.exdates ?? []) out[eventTimeKey(x)] = 'cancelled';
  for (const e of events.filter((o) => o.originalStart)) {
    const k = eventTimeKey(e.originalStart!);
    // An override of an occurrence the master's EXDATE removes is shown by no client.
    out[k] = `${out[k] ? 'EXDATE and ' : ''}${e.status === 'cancelled' ? 'cancelled' : `${e.title} @ ${e.location}`}`;
  }
  return out;
}

type How = 'STATUS:CANCELLED' | 'EXDATE';

async function cancelAtServer(env: ModelEnv, how: How): Promise<void> {
  const [held] = await env.driver.list(0);
  const master = held!.events.find((e) => e.originalStart === null)!;
  const override = held!.events.find((e) => e.originalStart !== null)!;
  const events =
    how === 'STATUS:CANCELLED'
      ? [master, { ...override, status: 'cancelled' as const }]
      : [{ ...master, recurrence: { ...master.recurrence!, exdates: [...master.recurrence!.exdates, override.originalStart!] } }];
  await env.driver.put(0, held!.remoteId, events);
}

async function check(env: ModelEnv, how: How, deletePolicy: 'modify-wins' | 'delete-wins', pushFirst: boolean): Promise<void> {
  const cal = env.calendars[0]!;
  const t = env.store.tenant(env.tenantId);
  await t.sync.setPolicies(cal, { deletePolicy });
  await writeUid(env.deps, env.tenantId, cal, UID, [MASTER, OVERRIDE]);
  await settle(env.deps, env.tenantId, [cal]);
  assert.deepEqual(shape((await env.driver.list(0)).flatMap((o) => o.events)), { series: 'Weekly @ Room 1', [KEY]: 'Weekly @ Room 5' });

  await cancelAtServer(env, how);
  const masterId = (await t.events.byUid(cal, UID)).find((r) => r.event.originalStart === null)!.id;
  const at = await findOccurrence(env.store, env.tenantId, masterId, KEY);
  assert.ok(at.override, 'the occurrence is an override in the hub');
  await writeOccurrence(env.deps, env.tenantId, at, { ...at.override.event, title: 'Retitled here' });

  if (pushFirst) await pushCalendar(env.deps, env.tenantId, cal, 'push-first');
  const r = await settle(env.deps, env.tenantId, [cal]);
  assert.deepEqual([...r.failures.values()], []);
  const left = await env.store.db.query<{ uid: string }>('SELECT uid FROM outbox WHERE calendar_id = $1', [cal]);
  assert.deepEqual(left, [], 'nothing is left in the outbox');
  const want = { series: 'Weekly @ Room 1', [KEY]: deletePolicy === 'modify-wins' ? 'Retitled here @ Room 5' : 'cancelled' };
  assert.deepEqual(shape((await t.events.byUid(cal, UID)).map((row) => row.event)), want, 'the hub holds the outcome');
  assert.deepEqual(shape((await env.driver.list(0)).flatMap((o) => o.events)), want, 'the server holds the outcome');
  const recorded = await env.store.db.query<{ policy: string; fields: string[]; outcome: string }>('SELECT policy, fields, outcome FROM conflicts WHERE calendar_id = $1', [cal]);
  const outcome = deletePolicy === 'modify-wins' ? 'local' : 'remote';
  assert.deepEqual(recorded.map((c) => `${c.policy} ${c.fields.join(',')} -> ${c.outcome}`), [`${deletePolicy} ${KEY}:deleted -> ${outcome}`], 'the conflict recorded');
  assert.equal((await settle(env.deps, env.tenantId, [cal])).written, 0, 'and a second sync writes nothing');
}

describe('an overridden occurrence cancelled at a CalDAV server and changed in the hub', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
  let dav: DavServer;
  let store: Store;
  before(async () => {
    dav = await startRadicale();
    store = await openTestStore();
    await store.migrate();
  });
  after(async () => {
    await store?.close();
    await dav?.stop();
  });

  for (const how of ['STATUS:CANCELLED', 'EXDATE'] as const) {
    for (const deletePolicy of ['modify-wins', 'delete-wins'] as const) {
      for (const pushFirst of [false, true]) {
        it(`${how}, ${deletePolicy}, ${pushFirst ? 'push first' : 'pull first'}`, async () => check(await davModelEnv(dav, store), how, deletePolicy, pushFirst));
      }
    }
  }
});
