import { HubError, NotFoundError } from '../shared/errors.ts';
import { resolveCalendars, type Queryable, type ResolvedCalendar } from '../shared/store/index.ts';
import { MissingError } from './errors.ts';

type Lookups = { lookup(tenantId: string, ids: string[]): Promise<ResolvedCalendar[]> };

/**
 * The tenant's calendars named by ids and/or accounts, in request order, deduplicated. An id the
 * tenant does not own answers NOT_FOUND whether or not it exists elsewhere.
 */
export async function scopeCalendars(
  db: Queryable,
  tenantId: string,
  calendarIds: string[],
  accountIds: string[],
  maxCalendars: number,
  /** Looks calendars up by id for the free/busy hot path (coalesced, or from memory); not used with accounts. */
  lookups?: Lookups,
): Promise<ResolvedCalendar[]> {
  return (await scopeWithAccounts(db, tenantId, calendarIds, accountIds, maxCalendars, lookups)).calendars;
}

/** A named account that stands for no calendar: `held` calendars, none of which counts (0: none listed yet). */
export interface AccountWithoutBusy {
  accountId: string;
  held: number;
}

/** As scopeCalendars, and the named accounts that stand for no calendar (their busy time is unknown, not free). */
export async function scopeWithAccounts(
  db: Queryable,
  tenantId: string,
  calendarIds: string[],
  accountIds: string[],
  maxCalendars: number,
  lookups?: Lookups,
): Promise<{ calendars: ResolvedCalendar[]; withoutBusy: AccountWithoutBusy[] }> {
  if (calendarIds.length + accountIds.length === 0) throw new HubError('INVALID_REQUEST', 'never', 'body must name calendarIds or accountIds');
  if (calendarIds.length > maxCalendars) throw new HubError('TOO_MANY_CALENDARS', 'never', `at most ${maxCalendars} calendars per request`);
  const { calendars, foundAccountIds } =
    lookups && accountIds.length === 0
      ? { calendars: await lookups.lookup(tenantId, calendarIds), foundAccountIds: new Set<string>() }
      : await resolveCalendars(db, tenantId, calendarIds, accountIds);
  const byId = new Map(calendars.map((c) => [c.id, c]));
  const out: ResolvedCalendar[] = [];
  const seen = new Set<string>();
  for (const id of calendarIds) {
    const c = byId.get(id);
    if (!c) throw new NotFoundError(`calendar ${id}`);
    if (!seen.has(id)) out.push(c);
    seen.add(id);
  }
  const withoutBusy: AccountWithoutBusy[] = [];
  for (const id of accountIds) {
    if (!foundAccountIds.has(id)) throw new MissingError('account', id, tenantId);
    // Through its account only a calendar that counts (a reader calendar shared with it does not, unless the tenant says so).
    let standing = calendars.filter((c) => c.accountId === id && c.countsForBusy !== false);
    // An account whose counting calendars all have their sync off would otherwise stand for no busy time
    // and be answered free throughout: they are answered as when named by id (CALENDAR_NOT_SYNCED).
    if (standing.length === 0) standing = calendars.filter((c) => c.accountId === id && c.countsIfSynced).map((c) => ({ ...c, countsForBusy: true }));
    if (standing.length === 0 && !withoutBusy.some((a) => a.accountId === id)) withoutBusy.push({ accountId: id, held: calendars.filter((c) => c.accountId === id).length });
    for (const c of standing) {
      const at = out.findIndex((o) => o.id === c.id);
      if (at < 0) out.push(c);
      else out[at] = { ...out[at]!, countsForBusy: true };
    }
  }
  if (out.length > maxCalendars) throw new HubError('TOO_MANY_CALENDARS', 'never', `at most ${maxCalendars} calendars per request (the accounts hold ${out.length})`);
  return { calendars: out, withoutBusy };
}
