import { resolveCalendars, type ResolvedCalendar, type Store, type TenantStore } from '../shared/store/index.ts';
import type { CalendarLookups } from './calendar-lookups.ts';
import { ApiError } from './errors.ts';

/**
 * The tenant's calendars named by ids and/or accounts, in request order, deduplicated. An id the
 * tenant does not own answers 404 whether or not it exists elsewhere.
 */
export async function scopeCalendars(
  store: Store,
  tenant: TenantStore,
  calendarIds: string[],
  accountIds: string[],
  maxCalendars: number,
  /** Coalesces lookups by calendar id across concurrent requests (the free/busy hot path). */
  lookups?: CalendarLookups,
): Promise<ResolvedCalendar[]> {
  if (calendarIds.length + accountIds.length === 0) throw new ApiError('INVALID_REQUEST', 'body must name calendarIds or accountIds');
  if (calendarIds.length > maxCalendars) throw new ApiError('TOO_MANY_CALENDARS', `at most ${maxCalendars} calendars per request`);
  const { calendars, foundAccountIds } =
    lookups && accountIds.length === 0
      ? { calendars: await lookups.lookup(tenant.tenantId, calendarIds), foundAccountIds: new Set<string>() }
      : await resolveCalendars(store.db, tenant.tenantId, calendarIds, accountIds);
  const byId = new Map(calendars.map((c) => [c.id, c]));
  const out: ResolvedCalendar[] = [];
  const seen = new Set<string>();
  for (const id of calendarIds) {
    const c = byId.get(id);
    if (!c) throw new ApiError('NOT_FOUND', `calendar ${id} not found`);
    if (!seen.has(id)) out.push(c);
    seen.add(id);
  }
  for (const id of accountIds) {
    if (!foundAccountIds.has(id)) throw new ApiError('NOT_FOUND', `account ${id} not found`);
    for (const c of calendars) {
      if (c.accountId === id && !seen.has(c.id)) {
        out.push(c);
        seen.add(c.id);
      }
    }
  }
  if (out.length > maxCalendars) throw new ApiError('TOO_MANY_CALENDARS', `at most ${maxCalendars} calendars per request (the accounts hold ${out.length})`);
  return out;
}
