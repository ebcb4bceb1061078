/**
 * The pure push planner: what to do next for one object of a local change, given what the hub
 * holds, what both sides last agreed on (the ledger) and what the provider has answered so far.
 * No I/O: push.ts performs each action, tells the planner the provider's answer (`heard`) and asks
 * again, until the planner ends with an action to commit. Every decision is table-testable.
 */
import type { RemoteObject } from '../connectors/index.ts';
import type { CanonicalEvent } from '../shared/model/index.ts';
import type { ConflictRecord, LedgerEntry } from '../shared/store/index.ts';
import { agreedWithoutDetails, changedSinceAgreed } from './agreed.ts';
import { changesOnlyOccurrences, DELETED, isGuestCopy, keyOf, merge3, recordedOutcome, seriesDeletedConflict, settledBy, type ConflictPolicy, type DeletePolicy } from './merge.ts';
import { decideLatest } from './latest.ts';
import { objectHash } from './object-hash.ts';
import { answersSent } from './own-answer.ts';

/** What the provider answered to the last action. */
export type Heard =
  | { kind: 'found'; remote: RemoteObject | null }
  /** `seenAt`: when it was read (latest-wins' time for a provider that gives none; now when absent). */
  | { kind: 'fetched'; remote: RemoteObject; seenAt?: Date }
  | { kind: 'written'; object: RemoteObject }
  | { kind: 'deleted' }
  | { kind: 'precondition-failed'; holder?: string | null }
  | { kind: 'not-found' };

export interface PushState {
  uid: string;
  /** put: the hub holds `events` for this object; delete: the hub deleted it. */
  op: 'put' | 'delete';
  /** What to write: the hub's side, or the merge of both after a 412. */
  events: CanonicalEvent[];
  /** The provider's id of the object; null until it exists there (as far as the hub knows). */
  target: string | null;
  /** The version a write must match; null: the object is new (If-None-Match: *), or a delete is unconditional. */
  ifMatch: string | null;
  /** The provider's side the next merge starts from: the ledger's base, then what a 412 showed. */
  base: CanonicalEvent[] | null;
  /** The ledger's content hash for this object: equal to the local one, there is nothing to write. */
  agreedHash: string | null;
  /** The agreement was made without details (agreed.ts): a delete's 412 counts only other changes as the provider's. */
  agreedWithoutDetails?: boolean;
  /** Write even when nothing changed: the write asks the provider for something (a conference). */
  force?: boolean;
  /** Why a UID lookup is under way: a create (was an earlier one answered?) or a 412 on create. */
  looking: 'create' | 'taken' | null;
  looked: boolean;
  /** Conflicts met on the way, recorded with whatever this object's change commits as. */
  conflicts: ConflictRecord[];
  policy: ConflictPolicy;
  deletePolicy: DeletePolicy;
  /** When the hub-side change was made (the outbox entry's time, ms): latest-wins compares it with the provider's. */
  editedAt?: number | null;
  heard: Heard | null;
}

type Settings = { policy: ConflictPolicy; deletePolicy: DeletePolicy; editedAt?: number | null };

