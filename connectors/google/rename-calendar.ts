/**
 * renameCalendar for Google: calendars.patch with `{summary}` (calendars/patch). Only the owner may
 * change a calendar's metadata, so the caller's calendar-list entry is read first, as deleteCalendar
 * does: a calendar someone else owns is refused without asking Google. The primary calendar is
 * renamed like any other (the calendars/update reference's own sample renames `primary`).
 *
 * A `summaryOverride` on the user's list entry is left alone: it is the user's own label in their
 * list (a separate calendarList resource), the name the user sees in Google Calendar, so the
 * calendar comes back with it, as listCalendars reads it (README).
 */
import type { ConnectorContext, RemoteCalendar, RemoteCalendarRef } from '../connector.ts';
import { RemoteNotFoundError, UnsupportedError } from '../errors.ts';
import { toRemoteCalendar } from './calendar-entry.ts';
import type { GoogleClient } from './client.ts';

export async function renameCalendar(client: GoogleClient, ctx: ConnectorContext, cal: RemoteCalendarRef, name: string): Promise<RemoteCalendar> {
  const calendarId = cal.providerCalendarId;
  const entryOf = () => client.call(ctx, (o) => client.api.calendarList.get({ calendarId }, o)).catch((e: unknown) => {
    if (e instanceof RemoteNotFoundError) return null;
    throw e;
  });
  const entry = await entryOf();
  // A calendar no longer in the list is asked about anyway: Google says whether it is gone (404) or kept from us.
  if (entry && entry.accessRole !== 'owner') {
    throw new UnsupportedError(`google: ${calendarId} belongs to someone else (access: ${entry.accessRole ?? 'unknown'}); only its owner can rename it`, { provider: 'google', reason: 'not-calendar-owner' });
  }
  const patched = await client.call(ctx, (o) => client.api.calendars.patch({ calendarId, requestBody: { summary: name } }, o));
  const after = await entryOf();
  if (after?.id) return toRemoteCalendar({ ...after, id: after.id });
  // Renamed but not in the caller's list (a calendar made with a grant that never listed it): what Google answered.
  // Only an owner may patch a calendar (calendars/patch), so the caller owns it.
  return { providerCalendarId: patched.id ?? calendarId, name: patched.summary ?? name, timeZone: patched.timeZone ?? null, color: null, readOnly: false, accessRole: 'owner', supportsEvents: true, primary: false };
}
