/**
 * Three-way merge of one UID's events against the ledger's base (what both sides last agreed on).
 * Edits to different fields merge; the same field changed on both sides to different values is a
 * conflict that the calendar's policy settles. Pure: no I/O.
 */
import { eventTimeKey, normalizeRRule, type CanonicalEvent, type EventTime } from '../shared/model/index.ts';

import type { ConflictPolicy, DeletePolicy } from '../shared/policies.ts';

export { CONFLICT_POLICIES, DELETE_POLICIES, type ConflictPolicy, type DeletePolicy } from '../shared/policies.ts';

const FIELDS = [
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
type Field = (typeof FIELDS)[number];

const time = (t: EventTime | null) => (t ? `${eventTimeKey(t)}|${'timeZone' in t ? t.timeZone : ''}` : null);

function fieldValue(e: CanonicalEvent, f: Field): string {
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
export const isGuestCopy = (events: CanonicalEvent[]): boolean =>
  events.some((e) => e.organizer !== null && e.attendees.some((a) => a.self && a.email.toLowerCase() !== e.organizer!.email.toLowerCase()));

export interface MergeResult {
  events: CanonicalEvent[];
  /** Fields (as `key:field`) changed on both sides to different values. */
  conflicts: string[];
  /** Which side the result equals, or `merged` when it takes from both. */
  outcome: 'local' | 'remote' | 'merged';
  /** Under `manual`, a conflict is parked: the remote side stands and the local side is kept aside. */
  parked: boolean;
}

export interface MergeInput {
  base: CanonicalEvent[] | null;
  local: CanonicalEvent[];
  remote: CanonicalEvent[];
  policy: ConflictPolicy;
  deletePolicy: DeletePolicy;
  /** For latest-wins: the local edit is newer than the remote one. */
  localIsNewer: boolean;
}

function pick(policy: ConflictPolicy, localIsNewer: boolean): 'local' | 'remote' {
  if (policy === 'hub-wins') return 'local';
  if (policy === 'latest-wins') return localIsNewer ? 'local' : 'remote';
  return 'remote';
}

export function merge3(input: MergeInput): MergeResult {
  const byKey = (list: CanonicalEvent[] | null) => new Map((list ?? []).map((e) => [keyOf(e), e]));
  const [b, l, r] = [byKey(input.base), byKey(input.local), byKey(input.remote)];
  const keys = [...new Set([...l.keys(), ...r.keys()])].sort();
  const out: CanonicalEvent[] = [];
  const conflicts: string[] = [];
  let fromLocal = false;
  let fromRemote = false;
  const winner = pick(input.policy, input.localIsNewer);

  for (const k of keys) {
    const [be, le, re] = [b.get(k), l.get(k), r.get(k)];
    if (le && re) {
      const merged: CanonicalEvent = { ...re };
      for (const f of FIELDS) {
        const [lv, rv] = [fieldValue(le, f), fieldValue(re, f)];
        if (lv === rv) continue;
        const bv = be ? fieldValue(be, f) : null;
        let side: 'local' | 'remote';
        if (bv === lv) side = 'remote';
        else if (bv === rv) side = 'local';
        else {
          conflicts.push(`${k}:${f}`);
          side = winner;
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
    const modified = FIELDS.some((f) => fieldValue(only, f) !== fieldValue(be, f));
    if (modified) conflicts.push(`${k}:deleted`);
    const keep = modified && input.deletePolicy === 'modify-wins';
    if (keep) out.push(only);
    if ((side === 'local') === keep) fromLocal = true;
    else fromRemote = true;
  }
  const outcome = fromLocal && fromRemote ? 'merged' : fromLocal ? 'local' : 'remote';
  const parked = input.policy === 'manual' && conflicts.length > 0;
  return parked ? { events: input.remote, conflicts, outcome: 'remote', parked } : { events: out, conflicts, outcome, parked };
}
