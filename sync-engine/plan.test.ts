/**
 * planPage as a table, in vdirsyncer's manner: ledger state x a remote change x a pending local
 * change -> what is stored, what the ledger and outbox become, which conflict is recorded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RemoteChange } from '../connectors/index.ts';
import { parseEvent, withoutDetails, type CanonicalEvent } from '../shared/model/index.ts';
import { VERSION_UNKNOWN, type LedgerEntry } from '../shared/store/index.ts';
import type { ConflictPolicy, DeletePolicy } from './merge.ts';
import { objectHash } from './object-hash.ts';
import { planPage, type Plan } from './plan.ts';

const ev = (title: string, location = 'Room 1', updated: string | null = null): CanonicalEvent =>
  parseEvent({ uid: 'u', title, location, providerUpdatedAt: updated, start: { dateTime: '2026-11-10T09:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-10T10:00:00Z', timeZone: 'UTC' } });
const BASE = [ev('Planning')];
const agreed: LedgerEntry = { remoteId: 'r1', uid: 'u', base: BASE, baseHash: objectHash(BASE), providerVersion: '"v1"' };
const upsert = (events: CanonicalEvent[], version: string | null = '"v2"'): RemoteChange => ({ kind: 'upsert', remoteId: 'r1', version, events });
const del: RemoteChange = { kind: 'delete', remoteId: 'r1' };

interface Row {
  ledger: LedgerEntry | null;
  change: RemoteChange;
  /** The hub's pending edit (none: no outbox entry; []: deleted in the hub). */
  local?: CanonicalEvent[];
  policy?: ConflictPolicy;
  deletePolicy?: DeletePolicy;
  /** The provider keeps each instance of a series as an object of its own (Google, Graph). */
  apart?: boolean;
  /** What the last create of the UID sent (the outbox entry's record). */
  sent?: CanonicalEvent[];
}

function plan(r: Row): Plan {
  return planPage({
    changes: [r.change],
    ledger: new Map(r.ledger ? [[r.ledger.remoteId, r.ledger]] : []),
    pendingUids: new Map(r.local ? [['u', Date.parse('2026-11-01T12:00:00Z')]] : []),
    local: new Map(r.local ? [['u', r.local]] : []),
    policy: r.policy ?? 'latest-wins',
    deletePolicy: r.deletePolicy ?? 'modify-wins',
    now: new Date('2026-11-02T00:00:00Z'),
    apart: r.apart,
    sent: r.sent ? new Map([['u', r.sent]]) : undefined,
  });
}

/** One line per outcome: what is stored, ledger, outbox, conflict. */
const outcome = (r: Row): string => describePlan(plan(r));

function describePlan(plan: Plan): string {
  const stored = plan.apply.map((c) => (c.kind === 'upsert' ? `store ${c.events.map((e) => `${e.title}@${e.location}`).join(',')}` : c.kind)).join(';') || 'store nothing';
  const ledger = plan.ledgerDelete.length ? 'ledger forgets' : plan.ledgerPut.length ? `ledger ${plan.ledgerPut[0]!.providerVersion}` : 'ledger stays';
  const outbox = plan.outboxDrop.length ? 'outbox dropped' : plan.outboxRecreate.length ? 'outbox recreates' : plan.keepsLocal ? 'outbox pushes' : 'outbox stays';
  const conflict = plan.conflicts.map((c) => `conflict ${c.outcome}`).join(',') || 'no conflict';
  return [stored, ledger, outbox, conflict].join(' | ');
}