export type PushAction =
  // Provider steps: push.ts performs them and reports what it heard.
  | { kind: 'lookup' }
  | { kind: 'fetch'; remoteId: string }
  | { kind: 'create'; remoteId: string | null; events: CanonicalEvent[] }
  /** `current`: what the provider holds at `ifMatch` (null: not known), for a revision number above it. */
  | { kind: 'update-if-match'; remoteId: string; ifMatch: string; events: CanonicalEvent[]; current: CanonicalEvent[] | null }
  | { kind: 'delete-if-match'; remoteId: string; ifMatch: string | null }
  /** Deleted at the provider while edited here, and the modification wins: create it again. */
  | { kind: 'recreate'; events: CanonicalEvent[] }
  // Endings: push.ts commits each in one unit of work with its conflicts and fence.
  /** The provider already holds exactly this: nothing to write. */
  | { kind: 'skip' }
  /** The provider holds our write (answered, or found by UID after a lost answer). */
  | { kind: 'written'; object: RemoteObject; op: 'create' | 'update'; conflicts: ConflictRecord[] }
  /** Deleted at the provider (or already gone); `wrote` says whether this run deleted it. */
  | { kind: 'deleted'; remoteId: string; wrote: boolean; conflicts?: ConflictRecord[] }
  /** The provider's side (null: its deletion) stands; the local change is dropped. */
  | { kind: 'adopt-remote'; remote: RemoteObject | null; remoteId: string; conflicts: ConflictRecord[] }
  /** Manual policy: the provider's side stands and the conflict stays open for an operator. */
  | { kind: 'park'; remote: RemoteObject; conflicts: ConflictRecord[] }
  /** Nothing sensible is left to try: the provider's last refusal is the error. */
  | { kind: 'fail' };

/** The state for a put of one object (the hub holds events for it). */
export function putState(
  uid: string,
  obj: { remoteId: string | null; events: CanonicalEvent[] },
  known: LedgerEntry | undefined,
  settings: Settings,
): PushState {
  return {
    uid,
    op: 'put',
    events: obj.events,
    target: obj.remoteId,
    ifMatch: known?.providerVersion ?? null,
    base: known?.base ?? null,
    agreedHash: known?.baseHash ?? null,
    agreedWithoutDetails: agreedWithoutDetails(known),
    looking: null,
    looked: false,
    conflicts: [],
    ...settings,
    heard: null,
  };
}

/** The state for deleting one object the provider holds (a ledger entry, or found by UID). */
export function deleteState(uid: string, known: LedgerEntry, settings: Settings): PushState {
  return {
    uid,
    op: 'delete',
    events: [],
    target: known.remoteId,
    ifMatch: known.providerVersion,
    base: known.base,
    agreedHash: known.baseHash,
    agreedWithoutDetails: agreedWithoutDetails(known),
    looking: null,
    looked: false,
    conflicts: [],
    ...settings,
    heard: null,
  };
}

/** The next action, and the state to hand back (with `heard` set) once it has been performed. */
export function planPush(s: PushState): { action: PushAction; next: PushState } {
  return s.op === 'put' ? planPut(s) : planDelete(s);
}

const step = (action: PushAction, next: PushState) => ({ action, next: { ...next, heard: null } });

