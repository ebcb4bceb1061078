/** A calendar's settings: conflict and delete policies, whether it counts for its account's busy time, and clearing the mass-change guard flag. */
import type { ConflictPolicy, DeletePolicy } from '../sync-engine/index.ts';
import type { Calendar } from '../shared/model/index.ts';
import { MissingError } from './errors.ts';
import type { Hub } from './open-hub.ts';

export { CONFLICT_POLICIES, DELETE_POLICIES, type ConflictPolicy, type DeletePolicy } from '../sync-engine/index.ts';

/** Sets the policies given (none: only reads them) and returns the calendar's current ones. */
export async function calendarPolicy(
  hub: Hub,
  tenantId: string,
  calendarId: string,
  set: { conflictPolicy?: ConflictPolicy; deletePolicy?: DeletePolicy } = {},
): Promise<{ id: string; conflictPolicy: ConflictPolicy; deletePolicy: DeletePolicy }> {
  const sync = hub.store.tenant(tenantId).sync;
  if (!(await sync.settings(calendarId))) throw new MissingError('calendar', calendarId, tenantId);
  if (set.conflictPolicy || set.deletePolicy) await sync.setPolicies(calendarId, set);
  const s = (await sync.settings(calendarId))!;
  return { id: calendarId, conflictPolicy: s.conflictPolicy, deletePolicy: s.deletePolicy };
}

export async function unflagCalendar(hub: Hub, tenantId: string, calendarId: string): Promise<void> {
  if (!(await hub.store.tenant(tenantId).sync.unflag(calendarId))) throw new MissingError('calendar', calendarId, tenantId);
}

/**
 * Whether the calendar counts when free/busy or availability names its account (a calendar named
 * by id always counts): true or false is the tenant's choice, null goes back to the default by
 * access (the account's own and writable calendars count; ones shared with it to read do not).
 */
export async function setCountsForBusy(hub: Hub, tenantId: string, calendarId: string, counts: boolean | null): Promise<Calendar> {
  const cal = await hub.store.tenant(tenantId).calendars.setCountsForBusy(calendarId, counts);
  if (!cal) throw new MissingError('calendar', calendarId, tenantId);
  return cal;
}