describe('planPage: ledger state x remote change x local change -> actions', () => {
  const rows: Array<[string, Row, string]> = [
    ['new remote object', { ledger: null, change: upsert([ev('Planning')]) }, 'store Planning@Room 1 | ledger "v2" | outbox stays | no conflict'],
    ['our own write coming back (same version)', { ledger: agreed, change: upsert(BASE, '"v1"') }, 'store nothing | ledger stays | outbox stays | no conflict'],
    ['same content, new etag', { ledger: agreed, change: upsert(BASE, '"v9"') }, 'store nothing | ledger "v9" | outbox stays | no conflict'],
    ['changed remotely only', { ledger: agreed, change: upsert([ev('Moved')]) }, 'store Moved@Room 1 | ledger "v2" | outbox stays | no conflict'],
    ['changed on both sides, different fields: merged, pushed back', { ledger: agreed, change: upsert([ev('Moved')]), local: [ev('Planning', 'Room 2')] }, 'store Moved@Room 2 | ledger "v2" | outbox pushes | no conflict'],
    ['same field both ways, remote newer, latest-wins', { ledger: agreed, change: upsert([ev('Theirs', 'Room 1', '2026-11-01T13:00:00Z')]), local: [ev('Mine')] }, 'store Theirs@Room 1 | ledger "v2" | outbox dropped | conflict remote'],
    ['same field both ways, hub-wins', { ledger: agreed, change: upsert([ev('Theirs')]), local: [ev('Mine')], policy: 'hub-wins' }, 'store Mine@Room 1 | ledger "v2" | outbox pushes | conflict local'],
    ['same field both ways, manual: parked, the provider\'s side stands', { ledger: agreed, change: upsert([ev('Theirs')]), local: [ev('Mine')], policy: 'manual' }, 'store Theirs@Room 1 | ledger "v2" | outbox dropped | conflict parked'],
    ['deleted remotely', { ledger: agreed, change: del }, 'delete | ledger forgets | outbox stays | no conflict'],
    ['deleted on both sides', { ledger: agreed, change: del, local: [] }, 'delete | ledger forgets | outbox dropped | no conflict'],
    // The hub's delete (API DELETE) pulled against an edit made at the provider: a delete conflict
    // with its own outcome (was recorded local / remote and sent no conflict.recorded).
    ['deleted in the hub, changed at the provider, delete-wins: the delete stands', { ledger: agreed, change: upsert([ev('Outlook')]), local: [], deletePolicy: 'delete-wins' }, 'store  | ledger "v2" | outbox pushes | conflict deleted'],
    ['deleted in the hub, changed at the provider, modify-wins: the change comes back', { ledger: agreed, change: upsert([ev('Outlook')]), local: [], deletePolicy: 'modify-wins' }, 'store Outlook@Room 1 | ledger "v2" | outbox dropped | conflict recreated'],
    ['deleted in the hub, changed at the provider, manual: parked', { ledger: agreed, change: upsert([ev('Outlook')]), local: [], policy: 'manual' }, 'store Outlook@Room 1 | ledger "v2" | outbox dropped | conflict parked'],
    ['deleted remotely, edited here, modify-wins: recreated', { ledger: agreed, change: del, local: [ev('Mine')] }, 'store nothing | ledger forgets | outbox recreates | conflict recreated'],
    ['deleted remotely, edited here, delete-wins', { ledger: agreed, change: del, local: [ev('Mine')], deletePolicy: 'delete-wins' }, 'delete | ledger forgets | outbox dropped | conflict deleted'],
    ['our lost create came back after the hub deleted it: the delete stands', { ledger: null, change: upsert([ev('Planning')]), local: [] }, 'store nothing | ledger "v2" | outbox pushes | no conflict'],
    ['an unreadable item is stored for quarantine', { ledger: agreed, change: { kind: 'invalid', remoteId: 'r1', version: '"v2"', error: 'bad', raw: 'x' } }, 'invalid | ledger "v2" | outbox stays | no conflict'],
  ];
  for (const [name, row, expected] of rows) it(name, () => assert.equal(outcome(row), expected));

  it('manual: the hub\'s change of a field not in conflict stays while the conflict is parked', () => {
    // The hub changed title and description, the provider title and location: the title is parked
    // at the provider's, the description stayed the hub's (it was null until the conflict was resolved).
    const local = [{ ...ev('Mine'), description: 'agenda' }];
    const p = plan({ ledger: agreed, change: upsert([ev('Theirs', 'Room 9')]), local, policy: 'manual' });
    assert.equal(describePlan(p), 'store Theirs@Room 9 | ledger "v2" | outbox pushes | conflict parked');
    const stored = p.apply[0]!.kind === 'upsert' ? p.apply[0]!.events[0]! : null;
    assert.equal(stored?.description, 'agenda');
    assert.deepEqual(p.conflicts.map((c) => [c.fields, c.local?.[0]?.title]), [[[':title'], 'Mine']]);
  });

  // The store drops the rows of an object it sets aside. Put back byte for byte, the object had
  // its old etag again (Radicale and Xandikos hash the content) and was taken for an echo: never
  // stored again, its event missing until the calendar's sync was switched off and on.
  const invalid = (version: string | null): RemoteChange => ({ kind: 'invalid', remoteId: 'r1', version, error: 'bad', raw: 'x' });
  const asideAt = (version: string | null) => plan({ ledger: agreed, change: invalid(version) }).ledgerPut[0]!;
  it('an agreed object set aside keeps its agreed base, and nothing reads as unchanged against it', () => {
    const aside = asideAt('"v2"');
    assert.deepEqual([aside.providerVersion, aside.base, aside.baseStored], ['"v2"', BASE, undefined]);
    assert.notEqual(aside.baseHash, objectHash(BASE));
  });
  it('an object set aside, put back as it was (its old etag and content), is stored again', () => {
    for (const version of ['"v2"', null]) {
      assert.equal(outcome({ ledger: asideAt(version), change: upsert(BASE, '"v1"') }), 'store Planning@Room 1 | ledger "v1" | outbox stays | no conflict', String(version));
      assert.equal(outcome({ ledger: asideAt(version), change: upsert(BASE, '"v7"') }), 'store Planning@Room 1 | ledger "v7" | outbox stays | no conflict', String(version));
    }
  });
  it('an object set aside and put back while the hub edited it: merged against the base agreed before', () => {
    assert.equal(outcome({ ledger: asideAt('"v2"'), change: upsert(BASE, '"v1"'), local: [ev('Planning', 'Room 2')] }), 'store Planning@Room 2 | ledger "v1" | outbox pushes | no conflict');
  });
  it('an object set aside and listed again still unreadable stays set aside', () => {
    const again = plan({ ledger: asideAt('"v2"'), change: invalid('"v2"') });
    assert.deepEqual([again.apply.map((c) => c.kind), again.ledgerPut[0]!.base], [['invalid'], BASE]);
  });
});

