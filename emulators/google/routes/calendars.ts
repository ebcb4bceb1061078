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
 *
 * calendars.patch / calendars.update: "Updates metadata for a calendar", 200 with the Calendar
 * resource; same three scopes (calendars/patch, Authorization), the same reach for
 * `calendar.app.created`, owner only as for delete (Google's answer to a writer UNCONFIRMED: the
 * emulator gives delete's requiredAccessLevel). The primary calendar may be retitled (the
 * calendars/update reference's sample does it to `primary`). An empty summary is 400 as on insert.
 */
import { randomBytes } from 'node:crypto';
import { calendarIdFor } from '../access.ts';
import { allowedConferenceTypes } from '../conferences.ts';
import { badRequest, cannotDeletePrimaryCalendar, forbidden, notFound, ownerAccessRequired } from '../errors.ts';
import { ok, route, type Req, type Route } from '../http.ts';
import type { EmulatorState } from '../state.ts';
import type { CalendarState } from '../types.ts';
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
      state.notifyListChange([user.email]);
      return ok(calendarResource(state, cal));
    }),

    route('DELETE', '/calendar/v3/calendars/:calendarId', (req) => {
      const { id, cal, role } = visibleCalendar(state, req);
      if (state.users.get(req.user!.email)?.primaryCalendarId === id) throw cannotDeletePrimaryCalendar();
      assertOwnerReach(req, cal, role);
      state.removeCalendar(id);
      return { status: 204 };
    }),

    // PATCH keeps what the body leaves out; PUT (update) replaces the writable fields, so a
    // description it omits is cleared (a timeZone it omits is kept: Google's choice UNCONFIRMED).
    ...(['PATCH', 'PUT'] as const).map((method) =>
      route(method, '/calendar/v3/calendars/:calendarId', (req) => {
        const { cal, role } = visibleCalendar(state, req);
        assertOwnerReach(req, cal, role);
        const body = (req.body ?? {}) as { summary?: unknown; description?: unknown; timeZone?: unknown };
        if ((method === 'PUT' || body.summary !== undefined) && (typeof body.summary !== 'string' || body.summary.trim() === '')) {
          throw badRequest('Missing title.', 'summary', 'required');
        }
        if (body.timeZone !== undefined && (typeof body.timeZone !== 'string' || !isValidZone(body.timeZone))) throw badRequest('Invalid time zone definition.', 'timeZone');
        if (typeof body.timeZone === 'string') cal.timeZone = body.timeZone;
        if (typeof body.description === 'string') cal.description = body.description;
        else if (method === 'PUT' || body.description === null) delete cal.description;
        state.renameCalendar(cal, typeof body.summary === 'string' ? body.summary : cal.summary);
        return ok(calendarResource(state, cal));
      }),
    ),
  ];
}

/** The Calendar resource (calendars.insert/patch/update answer with it). */
function calendarResource(state: EmulatorState, cal: CalendarState): Record<string, unknown> {
  return {
    kind: 'calendar#calendar', etag: state.etagFor(Math.floor(cal.updatedMs / 1000)), id: cal.id, summary: cal.summary,
    ...(cal.description ? { description: cal.description } : {}), timeZone: cal.timeZone, conferenceProperties: { allowedConferenceSolutionTypes: allowedConferenceTypes(cal) },
  };
}

/** Scope first, then the calendar: one the caller cannot see is "not found", as for every other calendar method. */
function visibleCalendar(state: EmulatorState, req: Req): { id: string; cal: CalendarState; role: string } {
  if (!scopesOf(req).some((s) => CALENDAR_SCOPES.includes(s))) throw insufficientScopes();
  const email = req.user!.email;
  const id = calendarIdFor(state, email, req.params.calendarId!);
  const cal = state.calendars.get(id);
  const role = cal?.acl.get(email);
  if (!cal || !role || role === 'freeBusyReader') throw notFound();
  return { id, cal, role };
}

/** Metadata is the owner's; `calendar.app.created` alone reaches only what the same OAuth client made. */
function assertOwnerReach(req: Req, cal: CalendarState, role: string): void {
  if (role !== 'owner') throw ownerAccessRequired();
  const scopes = scopesOf(req);
  const onlyAppCreated = !scopes.includes(`${G}calendar`) && !scopes.includes(`${G}calendar.calendars`);
  if (onlyAppCreated && (cal.createdByClientId === undefined || cal.createdByClientId !== req.user!.clientId)) throw insufficientScopes();
}
