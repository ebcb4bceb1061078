/**
 * What `latest-wins` compares, at pull time and at push time alike: when the hub-side change was
 * made in the hub (the outbox entry's time: the last API or mirror write of the UID) against the
 * provider's own modification time of the version it holds now (Google `updated`, Graph
 * `lastModifiedDateTime`, CalDAV LAST-MODIFIED, else DTSTAMP; the newest of the object's events).
 * Push once took the hub's side as newer whenever the provider refused its conditional write, so a
 * user's edit made at Google seconds after an API write was overwritten by the older API write.
 */
import type { CanonicalEvent } from '../shared/model/index.ts';

/** The provider's time of its latest change of an object (ms), or null when none of its events gives one. */
export function providerChangedAt(events: CanonicalEvent[]): number | null {
  const times = events.map((e) => (e.providerUpdatedAt ? Date.parse(e.providerUpdatedAt) : NaN)).filter((t) => Number.isFinite(t) && t > 0);
  return times.length ? Math.max(...times) : null;
}

export interface LatestDecision {
  /** The hub's side is the later edit (latest-wins takes it). */
  localIsNewer: boolean;
  /** The two times compared, for the conflict record (ISO); remote null: the provider gave none. */
  localChangedAt: string | null;
  remoteChangedAt: string | null;
}

/**
 * Compares the two times as given: no allowance for clock skew, since the hub cannot measure the
 * provider's clock and any allowance would only move which edit wrongly wins (keep the hub's clock
 * NTP-synced; the providers' are). Equal times go to the hub's side. A provider that gives no time
 * (a CalDAV object with neither LAST-MODIFIED nor DTSTAMP) counts as changed when calhub read it
 * (`seenAt`): the change was made no later than that, and the hub's edit, already stored, was made
 * earlier, so the provider's side wins: calhub never overwrites a change whose age it cannot tell.
 * A hub edit of unknown time (none pending) likewise loses.
 */
export function decideLatest(localAt: number | null, remote: CanonicalEvent[], seenAt: Date): LatestDecision {
  const remoteAt = providerChangedAt(remote);
  return {
    localIsNewer: localAt !== null && localAt >= (remoteAt ?? seenAt.getTime()),
    localChangedAt: localAt === null ? null : new Date(localAt).toISOString(),
    remoteChangedAt: remoteAt === null ? null : new Date(remoteAt).toISOString(),
  };
}
