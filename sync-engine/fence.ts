/**
 * Fencing for sync runs: every commit of a run that holds a calendar's sync slot re-checks, in the
 * same unit of work, that it still holds it. A run the reaper presumed dead (a long GC pause, a
 * partitioned worker) can then never commit over the run that replaced it.
 */
import type { TenantTx } from '../shared/store/index.ts';
import { SyncSlotLostError } from './deps.ts';

export type Fence = (t: TenantTx) => Promise<void>;

export function slotFence(calendarId: string, owner: string): Fence {
  return async (t) => {
    if (!(await t.calendars.fence(calendarId, owner))) throw new SyncSlotLostError(calendarId);
  };
}
