/**
 * Three-way merge of one UID's events against the ledger's base (what both sides last agreed on).
 * Edits to different fields merge; the same field changed on both sides to different values is a
 * conflict that the calendar's policy settles. Attendees merge one by one (attendee-merge.ts).
 * Pure: no I/O.
 */
import { contentHash, eventTimeKey, normalizeRRule, withoutDetails, type CanonicalEvent, type EventTime } from '../shared/model/index.ts';

import type { ConflictPolicy, DeletePolicy } from '../shared/policies.ts';
import { mergeAttendees } from './attendee-merge.ts';
import { timesAt } from './occurrence.ts';

export { CONFLICT_POLICIES, DELETE_POLICIES, type ConflictPolicy, type DeletePolicy } from '../shared/policies.ts';

/** The fields a merge (and a revert) weighs one by one. */
export const FIELDS = [
  'start',
  'end',
  'recurrence',
  'status',
  'availability',
  'visibility',
  'title',
  'description',
  'location',
  'organizer',
  'attendees',
  'conferenceUrl',
  'provenance',
] as const;
export type Field = (typeof FIELDS)[number];

const time = (t: EventTime | null) => (t ? `${eventTimeKey(t)}|${'timeZone' in t ? t.timeZone : ''}` : null);

/** A field's value as merges compare it (whitespace, case of addresses and order of lists aside). */
export function fieldValue(e: CanonicalEvent, f: Field): string {
  switch (f) {
    case 'start':
    case 'end':
      return String(time(e[f]));
    case 'recurrence':
      return JSON.stringify(
        e.recurrence && {
          r: e.recurrence.rrules.map(normalizeRRule).sort(),
          x: e.recurrence.exdates.map(eventTimeKey).sort(),
          d: e.recurrence.rdates.map(eventTimeKey).sort(),
        },
      );
    case 'attendees':
      return JSON.stringify(e.attendees.map((a) => [a.email.toLowerCase(), a.response, a.optional]).sort());
    case 'organizer':
      return JSON.stringify(e.organizer?.email.toLowerCase() ?? null);
    case 'title':
    case 'description':
    case 'location':
    case 'conferenceUrl': {
      const v = e[f]?.replace(/\r\n/g, '\n').trim();
      return JSON.stringify(v ? v : null);
    }
    default:
      return JSON.stringify(e[f]);
  }
}

export const keyOf = (e: CanonicalEvent): string => (e.originalStart ? eventTimeKey(e.originalStart) : '');

/**
 * An invitee's copy of someone else's meeting. Gone at the provider, it was declined or cancelled
 * by its organizer, and it cannot be made again: the provider would make the mailbox organize it.
 */
/**
 * A deleted object held a series whose master the hub has not changed since both sides agreed:
 * what the hub changed is only occurrences of it (a new or changed override, a restored
 * occurrence). At Google and Graph such a change cannot outlive the series deleted there
 * (`provider-cannot-restore`); where the object holds the whole UID (CalDAV) the deletion stands
 * the same way, whatever the delete policy: one moved occurrence does not bring a series back.
 * A change of the master itself is a modification of the deleted object, for the delete policy.
 */
export function changesOnlyOccurrences(local: CanonicalEvent[], base: CanonicalEvent[] | null): boolean {
  const was = base?.find((e) => e.originalStart === null && e.recurrence !== null);
  const now = local.find((e) => e.originalStart === null);
  // Only an object that holds overrides with their master (one of Google's holds a master alone).
  const withOverrides = [...local, ...(base ?? [])].some((e) => e.originalStart !== null);
  return withOverrides && was !== undefined && now !== undefined && contentHash(was) === contentHash(now);
}

/**
 * The field of a delete conflict (one side deleted what the other changed) over a whole object; one
 * over an occurrence is `<occurrence>:deleted`, and a single event merged field by field `:deleted`.
 */
export const DELETED = 'deleted';
export const isDeleteField = (f: string): boolean => f === DELETED || f.endsWith(':deleted');

