/** The control API over HTTP (documented in ../README.md); no auth, never part of Google's surface. */
import { objectField, oneOf, personField, stringField, stringList, type Body } from '../control-input.ts';
import type { FaultInput, GoogleEmulatorControl } from '../control.ts';
import { ok, route, type Req, type Route } from '../http.ts';

const b = (req: Req): Body => (req.body ?? {}) as Body;
const done = { status: 204 };
const SHARE_ROLES = ['writer', 'reader', 'freeBusyReader'] as const;

export function controlRoutes(c: GoogleEmulatorControl): Route[] {
  const r = (method: string, path: string, h: (req: Req) => unknown) =>
    route(method, `/_emulator${path}`, async (req) => {
      const out = await h(req);
      return out === undefined ? done : ok(out);
    }, false);
  const p = (req: Req, k: string) => req.params[k]!;
  return [
    r('POST', '/users', (req) => c.createUser(b(req) as Parameters<GoogleEmulatorControl['createUser']>[0])),
    r('POST', '/calendars', (req) => c.createCalendar(b(req) as Parameters<GoogleEmulatorControl['createCalendar']>[0])),
    // The roles shareCalendar grants; a misspelt one would list the calendar with an accessRole Google has not.
    r('POST', '/calendars/:calendarId/share', (req) => c.shareCalendar(p(req, 'calendarId'), stringField(b(req), 'email'), oneOf(b(req), 'role', SHARE_ROLES))),
    r('DELETE', '/calendars/:calendarId/share/:email', (req) => c.unshareCalendar(p(req, 'calendarId'), p(req, 'email'))),
    r('DELETE', '/calendars/:calendarId', (req) => c.deleteCalendar(p(req, 'calendarId'))),
    r('PUT', '/calendars/:calendarId/summary', (req) => c.renameCalendar(p(req, 'calendarId'), String(b(req).summary))),
    r('PUT', '/calendars/:calendarId/summary-override', (req) => c.setSummaryOverride(p(req, 'calendarId'), String(b(req).email), typeof b(req).summary === 'string' ? String(b(req).summary) : null)),
    r('PUT', '/calendars/:calendarId/hidden', (req) => c.hideCalendar(p(req, 'calendarId'), String(b(req).email), b(req).hidden !== false)),
    r('PUT', '/calendars/:calendarId/conference-types', (req) => c.setConferenceTypes(p(req, 'calendarId'), b(req).types === undefined ? [] : stringList(b(req), 'types'))),
    r('GET', '/calendars/:calendarId/events', (req) => c.listStoredEvents(p(req, 'calendarId'))),
    r('POST', '/calendars/:calendarId/events', (req) => c.insertEvent(p(req, 'calendarId'), b(req))),
    // Both checked before anything is stored: the organizer as README documents it, {email, displayName?}.
    r('POST', '/calendars/:calendarId/invitations', (req) => {
      const organizer = personField(b(req), 'organizer');
      return c.inviteEvent(p(req, 'calendarId'), objectField(b(req), 'event'), organizer);
    }),
    r('GET', '/calendars/:calendarId/events/:eventId', (req) => c.getEvent(p(req, 'calendarId'), p(req, 'eventId'))),
    r('PATCH', '/calendars/:calendarId/events/:eventId', (req) => c.patchEvent(p(req, 'calendarId'), p(req, 'eventId'), b(req))),
    r('PUT', '/calendars/:calendarId/events/:eventId', (req) => c.updateEvent(p(req, 'calendarId'), p(req, 'eventId'), b(req))),
    r('DELETE', '/calendars/:calendarId/events/:eventId', (req) => c.deleteEvent(p(req, 'calendarId'), p(req, 'eventId'))),
    r('POST', '/grants', (req) => c.issueGrant(b(req) as { email: string })),
    r('POST', '/grants/revoke', (req) => ({ revoked: c.revokeGrants(b(req) as { email?: string }) })),
    r('POST', '/tokens/expire', () => c.expireAccessTokens()),
    r('POST', '/sync-tokens/expire', (req) => c.expireSyncTokens(b(req).calendarId as string | undefined)),
    r('POST', '/faults', (req) => c.injectFault(b(req) as unknown as FaultInput)),
    r('DELETE', '/faults', () => c.clearFaults()),
    r('POST', '/latency', (req) => c.setLatency(Number(b(req).ms ?? 0))),
    r('POST', '/paging', (req) => c.setPaging(b(req) as { emptyPageEvery?: number })),
    r('POST', '/notifications/drop', (req) => c.dropNotifications(Number(b(req).share ?? 0))),
    r('POST', '/notifications/retry', (req) => c.setPushRetry(b(req) as { attempts?: number; baseMs?: number })),
    r('POST', '/notifications/flush', () => c.flushNotifications()),
    r('POST', '/channels/:channelId/next-message-number', (req) => ({ messageNumber: c.nextMessageNumber(p(req, 'channelId')) })),
    r('GET', '/deliveries', () => c.deliveries()),
    r('GET', '/channels', () => c.channels()),
    r('POST', '/clock/advance', (req) => c.advanceClock(Number(b(req).ms ?? 0))),
    r('GET', '/requests', () => c.requests()),
    r('DELETE', '/requests', () => c.clearRequests()),
    r('GET', '/guest-mail', () => c.guestMail()),
    r('DELETE', '/guest-mail', () => c.clearGuestMail()),
  ];
}
