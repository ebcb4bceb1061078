/** A calendarList entry as calhub lists it: one mapping for listCalendars and for what a rename returns. */
import type { calendar_v3 } from '@googleapis/calendar';
import type { RemoteCalendar } from '../connector.ts';

/** The user's own label for the calendar (summaryOverride) is what their Google Calendar shows, so calhub shows it too. */
export function toRemoteCalendar(c: calendar_v3.Schema$CalendarListEntry & { id: string }): RemoteCalendar {
  return {
    providerCalendarId: c.id,
    name: c.summaryOverride ?? c.summary ?? c.id,
    timeZone: c.timeZone ?? null,
    color: c.backgroundColor ?? null,
    readOnly: c.accessRole !== 'owner' && c.accessRole !== 'writer',
    supportsEvents: true,
    primary: c.primary ?? false,
  };
}