/** The conflict recorded when a series deleted at the provider takes the hub's changes of its occurrences with it. */
export function seriesDeletedConflict(uid: string, remoteId: string, deletePolicy: DeletePolicy, base: CanonicalEvent[] | null, local: CanonicalEvent[]) {
  const agreed = new Map((base ?? []).map((e) => [keyOf(e), contentHash(e)]));
  const fields = local.filter((e) => e.originalStart !== null && agreed.get(keyOf(e)) !== contentHash(e)).map((e) => `${keyOf(e)}:deleted`);
  // Under delete-wins the policy decided it; under modify-wins the series' deletion did.
  const policy = deletePolicy === 'delete-wins' ? deletePolicy : 'series-deleted';
  return { uid, remoteId, policy, fields: fields.length ? fields : [DELETED], base, local, remote: null, outcome: 'deleted' as const };
}

export const isGuestCopy = (events: CanonicalEvent[]): boolean =>
  events.some((e) => e.organizer !== null && e.attendees.some((a) => a.self && a.email.toLowerCase() !== e.organizer!.email.toLowerCase()));

/** Which side cancelled an instance both sides held live when they last agreed, if one did. */
function cancellation(base: CanonicalEvent, local: CanonicalEvent, remote: CanonicalEvent): 'local' | 'remote' | null {
  if (base.status === 'cancelled' || base.originalStart === null || local.status === remote.status) return null;
  if (remote.status === 'cancelled') return 'remote';
  return local.status === 'cancelled' ? 'local' : null;
}

/**
 * An occurrence both sides changed since they last agreed, where the base holds only its series
 * (CalDAV keeps overrides in the master's object): each side made it from the series at that
 * occurrence, so that is their base. Without it every field the two differed in was a conflict,
 * and a server's new location was lost to the hub's new title.
 */
function seriesAt(base: Map<string, CanonicalEvent>, at: EventTime | null): CanonicalEvent | undefined {
  const master = base.get('');
  if (!master?.recurrence || !at) return undefined;
  return { ...master, recurrence: null, originalStart: at, ...timesAt(master, at) };
}

/**
 * A side that removed an overridden occurrence by an EXDATE on its master (CalDAV) cancelled it:
 * seen as the override's absence plus a rule change, the other side's edit of the occurrence came
 * back next to an EXDATE that hides it. Here the EXDATE becomes the override cancelled, to merge as
 * one; `synthetic` names them so an outcome that keeps the cancellation gets its EXDATE back.
 */
function exdatesAsCancelled(events: CanonicalEvent[], base: Map<string, CanonicalEvent>, synthetic: Set<CanonicalEvent>, other: CanonicalEvent[]): CanonicalEvent[] {
  const master = events.find((e) => e.originalStart === null);
  const baseMaster = base.get('');
  if (!master?.recurrence || !baseMaster?.recurrence) return events;
  const had = new Set(baseMaster.recurrence.exdates.map(eventTimeKey));
  const held = new Set(events.map(keyOf));
  // A regular occurrence the other side overrode meanwhile is one both sides changed, as well.
  const overridden = new Set(other.filter((e) => e.originalStart).map(keyOf));
  const turned = new Set<string>();
  for (const x of master.recurrence.exdates) {
    const k = eventTimeKey(x);
    const was = base.get(k) ?? (overridden.has(k) ? seriesAt(base, x) : undefined);
    if (had.has(k) || held.has(k) || !was || was.status === 'cancelled') continue;
    turned.add(k);
    const cancelled: CanonicalEvent = { ...was, status: 'cancelled' };
    synthetic.add(cancelled);
    events = [...events, cancelled];
  }
  if (turned.size === 0) return events;
  const exdates = master.recurrence.exdates.filter((x) => !turned.has(eventTimeKey(x)));
  return events.map((e) => (e === master ? { ...master, recurrence: { ...master.recurrence!, exdates } } : e));
}

/** Puts back the EXDATE of each occurrence `exdatesAsCancelled` turned into an override that stayed cancelled. */
function restoreExdates(events: CanonicalEvent[], synthetic: Set<CanonicalEvent>): CanonicalEvent[] {
  const back = events.filter((e) => synthetic.has(e));
  if (back.length === 0) return events;
  return events
    .filter((e) => !synthetic.has(e))
    .map((e) =>
      e.originalStart === null && e.recurrence ? { ...e, recurrence: { ...e.recurrence, exdates: [...e.recurrence.exdates, ...back.map((c) => c.originalStart!)] } } : e,
    );
}

