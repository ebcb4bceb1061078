/** A calendarList entry as calhub lists it: one mapping for listCalendars and for what a rename returns. */
import type { calendar_v3 } from '@googleapis/calendar';
import { ACCESS_ROLES, type AccessRole } from '../../shared/model/index.ts';
import type { RemoteCalendar } from '../connector.ts';

/** Google's four roles are calhub's; anything else (none is documented) is read-only rather than owned. */
function accessRoleOf(role: string | null | undefined): AccessRole {
  return (ACCESS_ROLES as readonly string[]).includes(role ?? '') ? (role as AccessRole) : 'reader';
}

/**
 * The user's own label for the calendar (summaryOverride) is what their Google Calendar shows, so
 * calhub shows it too. The access is Google's own (calendarList `accessRole`, A.5): `readOnly`
 * alone cannot tell a writer from an owner.
 */
export function toRemoteCalendar(c: calendar_v3.Schema$CalendarListEntry & { id: string }): RemoteCalendar {
  const accessRole = accessRoleOf(c.accessRole);
  return {
    providerCalendarId: c.id,
    name: c.summaryOverride ?? c.summary ?? c.id,
    timeZone: c.timeZone ?? null,
    color: c.backgroundColor ?? null,
    readOnly: accessRole !== 'owner' && accessRole !== 'writer',
    accessRole,
    supportsEvents: true,
    primary: c.primary ?? false,
  };
}
