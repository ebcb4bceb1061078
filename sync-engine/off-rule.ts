/**
 * A cancelled exception whose original start is no longer an occurrence of its series' rules.
 * Google keeps an exception at its original start when its series moves (originalStartTime is
 * immutable, provider-facts A.3), and the hub cancels it there when it carries the override along
 * with the series (the push writes the override again at its new slot, plain-occurrences.ts): a
 * cancelled exception off the moved rule is what is left. It cancels nothing, so the hub holds no
 * row for it. Stored, it was a cancelled override with start == end at the old time that GET
 * answered and later webhooks named as an instance of the series.
 */
import type { RemoteChange } from '../connectors/index.ts';
import { contentHash, eventTimeKey, type CanonicalEvent } from '../shared/model/index.ts';
import { isOnRule } from '../shared/time/index.ts';
import { plainOccurrence } from './plain-occurrences.ts';

const isMaster = (e: CanonicalEvent) => e.originalStart === null;
const onlyOverrides = (events: CanonicalEvent[]) => events.length > 0 && events.every((e) => e.originalStart !== null);

/** The key of a stored override row: UID and original start. */
export const overrideKey = (e: CanonicalEvent): string => `${e.uid}\u0000${eventTimeKey(e.originalStart!)}`;

/**
 * The UIDs of the page's objects that hold only overrides (Google's exceptions, cancelled or not):
 * those whose master decides.
 */
export function overrideOnlyUids(changes: RemoteChange[]): string[] {
  return [...new Set(changes.flatMap((c) => (c.kind === 'upsert' && onlyOverrides(c.events) ? c.events.map((e) => e.uid) : [])))];
}

/**
 * The page with each object that holds only cancelled overrides off its series' rule turned into
 * a delete of that object (removing a row stored for it earlier; of an object the hub never held,
 * nothing). The master is the page's (the last version of it in the page) or else `stored`'s;
 * without a recurring master nothing is decided and the object stays.
 *
 * So is an object whose overrides are each the plain occurrence of the series at their original
 * start, where the hub holds no override row (`held`, overrideKey). That is Google's exception
 * written back as its series shows it (plain-occurrences.ts): after a series moved by whole days
 * the old exception's original start is another occurrence of the moved rule, so the push resets
 * it rather than cancelling it. It changes nothing; stored, it was an override with an id of its
 * own ("created") that the next move carried and gave the user's override's title.
 *
 * `held` as a map (overrideKey -> the stored row's content hash) with `settled` (UIDs with nothing
 * to push): a held row that is itself exactly that plain occurrence goes too. Earlier versions
 * stored such rows (push.ts stored the plain occurrence it wrote back); they change nothing, and
 * the pull passes them only on a full listing (resync --full), so an API occurrence PATCH that
 * changed nothing keeps its row between full resyncs.
 */
export function dropOffRuleCancellations(changes: RemoteChange[], stored: Map<string, CanonicalEvent>, calendarZone: string, held: ReadonlySet<string> | ReadonlyMap<string, string> = new Set(), settled: ReadonlySet<string> = new Set()): RemoteChange[] {
  const masters = new Map(stored);
  for (const c of changes) if (c.kind === 'upsert') for (const e of c.events) if (isMaster(e)) masters.set(e.uid, e);
  let changed = false;
  const out = changes.map((c): RemoteChange => {
    if (c.kind !== 'upsert' || !onlyOverrides(c.events)) return c;
    const off = c.events.every((e) => {
      const master = masters.get(e.uid);
      if (master?.recurrence == null) return false;
      const on = isOnRule(master, e.originalStart!, calendarZone);
      if (e.status === 'cancelled') return !on;
      if (!on) return false;
      const plain = contentHash(plainOccurrence(master, e.originalStart!));
      if (contentHash(e) !== plain) return false;
      const k = overrideKey(e);
      if (!held.has(k)) return true;
      // A row the hub holds there that is the plain occurrence too, nothing of its series pending.
      return held instanceof Map && held.get(k) === plain && settled.has(e.uid);
    });
    if (!off) return c;
    changed = true;
    return { kind: 'delete', remoteId: c.remoteId };
  });
  return changed ? out : changes;
}

/**
 * The stored override objects a page's moved master leaves cancelling nothing: for each recurring
 * master in the page, the remote ids of the rows of its UID, each an object of its own (`apart`)
 * the page does not carry, that are cancelled overrides at an original start off the master's
 * rule. Google keeps a cancelled exception at its old original start when another client moves the
 * series, and lists only the master again; the hub kept the cancelled row at the old time (GET
 * answered it, webhooks named it). UIDs with changes pending to push (`settled` lacks them) are left
 * to the push.
 */
export function strandedCancellations(
  changes: RemoteChange[],
  rows: ReadonlyMap<string, ReadonlyArray<{ remoteId: string | null; event: CanonicalEvent }>>,
  calendarZone: string,
  settled: ReadonlySet<string>,
): string[] {
  const inPage = new Set(changes.map((c) => c.remoteId));
  const masters = new Map<string, CanonicalEvent>();
  for (const c of changes) if (c.kind === 'upsert') for (const e of c.events) if (isMaster(e) && e.recurrence) masters.set(e.uid, e);
  const out: string[] = [];
  for (const [uid, master] of masters) {
    if (!settled.has(uid)) continue;
    const ofUid = rows.get(uid) ?? [];
    const perRemote = new Map<string, number>();
    for (const r of ofUid) if (r.remoteId) perRemote.set(r.remoteId, (perRemote.get(r.remoteId) ?? 0) + 1);
    for (const r of ofUid) {
      const e = r.event;
      if (!r.remoteId || inPage.has(r.remoteId) || perRemote.get(r.remoteId) !== 1 || isMaster(e) || e.status !== 'cancelled') continue;
      if (!isOnRule(master, e.originalStart!, calendarZone)) out.push(r.remoteId);
    }
  }
  return [...new Set(out)];
}
