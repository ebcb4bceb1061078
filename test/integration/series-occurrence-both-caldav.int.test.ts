/**
 * A regular occurrence of a series changed in the hub (its first override there) while a CalDAV
 * client added an override of the same occurrence to the series' object, before the next pull.
 * Both overrides were made from the series at that occurrence, so that is the base they merge
 * against, field by field, in either order. Before, the merge had no base for the occurrence (the
 * ledger's object held only the master): every field the two differed in was a conflict, and the
 * policy gave all of them to one side, so the server's location and description were lost to the
 * hub's title (series-edits-both-sides covers Google and Graph). An EXDATE added there is the
 * occurrence cancelled: delete-vs-modify against the hub's change, settled by the delete policy.
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

const UID = 'occurrence-both@calhub.test';
const berlin = (day: number, hour: number) => ({ dateTime: `2027-02-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'Europe/Berlin' });
const KEY = '2027-02-04T08:00:00Z';
const MASTER = parseEvent({ uid: UID, title: 'Daily', description: 'v1', start: berlin(1, 8), end: berlin(1, 9), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } });

/** The series as both sides are compared: the master and each override's title, description and location. */
function shape(events: CanonicalEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) out[e.originalStart ? eventTimeKey(e.originalStart) : 'series'] = `${e.title} | ${e.description ?? '-'} | ${e.location ?? '-'}`;
  for (const x of events.find((e) => e.originalStart === null)?.recurrence?.exdates ?? []) out[eventTimeKey(x)] = `${out[eventTimeKey(x)] ? 'EXDATE and ' : ''}cancelled`;
  return out;
}

interface Scenario {
  name: string;
  /** The override the client adds, or the EXDATE it cancels the occurrence with. */
  there: Partial<CanonicalEvent> | 'EXDATE';
  here: Partial<CanonicalEvent>;
  policy?: 'hub-wins';
  deletePolicy?: 'delete-wins';
  want: string;
  conflicts: string[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'described and located there, retitled here',
    there: { description: 'edited in Thunderbird', location: 'Room from Thunderbird' },
    here: { title: 'Hub retitled day 4' },
    want: 'Hub retitled day 4 | edited in Thunderbird | Room from Thunderbird',
    conflicts: [],
  },
  {
    name: 'retitled and located there, retitled and described here (hub wins)',
    there: { title: 'Retitled there', location: 'Room T' },
    here: { title: 'Retitled here', description: 'described here' },
    policy: 'hub-wins',
    want: 'Retitled here | described here | Room T',
    conflicts: [`hub-wins ${KEY}:title -> merged`],
  },
  {
    // Cancelled there is deleted there: delete-vs-modify, as at Google. Before, the merge kept the
    // server's EXDATE next to the hub's override, which it hides, and recorded nothing.
    name: 'cancelled by an EXDATE there, retitled here',
    there: 'EXDATE',
    here: { title: 'Hub retitled day 4' },
    want: 'Hub retitled day 4 | v1 | -',
    conflicts: [`modify-wins ${KEY}:deleted -> local`],
  },
  {
    name: 'cancelled by an EXDATE there, retitled here, where deletions win',
    there: 'EXDATE',
    here: { title: 'Hub retitled day 4' },
    deletePolicy: 'delete-wins',
    want: 'cancelled',
    conflicts: [`delete-wins ${KEY}:deleted -> remote`],
    // The server's object is adopted as sent. Before, that replaced only the rows of its remote id:
    // the hub's new override had none yet and stayed in the store next to the EXDATE that hid it.
  },
];

async function check(env: ModelEnv, s: Scenario, pushFirst: boolean): Promise<void> {
  const cal = env.calendars[0]!;
  const t = env.store.tenant(env.tenantId);
  if (s.policy || s.deletePolicy) await t.sync.setPolicies(cal, { conflictPolicy: s.policy, deletePolicy: s.deletePolicy });
  await writeUid(env.deps, env.tenantId, cal, UID, [MASTER]);
  await settle(env.deps, env.tenantId, [cal]);

  // A CalDAV client adds the occurrence's override (or EXDATE) to the series' object.
  const [held] = await env.driver.list(0);
  const master = held!.events.find((e) => e.originalStart === null)!;
  if (s.there === 'EXDATE') {
    await env.driver.put(0, held!.remoteId, [{ ...master, recurrence: { ...master.recurrence!, exdates: [berlin(4, 8)] } }]);
  } else {
    await env.driver.put(0, held!.remoteId, [master, { ...master, recurrence: null, originalStart: berlin(4, 8), start: berlin(4, 8), end: berlin(4, 9), ...s.there }]);
  }

  const masterId = (await t.events.byUid(cal, UID)).find((r) => r.event.originalStart === null)!.id;
  const at = await findOccurrence(env.store, env.tenantId, masterId, KEY);
  assert.equal(at.override, null, 'the occurrence is a regular one in the hub');
  if (at.override !== null) return;
  await writeOccurrence(env.deps, env.tenantId, at, { ...at.base, ...s.here });

  if (pushFirst) await pushCalendar(env.deps, env.tenantId, cal, 'push-first');
  const r = await settle(env.deps, env.tenantId, [cal]);
  assert.deepEqual([...r.failures.values()], []);
  const left = await env.store.db.query<{ uid: string }>('SELECT uid FROM outbox WHERE calendar_id = $1', [cal]);
  assert.deepEqual(left, [], 'nothing is left in the outbox');
  const want = { series: 'Daily | v1 | -', [KEY]: s.want };
  assert.deepEqual(shape((await t.events.byUid(cal, UID)).map((row) => row.event)), want, 'the hub holds both changes');
  assert.deepEqual(shape((await env.driver.list(0)).flatMap((o) => o.events)), want, 'the server holds both changes');
  const recorded = await env.store.db.query<{ policy: string; fields: string[]; outcome: string }>('SELECT policy, fields, outcome FROM conflicts WHERE calendar_id = $1', [cal]);
  assert.deepEqual(recorded.map((c) => `${c.policy} ${c.fields.join(',')} -> ${c.outcome}`), s.conflicts, 'only what changed on both sides is a conflict');
  assert.equal((await settle(env.deps, env.tenantId, [cal])).written, 0, 'and a second sync writes nothing');
}

describe('a regular occurrence changed in the hub while a CalDAV client overrode it', { skip: !hasBinary('radicale') && 'radicale is not installed' }, () => {
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

  for (const s of SCENARIOS) {
    for (const pushFirst of [false, true]) {
      it(`${s.name}, ${pushFirst ? 'push first' : 'pull first'}`, async () => check(await davModelEnv(dav, store), s, pushFirst));
    }
  }
});