describe('planPage where each instance of a series is an object of its own (Google, Graph)', () => {
  const series = (title: string) => ({ ...ev(title), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'], exdates: [], rdates: [] } });
  const moved = (day: number, title: string, location = 'Room 1'): CanonicalEvent =>
    parseEvent({ uid: 'u', title, location, originalStart: { dateTime: `2026-11-${day}T09:00:00Z`, timeZone: 'UTC' }, start: { dateTime: `2026-11-${day}T15:00:00Z`, timeZone: 'UTC' }, end: { dateTime: `2026-11-${day}T16:00:00Z`, timeZone: 'UTC' } });
  const SERIES = [series('Daily')];
  const agreedSeries: LedgerEntry = { remoteId: 'r1', uid: 'u', base: SERIES, baseHash: objectHash(SERIES), providerVersion: '"v1"' };
  const EXCEPTION = [moved(12, 'Daily')];
  const agreedException: LedgerEntry = { remoteId: 'r1', uid: 'u', base: EXCEPTION, baseHash: objectHash(EXCEPTION), providerVersion: '"v1"' };
  const rows: Array<[string, Row, string]> = [
    ['the series renamed there, an occurrence moved here: only the series is stored, the move still pushed',
      { apart: true, ledger: agreedSeries, change: upsert([series('Renamed')]), local: [series('Daily'), moved(13, 'Daily')] }, 'store Renamed@Room 1 | ledger "v2" | outbox pushes | no conflict'],
    ['an occurrence moved there while the series was edited here: stored as sent, the edit still pushed',
      { apart: true, ledger: null, change: upsert([moved(12, 'Daily')]), local: [series('Daily'), moved(13, 'Daily')] }, 'store Daily@Room 1 | ledger "v2" | outbox pushes | no conflict'],
    ['one instance changed both ways, the provider newer: its side stands for that instance only',
      { apart: true, ledger: agreedException, change: upsert([moved(12, 'Theirs', 'Room 1')].map((e) => ({ ...e, providerUpdatedAt: '2026-11-01T13:00:00Z' }))), local: [series('Daily'), moved(12, 'Mine'), moved(13, 'Daily')] },
      'store Theirs@Room 1 | ledger "v2" | outbox pushes | conflict remote'],
    ['an exception deleted there while another was moved here: the delete stands, the move still pushed',
      { apart: true, ledger: agreedException, change: del, local: [series('Daily'), moved(12, 'Daily'), moved(13, 'Daily')] }, 'delete | ledger forgets | outbox pushes | no conflict'],
    ['the whole series deleted here, its lost create come back: the delete stands',
      { apart: true, ledger: null, change: upsert(SERIES), local: [] }, 'store nothing | ledger "v2" | outbox pushes | no conflict'],
  ];
  for (const [name, row, expected] of rows) it(name, () => assert.equal(outcome(row), expected));

  // CalDAV: the object holds the whole UID, overrides included.
  const conflictOf = (p: Plan) => p.conflicts.map((c) => `${c.policy} ${c.fields.join(',')} -> ${c.outcome}`);
  it('CalDAV: the series deleted there while only an occurrence was moved here: it goes, with the unsent override, whatever the policy', () => {
    for (const deletePolicy of ['modify-wins', 'delete-wins'] as const) {
      const p = plan({ ledger: agreedSeries, change: del, local: [series('Daily'), moved(13, 'Daily')], deletePolicy });
      assert.deepEqual(p.apply, [{ kind: 'delete', remoteId: 'r1', settlesUnsentOf: 'u' }], deletePolicy);
      assert.deepEqual([p.outboxDrop, p.outboxRecreate], [['u'], []]);
      assert.deepEqual(conflictOf(p), [`${deletePolicy === 'delete-wins' ? 'delete-wins' : 'series-deleted'} 2026-11-13T09:00:00Z:deleted -> deleted`]);
    }
  });
  it('CalDAV: the series itself changed here too: the delete policy decides; where the deletion wins its unsent rows go too', () => {
    const local = [series('Renamed'), moved(13, 'Daily')];
    const kept = plan({ ledger: agreedSeries, change: del, local });
    assert.deepEqual([kept.apply, kept.outboxRecreate, conflictOf(kept)], [[], ['u'], ['modify-wins deleted -> recreated']]);
    const gone = plan({ ledger: agreedSeries, change: del, local, deletePolicy: 'delete-wins' });
    assert.deepEqual([gone.apply, gone.outboxDrop, conflictOf(gone)], [[{ kind: 'delete', remoteId: 'r1', settlesUnsentOf: 'u' }], ['u'], ['delete-wins deleted -> deleted']]);
  });
  it('a single event deleted there and edited here: unchanged, modify-wins brings it back', () => {
    const p = plan({ ledger: agreed, change: del, local: [ev('Mine')] });
    assert.deepEqual([p.apply, p.outboxRecreate, conflictOf(p)], [[], ['u'], ['modify-wins deleted -> recreated']]);
  });
});

describe("planPage: calhub's own create whose answer was lost, found by UID with no ledger entry", () => {
  // Google and Graph name the calendar's owner organizer of an event with guests; the hub sends none.
  const filled = (e: CanonicalEvent): CanonicalEvent => ({ ...e, organizer: { email: 'owner@example.com', name: null } });
  const SENT = [ev('Planning')];
  const mark = (r: Row) => {
    const p = plan(r);
    return `${describePlan(p)}${p.ownAnswers.includes('u') ? ' | own answer' : ''}`;
  };
  const rows: Array<[string, Row, string]> = [
    ['the provider filled in the organizer: stored as its answer, the remote id adopted, nothing left to write',
      { ledger: null, change: upsert(SENT.map(filled)), local: SENT, sent: SENT }, 'store Planning@Room 1 | ledger "v2" | outbox dropped | no conflict | own answer'],
    ['no record of what was sent (an object of the same UID made elsewhere): merged without a base, as before',
      { ledger: null, change: upsert(SENT.map(filled)), local: SENT }, 'store Planning@Room 1 | ledger "v2" | outbox dropped | conflict remote'],
    ['edited here since it was sent: the edit is merged over the answer and pushed, no conflict',
      { ledger: null, change: upsert(SENT.map(filled)), local: [ev('Moved')], sent: SENT }, 'store Moved@Room 1 | ledger "v2" | outbox pushes | no conflict | own answer'],
    ['changed at the provider since it stored the create: that change stands, no conflict, not calhub\'s',
      { ledger: null, change: upsert([filled(ev('Planning', 'Room 2'))]), local: SENT, sent: SENT }, 'store Planning@Room 2 | ledger "v2" | outbox dropped | no conflict'],
    ['the same field changed both ways since: a conflict under the policy',
      { ledger: null, change: upsert([filled(ev('Theirs'))]), local: [ev('Mine')], sent: SENT }, 'store Theirs@Room 1 | ledger "v2" | outbox dropped | conflict remote'],
    ['an organizer the hub did send that the provider changed is no field it fills in',
      { ledger: null, change: upsert(SENT.map(filled)), local: [{ ...SENT[0]!, organizer: { email: 'ada@example.com', name: null } }], sent: [{ ...SENT[0]!, organizer: { email: 'ada@example.com', name: null } }] },
      'store Planning@Room 1 | ledger "v2" | outbox dropped | no conflict'],
  ];
  for (const [name, row, expected] of rows) it(name, () => assert.equal(mark(row), expected));

  it('the organizer the provider filled in is kept when the hub\'s later edit is merged', () => {
    const p = plan({ ledger: null, change: upsert(SENT.map(filled)), local: [ev('Moved')], sent: SENT });
    const stored = p.apply[0]!;
    assert.ok(stored.kind === 'upsert');
    assert.equal(stored.events[0]!.title, 'Moved');
    assert.equal(stored.events[0]!.organizer?.email, 'owner@example.com');
    assert.equal(p.ledgerPut[0]!.base[0]!.organizer?.email, 'owner@example.com', 'the answer is the version agreed on');
  });

  it('Google, Graph: a series whose master answer was lost; its override is still to write', () => {
    const series = { ...ev('Daily'), recurrence: { rrules: ['FREQ=DAILY;COUNT=5'], exdates: [], rdates: [] } };
    const moved = parseEvent({ uid: 'u', title: 'Daily', location: 'Room 1', originalStart: { dateTime: '2026-11-12T09:00:00Z', timeZone: 'UTC' }, start: { dateTime: '2026-11-12T15:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-12T16:00:00Z', timeZone: 'UTC' } });
    assert.equal(mark({ apart: true, ledger: null, change: upsert([filled(series)]), local: [series, moved], sent: [series, moved] }), 'store Daily@Room 1 | ledger "v2" | outbox pushes | no conflict | own answer');
  });
});

describe("planPage: what the mass-change guard counts as removed", () => {
  const counts = (row: Row) => {
    const plan = planPage({
      changes: [row.change],
      ledger: new Map(row.ledger ? [[row.ledger.remoteId, row.ledger]] : []),
      pendingUids: new Map(row.local ? [['u', Date.parse('2026-11-01T12:00:00Z')]] : []),
      local: new Map(row.local ? [['u', row.local]] : []),
      policy: 'latest-wins',
      deletePolicy: 'modify-wins',
      now: new Date('2026-11-02T00:00:00Z'),
    });
    return { deleted: plan.counts.deleted, echoes: plan.counts.echoes };
  };
  it('same content with a SEQUENCE raised there: stored (the event\'s sequence follows) and the base, so the next update numbers above it', () => {
    const renumbered = BASE.map((e) => ({ ...e, sequence: 7 }));
    const p = plan({ ledger: { ...agreed, baseStored: true }, change: upsert(renumbered, '"v9"') });
    assert.deepEqual([p.apply.length, p.counts.echoes], [1, 1], 'stored, still counted as no change of content');
    assert.deepEqual(p.ledgerPut, [{ ...agreed, providerVersion: '"v9"', base: renumbered, baseStored: true }]);
    // A local edit waiting for its push keeps its rows; the ledger keeps the SEQUENCE apart.
    const pending = plan({ ledger: { ...agreed, baseStored: true }, change: upsert(renumbered, '"v9"'), local: BASE });
    assert.deepEqual([pending.apply.length, pending.counts.echoes], [0, 1]);
    assert.deepEqual(pending.ledgerPut, [{ ...agreed, providerVersion: '"v9"', base: renumbered, baseStored: false }]);
    const same = plan({ ledger: { ...agreed, baseStored: true }, change: upsert(BASE, '"v9"') });
    assert.deepEqual(same.ledgerPut, [{ ...agreed, providerVersion: '"v9"', baseStored: true }], 'no copy of the base when only the etag moved');
  });
  it('an agreed object deleted at the provider is a deletion', () => assert.deepEqual(counts({ ledger: agreed, change: del }), { deleted: 1, echoes: 0 }));
  it("calhub's own delete coming back (push forgot the object as it deleted it) is an echo", () => assert.deepEqual(counts({ ledger: null, change: del }), { deleted: 0, echoes: 1 }));
  it('deleted here too (a push whose answer was lost) is an echo', () => assert.deepEqual(counts({ ledger: agreed, change: del, local: [] }), { deleted: 0, echoes: 1 }));
  it('a local edit that changed nothing: the outside delete counts', () => assert.deepEqual(counts({ ledger: agreed, change: del, local: BASE }), { deleted: 1, echoes: 0 }));
});

describe('planPage: which stored objects settle the rows of the hub that no push has sent', () => {
  const settles = (r: Row): boolean[] =>
    planPage({
      changes: [r.change],
      ledger: new Map(r.ledger ? [[r.ledger.remoteId, r.ledger]] : []),
      pendingUids: new Map(r.local ? [['u', Date.parse('2026-11-01T12:00:00Z')]] : []),
      local: new Map(r.local ? [['u', r.local]] : []),
      policy: r.policy ?? 'latest-wins',
      deletePolicy: r.deletePolicy ?? 'modify-wins',
      now: new Date('2026-11-02T00:00:00Z'),
      apart: r.apart,
    }).apply.map((c) => c.kind === 'upsert' && c.settlesUnsent === true);
  // The object is all its UID keeps (CalDAV): a local row it does not carry was dropped by the merge.
  it('merged with a pending change, the provider\'s side taken', () => assert.deepEqual(settles({ ledger: agreed, change: upsert([ev('Theirs', 'Room 1', '2026-11-01T13:00:00Z')]), local: [ev('Mine')] }), [true]));
  it('merged with a pending change, both sides taken', () => assert.deepEqual(settles({ ledger: agreed, change: upsert([ev('Moved')]), local: [ev('Planning', 'Room 2')] }), [true]));
  it('parked under manual', () => assert.deepEqual(settles({ ledger: agreed, change: upsert([ev('Theirs')]), local: [ev('Mine')], policy: 'manual' }), [true]));
  // Nothing pending: nothing unsent. Apart (Google, Graph), an object holds one instance only.
  it('stored as sent, nothing pending', () => assert.deepEqual(settles({ ledger: agreed, change: upsert([ev('Moved')]) }), [false]));
  it('where each instance is an object of its own', () => assert.deepEqual(settles({ apart: true, ledger: agreed, change: upsert([ev('Theirs')]), local: [ev('Mine')] }), [false]));
});

describe('planPage with object hashes known ahead', () => {
  it('takes an upsert\'s hash from hashOf when it has one, and hashes the events itself when not', () => {
    const change = upsert([ev('Planning')]);
    const known = (hash: string | undefined) =>
      planPage({ changes: [change], ledger: new Map([['r1', agreed]]), pendingUids: new Map(), local: new Map(), policy: 'latest-wins', deletePolicy: 'modify-wins', now: new Date(), hashOf: () => hash });
    // The same content under a new etag: an echo, found by the hash.
    assert.equal(known(undefined).counts.echoes, 1);
    assert.equal(known(objectHash(BASE)).counts.echoes, 1);
    const other = known('another hash');
    assert.equal(other.counts.echoes, 0);
    assert.equal(other.ledgerPut[0]?.baseHash, 'another hash');
  });
});

describe('planPage: changes made at the provider (what the missed-change check goes by)', () => {
  const count = (r: Row) => plan(r).fromProvider;
  it('counts an edit, a new object and a removal made there, also when merged with or recreated over the hub\'s edit', () => {
    assert.equal(count({ ledger: agreed, change: upsert([ev('Retitled there')]) }), 1);
    assert.equal(count({ ledger: null, change: upsert([ev('New there')]) }), 1);
    assert.equal(count({ ledger: agreed, change: del }), 1);
    assert.equal(count({ ledger: agreed, change: upsert([ev('Retitled there')]), local: [ev('Planning', 'Room 2')] }), 1);
    assert.equal(count({ ledger: agreed, change: del, local: [ev('Edited here')] }), 1);
  });
  it('leaves out calhub\'s own writes coming back, deletes the hub made too, and details returning with more access', () => {
    assert.equal(count({ ledger: agreed, change: upsert(BASE, '"v1"') }), 0, 'the version agreed on');
    assert.equal(count({ ledger: agreed, change: upsert(BASE, '"v9"') }), 0, 'same content, new etag');
    assert.equal(count({ ledger: null, change: del }), 0, 'a delete of an object the ledger does not know');
    assert.equal(count({ ledger: agreed, change: del, local: [] }), 0, 'deleted on both sides');
    const sent = [ev('Made here')];
    assert.equal(count({ ledger: null, change: upsert(sent), local: sent, sent }), 0, 'the answer to calhub\'s own create, found by UID');
    const scrubbed = BASE.map(withoutDetails);
    const forgotten: LedgerEntry = { ...agreed, base: scrubbed, baseHash: objectHash(scrubbed), providerVersion: VERSION_UNKNOWN };
    assert.equal(count({ ledger: forgotten, change: upsert(BASE) }), 0, 'the details a freebusy connection did not keep');
    const moved = parseEvent({ uid: 'u', title: 'Planning', location: 'Room 1', start: { dateTime: '2026-11-10T11:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-10T12:00:00Z', timeZone: 'UTC' } });
    assert.equal(count({ ledger: forgotten, change: upsert([moved]) }), 1, 'a change made meanwhile (moved: busy time a freebusy connection kept)');
  });
});
