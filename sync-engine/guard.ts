/**
 * The mass-change guard's verdict on one run. Deletions (and edits that cancel a whole object, which
 * remove it as surely) are what a broken client or server does to a calendar, so they trip it at a
 * small share. Ordinary edits of known objects are also what a busy calendar does while the hub was
 * behind (a restart, a backlog), so they only trip it when a run would rewrite most of the calendar.
 *
 * A run stops when it would remove (delete or cancel):
 * - every known object, from `minObjects` (3) on: the classic failure, a listing that came back
 *   empty (vdirsyncer refuses to sync an emptied collection for the same reason);
 * - more than half of them, from `minMajority` (5) removals on: "nearly everything is gone" on a
 *   small calendar (8 of 10 passed unguarded while only the 20% share below counted);
 * - more than `maxDeleteShare` (20%) of them, from `minChanges` (10) removals on.
 * A share of a small calendar is a handful of events: deleting 2 of 7 between two polls is what a
 * person does (the soak's Google calendar was flagged for it and synced no more), and so are 3 of 5
 * or both events of a calendar of 2, so the shares need that many removals. A flag stops the
 * calendar until an operator's unflag (there is no tenant API for it), so a person's ordinary
 * clean-up must not trip it. Calendars of one or two objects are never guarded.
 */
export interface GuardSettings {
  /** Share of known objects one run may delete or cancel, from `minChanges` removals (default 0.2). */
  maxDeleteShare: number;
  /** Share of known objects one run may otherwise rewrite (default 0.5). */
  maxRewriteShare?: number;
  /** Calendars with fewer known objects are never guarded (default 3). */
  minObjects: number;
  /** Fewer removals (or rewrites) than this never trip the shares above (default 10). */
  minChanges?: number;
  /** From this many removals, removing more than half of the calendar trips it at any size (default 5). */
  minMajority?: number;
}

export const DEFAULT_GUARD: Required<GuardSettings> = { maxDeleteShare: 0.2, maxRewriteShare: 0.5, minObjects: 3, minChanges: 10, minMajority: 5 };

export interface GuardCounts {
  deleted: number;
  /** Edits of known objects, cancellations included. */
  rewritten: number;
  /** Of those edits, the ones that leave every event of the object cancelled. */
  cancelled: number;
}

/**
 * What `calendars unflag` approved: the removals and rewrites of the run the guard stopped
 * (shared/store/calendars.ts). The next run may make that many; the guard's rules apply to what it
 * makes beyond them, against the calendar without the approved removals. So the change that was
 * checked goes through, a few more edits made meanwhile too, and a much larger one still trips.
 */
export interface GuardAllowance {
  removed: number;
  rewritten: number;
}

/** Why this run must stop, or null. */
export function guardVerdict(guard: GuardSettings, known: number, c: GuardCounts, allowance?: GuardAllowance | null): string | null {
  const removedAll = c.deleted + c.cancelled;
  const removed = Math.max(0, removedAll - (allowance?.removed ?? 0));
  const rewritten = Math.max(0, c.rewritten - (allowance?.rewritten ?? 0));
  const rest = Math.max(0, known - (allowance?.removed ?? 0));
  if (rest < guard.minObjects) return null;
  const beyond = allowance ? ` (${allowance.removed} removals and ${allowance.rewritten} rewrites were approved by an unflag)` : '';
  const enough = (n: number) => n >= (guard.minChanges ?? DEFAULT_GUARD.minChanges);
  const majority = removed >= (guard.minMajority ?? DEFAULT_GUARD.minMajority) && removed > rest / 2;
  if ((removed > 0 && removed >= rest) || majority || (enough(removed) && removed > rest * guard.maxDeleteShare)) return `one run would delete or cancel ${removedAll} of ${known} objects${beyond}`;
  const maxRewrite = guard.maxRewriteShare ?? DEFAULT_GUARD.maxRewriteShare;
  if (enough(rewritten) && rewritten > rest * maxRewrite) return `one run would rewrite ${c.rewritten} of ${known} objects${beyond}`;
  return null;
}
