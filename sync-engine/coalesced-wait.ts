/**
 * A trigger that coalesces into its key's job while that job waits in the delayed set (addCoalesced):
 * BullMQ drops the new job and the new work waits for whatever delayed the old one. A push that
 * failed once and was backing off (up to 90 s a step) held every later change of its calendar,
 * although that change had never been tried and the failure was long over. Whether the new work
 * runs now or keeps the wait is decided here.
 *
 * It keeps the wait only when the wait was asked for by the calendar's provider or account: a rate
 * limit's Retry-After, a spent request budget, a run over its budget with nothing committed (the
 * provider too slow to answer). The new work goes to that same provider and would only meet the
 * same answer, sooner. Every other wait is cut short: a failure's backoff (its retry runs now, with
 * the new work in it), a share or slot wait, a shutdown's. The trigger cannot know whether the
 * failure is over, and one try costs one request.
 *
 * A calendar whose provider is really down must still back off, however often it is changed: an
 * early run that fails is followed by one whole backoff step before another may be cut short
 * (`hurriedAt`), so such a calendar is tried at most twice as often as its backoff alone would,
 * and the job keeps its attempts, its backoff growing from where it was rather than starting again.
 */
import type { JobDelay } from './job-delay.ts';

/** What is read of the delayed job. */
export interface DelayedJobFacts {
  data: { delay?: JobDelay; hurriedAt?: number };
  attemptsMade: number;
  /** When its last run started: a delay noted before it is stale (the job ran again since). */
  processedOn?: number | null;
}

/** Reasons of a delay the provider or account asked for (delayJob's texts: engine.ts). */
const PROVIDER_ASKED = /^CONNECTOR_RATE_LIMITED:|over its run budget .*with nothing committed/;

/** Why the new work should not run now, or null: it should (promote the job). */
export function keepsWaiting(j: DelayedJobFacts): string | null {
  const d = j.data.delay;
  const current = d && Date.parse(d.until) > (j.processedOn ?? 0);
  if (current && PROVIDER_ASKED.test(d.reason)) return `the provider asked to wait: ${d.reason}`;
  const hurried = j.data.hurriedAt;
  if (hurried !== undefined && j.attemptsMade < hurried + 2) return 'run early already; this backoff step is waited out';
  return null;
}
