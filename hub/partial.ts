/**
 * Partial answers say so: a calendar whose busy time may be incomplete — its account needs
 * reauthorization, is disabled or failing, its last sync failed or was stopped by the
 * mass-change guard, its sync is switched off, or some of its items are quarantined — is marked in free/busy and availability answers (`calendars[].errors`)
 * rather than answered as if it were simply free; so is every calendar when the window reaches
 * outside the time the busy index holds (CALHUB_HORIZON_PAST_DAYS / _FUTURE_DAYS).
 */
import { scrubSecrets } from '../shared/logger.ts';
import { calendarProblems, type CalendarProblemRow } from '../shared/store/index.ts';
import type { AccountWithoutBusy } from './calendar-scope.ts';
import type { Hub } from './open-hub.ts';

export interface CalendarError {
  code: 'ACCOUNT_NEEDS_REAUTH' | 'ACCOUNT_DISABLED' | 'ACCOUNT_ERROR' | 'SYNC_FAILED' | 'CALENDAR_FLAGGED' | 'CALENDAR_NOT_SYNCED' | 'ITEMS_QUARANTINED' | 'BEYOND_HORIZON';
  message: string;
  /** The last successful sync: busy time is as of then. */
  lastSyncedAt: string | null;
}

function errorsOf(p: CalendarProblemRow): CalendarError[] {
  const out: CalendarError[] = [];
  const at = p.lastSuccessAt;
  const why = (s: string | null) => (s ? `: ${scrubSecrets(s).slice(0, 300)}` : '');
  // Nothing else applies: calhub holds none of its busy time, by the tenant's choice.
  if (!p.syncEnabled) return [{ code: 'CALENDAR_NOT_SYNCED', message: 'the calendar is not synced (its sync is switched off): calhub holds none of its busy time', lastSyncedAt: null }];
  if (p.accountStatus === 'needs_reauth') out.push({ code: 'ACCOUNT_NEEDS_REAUTH', message: `the account must be reconnected; busy time is as of the last sync${why(p.accountReason)}`, lastSyncedAt: at });
  else if (p.accountStatus === 'disabled') out.push({ code: 'ACCOUNT_DISABLED', message: 'the account is disabled and not syncing; busy time is as of the last sync', lastSyncedAt: at });
  else if (p.accountStatus !== 'active') out.push({ code: 'ACCOUNT_ERROR', message: `the account is in error${why(p.accountReason)}`, lastSyncedAt: at });
  if (p.flaggedReason) out.push({ code: 'CALENDAR_FLAGGED', message: `syncing stopped by the mass-change guard${why(p.flaggedReason)}`, lastSyncedAt: at });
  else if (p.syncStage === 'failed' || p.failureCount > 0) out.push({ code: 'SYNC_FAILED', message: `the last sync failed${why(p.lastError)}`, lastSyncedAt: at });
  // The rest synced; these items' busy time is missing, or as of the last good copy the hub keeps
  // of an item that became unreadable (they are named in `calhub accounts list`).
  if (p.quarantined > 0) out.push({ code: 'ITEMS_QUARANTINED', message: quarantinedNote(p.quarantined, p.kept), lastSyncedAt: at });
  return out;
}

function quarantinedNote(n: number, kept: number): string {
  const head = `${n} item(s) of this calendar could not be stored (quarantined)`;
  if (kept === 0) return `${head}; their busy time is missing`;
  if (kept === n) return `${head}; their busy time is as of the last good copy calhub keeps of each`;
  return `${head}; the busy time of ${kept} is as of the last good copy calhub keeps, that of the other ${n - kept} is missing`;
}

/** Errors per calendar id, for the calendars that have any. */
export async function calendarErrors(hub: Hub, tenantId: string, calendarIds: string[]): Promise<Map<string, CalendarError[]>> {
  return errorsByCalendar(await calendarProblems(hub.store.db, tenantId, calendarIds));
}

export function errorsByCalendar(rows: CalendarProblemRow[]): Map<string, CalendarError[]> {
  return new Map(rows.map((r) => [r.calendarId, errorsOf(r)] as const).filter(([, e]) => e.length > 0));
}

/**
 * Every calendar of an answer whose window reaches outside `covered` (the time the busy index
 * holds, Store.busyCoverage) gets BEYOND_HORIZON: there calhub knows no busy time at all.
 */
export function withHorizon(errors: Map<string, CalendarError[]>, calendarIds: string[], window: { start: Date; end: Date }, covered: { start: Date; end: Date }): Map<string, CalendarError[]> {
  if (window.start >= covered.start && window.end <= covered.end) return errors;
  const message = `busy time is held from ${covered.start.toISOString()} to ${covered.end.toISOString()} (CALHUB_HORIZON_PAST_DAYS, CALHUB_HORIZON_FUTURE_DAYS); outside it this window shows none, known or not`;
  const out = new Map(errors);
  for (const id of calendarIds) out.set(id, [...(errors.get(id) ?? []), { code: 'BEYOND_HORIZON', message, lastSyncedAt: null }]);
  return out;
}

/** A named account (or an availability participant) that stands for no calendar: its busy time is unknown, not free. */
export interface NoBusyError {
  code: 'NO_BUSY_CALENDARS';
  message: string;
  lastSyncedAt: null;
}

/** Why each account stands for no calendar, one clause each. */
export function noBusyReasons(accounts: AccountWithoutBusy[]): string[] {
  return accounts.map((a) =>
    a.held === 0
      ? `account ${a.accountId} has no calendars yet (its first sync has not listed them, or it holds none)`
      : `none of account ${a.accountId}'s ${a.held} calendar(s) counts for busy time (shared with it to read, or countsForBusy false)`,
  );
}

export function noBusyCalendars(accounts: AccountWithoutBusy[]): NoBusyError[] {
  const why = noBusyReasons(accounts);
  const head = why.length ? why.join('; ') : 'no calendar stands for it';
  return [{ code: 'NO_BUSY_CALENDARS', message: `${head}: calhub holds no busy time for it, so it shows free throughout`, lastSyncedAt: null }];
}
