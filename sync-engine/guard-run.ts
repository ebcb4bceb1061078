/**
 * What the mass-change guard flags a calendar with: the whole run, not the pages up to the one
 * that tripped it. The guard is checked before each page is applied, so a listing that spreads its
 * deletions over several pages (Google's incremental listing, 250 items a page) trips it part way,
 * after the pages before were applied. Flagged with the counts up to that page, an unflag approved
 * fewer removals than the listing held, and the next run was flagged again: the operator needed a
 * second unflag for the change they had checked. Now the run reads the rest of its listing
 * (applying nothing) to count it, shows the whole run in the flag, and records what is left of it
 * (what was not applied) as what an unflag approves.
 */
import type { ChangePage, RemoteChange, SyncCursor } from '../connectors/index.ts';
import type { GuardCounts } from './guard.ts';

/**
 * The guard stopped the run before a page: `counts`, the run's counts up to it (that page's
 * included); `from`, that page and the listing after it.
 */
export class GuardTripped extends Error {
  from?: { page: ChangePage; ahead: Promise<ChangePage> | null };
  constructor(readonly verdict: string, readonly counts: GuardCounts) {
    super(verdict);
    this.name = 'GuardTripped';
  }
}

/** Marks a trip with the page it happened before (the innermost mark wins). */
export const tripAt =
  (page: ChangePage, ahead: Promise<ChangePage> | null) =>
  (e: unknown): never => {
    if (e instanceof GuardTripped) e.from ??= { page, ahead };
    throw e;
  };

/** The removals a list of changes (the full listing's unseen objects) makes, as a last page. */
export const lastPage = (changes: RemoteChange[], cursor: SyncCursor): ChangePage => ({ changes, mode: 'incremental', nextCursor: cursor, hasMore: false });

export interface RestOfRun {
  /** The counts of the page that tripped the guard and of every page after it. */
  left: GuardCounts;
  /** False: a page could not be read (or the listing ran too long); `left` counts what was. */
  complete: boolean;
}

/**
 * Counts the page the guard stopped before and the rest of its listing, applying nothing.
 * `count`: a page's counts as the run would plan them against the store; `unseen`: for a full
 * listing, the known objects it has not returned so far (they are deleted at its end); `applied`:
 * what the run applied before it stopped. A listing that cannot be read to its end still leaves at
 * least what the guard had counted when it tripped.
 */
export async function countRestOfRun(
  trip: GuardTripped,
  list: (cursor: SyncCursor) => Promise<ChangePage>,
  count: (changes: RemoteChange[], full: boolean) => Promise<GuardCounts>,
  unseen: () => Promise<string[]>,
  maxPages: number,
  applied: GuardCounts,
): Promise<RestOfRun> {
  const left: GuardCounts = { deleted: 0, rewritten: 0, cancelled: 0 };
  const partly = (): RestOfRun => {
    for (const k of ['deleted', 'rewritten', 'cancelled'] as const) left[k] = Math.max(left[k], trip.counts[k] - applied[k]);
    return { left, complete: false };
  };
  if (!trip.from) return partly();
  const listed = new Set<string>();
  let { page, ahead } = trip.from;
  const full = page.mode === 'full';
  try {
    for (let n = 0; ; n += 1) {
      const c = await count(page.changes, page.mode === 'full');
      left.deleted += c.deleted;
      left.rewritten += c.rewritten;
      left.cancelled += c.cancelled;
      for (const ch of page.changes) listed.add(ch.remoteId);
      if (!page.hasMore) break;
      if (n >= maxPages) return partly();
      page = await (ahead ?? list(page.nextCursor));
      ahead = null;
    }
    if (full) left.deleted += (await unseen()).filter((id) => !listed.has(id)).length;
    return { left, complete: true };
  } catch {
    return partly();
  }
}

/** How the flag says that the pages before the one that tripped the guard were applied. */
export function appliedBefore(applied: GuardCounts): string {
  const removed = applied.deleted + applied.cancelled;
  const edited = applied.rewritten - applied.cancelled;
  if (removed + edited === 0) return '';
  const parts = [removed ? `${removed} removals` : '', edited ? `${edited} edits` : ''].filter(Boolean).join(' and ');
  return `; ${parts} of it were applied before the guard stopped it`;
}