function planPut(s: PushState): { action: PushAction; next: PushState } {
  const h = s.heard;
  if (h === null) {
    if (!s.force && !s.looked && s.agreedHash !== null && s.agreedHash === objectHash(s.events)) return step({ kind: 'skip' }, s);
    // Never agreed on a version: an earlier create may have reached the provider unanswered. Not
    // for an instance kept as its own object (Google, Graph): a UID finds its series, not it, and
    // writing an instance edits the occurrence in place, so an unanswered earlier write is harmless.
    if (!s.looked && (s.target === null || s.ifMatch === null) && !loneInstance(s.events)) return step({ kind: 'lookup' }, { ...s, looking: 'create' });
    return step(write(s), s);
  }
  switch (h.kind) {
    case 'found': {
      const looked = { ...s, looked: true, looking: null };
      if (s.looking === 'taken') {
        // Someone created the same UID meanwhile: merge against theirs.
        if (!h.remote) return step({ kind: 'fail' }, looked);
        return step({ kind: 'fetch', remoteId: h.remote.remoteId }, { ...looked, target: h.remote.remoteId });
      }
      // An earlier create's answer was lost: the provider holds what the hub sent, with what it
      // fills in (the organizer), which is no reason to write it again.
      if (h.remote && answersSent(s.events, h.remote.events)) return step({ kind: 'written', object: h.remote, op: 'create', conflicts: s.conflicts }, looked);
      if (h.remote) return step(write({ ...looked, target: h.remote.remoteId, ifMatch: h.remote.version ?? '*' }, h.remote.events), { ...looked, target: h.remote.remoteId, ifMatch: h.remote.version ?? '*' });
      return step(write({ ...looked, ifMatch: null }), { ...looked, ifMatch: null });
    }
    case 'written':
      return step({ kind: 'written', object: h.object, op: s.ifMatch === null ? 'create' : 'update', conflicts: s.conflicts }, s);
    case 'not-found': {
      if (s.target === null) return step({ kind: 'fail' }, s);
      // A series deleted there while the hub changed only occurrences of it: the deletion stands.
      if (changesOnlyOccurrences(s.events, s.base)) {
        const conflict = seriesDeletedConflict(s.uid, s.target, s.deletePolicy, s.base, s.events);
        return step({ kind: 'adopt-remote', remote: null, remoteId: s.target, conflicts: [...s.conflicts, conflict] }, s);
      }
      // Deleted there, edited here: a delete conflict, recorded whichever side stands. Under manual
      // the provider's side (its deletion) stands until resolved, the hub's edit kept in the record.
      const parked = s.policy === 'manual' && !isGuestCopy(s.events);
      if (parked || s.deletePolicy === 'delete-wins' || isGuestCopy(s.events)) {
        const conflict: ConflictRecord = { uid: s.uid, remoteId: s.target, policy: parked ? 'manual' : s.deletePolicy, fields: [deletedField(s.events)], base: s.base, local: s.events, remote: null, outcome: parked ? 'parked' : 'deleted' };
        return step({ kind: 'adopt-remote', remote: null, remoteId: s.target, conflicts: [...s.conflicts, conflict] }, s);
      }
      // modify-wins: made again at the provider, recorded with the write that does it. A recreate
      // of our own (a pull already recorded this conflict) records nothing more.
      const recorded = s.conflicts.some((c) => c.fields.includes(deletedField(s.events)));
      const conflict: ConflictRecord = { uid: s.uid, remoteId: s.target, policy: 'modify-wins', fields: [deletedField(s.events)], base: s.base, local: s.events, remote: null, outcome: 'recreated' };
      const next = { ...s, target: null, ifMatch: null, conflicts: recorded ? s.conflicts : [...s.conflicts, conflict] };
      return step({ kind: 'recreate', events: s.events }, next);
    }
    case 'precondition-failed':
      // An instance changed at the provider before the hub's first write of it: merge against that.
      if (s.target === null && h.holder) return step({ kind: 'fetch', remoteId: h.holder }, { ...s, target: h.holder });
      if (s.target === null) return step({ kind: 'lookup' }, { ...s, looking: 'taken' });
      return step({ kind: 'fetch', remoteId: s.target }, s);
    case 'fetched': {
      // The provider came to hold exactly the hub's side (Google carried the series' change into
      // this exception as the hub did): that is the write, not the provider's side to adopt, which
      // ends the whole UID's push and left the series' other changed exceptions unwritten.
      if (objectHash(h.remote.events) === objectHash(s.events)) return step({ kind: 'written', object: h.remote, op: 'update', conflicts: s.conflicts }, s);
      // Which edit is later is decided as a pull decides it: the refused write is no sign the hub's is.
      const latest = decideLatest(s.editedAt ?? null, h.remote.events, h.seenAt ?? new Date());
      const m = merge3({ base: s.base, local: s.events, remote: h.remote.events, policy: s.policy, deletePolicy: s.deletePolicy, localIsNewer: latest.localIsNewer, baseWithoutDetails: s.agreedWithoutDetails === true });
      const times = { localChangedAt: latest.localChangedAt, remoteChangedAt: latest.remoteChangedAt };
      const conflicts = m.conflicts.length
        ? [...s.conflicts, { uid: s.uid, remoteId: h.remote.remoteId, policy: settledBy(m, s.policy, s.deletePolicy), fields: m.conflicts, base: s.base, local: s.events, remote: h.remote.events, outcome: recordedOutcome(m), ...times }]
        : s.conflicts;
      // Parked: the provider's side of what is in conflict stands; the hub's other changes are still written.
      if (m.parked && m.outcome === 'remote') return step({ kind: 'park', remote: h.remote, conflicts }, s);
      if (m.outcome === 'remote') return step({ kind: 'adopt-remote', remote: h.remote, remoteId: h.remote.remoteId, conflicts }, s);
      const next = { ...s, events: m.events, base: h.remote.events, agreedWithoutDetails: false, target: h.remote.remoteId, ifMatch: h.remote.version ?? '*', conflicts };
      return step(write(next), next);
    }
    default:
      return step({ kind: 'fail' }, s);
  }
}

