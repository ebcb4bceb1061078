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
 * the new work in it), a share or slot wait, a shutdown's. A calendar whose provider is really down
 * is then tried once more per trigger, but at most once per failure (`hurriedAt`): a burst of
 * changes against a stopped server costs one extra try, and the job keeps its attempts, so its
 * backoff goes on growing from where it was rather than starting again.
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
  if (j.data.hurriedAt === j.attemptsMade) return 'already run early once since its last failure';
  return null;
}
