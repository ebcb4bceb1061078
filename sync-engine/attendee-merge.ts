/**
 * Three-way merge of an event's attendees, one attendee at a time (matched by address, without
 * case). The list was one field: a guest's new answer at the provider and a guest added through
 * the API at about the same time were a conflict of the whole list, and under latest-wins the
 * hub's copy (with the guest's old answer) was written back over the answer (found by an outside
 * user on Google). Here additions and removals of both sides combine, and each attendee's fields
 * are merged against that attendee in the base: a response is the provider's unless the hub
 * changed that attendee's response itself (the owner's own RSVP through the API, say). Only the
 * same attendee's field changed both ways is a conflict. Pure: no I/O.
 */
import type { Attendee } from '../shared/model/index.ts';

/** What of an attendee a merge weighs (its name and `self` are the provider's to fill in). */
const ATTENDEE_FIELDS = ['response', 'optional'] as const;

/** An attendee new to a side was added with these: a guest added without an answer changed none. */
const ADDED_AS = { response: 'needsAction', optional: false } as const;

export interface AttendeeMerge {
  attendees: Attendee[];
  /** Addresses (lower case) whose same field both sides changed to different values. */
  conflicts: string[];
  /** The result takes something only the hub's side had. */
  fromLocal: boolean;
  /** The result takes something only the provider's side had. */
  fromRemote: boolean;
}

const byAddress = (list: Attendee[]) => new Map(list.map((a) => [a.email.toLowerCase(), a]));

/**
 * `winner` settles a genuine conflict. An attendee removed on one side is removed, even if the
 * other side changed it meanwhile: a guest's answer (or the hub's change of one) does not put back
 * on the list someone the organizer took off it.
 */
export function mergeAttendees(base: Attendee[] | null, local: Attendee[], remote: Attendee[], winner: 'local' | 'remote'): AttendeeMerge {
  const [b, l, r] = [byAddress(base ?? []), byAddress(local), byAddress(remote)];
  const out: Attendee[] = [];
  const conflicts: string[] = [];
  let fromLocal = false;
  let fromRemote = false;
  // The provider's order first, then the hub's additions in its order.
  const addresses = [...new Set([...r.keys(), ...l.keys()])];
  for (const k of addresses) {
    const [la, ra, ba] = [l.get(k), r.get(k), b.get(k)];
    if (!la || !ra) {
      const only = (la ?? ra)!;
      // Held by one side only: added there (kept), or removed on the other (gone).
      const kept = !ba;
      if (kept) out.push(only);
      if ((la !== undefined) === kept) fromLocal = true;
      else fromRemote = true;
      continue;
    }
    const was = ba ?? ADDED_AS;
    const merged: Attendee = { ...ra, name: ra.name ?? la.name, self: ra.self || la.self };
    for (const f of ATTENDEE_FIELDS) {
      if (la[f] === ra[f]) continue;
      let side: 'local' | 'remote';
      if (was[f] === la[f]) side = 'remote';
      else if (was[f] === ra[f]) side = 'local';
      else {
        conflicts.push(k);
        side = winner;
      }
      if (side === 'local') {
        (merged as Record<string, unknown>)[f] = la[f];
        fromLocal = true;
      } else fromRemote = true;
    }
    out.push(merged);
  }
  // Removed on both sides: gone, with nothing taken from either.
  return { attendees: out, conflicts: [...new Set(conflicts)], fromLocal, fromRemote };
}
