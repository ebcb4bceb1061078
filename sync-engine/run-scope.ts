/**
 * The running sync job's abort signal, reachable from wherever a connector context is built
 * (openCalendar) without threading it through every function in between. The engine aborts it
 * when the run's budget is spent; every provider request of the run then ends at once.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<AbortSignal>();

export function inRunScope<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  return scope.run(signal, fn);
}

/** The current run's signal, combined with `own` (the connector context's); `own` outside a run. */
export function runSignal(own: AbortSignal): AbortSignal {
  const run = scope.getStore();
  return run ? AbortSignal.any([own, run]) : own;
}
