import type { CanonicalEvent } from '../model/index.ts';

export interface ExpandInput {
  /** The series master, or a single (non-recurring) event; null when only overrides are known. */
  master: CanonicalEvent | null;
  /** Overrides of the same UID (each has originalStart); cancelled ones remove their occurrence. */
  overrides: CanonicalEvent[];
  /** IANA zone that resolves all-day dates and floating times. */
  calendarTimeZone: string;
  /** Half-open [start, end): occurrences that overlap it are returned. */
  window: { start: Date; end: Date };
  /** Only occurrences that start inside the window (not those that merely overlap it). */
  startsInWindow?: boolean;
  /**
   * At most this many regular occurrences per rule, the earliest ones (overrides always come):
   * a reader wanting the first n occurrences of a window asks for n, not for the whole window.
   */
  perRuleLimit?: number;
  /**
   * Receives every occurrence (unsorted; each rule's in order) instead of the returned array, which
   * stays empty, until it returns false. MAX_OCCURRENCES does not apply: only the work budget
   * (ITERATION_BUDGET) and the sink bound it. For a reader that folds occurrences as they come
   * (the busy index joins them into ranges) and so can cover a long series whole. Regular
   * (non-override) occurrences reach it with originalStartKey '' unless the series has EXDATEs or
   * overrides: building the key string per occurrence was a large part of a long series' cost.
   */
  sink?: (occ: Occurrence) => boolean;
  /**
   * Told when the work budget (ITERATION_BUDGET) or the wall-clock budget (EXPAND_BUDGET_MS) cut
   * the expansion short: the occurrences are then incomplete, and the caller should say so.
   */
  onBudgetExhausted?: (budget: 'work' | 'time') => void;
}

export interface Occurrence {
  startMs: number;
  endMs: number;
  /** eventTimeKey() of the occurrence's original (unmoved) start; for a single event, its start. */
  originalStartKey: string;
  /** The master for a regular occurrence, or the override that replaced it. */
  event: CanonicalEvent;
  isOverride: boolean;
  /**
   * Set on a regular occurrence that a RANGE=THISANDFUTURE override made (its `event` is that
   * override's content at the moved time, a new object): the override's originalStartKey.
   */
  rangeKey?: string;
}
