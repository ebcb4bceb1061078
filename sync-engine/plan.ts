/**
 * The pure planner: one page of provider changes, the ledger and the pending local changes in;
 * what to store, what the ledger and outbox become, and which conflicts happened out. No I/O, so
 * every decision is unit-testable and re-running a page plans the same thing.
 */
import type { RemoteChange } from '../connectors/index.ts';
import type { CanonicalEvent } from '../shared/model/index.ts';
import type { ConflictRecord, IncomingChange, LedgerEntry } from '../shared/store/index.ts';
import { agreedWithoutDetails, changedSinceAgreed } from './agreed.ts';
import { changesOnlyOccurrences, DELETED, isGuestCopy, keyOf, merge3, recordedOutcome, seriesDeletedConflict, settledBy, type ConflictPolicy, type DeletePolicy } from './merge.ts';
import { decideLatest } from './latest.ts';
import { objectHash } from './object-hash.ts';
import { answersSent, asFilledIn } from './own-answer.ts';
import { timesAt } from './occurrence.ts';

export interface PlanInput {
  changes: RemoteChange[];
  ledger: Map<string, LedgerEntry>;
  /** uid -> time of the pending local edit (ms). */
  pendingUids: Map<string, number>;
  local: Map<string, CanonicalEvent[]>;
  policy: ConflictPolicy;
  deletePolicy: DeletePolicy;
  now: Date;
  /**
   * The provider keeps each instance of a series as an object of its own (Google, Graph): one
   * object's change meets only the local events at its instances, and the UID's outbox entry
   * stays for the others (push skips what the provider already holds).
   */
  apart?: boolean;
  /**
   * uid -> what the last create of a UID the provider had not agreed on sent (the outbox entry's
   * record, migration 0036). Found by UID with no ledger entry, an object that holds it apart from
   * the fields the provider fills in is that create, whose answer was lost.
   */
  sent?: Map<string, CanonicalEvent[]>;
  /**
   * Remote ids of a full listing's objects the ledger knows as a master or single event but the
   * store holds no row under (it lost them): stored again, not passed over as unchanged. A full
   * listing ends with the store holding what the provider lists.
   */
  unstored?: ReadonlySet<string>;
  /** objectHash of an upsert's events when it is known already (the rows made ahead for it hold it), else undefined. */
  hashOf?: (c: Extract<RemoteChange, { kind: 'upsert' }>) => string | undefined;
}

export interface Plan {
  apply: IncomingChange[];
  ledgerPut: LedgerEntry[];
  ledgerDelete: string[];
  outboxDrop: string[];
  outboxRecreate: string[];
  /** UIDs whose stored change is the provider's answer to calhub's own write (webhooks say so). */
  ownAnswers: string[];
  conflicts: ConflictRecord[];
  /** A merge kept local edits that still have to be written to the provider. */
  keepsLocal: boolean;
  /**
   * Changes made at the provider that this page stores: not calhub's own writes coming back (echoes,
   * a lost create's answer), not rows the store lost and gets back, not details coming back with
   * more access. The missed-change check (channel-activity.ts markMissedChanges) goes by them.
   */
  fromProvider: number;
  counts: { applied: number; deleted: number; echoes: number; invalid: number; rewritten: number; cancelled: number };
}

/** Each VEVENT's SEQUENCE, by UID and RECURRENCE-ID. */
const sequences = (events: CanonicalEvent[]): string => events.map((e) => `${e.uid} ${keyOf(e)} ${e.sequence}`).sort().join('\n');

/** An edit of a known object; one that cancels all of it counts as a removal for the guard. */
function countRewrite(plan: Plan, events: CanonicalEvent[]): void {
  plan.counts.rewritten += 1;
  if (events.length > 0 && events.every((e) => e.status === 'cancelled')) plan.counts.cancelled += 1;
}

/**
 * The base hash of an object the store set aside (quarantine): no content hashes to it, so the
 * object read again is applied, whatever its version or content.
 */
export const SET_ASIDE_HASH = 'set-aside';

