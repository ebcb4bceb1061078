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
