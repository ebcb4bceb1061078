/**
 * planPush as a table, in vdirsyncer's manner: the hub's side and the ledger, and what the
 * provider answered last -> the next action. Pure: no store, no provider.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RemoteObject } from '../connectors/index.ts';
import { parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import type { LedgerEntry } from '../shared/store/index.ts';
import type { ConflictPolicy, DeletePolicy } from './merge.ts';
import { objectHash } from './object-hash.ts';
import { deleteState, planPush, putState, type Heard, type PushState } from './push-plan.ts';

const ev = (title: string, location = 'Room 1'): CanonicalEvent =>
  parseEvent({ uid: 'u', title, location, start: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-10T10:00:00Z', timeZone: 'UTC' } });
const BASE = [ev('Planning')];
const agreed: LedgerEntry = { remoteId: 'r1', uid: 'u', base: BASE, baseHash: objectHash(BASE), providerVersion: '"v1"' };
const remote = (events: CanonicalEvent[], version = '"v2"', remoteId = 'r1'): RemoteObject => ({ remoteId, version, events });
/** A version changed at the provider on Nov 1, before the hub's edits (latest: Nov 5), so latest-wins takes the hub's. */
const earlier = (events: CanonicalEvent[], version = '"v2"'): RemoteObject => remote(events.map((e) => ({ ...e, providerUpdatedAt: '2026-11-01T00:00:00.000Z' })), version);
const manual = { policy: 'manual' as const, deletePolicy: 'modify-wins' as const };
const latest = { policy: 'latest-wins' as const, deletePolicy: 'modify-wins' as const, editedAt: Date.parse('2026-11-05T00:00:00Z') };
const deleteWins = { policy: 'latest-wins' as const, deletePolicy: 'delete-wins' as const };

const put = (local: CanonicalEvent[], remoteId: string | null, known: LedgerEntry | undefined, settings: { policy: ConflictPolicy; deletePolicy: DeletePolicy } = latest) => putState('u', { remoteId, events: local }, known, settings);
/** Plans, then replays the provider's answers, returning every action kind in order. */
function run(start: PushState, answers: Heard[]): string[] {
  const kinds: string[] = [];
  let s = start;
  for (;;) {
    const { action, next } = planPush(s);
    kinds.push(action.kind);
    const heard = answers.shift();
    if (!heard) return kinds;
    s = { ...next, heard };
  }
}

