import { CalendarNotSyncedError, NotFoundError } from '../shared/errors.ts';
import type { Calendar } from '../shared/model/index.ts';
import type { SyncSettings, TenantStore } from '../shared/store/index.ts';
import type { RemoteCalendarRef } from '../connectors/index.ts';
import { GrantRevokedError } from '../connectors/index.ts';
import { runSignal } from './run-scope.ts';
import { AccountDisabledError, CalendarFlaggedError, type Connected, type EngineDeps } from './deps.ts';

/**
 * What a pull or push needs of a calendar: its settings (refusing a flagged one) and a connector.
 * `flagged: 'read'` opens a flagged calendar too, for a dry run that writes nothing: what the
 * guard stopped is what the operator must see before unflagging it.
 */
export async function openCalendar(
  deps: EngineDeps,
  tenantId: string,
  calendarId: string,
  opts: { flagged?: 'refuse' | 'read' } = {},
): Promise<Connected & { t: TenantStore; calendar: Calendar; settings: SyncSettings; ref: RemoteCalendarRef }> {
  const t = deps.store.tenant(tenantId);
  const cal = await t.calendars.get(calendarId);
  if (!cal) throw new NotFoundError(`calendar ${calendarId}`);
  if (!cal.syncEnabled) throw new CalendarNotSyncedError(calendarId);
  const settings = (await t.sync.settings(calendarId))!;
  if (settings.flaggedReason && opts.flagged !== 'read') throw new CalendarFlaggedError(calendarId, settings.flaggedReason);
  const account = await t.accounts.get(cal.accountId);
  if (!account) throw new NotFoundError(`account ${cal.accountId}`);
  // A revoked grant stops the account's syncs until the user reconnects (which sets it active):
  // asking the provider again would only repeat the refusal.
  if (account.status === 'needs_reauth') {
    // The reason is the account's first refusal, which may have come on another of its calendars.
    throw new GrantRevokedError(`account ${account.id} needs to be reconnected${account.statusReason ? ` (first refusal, on any of its calendars: ${account.statusReason})` : ''}`);
  }
  if (account.status === 'disabled') throw new AccountDisabledError(account.id);
  const connected = await deps.connect(account, cal);
  // The run's budget aborts every request of this connector context (sync-engine/run-scope.ts).
  const ctx = { ...connected.ctx, signal: runSignal(connected.ctx.signal) };
  return { ...connected, ctx, t, calendar: cal, settings, ref: { providerCalendarId: cal.providerCalendarId, timeZone: cal.timeZone, providerTimeZone: cal.providerTimeZone } };
}
