/**
 * A command run by the running `calhub start` for a command process (cli/operations.ts): its
 * output goes back over the operations socket instead of the hub's own stdout, and `withHub`
 * lends it the running hub instead of opening one. Outside such a run both are the process's own.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Hub } from '../hub/index.ts';

export interface Hosted {
  hub: Hub;
  write(stream: 'stdout' | 'stderr', text: string): void;
}

const current = new AsyncLocalStorage<Hosted>();

export const hostedRun = <T>(h: Hosted, fn: () => Promise<T>): Promise<T> => current.run(h, fn);

export const hostingHub = (): Hub | null => current.getStore()?.hub ?? null;

export function write(stream: 'stdout' | 'stderr', text: string): void {
  const h = current.getStore();
  if (h) h.write(stream, text);
  else process[stream].write(text);
}