export interface MergeResult {
  events: CanonicalEvent[];
  /** Fields (as `key:field`) changed on both sides to different values. */
  conflicts: string[];
  /** Which side the result equals, or `merged` when it takes from both. */
  outcome: 'local' | 'remote' | 'merged';
  /**
   * Under `manual`, a conflict is parked: the provider's side of what is in conflict stands (the
   * hub's is kept aside in the conflict record), the rest is merged.
   */
  parked: boolean;
  /** A conflict was settled against the hub's side: a change made in the hub is lost. */
  hubLost: boolean;
  /**
   * Set when every conflict was the hub's deletion against a change made at the provider: `deleted`
   * when the deletion stood (delete-wins), `recreated` when the provider's change came back
   * (modify-wins). Recorded as `local`/`remote`, such a conflict sent no conflict.recorded
   * (migration 0087 sends it for these outcomes) and the product never learned its delete lost.
   */
  hubDeleted?: 'deleted' | 'recreated';
}

/**
 * What a recorded conflict says became of it: `remote` whenever a conflict went against the hub's
 * side, though the result took from both (the hub's change of another field merged): recorded as
 * `merged`, a lost API change sent no conflict.recorded (migration 0079 sends it for remote).
 */
export const recordedOutcome = (m: MergeResult): 'local' | 'remote' | 'merged' | 'parked' | 'deleted' | 'recreated' =>
  m.parked ? 'parked' : (m.hubDeleted ?? (m.hubLost ? 'remote' : m.outcome));

export interface MergeInput {
  base: CanonicalEvent[] | null;
  local: CanonicalEvent[];
  remote: CanonicalEvent[];
  policy: ConflictPolicy;
  deletePolicy: DeletePolicy;
  /** For latest-wins: the local edit is newer than the remote one. */
  localIsNewer: boolean;
  /**
   * The base was agreed on without details (agreed.ts): the provider's details are no change of it,
   * so they do not make an instance the hub deleted a modification that modify-wins brings back.
   */
  baseWithoutDetails?: boolean;
}

function pick(policy: ConflictPolicy, localIsNewer: boolean): 'local' | 'remote' {
  if (policy === 'hub-wins') return 'local';
  if (policy === 'latest-wins') return localIsNewer ? 'local' : 'remote';
  return 'remote';
}

/** The policy that settled a merge's conflicts: the delete policy when each was a deletion it settled. */
export const settledBy = (m: MergeResult, policy: ConflictPolicy, deletePolicy: DeletePolicy): ConflictPolicy | DeletePolicy =>
  !m.parked && m.conflicts.every((c) => c.endsWith(':deleted')) ? deletePolicy : policy;

