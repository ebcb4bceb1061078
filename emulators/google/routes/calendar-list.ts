/** calendarList.list (A.5) and calendarList.get (one entry; `primary` names the caller's primary calendar). */
import { calendarIdFor } from '../access.ts';
import { allowedConferenceTypes } from '../conferences.ts';
import { badRequest, notFound } from '../errors.ts';
import { ok, route, type Route } from '../http.ts';
import type { EmulatorState } from '../state.ts';
import type { CalendarState } from '../types.ts';

const RANK = { freeBusyReader: 0, reader: 1, writer: 2, owner: 3 } as const;

export function calendarListEntry(state: EmulatorState, cal: CalendarState, email: string): Record<string, unknown> {
  const role = cal.acl.get(email)!;
  const primary = state.users.get(email)?.primaryCalendarId === cal.id;
  return {
    kind: 'calendar#calendarListEntry',
    etag: state.etagFor(Math.floor(cal.updatedMs / 1000)),
    id: cal.id,
    summary: cal.summary,
    ...(cal.summaryOverrideFor?.has(email) ? { summaryOverride: cal.summaryOverrideFor.get(email) } : {}),
    ...(cal.description ? { description: cal.description } : {}),
    timeZone: cal.timeZone,
    colorId: '14',
    backgroundColor: '#9fe1e7',
    foregroundColor: '#000000',
    selected: true,
    accessRole: role,
    defaultReminders: role === 'owner' ? [{ method: 'popup', minutes: 10 }] : [],
    conferenceProperties: { allowedConferenceSolutionTypes: allowedConferenceTypes(cal) },
    ...(primary ? { primary: true } : {}),
    // Only present when true (calendarListEntry reference: "only returned when the calendar is hidden").
    ...(cal.hiddenFor?.has(email) ? { hidden: true } : {}),
  };
}

export function calendarListRoutes(state: EmulatorState): Route[] {
  return [
    route('GET', '/calendar/v3/users/me/calendarList', (req) => {
      const email = req.user!.email;
      const q = req.query as Record<string, string | undefined>;
      const max = Math.min(Number(q.maxResults ?? 100), 250);
      if (!(max >= 1)) throw badRequest('Invalid value for maxResults.', 'maxResults');
      const minRole = q.minAccessRole as keyof typeof RANK | undefined;
      if (minRole !== undefined && !(minRole in RANK)) throw badRequest('Invalid value for minAccessRole.', 'minAccessRole');
      const all = [...state.calendars.values()]
        .filter((c) => c.acl.has(email) && (minRole === undefined || RANK[c.acl.get(email)!] >= RANK[minRole]))
        // showHidden defaults to false: a calendar the user hid is not listed.
        .filter((c) => q.showHidden === 'true' || !c.hiddenFor?.has(email))
        .sort((a, b) => a.id.localeCompare(b.id));
      const start = q.pageToken ? Number(Buffer.from(q.pageToken, 'base64url').toString()) : 0;
      const items = all.slice(start, start + max).map((c) => calendarListEntry(state, c, email));
      const more = start + max < all.length;
      return ok({
        kind: 'calendar#calendarList',
        etag: state.etagFor(state.seq),
        ...(more ? { nextPageToken: Buffer.from(String(start + max)).toString('base64url') } : { nextSyncToken: `CL${state.seq}` }),
        items,
      });
    }),
    route('GET', '/calendar/v3/users/me/calendarList/:calendarId', (req) => {
      const email = req.user!.email;
      const cal = state.calendars.get(calendarIdFor(state, email, req.params.calendarId!));
      if (!cal?.acl.has(email)) throw notFound();
      return ok(calendarListEntry(state, cal, email));
    }),
  ];
}