/**
 * The ledger entry of a known object the store set aside at `version`: the version is the one set
 * aside, the base stays the one both sides last agreed on (copied: the rows kept as the last good
 * copy are no longer what the ledger agrees with the provider), and its hash matches nothing:
 * whatever comes back, the same as before included, is stored again over the kept rows (merged
 * with a local change against that base). While it is set aside no write goes over it (push.ts).
 */
export function setAside(known: LedgerEntry, version: string | null): LedgerEntry {
  return { remoteId: known.remoteId, uid: known.uid, base: known.base, baseHash: SET_ASIDE_HASH, providerVersion: version };
}

export function planPage(input: PlanInput): Plan {
  const plan: Plan = {
    apply: [],
    ledgerPut: [],
    ledgerDelete: [],
    outboxDrop: [],
    outboxRecreate: [],
    ownAnswers: [],
    conflicts: [],
    keepsLocal: false,
    fromProvider: 0,
    counts: { applied: 0, deleted: 0, echoes: 0, invalid: 0, rewritten: 0, cancelled: 0 },
  };
  for (const c of input.changes) {
    const known = input.ledger.get(c.remoteId);
    if (c.kind === 'invalid') {
      plan.apply.push(c);
      plan.counts.invalid += 1;
      // The store sets it aside and keeps the hub's rows of it as they were (the last good copy):
      // the object put back as it was must not read as unchanged (same etag: Radicale and Xandikos
      // hash the content), or it was never stored again and stayed quarantined.
      if (known) plan.ledgerPut.push(setAside(known, c.version));
      continue;
    }
    if (c.kind === 'delete') {
      planDelete(input, plan, c.remoteId, known);
      continue;
    }
    const hash = input.hashOf?.(c) ?? objectHash(c.events);
    const lost = input.unstored?.has(c.remoteId) === true;
    if (known && !lost && c.version !== null && known.providerVersion === c.version) {
      plan.counts.echoes += 1; // our own write coming back, or a replayed item
      continue;
    }
    if (known && !lost && known.baseHash === hash) {
      // Same content, new etag. A SEQUENCE raised there (left out of the hash) is kept in the base:
      // it is what calhub's next update of the object must number its revision above.
      const renumbered = sequences(known.base) !== sequences(c.events);
      if (renumbered && !input.pendingUids.has(known.uid)) {
        // ...and stored, so the event's `sequence` is the provider's now, not at the next real
        // change. The content hash is the same: no webhook (the trigger compares it), same etag.
        plan.apply.push(c);
        plan.ledgerPut.push({ ...known, providerVersion: c.version, base: c.events, baseStored: true });
      } else plan.ledgerPut.push({ ...known, providerVersion: c.version, ...(renumbered ? { base: c.events, baseStored: false } : {}) });
      plan.counts.echoes += 1;
      continue;
    }
    const uid = c.events[0]?.uid ?? known?.uid ?? c.remoteId;
    const entry: LedgerEntry = { remoteId: c.remoteId, uid, base: c.events, baseHash: hash, providerVersion: c.version };
    const editedAt = input.pendingUids.get(uid);
    if (editedAt === undefined) {
      plan.apply.push(c);
      // Applied as sent: the stored rows are the base, the ledger need not copy them.
      plan.ledgerPut.push({ ...entry, baseStored: true });
      plan.counts.applied += 1;
      if (known) countRewrite(plan, c.events);
      if (!lost && !(agreedWithoutDetails(known) && !changedSinceAgreed(c.events, known!.baseHash, true))) plan.fromProvider += 1;
      continue;
    }
    const ofUid = input.local.get(uid) ?? [];
    const local = input.apart ? atInstances(ofUid, [...c.events, ...(known?.base ?? [])]) : ofUid;
    if (input.apart && ofUid.length > 0 && (local.length === 0 ? !known : known && objectHash(local) === known.baseHash)) {
      // Not changed here: a new exception of a series edited elsewhere, or an instance the local
      // edit left alone. It is stored as sent; the UID's other local changes are still to write.
      plan.apply.push(c);
      plan.ledgerPut.push({ ...entry, baseStored: true });
      plan.counts.applied += 1;
      if (known) countRewrite(plan, c.events);
      plan.keepsLocal = true;
      plan.fromProvider += 1;
      continue;
    }
    if (known && local.length === 0 && agreedWithoutDetails(known) && !changedSinceAgreed(c.events, known.baseHash, true)) {
      // Deleted in the hub after access came back from freebusy, before this listing brought the
      // details back: they are no change made at the provider, so modify-wins has nothing to keep.
      // The delete stands; push removes it, matching the version seen here.
      plan.ledgerPut.push(entry);
      plan.keepsLocal = true;
      continue;
    }
    if (!known && local.length === 0) {
      // Deleted in the hub before any version was agreed: this object is our own create whose
      // answer was lost (the worker died after the write). The delete stands; push removes it.
      plan.ledgerPut.push(entry);
      plan.keepsLocal = true;
      continue;
    }
    const sent = known ? undefined : input.sent?.get(uid);
    const sentHere = sent && (input.apart ? atInstances(sent, c.events) : sent);
    const ownAnswer = sentHere !== undefined && answersSent(sentHere, c.events);
    if (ownAnswer && objectHash(local) === objectHash(sentHere)) {
      // calhub's own create, whose answer was lost: stored as the provider answered it, with
      // nothing left to write for it.
      plan.apply.push(c);
      plan.ledgerPut.push({ ...entry, baseStored: true });
      plan.ownAnswers.push(uid);
      plan.counts.applied += 1;
      if (input.apart && ofUid.length > local.length) plan.keepsLocal = true;
      else plan.outboxDrop.push(uid);
      continue;
    }
    // Both sides changed since they last agreed: three-way merge. An instance that neither side
    // had changed before was agreed on as its series held it. A create whose answer was lost was
    // agreed on as it was sent, with what the provider fills in: the hub's later edit is no
    // conflict with it, and neither is the organizer the hub never sends.
    const base = known?.base ?? (sentHere?.length ? asFilledIn(sentHere, c.events) : input.apart ? asAgreed(local, ofUid) : null);
    const latest = decideLatest(editedAt, c.events, input.now);
    const m = merge3({
      base,
      local: sentHere?.length ? asFilledIn(local, c.events) : local,
      remote: c.events,
      policy: input.policy,
      deletePolicy: input.deletePolicy,
      localIsNewer: latest.localIsNewer,
      baseWithoutDetails: agreedWithoutDetails(known),
    });
    plan.ledgerPut.push(entry);
    plan.counts.applied += 1;
    if (ownAnswer) plan.ownAnswers.push(uid);
    else plan.fromProvider += 1;
    if (m.conflicts.length) {
      // The hub's side was its delete: recorded as none (`local` null), as a push's 412 records it.
      const mine = local.length === 0 ? null : local;
      plan.conflicts.push({ uid, remoteId: c.remoteId, policy: settledBy(m, input.policy, input.deletePolicy), fields: m.conflicts, base, local: mine, remote: c.events, outcome: recordedOutcome(m), localChangedAt: latest.localChangedAt, remoteChangedAt: latest.remoteChangedAt });
    }
    // Where the object holds the whole UID, it is all the UID keeps: a new override of the hub that
    // the merge dropped (the provider's EXDATE won) has no remote id for the write to remove it by.
    const settles = input.apart ? {} : { settlesUnsent: true };
    if (m.outcome === 'remote') {
      plan.apply.push({ ...c, ...settles });
      if (input.apart) plan.keepsLocal = true;
      else plan.outboxDrop.push(uid);
    } else {
      plan.apply.push({ ...c, events: m.events, ...settles });
      plan.keepsLocal = true;
    }
  }
  return plan;
}

