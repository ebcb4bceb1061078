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

/** Every job of the given states (read in pages: a removal while paging would shift the pages). */
export async function jobsIn<D extends JobIds>(queue: Queue<D>, states: JobState[], limit = Infinity): Promise<Job<D>[]> {
  const out: Job<D>[] = [];
  for (let start = 0; out.length < limit; start += PAGE) {
    const page = (await queue.getJobs(states, start, start + PAGE - 1, true)).filter(Boolean);
    out.push(...page);
    if (page.length < PAGE) break;
  }
  return out.slice(0, limit);
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
