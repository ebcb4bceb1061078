/**
 * A series' whole CalDAV object deleted at the server while the hub holds a new override of one of
 * its occurrences that no push has sent yet (no remote id). The series is gone at the server; the
 * hub changed only one occurrence of it. As at Google and Graph, where a change of an occurrence
 * of a series deleted there cannot outlive it (`provider-cannot-restore`), the deletion stands
 * whatever the delete policy: the series and every override of it leave the hub, the conflict is
 * recorded, nothing is left in the outbox and nothing comes back at the server, pulled or pushed
 * first. A hub change of the series itself (its master) is a modification of the object the
 * server deleted, as for a single event: the delete policy decides (modify-wins writes it again).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseEvent } from '../../shared/model/index.ts';
import { findOccurrence, pushCalendar, settle, writeOccurrence, writeUid } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { describeOnDavServers } from '../support/caldav-harness.ts';

const UID = 'deleted-series-unsent-override@calhub.test';
const utc = (day: number, hour: number) => ({ dateTime: `2027-04-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const KEY = '2027-04-07T09:00:00Z';
const MASTER = parseEvent({ uid: UID, title: 'Weekly', start: utc(7, 9), end: utc(7, 10), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'] } });

type Policies = { conflictPolicy?: 'manual'; deletePolicy?: 'delete-wins' };

interface Case {
  name: string;
  policies: Policies;
  /** The hub also changes the series itself (its master), not only the occurrence. */
  masterToo?: boolean;
  /** Where the series ends: gone everywhere, or written again with the hub's changes. */
  want: 'gone' | 'recreated';
  conflicts: string[];
  /** Pushed first, where that records otherwise. */
  conflictsPushedFirst?: string[];
}

const CASES: Case[] = [
  { name: 'modify-wins (the default)', policies: {}, want: 'gone', conflicts: [`series-deleted ${KEY}:deleted -> deleted`] },
  { name: 'delete-wins', policies: { deletePolicy: 'delete-wins' }, want: 'gone', conflicts: [`delete-wins ${KEY}:deleted -> deleted`] },
  { name: 'manual conflicts, modify-wins', policies: { conflictPolicy: 'manual' }, want: 'gone', conflicts: [`series-deleted ${KEY}:deleted -> deleted`] },
  // The hub changed the series too: a modification of the deleted object itself, as for a single event.
  // Pushed first, the write's 404 recreates it and records the conflict with that write (push-plan.ts).
  { name: 'the series retitled here too, modify-wins', policies: {}, masterToo: true, want: 'recreated', conflicts: ['modify-wins deleted -> recreated'] },
  { name: 'the series retitled here too, delete-wins', policies: { deletePolicy: 'delete-wins' }, masterToo: true, want: 'gone', conflicts: ['delete-wins deleted -> deleted'] },
];

async function check(env: ModelEnv, c: Case, pushFirst: boolean): Promise<void> {
  const cal = env.calendars[0]!;
  const t = env.store.tenant(env.tenantId);
  await t.sync.setPolicies(cal, c.policies);
  await writeUid(env.deps, env.tenantId, cal, UID, [MASTER]);
  await settle(env.deps, env.tenantId, [cal]);
  const [held] = await env.driver.list(0);
  assert.ok(held, 'the series is on the server');

  // The hub overrides a regular occurrence (its first override: a row with no remote id, unsent)…
  const masterRow = (await t.events.byUid(cal, UID)).find((r) => r.event.originalStart === null)!;
  if (c.masterToo) {
    await writeUid(env.deps, env.tenantId, cal, UID, [{ ...masterRow.event, title: 'Weekly (hub)', providerEventId: masterRow.remoteId }]);
  }
  const at = await findOccurrence(env.store, env.tenantId, masterRow.id, KEY);
  assert.equal(at.override, null, 'a regular occurrence in the hub');
  if (at.override !== null) return;
  await writeOccurrence(env.deps, env.tenantId, at, { ...at.base, title: 'Moved here', start: utc(9, 14), end: utc(9, 15) });
  const unsent = (await t.events.byUid(cal, UID)).filter((r) => r.event.originalStart !== null);
  assert.deepEqual(unsent.map((r) => r.remoteId), [null], 'the new override has no remote id yet');

  // …while another client deletes the series' whole object at the server.
  await env.driver.delete(0, held.remoteId);

  if (pushFirst) await pushCalendar(env.deps, env.tenantId, cal, 'push-first').catch(() => undefined);
  const r = await settle(env.deps, env.tenantId, [cal]);
  assert.deepEqual([...r.failures.values()], []);

  const rows = (await t.events.byUid(cal, UID)).map((row) => `${row.event.originalStart ? 'override' : 'series'}:${row.event.title}:${row.remoteId ?? 'unsent'}`);
  const server = (await env.driver.list(0)).flatMap((o) => o.events.map((e) => `${e.originalStart ? 'override' : 'series'}:${e.title}`));
  if (c.want === 'gone') {
    assert.deepEqual(rows, [], 'the series and its overrides are gone from the hub: no orphan row');
    assert.deepEqual(server, [], 'nothing comes back at the server');
  } else {
    assert.deepEqual(server.sort(), ['override:Moved here', 'series:Weekly (hub)'], 'written again with the hub\'s changes');
    assert.deepEqual(rows.map((x) => x.replace(/:[^:]*$/, '')).sort(), ['override:Moved here', 'series:Weekly (hub)']);
  }
  const left = await env.store.db.query<{ uid: string }>('SELECT uid FROM outbox WHERE calendar_id = $1', [cal]);
  assert.deepEqual(left, [], 'nothing is left in the outbox');
  const busy = await env.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM busy_spans WHERE calendar_id = $1 AND uid = $2', [cal, UID]);
  assert.equal(busy[0]!.n > 0, c.want === 'recreated', 'busy time only while the series stands');
  const recorded = await env.store.db.query<{ policy: string; fields: string[]; outcome: string }>('SELECT policy, fields, outcome FROM conflicts WHERE calendar_id = $1', [cal]);
  assert.deepEqual(recorded.map((x) => `${x.policy} ${x.fields.join(',')} -> ${x.outcome}`), (pushFirst && c.conflictsPushedFirst) || c.conflicts, 'the conflict is recorded');
  assert.equal((await settle(env.deps, env.tenantId, [cal])).written, 0, 'and a second sync writes nothing');
}

describeOnDavServers((name) => `a CalDAV series deleted at ${name} while the hub holds an unsent override of it`, (s) => {
  for (const c of CASES) {
    for (const pushFirst of [false, true]) {
      it(`${c.name}, ${pushFirst ? 'push first' : 'pull first'}`, async () => check(await davModelEnv(s.dav, s.store), c, pushFirst));
    }
  }
});
