/**
 * Renaming a calendar at its provider (Google calendars.patch, Graph PATCH /me/calendars/{id},
 * CalDAV PROPPATCH of its display name) and then in calhub, so the name a booking product gave
 * its calendar reads the same in the user's own calendar app. Refusals are answered at once.
 */
import { RemoteNotFoundError } from '../../connectors/index.ts';
import { HubError } from '../../shared/errors.ts';
import type { Calendar } from '../../shared/model/index.ts';
import { MissingError } from '../errors.ts';
import type { Hub } from '../open-hub.ts';
import { providerRefusal } from './provider-refusal.ts';
import { checkCalendarName } from './calendar-name.ts';

export async function renameCalendar(hub: Hub, tenantId: string, calendarId: string, name: string): Promise<Calendar> {
  const t = hub.store.tenant(tenantId);
  const cal = await t.calendars.get(calendarId);
  if (!cal) throw new MissingError('calendar', calendarId, tenantId);
  const remoteName = await renameAtProvider(hub, tenantId, cal, name);
  const updated = await t.calendars.rename(calendarId, remoteName);
  if (!updated) throw new MissingError('calendar', calendarId, tenantId);
  return updated;
}

/** Renames the calendar at its provider only; returns the name the provider now has (what calhub then stores). */
export async function renameAtProvider(hub: Hub, tenantId: string, cal: Calendar, name: string): Promise<string> {
  const t = hub.store.tenant(tenantId);
  const calendarId = cal.id;
  const wanted = checkCalendarName(name);
  if (cal.accessRole === 'reader' || cal.accessRole === 'freeBusyReader') {
    throw new HubError('CALENDAR_READ_ONLY', 'never', `calendar ${calendarId} is shared with the account to read (${cal.accessRole}); only its owner can rename it`);
  }
  const account = (await t.accounts.get(cal.accountId))!;
  const { connector, ctx } = await hub.connect(account, cal);
  let remote;
  try {
    remote = await connector.renameCalendar({ ...ctx, signal: AbortSignal.timeout(60_000) }, { providerCalendarId: cal.providerCalendarId, timeZone: cal.timeZone, providerTimeZone: cal.providerTimeZone }, wanted);
  } catch (e) {
    if (e instanceof RemoteNotFoundError) {
      throw new HubError('PROVIDER_REFUSED', 'never', `${account.provider} no longer has this calendar; calhub removes it when the account's calendar list is read again (resync the account)`);
    }
    throw providerRefusal(e, { provider: account.provider, calendarName: wanted, renaming: true });
  }
  hub.log.info({ tenantId, accountId: account.id, calendarId, provider: account.provider }, 'calendar renamed');
  return remote.name;
}