/**
 * A delete of an object the ledger does not know removes nothing the hub holds: mostly calhub's own
 * delete coming back (push forgets the object as it deletes it: a disconnect removing 12 mirror
 * copies tripped the guard with "12 of 7"), or an object made and deleted between two pulls. It is
 * still applied (harmless), but counted as an echo, not as a deletion for the guard.
 */
function planDelete(input: PlanInput, plan: Plan, remoteId: string, known: LedgerEntry | undefined): void {
  const uid = known?.uid;
  plan.ledgerDelete.push(remoteId);
  if (uid === undefined) {
    plan.apply.push({ kind: 'delete', remoteId });
    plan.counts.echoes += 1;
    return;
  }
  // Past here the ledger knew the object: its removal is the provider's, unless the hub deleted it too.
  if (!input.pendingUids.has(uid)) {
    plan.apply.push({ kind: 'delete', remoteId });
    plan.counts.deleted += 1;
    plan.fromProvider += 1;
    return;
  }
  const ofUid = input.local.get(uid) ?? [];
  const local = input.apart && known ? atInstances(ofUid, known.base ?? []) : ofUid;
  if (local.length === 0 || (known && objectHash(local) === known.baseHash)) {
    // Deleted on both sides, or the local "change" changed nothing: the delete stands. Deleted
    // here too (or calhub's own delete whose answer was lost), it removes nothing the hub holds.
    plan.apply.push({ kind: 'delete', remoteId });
    if (input.apart && ofUid.length > 0) plan.keepsLocal = true;
    else plan.outboxDrop.push(uid);
    if (local.length === 0) plan.counts.echoes += 1;
    else {
      plan.counts.deleted += 1;
      plan.fromProvider += 1;
    }
    return;
  }
  // Where the object holds the whole UID (CalDAV), the hub's rows of it no push has sent (a new
  // override: no remote id) go with it; by remote id alone they stayed behind, orphans of a
  // series that no longer exists.
  const settles = input.apart ? {} : { settlesUnsentOf: uid };
  if (!input.apart && changesOnlyOccurrences(local, known?.base ?? null)) {
    plan.conflicts.push(seriesDeletedConflict(uid, remoteId, input.deletePolicy, known?.base ?? null, local));
    plan.apply.push({ kind: 'delete', remoteId, ...settles });
    plan.outboxDrop.push(uid);
    plan.counts.deleted += 1;
    plan.fromProvider += 1;
    return;
  }
  // Under manual the provider's deletion stands until resolved; the hub's edit is kept in the record.
  const parked = input.policy === 'manual' && !isGuestCopy(local);
  const recreate = !parked && input.deletePolicy === 'modify-wins' && !isGuestCopy(local);
  const outcome = parked ? 'parked' : recreate ? 'recreated' : 'deleted';
  plan.conflicts.push({ uid, remoteId, policy: parked ? 'manual' : input.deletePolicy, fields: [DELETED], base: known?.base ?? null, local, remote: null, outcome });
  plan.fromProvider += 1;
  if (recreate) {
    plan.outboxRecreate.push(uid);
  } else {
    plan.apply.push({ kind: 'delete', remoteId, ...settles });
    plan.outboxDrop.push(uid);
    plan.counts.deleted += 1;
  }
}

/** The local events at the instances `of` holds (a series' master, or one override). */
function atInstances(local: CanonicalEvent[], of: CanonicalEvent[]): CanonicalEvent[] {
  const keys = new Set(of.map(keyOf));
  return local.filter((e) => keys.has(keyOf(e)));
}

/**
 * The local overrides' instances as their series' master holds them: what both sides agreed on
 * before either changed the instance. Without it every field either side changed was a conflict,
 * and an Outlook retitle of an occurrence was lost to the hub's change of its room.
 */
export function asAgreed(local: CanonicalEvent[], ofUid: CanonicalEvent[]): CanonicalEvent[] | null {
  const master = ofUid.find((e) => e.originalStart === null && e.recurrence);
  if (!master) return null;
  return local.filter((e) => e.originalStart).map((e) => ({ ...master, recurrence: null, originalStart: e.originalStart, ...timesAt(master, e.originalStart!) }));
}
