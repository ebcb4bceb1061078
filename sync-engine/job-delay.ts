/**
 * A job put back to wait (rate limited, over its run budget, its slot or worker share taken, a
 * shutdown) spends no attempt and sets no failedReason, so `calhub queue list --state delayed`
 * showed a throttled push as ATTEMPTS 0 with no reason, as if idle. Each delay is written into
 * the job's data first: why, until when, and how many times it has been delayed.
 */
import { DelayedError, type Job } from 'bullmq';
import { scrubSecrets } from '../shared/logger.ts';
import { notePushWait, type Queryable } from '../shared/store/index.ts';

/** The job's last delay, in its data (JobData.delay). */
export interface JobDelay {
  reason: string;
  /** ISO instant the delay ends. */
  until: string;
  /** Delays so far (they spend no attempt). */
  count: number;
}

/**
 * Delays the job by `ms` and notes why; never returns (BullMQ's DelayedError tells the worker the
 * job was moved). A push delayed for the provider (`db` given) also notes it on its calendar, for
 * `calhub calendars writes`. Noting is best effort: the delay itself must happen.
 */
export async function delayJob<D extends { tenantId: string; calendarId?: string; delay?: JobDelay }>(
  job: Job<D>,
  token: string | undefined,
  ms: number,
  reason: string,
  pushWait?: { db: Queryable },
): Promise<never> {
  const until = Date.now() + ms;
  const delay: JobDelay = { reason: scrubSecrets(reason), until: new Date(until).toISOString(), count: (job.data.delay?.count ?? 0) + 1 };
  await job.updateData({ ...job.data, delay }).catch(() => undefined);
  if (pushWait && job.name === 'push' && job.data.calendarId) {
    await notePushWait(pushWait.db, job.data.tenantId, job.data.calendarId, delay.reason, new Date(until)).catch(() => undefined);
  }
  await job.moveToDelayed(until, token);
  throw new DelayedError();
}

/** A push that failed and will be retried by the queue's backoff: its calendar's writes say why (no time: the backoff decides). */
export async function notePushFailure(db: Queryable, data: { tenantId: string; calendarId?: string }, e: unknown): Promise<void> {
  if (!data.calendarId) return;
  const code = (e as { code?: unknown } | null)?.code;
  const text = e instanceof Error ? (typeof code === 'string' ? `${code}: ${e.message}` : e.message) : String(e);
  await notePushWait(db, data.tenantId, data.calendarId, scrubSecrets(text), null).catch(() => undefined);
}

/** One job waiting in the delayed state, as `calhub status` sums them up. */
export interface DelayedJobFacts {
  /** When the queue tries it again (its place in the delayed set). */
  nextTryAt: number;
  data: { delay?: JobDelay };
  attemptsMade: number;
  failedReason?: string | null;
  /** When its last run started: a delay noted before it is stale (the job ran again since). */
  processedOn?: number | null;
}

export interface DelayedJobsSummary {
  /** Jobs in the delayed state: put back to wait (rate limit, run budget, slot, shutdown) or failed and retrying. */
  total: number;
  /** How many of the soonest were read for what follows (bounded: status stays cheap with a long queue). */
  sampled: number;
  /** Of those read: failed and retried by the queue's backoff. */
  retrying: number;
  /** Of those read: the most common reason (a code where the reason starts with one), and how many. */
  mostCommonReason: { reason: string; n: number } | null;
  /**
   * Of those read that failed before (whatever they wait on now: a retry's backoff, or a slot or a
   * share behind a run of the same failing calendar), the most common last failure. During a
   * Radicale outage the waits (a slot, a host's share) outnumbered the failures, and `calhub status`
   * named a wait as the cause while it was ECONNREFUSED. Null when none failed (absent from an older hub).
   */
  mostCommonFailure?: { reason: string; n: number } | null;
  /** The soonest next try of them all (ISO); null when none waits. */
  nextTryAt: string | null;
  /** The command that lists them, with their reasons. */
  listCommand: string;
}

export const DELAYED_LIST_COMMAND = 'calhub queue list --state delayed';
const REASON_SHOWN = 100;

/** Why one delayed job waits: its current delay's reason, or, failed and retrying, its failure. */
export function whyDelayed(j: DelayedJobFacts): { retrying: boolean; reason: string } {
  const d = j.data.delay;
  if (d && Date.parse(d.until) > (j.processedOn ?? 0)) return { retrying: false, reason: reasonKey(d.reason) };
  if (j.attemptsMade > 0 && j.failedReason) return { retrying: true, reason: `failed, retrying: ${reasonKey(scrubSecrets(j.failedReason))}` };
  return { retrying: false, reason: 'delayed (no reason noted)' };
}

/** A reason's code where it starts with one (`CONNECTOR_RATE_LIMITED: …`), else its text, cut: so that alike reasons count together. */
function reasonKey(reason: string): string {
  const code = /^([A-Z][A-Z0-9_]{2,}):/.exec(reason)?.[1];
  if (code) return code;
  return reason.length > REASON_SHOWN ? `${reason.slice(0, REASON_SHOWN)}…` : reason;
}

/** `total` from the queue's counts; `sample`: the soonest delayed jobs, soonest first. */
export function summarizeDelayed(total: number, sample: DelayedJobFacts[]): DelayedJobsSummary {
  const byReason = new Map<string, number>();
  const byFailure = new Map<string, number>();
  let retrying = 0;
  for (const j of sample) {
    const w = whyDelayed(j);
    if (w.retrying) retrying += 1;
    byReason.set(w.reason, (byReason.get(w.reason) ?? 0) + 1);
    if (j.attemptsMade > 0 && j.failedReason) {
      const failure = reasonKey(scrubSecrets(j.failedReason));
      byFailure.set(failure, (byFailure.get(failure) ?? 0) + 1);
    }
  }
  const top = mostOf(byReason);
  const soonest = sample.length ? Math.min(...sample.map((j) => j.nextTryAt)) : null;
  return { total: Math.max(total, sample.length), sampled: sample.length, retrying, mostCommonReason: top, mostCommonFailure: mostOf(byFailure), nextTryAt: soonest === null ? null : new Date(soonest).toISOString(), listCommand: DELAYED_LIST_COMMAND };
}

function mostOf(counts: Map<string, number>): { reason: string; n: number } | null {
  let top: { reason: string; n: number } | null = null;
  for (const [reason, n] of counts) if (!top || n > top.n) top = { reason, n };
  return top;
}
