/**
 * Failed sync jobs as `calhub status` sums them up: those calhub takes up again by itself, and
 * those that need an operator. A pull, push or resync that used up its attempts on a retryable
 * error (a provider outage: 8 attempts last ~3 min) is not lost: the calendar's next poll (once per
 * SYNC_POLL_INTERVAL_MS) pulls it again, a successful pull queues a push of the writes still in its
 * outbox (engine.ts), and that success removes the calendar's failed jobs (recovered-jobs.ts).
 * A job stopped by an error no retry mends (UnrecoverableError: a revoked grant, a refused write)
 * or a mirror job (re-run only when a calendar it reads changes) waits for an operator.
 */
export interface FailedJobFacts {
  name: string;
  attemptsMade: number;
  /** The attempts the job was given (opts.attempts). */
  attempts: number;
  failedReason?: string | null;
  data: { calendarId?: string };
}

export interface FailedJobsSummary {
  /** Jobs in the failed state. */
  total: number;
  /** How many of the most recent were read for what follows. */
  sampled: number;
  /** Of those read: taken up again by the calendar's next poll, nothing to do. */
  selfRetried: number;
  /** Of those read: stopped by an error a retry does not mend, or a mirror job: an operator looks (`calhub queue list`). */
  needsOperator: number;
  /** The most common reason of those needing an operator (its code where it starts with one), and how many. */
  mostCommonReason: { reason: string; n: number } | null;
}

const CALENDAR_JOBS = new Set(['pull', 'push', 'resync']);

/** Whether the calendar's next poll takes this failed job up again (see the head of this file). */
export function retriedByPoll(j: FailedJobFacts): boolean {
  return CALENDAR_JOBS.has(j.name) && Boolean(j.data.calendarId) && j.attemptsMade >= j.attempts;
}

export function summarizeFailed(total: number, sample: FailedJobFacts[]): FailedJobsSummary {
  const byReason = new Map<string, number>();
  let selfRetried = 0;
  for (const j of sample) {
    if (retriedByPoll(j)) {
      selfRetried += 1;
      continue;
    }
    const reason = /^([A-Z][A-Z0-9_]{2,}):/.exec(j.failedReason ?? '')?.[1] ?? (j.failedReason ?? 'no reason noted').slice(0, 100);
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  const top = [...byReason].sort((a, b) => b[1] - a[1])[0];
  return { total, sampled: sample.length, selfRetried, needsOperator: sample.length - selfRetried, mostCommonReason: top ? { reason: top[0], n: top[1] } : null };
}