/** A delete conflict's field: one occurrence kept as an object of its own is named, as merge3 names it. */
const deletedField = (events: CanonicalEvent[]) => (loneInstance(events) ? `${keyOf(events[0]!)}:deleted` : DELETED);

const loneInstance = (events: CanonicalEvent[]) => events.length === 1 && events[0]!.originalStart != null;

/** `current`: what the provider holds at the version the write replaces; the base unless told otherwise. */
function write(s: PushState, current: CanonicalEvent[] | null = s.base): PushAction {
  return s.ifMatch === null || s.target === null
    ? { kind: 'create', remoteId: s.target, events: s.events }
    : { kind: 'update-if-match', remoteId: s.target, ifMatch: s.ifMatch, events: s.events, current };
}

function planDelete(s: PushState): { action: PushAction; next: PushState } {
  const h = s.heard;
  const target = s.target!;
  if (h === null) return step({ kind: 'delete-if-match', remoteId: target, ifMatch: s.ifMatch }, s);
  switch (h.kind) {
    case 'deleted':
      return step({ kind: 'deleted', remoteId: target, wrote: true, conflicts: s.conflicts }, s);
    case 'not-found':
      return step({ kind: 'deleted', remoteId: target, wrote: false }, s); // already gone: the goal is met
    case 'precondition-failed':
      return step({ kind: 'fetch', remoteId: target }, s);
    case 'fetched':
      // Cancelled there meanwhile (an exception whose series went first): already what was asked.
      if (h.remote.events.length > 0 && h.remote.events.every((e) => e.status === 'cancelled')) return step({ kind: 'deleted', remoteId: target, wrote: false }, s);
      if (changedSinceAgreed(h.remote.events, s.agreedHash, s.agreedWithoutDetails === true)) {
        // Changed at the provider after the hub deleted it: a delete conflict. Under manual the
        // provider's side stands and waits for a resolution; modify-wins brings the modification
        // back; delete-wins deletes it all the same, recorded (the 412 was deleted over unrecorded).
        const parked = s.policy === 'manual';
        const policy = parked ? 'manual' : s.deletePolicy;
        const outcome = parked ? 'parked' : s.deletePolicy === 'modify-wins' ? 'recreated' : 'deleted';
        const conflict: ConflictRecord = { uid: s.uid, remoteId: target, policy, fields: [DELETED], base: s.base, local: null, remote: h.remote.events, outcome };
        if (parked) return step({ kind: 'park', remote: h.remote, conflicts: [...s.conflicts, conflict] }, s);
        if (outcome === 'recreated') return step({ kind: 'adopt-remote', remote: h.remote, remoteId: target, conflicts: [...s.conflicts, conflict] }, s);
        const conflicts = [...s.conflicts.filter((c) => !c.fields.includes(DELETED)), conflict];
        return step({ kind: 'delete-if-match', remoteId: target, ifMatch: h.remote.version }, { ...s, ifMatch: h.remote.version, conflicts });
      }
      return step({ kind: 'delete-if-match', remoteId: target, ifMatch: h.remote.version }, { ...s, ifMatch: h.remote.version });
    default:
      return step({ kind: 'fail' }, s);
  }
}
