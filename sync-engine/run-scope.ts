/**
 * The running sync job's abort signal, reachable from wherever a connector context is built
 * (openCalendar) without threading it through every function in between. The engine aborts it
 * when the run's budget is spent; every provider request of the run then ends at once.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** A run's abort signal and the work it has committed (pages and pieces applied, outbox entries ended). */
export interface RunState {
  signal: AbortSignal;
  committed: number;
}

const scope = new AsyncLocalStorage<RunState>();

/** The abort reason of runs stopped by the engine's close() (a deploy, SIGTERM). */
export class ShuttingDown extends Error {
  constructor() {
    super('the worker is shutting down');
    this.name = 'ShuttingDown';
  }
}

/** The abort reason of a run whose time budget is spent. */
export class BudgetSpent extends Error {
  constructor(budgetMs: number) {
    super(`the run's budget of ${budgetMs} ms is spent`);
    this.name = 'BudgetSpent';
  }
}

export function inRunScope<T>(state: RunState, fn: () => Promise<T>): Promise<T> {
  return scope.run(state, fn);
}

/** The current run's signal, combined with `own` (the connector context's); `own` outside a run. */
export function runSignal(own: AbortSignal): AbortSignal {
  const run = scope.getStore();
  return run ? AbortSignal.any([own, run.signal]) : own;
}

/**
 * The current run committed work: a run over its budget that did is busy, not stuck, and goes on
 * at once instead of backing off (engine.ts).
 */
export function runCommitted(): void {
  const run = scope.getStore();
  if (run) run.committed += 1;
}

/**
 * The current run was stopped, not failed: by a shutdown, or over its budget after committing work.
 * Both continue from what they committed (the engine reschedules them), so they must not count as a
 * failure of the calendar: that sent `sync.failed` to tenants on every deploy. A run over its budget
 * that committed nothing is stuck, and does count.
 */
export function runStoppedNotFailed(): boolean {
  const run = scope.getStore();
  if (!run?.signal.aborted) return false;
  const reason: unknown = run.signal.reason;
  return reason instanceof ShuttingDown || (reason instanceof BudgetSpent && run.committed > 0);
}
