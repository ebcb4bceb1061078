/**
 * calendars.insert (A.5): "Creates a secondary calendar. The authenticated user for the request is
 * made the data owner of the new calendar." It needs one of the scopes `calendar`,
 * `calendar.app.created` or `calendar.calendars` (calendars/insert, Authorization); `calendar.events`
 * is not enough (403 insufficientPermissions). A calendar without a summary is 400. The new
 * calendar joins the owner's calendar list. Without a timeZone it takes the owner's primary
 * calendar's (UNCONFIRMED: Google's own choice is not documented).
 */
import { randomBytes } from 'node:crypto';
import { allowedConferenceTypes } from '../conferences.ts';
import { badRequest, forbidden } from '../errors.ts';
import { ok, route, type Route } from '../http.ts';
import type { EmulatorState } from '../state.ts';
import { isValidZone } from '../zone.ts';

const G = 'https://www.googleapis.com/auth/';
const CREATE_SCOPES = [`${G}calendar`, `${G}calendar.app.created`, `${G}calendar.calendars`];

export function calendarsRoutes(state: EmulatorState): Route[] {
  return [
    route('POST', '/calendar/v3/calendars', (req) => {
      const user = req.user!;
      if (!user.scope.split(' ').some((s) => CREATE_SCOPES.includes(s))) throw forbidden('Request had insufficient authentication scopes.', 'insufficientPermissions');
      const body = (req.body ?? {}) as { summary?: unknown; description?: unknown; timeZone?: unknown };
      if (typeof body.summary !== 'string' || body.summary.trim() === '') throw badRequest('Missing title.', 'summary', 'required');
      const primary = state.calendars.get(state.users.get(user.email)?.primaryCalendarId ?? '');
      const timeZone = typeof body.timeZone === 'string' ? body.timeZone : (primary?.timeZone ?? 'UTC');
      if (!isValidZone(timeZone)) throw badRequest('Invalid time zone definition.', 'timeZone');
      const id = `c_${randomBytes(12).toString('hex')}@group.calendar.google.com`;
      const cal = {
        id, summary: body.summary, ...(typeof body.description === 'string' ? { description: body.description } : {}), timeZone,
        ownerEmail: user.email, acl: new Map([[user.email, 'owner' as const]]), events: new Map(), syncEpoch: 0, updatedMs: state.now(),
      };
      state.calendars.set(id, cal);
      return ok({
        kind: 'calendar#calendar', etag: state.etagFor(Math.floor(cal.updatedMs / 1000)), id, summary: cal.summary,
        ...(cal.description ? { description: cal.description } : {}), timeZone, conferenceProperties: { allowedConferenceSolutionTypes: allowedConferenceTypes(cal) },
      });
    }),
  ];
}
