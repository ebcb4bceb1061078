/**
 * Jobs of calendars and mirror rules that no longer exist (a disconnected account's, a deleted
 * calendar's): they could only end in "not found", and failed ones stayed in the queue for good,
 * in `calhub status` and the queue dashboard, for an account no one has any more.
 */
import type { Job, Queue } from 'bullmq';
/** What the reaper reads of a job's data (engine.ts JobData has these). */
export interface JobIds {
  tenantId: string;
  calendarId?: string;
  ruleId?: string;
}

export type JobState = 'waiting' | 'prioritized' | 'delayed' | 'failed';
const PAGE = 1000;

/** Every job of the given states from `from` on, oldest first (read in pages: a removal while paging would shift the pages). */
export async function jobsIn<D extends JobIds>(queue: Queue<D>, states: JobState[], limit = Infinity, from = 0): Promise<Job<D>[]> {
  const out: Job<D>[] = [];
  for (let start = from; out.length < limit; ) {
    const size = Math.min(PAGE, limit - out.length);
    const page = (await queue.getJobs(states, start, start + size - 1, true)).filter(Boolean);
    out.push(...page);
    if (page.length < size) break;
    start += size;
  }
  return out.slice(0, limit);
}

/**
 * Where the reaper's next tick reads the failed jobs from: it looks at `limit` per tick, so with
 * more failed jobs than that it must move on, or those past the first `limit` were never looked
 * at. The failed set is oldest first and grows at its end; the jobs a tick kept stay where they
 * were, so the next tick starts after them. A short page is the end: the next tick starts over.
 * A job removed before the cursor by someone else (a retry, a disconnect) shifts the rest down and
 * may be passed over once; the next round sees it.
 */
export function nextCursor(from: number, read: number, removed: number, limit: number): number {
  return read < limit ? 0 : from + read - removed;
}

/**
 * Removes the jobs; false for one that could not be (it started meanwhile: a running job holds
 * a lock, and ends on its own finding nothing). `left` is told each removed job's coalescing key.
 */
export async function removeJobs<D extends JobIds>(jobs: Job<D>[], left: (job: Job<D>) => Promise<void>): Promise<number> {
  let removed = 0;
  for (const job of jobs) {
    try {
      await job.remove();
      removed += 1;
      await left(job).catch(() => undefined);
    } catch {
      // Locked by a worker that took it up: not ours to remove.
    }
  }
  return removed;
}

/** The jobs of `jobs` whose calendar or rule is not in `existing` (ids the store still has). */
export function orphaned<D extends JobIds>(jobs: Job<D>[], existing: { calendarIds: Set<string>; ruleIds: Set<string> }): Job<D>[] {
  return jobs.filter((j) => (j.data.calendarId ? !existing.calendarIds.has(j.data.calendarId) : j.data.ruleId ? !existing.ruleIds.has(j.data.ruleId) : false));
}
