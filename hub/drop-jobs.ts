/**
 * Queued and failed jobs of calendars (and rules) calhub no longer syncs: they could only fail or
 * do nothing, and failed ones stayed for good in `calhub status` and the queue dashboard. When
 * Redis cannot be reached, the maintenance `gone-jobs` reaper removes the failed ones later.
 */
import { describeError } from '../sync-engine/index.ts';
import type { Hub } from './open-hub.ts';

/** How many jobs were removed; 0 without a queue or when Redis could not be reached (logged). */
export async function dropJobsOf(hub: Hub, ids: { calendarIds: string[]; ruleIds?: string[] }, why: string): Promise<number> {
  if (!hub.engine) return 0;
  try {
    return await hub.engine.removeJobsOf(ids);
  } catch (e) {
    hub.log.warn({ ...ids, err: describeError(e) }, `could not remove the queued jobs of ${why}; the maintenance reaper does`);
    return 0;
  }
}