describe('planPush: ledger state x what the provider says -> actions', () => {
  const rows: Array<[string, PushState, Heard[], string[]]> = [
    ['agreed and unchanged: nothing to write', put(BASE, 'r1', agreed), [], ['skip']],
    ['agreed, changed in the hub: update if it still matches', put([ev('Moved')], 'r1', agreed), [], ['update-if-match']],
    ['update answered: commit as an update', put([ev('Moved')], 'r1', agreed), [{ kind: 'written', object: remote([ev('Moved')]) }], ['update-if-match', 'written']],
    ['never agreed: look the UID up first', put([ev('New')], null, undefined), [], ['lookup']],
    ['looked up, absent: create', put([ev('New')], null, undefined), [{ kind: 'found', remote: null }], ['lookup', 'create']],
    ['looked up, our lost create is there: commit it, write nothing', put([ev('New')], null, undefined), [{ kind: 'found', remote: remote([ev('New')]) }], ['lookup', 'written']],
    ['looked up, our lost create is there with the organizer the provider filled in: commit it, write nothing', put([ev('New')], null, undefined), [{ kind: 'found', remote: remote([{ ...ev('New'), organizer: { email: 'owner@example.com', name: null } }]) }], ['lookup', 'written']],
    ['looked up, someone else\'s content under the UID: update it if it matches', put([ev('New')], null, undefined), [{ kind: 'found', remote: remote([ev('Other')]) }], ['lookup', 'update-if-match']],
    ['412: fetch, merge, update against the new version', put([ev('Moved')], 'r1', agreed), [{ kind: 'precondition-failed' }, { kind: 'fetched', remote: remote([ev('Planning', 'Room 2')]) }], ['update-if-match', 'fetch', 'update-if-match']],
    ['412, the provider changed the same field, latest-wins: local is newer, so it is written', put([ev('Moved')], 'r1', agreed), [{ kind: 'precondition-failed' }, { kind: 'fetched', remote: earlier([ev('Elsewhere')]) }], ['update-if-match', 'fetch', 'update-if-match']],
    ['412, the provider changed the same field later, latest-wins: its side stands', put([ev('Moved')], 'r1', agreed), [{ kind: 'precondition-failed' }, { kind: 'fetched', remote: remote([{ ...ev('Elsewhere'), providerUpdatedAt: '2026-11-06T00:00:00.000Z' }]) }], ['update-if-match', 'fetch', 'adopt-remote']],
    ['412, the provider changed the same field, manual: park it', put([ev('Moved')], 'r1', agreed, manual), [{ kind: 'precondition-failed' }, { kind: 'fetched', remote: remote([ev('Elsewhere')]) }], ['update-if-match', 'fetch', 'park']],
    ['412, the provider came to hold exactly the hub\'s side: that is the write', put([ev('Planning', 'Room 2')], 'r1', agreed), [{ kind: 'precondition-failed' }, { kind: 'fetched', remote: remote([ev('Planning', 'Room 2')]) }], ['update-if-match', 'fetch', 'written']],
    ['412, the provider holds what we merged to anyway: adopt it', put(BASE, 'r1', { ...agreed, baseHash: 'stale' }), [{ kind: 'precondition-failed' }, { kind: 'fetched', remote: remote([ev('Planning', 'Room 2')]) }], ['update-if-match', 'fetch', 'adopt-remote']],
    ['412 on a create: someone made the UID meanwhile; find it and merge', put([ev('New')], null, undefined), [{ kind: 'found', remote: null }, { kind: 'precondition-failed' }, { kind: 'found', remote: remote([ev('Theirs')], '"t1"', 'r9') }], ['lookup', 'create', 'lookup', 'fetch']],
    ['412 on a create, and the UID cannot be found: give up', put([ev('New')], null, undefined), [{ kind: 'found', remote: null }, { kind: 'precondition-failed' }, { kind: 'found', remote: null }], ['lookup', 'create', 'lookup', 'fail']],
    ['404 on update, modify-wins: recreate', put([ev('Moved')], 'r1', agreed), [{ kind: 'not-found' }], ['update-if-match', 'recreate']],
    ['404 on update, delete-wins: the provider\'s deletion stands', put([ev('Moved')], 'r1', agreed, deleteWins), [{ kind: 'not-found' }], ['update-if-match', 'adopt-remote']],
    ['404 on a create: nothing to re-plan', put([ev('New')], null, undefined), [{ kind: 'found', remote: null }, { kind: 'not-found' }], ['lookup', 'create', 'fail']],
    ['deleted in the hub: delete if it still matches', deleteState('u', agreed, latest), [], ['delete-if-match']],
    ['delete answered', deleteState('u', agreed, latest), [{ kind: 'deleted' }], ['delete-if-match', 'deleted']],
    ['delete of something already gone: done', deleteState('u', agreed, latest), [{ kind: 'not-found' }], ['delete-if-match', 'deleted']],
    ['412 on delete, changed at the provider, modify-wins: it comes back', deleteState('u', agreed, latest), [{ kind: 'precondition-failed' }, { kind: 'fetched', remote: remote([ev('Changed')]) }], ['delete-if-match', 'fetch', 'adopt-remote']],
    ['412 on delete, changed at the provider, delete-wins: delete the new version', deleteState('u', agreed, deleteWins), [{ kind: 'precondition-failed' }, { kind: 'fetched', remote: remote([ev('Changed')]) }], ['delete-if-match', 'fetch', 'delete-if-match']],
    ['412 on delete, only the etag moved: delete the new version', deleteState('u', agreed, latest), [{ kind: 'precondition-failed' }, { kind: 'fetched', remote: remote(BASE) }], ['delete-if-match', 'fetch', 'delete-if-match']],
    // Google: an exception of a series deleted just before is cancelled with a new etag; not a modification to bring back.
    ['412 on delete, cancelled at the provider meanwhile, modify-wins: done', deleteState('u', agreed, latest), [{ kind: 'precondition-failed' }, { kind: 'fetched', remote: remote([{ ...ev('Planning'), status: 'cancelled' }]) }], ['delete-if-match', 'fetch', 'deleted']],
  ];
  for (const [name, start, answers, expected] of rows) it(name, () => assert.deepEqual(run(start, [...answers]), expected));

  it('writes carry the version they must match and the merged content', () => {
    const s = put([ev('Moved')], 'r1', agreed);
    const first = planPush(s);
    assert.deepEqual(first.action, { kind: 'update-if-match', remoteId: 'r1', ifMatch: '"v1"', events: [ev('Moved')], current: BASE });
    const merged = planPush({ ...first.next, heard: { kind: 'precondition-failed' } });
    const again = planPush({ ...planPush({ ...merged.next, heard: { kind: 'fetched', remote: remote([ev('Planning', 'Room 2')], '"v7"') } }).next, heard: null });
    assert.equal(again.action.kind, 'update-if-match');
    if (again.action.kind !== 'update-if-match') return;
    assert.equal(again.action.ifMatch, '"v7"');
    assert.deepEqual([again.action.events[0]!.title, again.action.events[0]!.location], ['Moved', 'Room 2'], 'both sides\' edits merged');
    assert.deepEqual(again.action.current, [ev('Planning', 'Room 2')], 'the provider\'s side at "v7" is what the write replaces');
  });

  it('a write over what a UID lookup found replaces that (its revision numbers build on it)', () => {
    const looked = planPush(put([ev('New')], null, undefined));
    const found = planPush({ ...looked.next, heard: { kind: 'found', remote: remote([ev('Other')], '"v4"') } });
    assert.equal(found.action.kind, 'update-if-match');
    if (found.action.kind !== 'update-if-match') return;
    assert.deepEqual([found.action.ifMatch, found.action.current], ['"v4"', [ev('Other')]]);
  });

  it('CalDAV: a write of a series whose only change is an occurrence, answered 404 (deleted there): the deletion stands, whatever the policy', () => {
    const series = { ...ev('Daily'), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'], exdates: [], rdates: [] } };
    const moved = parseEvent({ uid: 'u', title: 'Moved', location: 'Room 1', originalStart: { dateTime: '2026-11-12T09:00:00Z', timeZone: 'UTC' }, start: { dateTime: '2026-11-12T15:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-12T16:00:00Z', timeZone: 'UTC' } });
    const agreedSeries: LedgerEntry = { remoteId: 'r1', uid: 'u', base: [series], baseHash: objectHash([series]), providerVersion: '"v1"' };
    for (const settings of [latest, deleteWins]) {
      const s = put([series, moved], 'r1', agreedSeries, settings);
      assert.deepEqual(run(s, [{ kind: 'not-found' }]), ['update-if-match', 'adopt-remote']);
      const end = planPush({ ...planPush(s).next, heard: { kind: 'not-found' } }).action;
      assert.ok(end.kind === 'adopt-remote');
      assert.deepEqual(end.conflicts.map((c) => `${c.policy} ${c.fields.join(',')} -> ${c.outcome}`), [`${settings === latest ? 'series-deleted' : 'delete-wins'} 2026-11-12T09:00:00Z:deleted -> deleted`]);
    }
    // The series itself changed here too: modify-wins writes it again, as a single event.
    assert.deepEqual(run(put([{ ...series, title: 'Renamed' }, moved], 'r1', agreedSeries), [{ kind: 'not-found' }]), ['update-if-match', 'recreate']);
  });

  it('conflicts met on the way travel with the ending that commits them', () => {
    let s = put([ev('Moved')], 'r1', agreed);
    s = { ...planPush(s).next, heard: { kind: 'precondition-failed' } };
    s = { ...planPush(s).next, heard: { kind: 'fetched', remote: earlier([ev('Elsewhere')], '"v2"') } };
    s = { ...planPush(s).next, heard: { kind: 'written', object: remote([ev('Moved')], '"v3"') } };
    const end = planPush(s).action;
    assert.equal(end.kind, 'written');
    if (end.kind !== 'written') return;
    assert.equal(end.op, 'update');
    assert.deepEqual(end.conflicts.map((c) => [c.outcome, c.fields]), [['local', [':title']]]);
    const parked = run(put([ev('Moved')], 'r1', agreed, manual), [{ kind: 'precondition-failed' }, { kind: 'fetched', remote: remote([ev('Elsewhere')]) }]);
    assert.deepEqual(parked.at(-1), 'park');
  });
});
