import type { CanonicalEvent } from './event.ts';

export const BUSY_STATUSES = ['busy', 'tentative', 'oof', 'workingElsewhere'] as const;
export type BusyStatus = (typeof BUSY_STATUSES)[number];

/**
 * The busy policy (documented in docs/busy-policy.md). An occurrence blocks time unless:
 * - it is cancelled (STATUS:CANCELLED, Google `cancelled`, Graph `isCancelled`), or
 * - it is transparent / free (TRANSP:TRANSPARENT, Google `transparency: transparent`, Graph
 *   `showAs: free`), or
 * - the calendar's owner declined the invitation (self attendee `declined`).
 * Tentative status or a tentative reply gives `tentative`; Graph `oof` and `workingElsewhere` keep
 * their kind. Everything else is `busy`.
 */
export function busyStatusOf(e: CanonicalEvent): BusyStatus | null {
  if (e.status === 'cancelled') return null;
  if (e.availability === 'free') return null;
  const self = e.attendees.find((a) => a.self);
  if (self?.response === 'declined') return null;
  if (e.availability === 'oof') return 'oof';
  if (e.availability === 'workingElsewhere') return 'workingElsewhere';
  if (e.status === 'tentative' || e.availability === 'tentative' || self?.response === 'tentative') return 'tentative';
  return 'busy';
}
