/**
 * Syncs calendars in this process when no worker is listening. The calendars' sync slots are
 * taken exactly as a worker takes them (settle runs as one fenced sync run per calendar), so a failure is recorded on the calendar (stage failed,
 * last error) where `accounts list`, the API and the next resync see it, and a worker that
 * starts meanwhile cannot sync the same calendar twice.
 */
import { describeError, settle } from '../sync-engine/index.ts';
import { calendarHealth } from './calendar-health.ts';
import type { Hub } from './open-hub.ts';

export interface Problem {
  calendarId: string;
  error: string;
}

export interface InProcessOutcome {
  /** calendar id -> why its sync failed (absent: it succeeded). */
  errors: Map<string, string>;
  fullListings: string[];
}

/** One line, with the error's stable code, and never a credential. */
export { describeError };

/** settle takes each calendar's sync slot (a calendar another run holds fails with SYNC_BUSY) and records each outcome. */
export async function syncInProcess(hub: Hub, tenantId: string, calendarIds: string[], opts: { full?: boolean } = {}): Promise<InProcessOutcome> {
  const errors = new Map<string, string>();
  let fullListings: string[] = [];
  try {
    const r = await settle(hub.deps, tenantId, calendarIds, { full: opts.full, isolate: true, staleRunMs: hub.config.syncStaleRunMs });
    for (const [id, e] of r.failures) errors.set(id, describeError(e));
    fullListings = r.fullListings;
  } catch (e) {
    for (const id of calendarIds) errors.set(id, describeError(e)); // the store itself failed: nothing is known to have worked
  }
  return { errors, fullListings };
}

/**
 * After a change is stored (rules, conflict resolutions): when no worker takes the work
 * (hub.syncHere), sync here and name every calendar left with a problem, refused writes included.
 * With a queue the change's push and mirror jobs are already enqueued: nothing to report yet.
 */
export async function syncFollowUp(hub: Hub, tenantId: string, calendarIds: string[]): Promise<Problem[]> {
  if (!hub.syncHere) return [];
  const { errors } = await syncInProcess(hub, tenantId, calendarIds);
  const health = await calendarHealth(hub, tenantId, calendarIds);
  return health.flatMap((h) => {
    const error = errors.get(h.id) ?? h.error;
    return error ? [{ calendarId: h.id, error }] : [];
  });
}
