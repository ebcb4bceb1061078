/**
 * Deleting a calendar at its provider (Google calendars.delete, Graph DELETE /me/calendars/{id},
 * CalDAV DELETE of the collection) and then in calhub, with its events: the other half of
 * create-calendar.ts, for a booking product cleaning up the calendar it made. A calendar the
 * provider has already lost is only removed here. Refusals are answered at once: the primary or
 * default calendar, one the account does not own, a grant that may not delete it. The mirror rules
 * naming the calendar go as a rule DELETE goes: the copies they wrote into other calendars are
 * deleted there (at their providers too); copies in this calendar went with it.
 */
import { RemoteNotFoundError } from '../../connectors/index.ts';
import { HubError } from '../../shared/errors.ts';
import { dropJobsOf } from '../drop-jobs.ts';
import { MissingError } from '../errors.ts';
import type { Hub } from '../open-hub.ts';
import { removeRulesNaming } from '../rules.ts';
import { providerRefusal } from './provider-refusal.ts';

export interface DeletedCalendar {
  id: string;
  /** False when the provider had no such calendar any more: only calhub's copy was removed. */
  deletedAtProvider: boolean;
  /** Mirror rules that named the calendar; they went with it, as a rule DELETE goes (their copies in other calendars deleted there). */
  mirrorRulesRemoved: number;
}

export async function deleteCalendar(hub: Hub, tenantId: string, calendarId: string): Promise<DeletedCalendar> {
  const t = hub.store.tenant(tenantId);
  const cal = await t.calendars.get(calendarId);
  if (!cal) throw new MissingError('calendar', calendarId, tenantId);
  if (cal.accessRole === 'reader' || cal.accessRole === 'freeBusyReader') {
    throw new HubError('CALENDAR_NOT_DELETABLE', 'never', `calendar ${calendarId} is shared with the account to read (${cal.accessRole}); only its owner can delete it`);
  }
  const account = (await t.accounts.get(cal.accountId))!;
  const { connector, ctx } = await hub.connect(account, cal);
  let deletedAtProvider = true;
  try {
    await connector.deleteCalendar({ ...ctx, signal: AbortSignal.timeout(60_000) }, { providerCalendarId: cal.providerCalendarId, timeZone: cal.timeZone, providerTimeZone: cal.providerTimeZone });
  } catch (e) {
    if (!(e instanceof RemoteNotFoundError)) throw providerRefusal(e, { provider: account.provider, deleting: true });
    deletedAtProvider = false;
  }
  // Its rules go as a rule DELETE goes: their copies in other calendars are deleted there too.
  const ruleIds = await removeRulesNaming(hub, tenantId, [calendarId]);
  await t.purgeCalendars([calendarId]);
  const jobsRemoved = await dropJobsOf(hub, { calendarIds: [calendarId], ruleIds }, `calendar ${calendarId}`);
  hub.log.info({ tenantId, accountId: account.id, calendarId, provider: account.provider, deletedAtProvider, mirrorRulesRemoved: ruleIds.length, jobsRemoved }, 'calendar deleted');
  return { id: calendarId, deletedAtProvider, mirrorRulesRemoved: ruleIds.length };
}
