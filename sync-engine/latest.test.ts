/**
 * latest-wins: the hub's edit time against the provider's own modification time, the same at push
 * time as at pull time. An outside report: an API write refused by Google's If-Match (the user
 * edited the event there 2 s after the API write) was still taken as the later edit and written
 * over the user's, because push took the hub's side as newer whenever its write was refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import type { LedgerEntry } from '../shared/store/index.ts';
import { decideLatest, providerChangedAt } from './latest.ts';
import { objectHash } from './object-hash.ts';
import { planPage } from './plan.ts';
import { planPush, putState, type Heard, type PushAction } from './push-plan.ts';

const T = Date.parse('2026-12-07T20:00:00Z');
const ev = (title: string, updatedAt: number | null = null): CanonicalEvent => ({
  ...parseEvent({ uid: 'u', title, start: { dateTime: '2026-12-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T10:00:00Z', timeZone: 'UTC' } }),
  providerUpdatedAt: updatedAt === null ? null : new Date(updatedAt).toISOString(),
});
const BASE = [ev('Planning', T - 60_000)];
const agreed: LedgerEntry = { remoteId: 'r1', uid: 'u', base: BASE, baseHash: objectHash(BASE), providerVersion: '"v1"' };

describe('decideLatest', () => {
  it('the later of the hub edit and the provider modification wins; equal times go to the hub', () => {
    assert.equal(decideLatest(T, [ev('x', T + 2000)], new Date(T + 6000)).localIsNewer, false);
    assert.equal(decideLatest(T + 2000, [ev('x', T)], new Date(T + 6000)).localIsNewer, true);
    assert.equal(decideLatest(T, [ev('x', T)], new Date(T + 6000)).localIsNewer, true);
  });
  it('names both times; a provider that gives none counts as changed when read', () => {
    assert.deepEqual(decideLatest(T, [ev('x', T + 2000)], new Date(T + 6000)), { localIsNewer: false, localChangedAt: '2026-12-07T20:00:00.000Z', remoteChangedAt: '2026-12-07T20:00:02.000Z' });
    assert.deepEqual(decideLatest(T, [ev('x')], new Date(T + 6000)), { localIsNewer: false, localChangedAt: '2026-12-07T20:00:00.000Z', remoteChangedAt: null });
    assert.equal(decideLatest(null, [ev('x', T)], new Date(T + 6000)).localIsNewer, false, 'a hub edit of unknown time loses');
  });
  it("an object's time is its newest event's", () => {
    assert.equal(providerChangedAt([ev('a', T), ev('b', T + 5)]), T + 5);
    assert.equal(providerChangedAt([ev('a')]), null);
  });
});

/** The push of an API edit made at `editedAt`, refused by If-Match because the provider's version changed at `remoteAt`. */
function pushAfter412(editedAt: number, remoteAt: number): PushAction {
  let s = putState('u', { remoteId: 'r1', events: [ev('API-EARLY')] }, agreed, { policy: 'latest-wins', deletePolicy: 'modify-wins', editedAt });
  const answers: Heard[] = [{ kind: 'precondition-failed' }, { kind: 'fetched', remote: { remoteId: 'r1', version: '"v2"', events: [ev('USER-LATER', remoteAt)] }, seenAt: new Date(T + 6000) }];
  for (;;) {
    const { action, next } = planPush(s);
    const heard = answers.shift();
    if (!heard) return action;
    s = { ...next, heard };
  }
}

describe('latest-wins at push time (after a refused conditional write)', () => {
  it("a provider edit made after the hub's stands, recorded with both times", () => {
    const a = pushAfter412(T, T + 2000);
    assert.equal(a.kind, 'adopt-remote', `the user's later edit is written over: ${a.kind}`);
    const c = (a as Extract<PushAction, { kind: 'adopt-remote' }>).conflicts;
    assert.deepEqual(c.map((x) => [x.policy, x.fields, x.outcome, x.localChangedAt, x.remoteChangedAt]), [['latest-wins', [':title'], 'remote', '2026-12-07T20:00:00.000Z', '2026-12-07T20:00:02.000Z']]);
  });
  it("a hub edit made after the provider's is written", () => {
    const a = pushAfter412(T + 2000, T);
    assert.equal(a.kind, 'update-if-match');
    assert.equal((a as Extract<PushAction, { kind: 'update-if-match' }>).events[0]!.title, 'API-EARLY');
  });
  it('decides as the pull does for the same two edits', () => {
    for (const [editedAt, remoteAt] of [[T, T + 2000], [T + 2000, T]] as const) {
      const plan = planPage({ changes: [{ kind: 'upsert', remoteId: 'r1', version: '"v2"', events: [ev('USER-LATER', remoteAt)] }], ledger: new Map([['r1', agreed]]), pendingUids: new Map([['u', editedAt]]), local: new Map([['u', [ev('API-EARLY')]]]), policy: 'latest-wins', deletePolicy: 'modify-wins', now: new Date(T + 6000) });
      const pushed = pushAfter412(editedAt, remoteAt).kind === 'adopt-remote' ? 'remote' : 'local';
      assert.equal(plan.conflicts[0]!.outcome, pushed);
      assert.deepEqual([plan.conflicts[0]!.localChangedAt, plan.conflicts[0]!.remoteChangedAt], [new Date(editedAt).toISOString(), new Date(remoteAt).toISOString()]);
    }
  });
});
