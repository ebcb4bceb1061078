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
