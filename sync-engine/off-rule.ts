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
import type { CanonicalEvent } from '../shared/model/index.ts';
import { isOnRule } from '../shared/time/index.ts';

const isMaster = (e: CanonicalEvent) => e.originalStart === null;
const onlyCancelledOverrides = (events: CanonicalEvent[]) => events.length > 0 && events.every((e) => e.originalStart !== null && e.status === 'cancelled');

/** The UIDs of the page's objects that hold only cancelled overrides (Google's cancelled exceptions): those whose master decides. */
export function cancelledOnlyUids(changes: RemoteChange[]): string[] {
  return [...new Set(changes.flatMap((c) => (c.kind === 'upsert' && onlyCancelledOverrides(c.events) ? c.events.map((e) => e.uid) : [])))];
}

/**
 * The page with each object that holds only cancelled overrides off its series' rule turned into
 * a delete of that object (removing a row stored for it earlier; of an object the hub never held,
 * nothing). The master is the page's (the last version of it in the page) or else `stored`'s;
 * without a recurring master nothing is decided and the object stays.
 */
export function dropOffRuleCancellations(changes: RemoteChange[], stored: Map<string, CanonicalEvent>, calendarZone: string): RemoteChange[] {
  const masters = new Map(stored);
  for (const c of changes) if (c.kind === 'upsert') for (const e of c.events) if (isMaster(e)) masters.set(e.uid, e);
  let changed = false;
  const out = changes.map((c): RemoteChange => {
    if (c.kind !== 'upsert' || !onlyCancelledOverrides(c.events)) return c;
    const off = c.events.every((e) => {
      const master = masters.get(e.uid);
      return master?.recurrence != null && !isOnRule(master, e.originalStart!, calendarZone);
    });
    if (!off) return c;
    changed = true;
    return { kind: 'delete', remoteId: c.remoteId };
  });
  return changed ? out : changes;
}