export function merge3(input: MergeInput): MergeResult {
  const byKey = (list: CanonicalEvent[] | null) => new Map((list ?? []).map((e) => [keyOf(e), e]));
  const b = byKey(input.base);
  const synthetic = new Set<CanonicalEvent>();
  const [l, r] = [byKey(exdatesAsCancelled(input.local, b, synthetic, input.remote)), byKey(exdatesAsCancelled(input.remote, b, synthetic, input.local))];
  const keys = [...new Set([...l.keys(), ...r.keys()])].sort();
  const out: CanonicalEvent[] = [];
  const conflicts: string[] = [];
  let fromLocal = false;
  let fromRemote = false;
  let hubLost = false;
  // How each delete conflict where the hub's side was the deletion was settled (kept: the provider's change stood).
  const hubDeletes: boolean[] = [];
  // Under manual every field (or instance) in conflict keeps the provider's side until it is
  // resolved; what only one side changed is merged as under any policy.
  const parking = input.policy === 'manual';
  const winner = pick(input.policy, input.localIsNewer);
  const seenOfRemote = (e: CanonicalEvent) => (input.baseWithoutDetails ? withoutDetails(e) : e);
  const changedFrom = (be: CanonicalEvent, e: CanonicalEvent) => FIELDS.some((f) => fieldValue(e, f) !== fieldValue(be, f));

  for (const k of keys) {
    const [le, re] = [l.get(k), r.get(k)];
    const be = b.get(k) ?? (le && re ? seriesAt(b, le.originalStart) : undefined);
    const gone = le && re && be ? cancellation(be, le, re) : null;
    if (gone && le && re && be) {
      // An instance cancelled on one side is deleted there (its fields are no longer the event's:
      // Google keeps only its slot, A.2), so a change of it on the other side is delete-vs-modify,
      // not one more field to merge: the hub's edit of an occurrence cancelled at Google was lost
      // silently pulled first and brought it back silently pushed first.
      const [cancelled, other] = gone === 'local' ? [le, re] : [re, le];
      const modified = changedFrom(be, other === re ? seenOfRemote(re) : other);
      if (modified) conflicts.push(`${k}:deleted`);
      // An invitee's copy is the organizer's to bring back, whatever the policy (as for events).
      // Parked (manual), the provider's side of the instance stands.
      const keep = modified && (parking ? gone === 'local' : input.deletePolicy === 'modify-wins' && !(gone === 'remote' && isGuestCopy([le])));
      if (modified && gone === 'local') hubDeletes.push(keep);
      out.push(keep ? other : cancelled);
      if ((gone === 'local') === keep) {
        fromRemote = true;
        if (modified) hubLost = true;
      } else fromLocal = true;
      continue;
    }
    if (le && re) {
      const merged: CanonicalEvent = { ...re };
      for (const f of FIELDS) {
        const [lv, rv] = [fieldValue(le, f), fieldValue(re, f)];
        if (lv === rv) continue;
        if (f === 'attendees') {
          // Merged attendee by attendee (attendee-merge.ts): a guest's answer at the provider and
          // a guest added in the hub are no conflict.
          const a = mergeAttendees(be ? be.attendees : null, le.attendees, re.attendees, winner);
          if (a.conflicts.length) conflicts.push(`${k}:${f}`);
          merged.attendees = a.attendees;
          fromLocal ||= a.fromLocal;
          fromRemote ||= a.fromRemote;
          continue;
        }
        const bv = be ? fieldValue(be, f) : null;
        let side: 'local' | 'remote';
        if (bv === lv) side = 'remote';
        else if (bv === rv) side = 'local';
        else {
          conflicts.push(`${k}:${f}`);
          side = winner;
          if (side === 'remote') hubLost = true;
        }
        if (side === 'local') {
          (merged as Record<Field, unknown>)[f] = le[f];
          fromLocal = true;
        } else fromRemote = true;
      }
      out.push(merged);
      continue;
    }
    const only = (le ?? re)!;
    const side = le ? 'local' : 'remote';
    if (!be) {
      // New on one side only.
      out.push(only);
      if (side === 'local') fromLocal = true;
      else fromRemote = true;
      continue;
    }
    // Deleted on the other side; modified on this one?
    const modified = changedFrom(be, side === 'remote' ? seenOfRemote(only) : only);
    if (modified) conflicts.push(`${k}:deleted`);
    const keep = modified && (parking ? side === 'remote' : input.deletePolicy === 'modify-wins');
    if (modified && side === 'remote') hubDeletes.push(keep);
    if (keep) out.push(only);
    if ((side === 'local') === keep) fromLocal = true;
    else {
      fromRemote = true;
      if (modified) hubLost = true;
    }
  }
  const outcome = fromLocal && fromRemote ? 'merged' : fromLocal ? 'local' : 'remote';
  // Parked, the hub's changes that conflict with nothing stay: the provider's whole side stood
  // instead, and a local description edit vanished (GET, webhooks) until the conflict was resolved.
  const parked = parking && conflicts.length > 0;
  // Only the hub's deletions were in conflict, all settled one way: a delete conflict's own outcome.
  const onlyHubDeletes = conflicts.length > 0 && hubDeletes.length === conflicts.length && hubDeletes.every((k) => k === hubDeletes[0]);
  const hubDeleted = onlyHubDeletes ? (hubDeletes[0] ? ('recreated' as const) : ('deleted' as const)) : undefined;
  return { events: restoreExdates(out, synthetic), conflicts, outcome, parked, hubLost, ...(hubDeleted ? { hubDeleted } : {}) };
}
