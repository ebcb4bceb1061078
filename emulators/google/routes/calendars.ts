/**
 * calendars.insert (A.5): "Creates a secondary calendar. The authenticated user for the request is
 * made the data owner of the new calendar." It needs one of the scopes `calendar`,
 * `calendar.app.created` or `calendar.calendars` (calendars/insert, Authorization); `calendar.events`
 * is not enough (403 insufficientPermissions). A calendar without a summary is 400. The new
 * calendar joins the owner's calendar list. Without a timeZone it takes the owner's primary
 * calendar's (UNCONFIRMED: Google's own choice is not documented).
 *
 * calendars.delete: "Deletes a secondary calendar. Use calendars.clear for clearing all events on
 * primary calendars." Same three scopes (calendars/delete, Authorization); `calendar.app.created`
 * reaches only calendars the same OAuth client made (the scope's text: "Make secondary Google
 * calendars, and see, create, change, and delete events on them"). See README for which refusals
 * are UNCONFIRMED.
 */
import { randomBytes } from 'node:crypto';
import { calendarIdFor } from '../access.ts';
import { allowedConferenceTypes } from '../conferences.ts';
import { badRequest, cannotDeletePrimaryCalendar, forbidden, notFound, ownerAccessRequired } from '../errors.ts';
import { ok, route, type Req, type Route } from '../http.ts';
import type { EmulatorState } from '../state.ts';
import { isValidZone } from '../zone.ts';

const G = 'https://www.googleapis.com/auth/';
const CALENDAR_SCOPES = [`${G}calendar`, `${G}calendar.app.created`, `${G}calendar.calendars`];

const scopesOf = (req: Req) => req.user!.scope.split(' ');
const insufficientScopes = () => forbidden('Request had insufficient authentication scopes.', 'insufficientPermissions');

export function calendarsRoutes(state: EmulatorState): Route[] {
  return [
    route('POST', '/calendar/v3/calendars', (req) => {
      const user = req.user!;
      if (!scopesOf(req).some((s) => CALENDAR_SCOPES.includes(s))) throw insufficientScopes();
      const body = (req.body ?? {}) as { summary?: unknown; description?: unknown; timeZone?: unknown };
      if (typeof body.summary !== 'string' || body.summary.trim() === '') throw badRequest('Missing title.', 'summary', 'required');
      const primary = state.calendars.get(state.users.get(user.email)?.primaryCalendarId ?? '');
      const timeZone = typeof body.timeZone === 'string' ? body.timeZone : (primary?.timeZone ?? 'UTC');
      if (!isValidZone(timeZone)) throw badRequest('Invalid time zone definition.', 'timeZone');
      const id = `c_${randomBytes(12).toString('hex')}@group.calendar.google.com`;
      const cal = {
        id, summary: body.summary, ...(typeof body.description === 'string' ? { description: body.description } : {}), timeZone,
        ownerEmail: user.email, acl: new Map([[user.email, 'owner' as const]]), events: new Map(), syncEpoch: 0, updatedMs: state.now(),
        ...(user.clientId ? { createdByClientId: user.clientId } : {}),
      };
      state.calendars.set(id, cal);
      return ok({
        kind: 'calendar#calendar', etag: state.etagFor(Math.floor(cal.updatedMs / 1000)), id, summary: cal.summary,
        ...(cal.description ? { description: cal.description } : {}), timeZone, conferenceProperties: { allowedConferenceSolutionTypes: allowedConferenceTypes(cal) },
      });
    }),

    route('DELETE', '/calendar/v3/calendars/:calendarId', (req) => {
      const user = req.user!;
      const scopes = scopesOf(req);
      if (!scopes.some((s) => CALENDAR_SCOPES.includes(s))) throw insufficientScopes();
      const id = calendarIdFor(state, user.email, req.params.calendarId!);
      const cal = state.calendars.get(id);
      const role = cal?.acl.get(user.email);
      // A calendar the caller cannot see is "not found", as for every other calendar method.
      if (!cal || !role || role === 'freeBusyReader') throw notFound();
      if (state.users.get(user.email)?.primaryCalendarId === id) throw cannotDeletePrimaryCalendar();
      if (role !== 'owner') throw ownerAccessRequired();
      const onlyAppCreated = !scopes.includes(`${G}calendar`) && !scopes.includes(`${G}calendar.calendars`);
      if (onlyAppCreated && (cal.createdByClientId === undefined || cal.createdByClientId !== user.clientId)) throw insufficientScopes();
      state.removeCalendar(id);
      return { status: 204 };
    }),
  ];
}
