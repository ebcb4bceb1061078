/**
 * The store writes this process is told of (`calhub start`'s API thread: its own and, over the
 * BroadcastChannel, the sync thread's; see shared/store/write-watch.ts; on PostgreSQL other
 * processes' too, shared/store/change-bus.ts), for a wait that would otherwise poll: `resync --wait` learns that a run released its calendar when it happens instead
 * of at its next 100 ms poll.
 */
import type { StoreChange } from '../shared/store/index.ts';

interface Waiter {
  match: (c: StoreChange) => boolean;
  wake: () => void;
}

export class ChangeFeed {
  private readonly waiters = new Set<Waiter>();

  publish(c: StoreChange): void {
    for (const w of this.waiters) if (w.match(c)) w.wake();
  }

  /** True at the first change that matches, false once `ms` have passed without one. */
  next(match: (c: StoreChange) => boolean, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const w: Waiter = {
        match,
        wake: () => {
          this.waiters.delete(w);
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        resolve(false);
      }, ms);
      this.waiters.add(w);
    });
  }
}
