/**
 * The in-process control API (mirrored over HTTP under /_emulator, see README.md): set up users,
 * calendars and events out of band, inject faults, read what the emulator received and sent.
 */
import { randomBytes } from 'node:crypto';
import { badRequest, notFound } from './errors.ts';
import { deleteEvent, getEvent, insertEvent, replaceEvent } from './event-ops.ts';
import { flushDeliveries, nextMessageNumber } from './push.ts';
import type { Channel, Delivery, EmulatorState, RecordedRequest } from './state.ts';
import type { CalendarState, GEvent, GuestMail } from './types.ts';

export interface FaultInput {
  status: number;
  /** Google reason, e.g. rateLimitExceeded, userRateLimitExceeded, backendError, forbidden. */
  reason?: string;
  /** Retry-After header value (seconds or HTTP date); omitted when undefined. */
  retryAfter?: string | number;
  /** Number of requests that fail (default 1); use a large number for "until cleared". */
  count?: number;
  pathPrefix?: string;
  method?: string;
  /** The request takes effect but the connection is cut before the answer (a lost response). */
  dropResponse?: boolean;
}

export const FULL_SCOPE = 'https://www.googleapis.com/auth/calendar';

export interface GrantOutput { grantId: string; accessToken: string; refreshToken: string }

export interface StoredEventView { event: GEvent; deleted: boolean }

export function createControl(state: EmulatorState) {
  const cal = (id: string): CalendarState => {
    const c = state.calendars.get(id);
    if (!c) throw notFound();
    return c;
  };
  const control = {
    createUser(input: { email: string; displayName?: string; timeZone?: string }): { email: string; primaryCalendarId: string } {
      if (!state.users.has(input.email)) {
        state.users.set(input.email, { email: input.email, displayName: input.displayName ?? input.email.split('@')[0]!, primaryCalendarId: input.email });
        control.createCalendar({ id: input.email, ownerEmail: input.email, summary: input.email, timeZone: input.timeZone ?? 'UTC' });
      }
      return { email: input.email, primaryCalendarId: input.email };
    },
    /** `conferenceTypes`: the conference solutions the calendar allows (default ['hangoutsMeet']; [] as where Meet is turned off). */
    createCalendar(input: { ownerEmail: string; summary: string; timeZone?: string; id?: string; description?: string; conferenceTypes?: string[] }): { id: string } {
      const id = input.id ?? `c_${randomBytes(12).toString('hex')}@group.calendar.google.com`;
      state.calendars.set(id, {
        id,
        summary: input.summary,
        ...(input.description ? { description: input.description } : {}),
        ...(input.conferenceTypes ? { allowedConferenceSolutionTypes: [...input.conferenceTypes] } : {}),
        timeZone: input.timeZone ?? 'UTC',
        ownerEmail: input.ownerEmail,
        acl: new Map([[input.ownerEmail, 'owner']]),
        events: new Map(),
        syncEpoch: 0,
        updatedMs: state.now(),
      });
      state.notifyListChange([input.ownerEmail]);
      return { id };
    },
    /** The calendar joins the user's list (or their role in it changes): their calendar-list channels hear `exists`. */
    shareCalendar(calendarId: string, email: string, role: 'writer' | 'reader' | 'freeBusyReader'): void {
      const c = cal(calendarId);
      if (c.acl.get(email) === role) return;
      c.acl.set(email, role);
      state.notifyListChange([email]);
    },
    /** The owner stops sharing it: it leaves the user's list (their hidden flag and label go with it). The owner cannot be removed (400). */
    unshareCalendar(calendarId: string, email: string): void {
      const c = cal(calendarId);
      if (email === c.ownerEmail) throw badRequest('The owner of a calendar cannot be removed.', 'email');
      if (!c.acl.delete(email)) return;
      c.hiddenFor?.delete(email);
      c.summaryOverrideFor?.delete(email);
      state.notifyListChange([email]);
    },
    /** The owner renames the calendar in Google Calendar (its summary; calendarList shows it unless a user set summaryOverride). */
    renameCalendar(calendarId: string, summary: string): void {
      state.renameCalendar(cal(calendarId), summary);
    },
    /** A user labels the calendar in their own list (calendarList `summaryOverride`); null removes the label. */
    setSummaryOverride(calendarId: string, email: string, summary: string | null): void {
      const c = cal(calendarId);
      c.summaryOverrideFor ??= new Map();
      const before = c.summaryOverrideFor.get(email) ?? null;
      if (summary === null) c.summaryOverrideFor.delete(email);
      else c.summaryOverrideFor.set(email, summary);
      if (before !== summary && c.acl.has(email)) state.notifyListChange([email]);
    },
    /** A user hides the calendar in their list (calendarList `hidden`): calendarList.list leaves it out unless showHidden=true. */
    hideCalendar(calendarId: string, email: string, hidden = true): void {
      const c = cal(calendarId);
      c.hiddenFor ??= new Set();
      const before = c.hiddenFor.has(email);
      if (hidden) c.hiddenFor.add(email);
      else c.hiddenFor.delete(email);
      if (before !== hidden && c.acl.has(email)) state.notifyListChange([email]);
    },
    deleteCalendar(calendarId: string): void {
      state.removeCalendar(calendarId);
    },
    /** A grant as if the user had clicked Allow, without the browser round trip. */
    issueGrant(input: { email: string; scope?: string; clientId?: string }): GrantOutput {
      const grantId = randomBytes(9).toString('base64url');
      const refreshToken = `1//emu-${randomBytes(24).toString('base64url')}`;
      state.grants.set(grantId, { id: grantId, email: input.email, clientId: input.clientId ?? 'emulator-client', scope: input.scope ?? FULL_SCOPE, refreshToken, revoked: false });
      return { grantId, accessToken: state.issueAccessToken(grantId).token, refreshToken };
    },
    /** The user revokes access: API calls 401, refresh answers invalid_grant. */
    revokeGrants(filter: { email?: string; grantId?: string } = {}): number {
      let n = 0;
      for (const g of state.grants.values()) {
        if ((filter.grantId === undefined || g.id === filter.grantId) && (filter.email === undefined || g.email === filter.email) && !g.revoked) {
          g.revoked = true;
          n += 1;
        }
      }
      return n;
    },
    expireAccessTokens(): void {
      for (const t of state.accessTokens.values()) t.expiresAtMs = 0;
    },
    insertEvent: (calendarId: string, body: Record<string, unknown>): GEvent => structuredClone(insertEvent(state, cal(calendarId), body, { conferenceDataVersion: 1 })),
    /**
     * An invitation as it lands in an invitee's calendar: the event with someone else as its
     * organizer (list the calendar's owner among its attendees). Its shared properties
     * (guestsCan*) are then the organizer's to change.
     */
    inviteEvent: (calendarId: string, body: Record<string, unknown>, organizer: { email: string; displayName?: string }): GEvent => {
      const c = cal(calendarId);
      const ev = insertEvent(state, c, body, { conferenceDataVersion: 1 });
      const stored = c.events.get(ev.id)!;
      stored.res.organizer = { ...organizer };
      return structuredClone(stored.res);
    },
    patchEvent: (calendarId: string, eventId: string, patch: Record<string, unknown>): GEvent =>
      structuredClone(replaceEvent(state, cal(calendarId), eventId, patch, { conferenceDataVersion: 1 }, true)),
    updateEvent: (calendarId: string, eventId: string, body: Record<string, unknown>): GEvent =>
      structuredClone(replaceEvent(state, cal(calendarId), eventId, body, { conferenceDataVersion: 1 })),
    deleteEvent: (calendarId: string, eventId: string): void => deleteEvent(state, cal(calendarId), eventId),
    /** The conference solutions a calendar allows (calendarList conferenceProperties); [] as where an admin turned Meet off. */
    setConferenceTypes(calendarId: string, types: string[]): void {
      cal(calendarId).allowedConferenceSolutionTypes = [...types];
    },
    getEvent: (calendarId: string, eventId: string): GEvent => structuredClone(getEvent(cal(calendarId), eventId)),
    /** Every stored item (singles, masters, exceptions), deleted ones flagged, in creation order. */
    listStoredEvents(calendarId: string): StoredEventView[] {
      return [...cal(calendarId).events.values()].sort((a, b) => a.ord - b.ord).map((e) => ({ event: structuredClone(e.res), deleted: e.deleted }));
    },
    injectFault(f: FaultInput): void {
      state.faults.push({
        status: f.status,
        ...(f.reason !== undefined ? { reason: f.reason } : {}),
        ...(f.retryAfter !== undefined ? { retryAfter: String(f.retryAfter) } : {}),
        ...(f.pathPrefix !== undefined ? { pathPrefix: f.pathPrefix } : {}),
        ...(f.method !== undefined ? { method: f.method } : {}),
        ...(f.dropResponse ? { dropResponse: true } : {}),
        remaining: f.count ?? 1,
      });
    },
    clearFaults(): void {
      state.faults.length = 0;
    },
    setLatency(ms: number): void {
      state.latencyMs = ms;
    },
    /** Every sync token issued so far answers 410 fullSyncRequired. */
    expireSyncTokens(calendarId?: string): void {
      for (const c of state.calendars.values()) if (calendarId === undefined || c.id === calendarId) c.syncEpoch += 1;
    },
    setPaging(p: { emptyPageEvery?: number; maxPageSize?: number }): void {
      if (p.emptyPageEvery !== undefined) state.emptyPageEvery = p.emptyPageEvery;
      if (p.maxPageSize !== undefined) state.maxPageSize = p.maxPageSize;
    },
    /**
     * Takes the number the channel's next message would carry, for a test that posts a
     * notification itself: numbers are never reused, so it will not look like a replay.
     */
    nextMessageNumber(channelId: string): number {
      const ch = state.channels.get(channelId);
      if (!ch) throw notFound();
      return nextMessageNumber(ch);
    },
    dropNotifications(share: number): void {
      state.dropShare = share;
    },
    /** How Google retries a receiver answering 5xx: retries after baseMs, 2×baseMs, … (A.7). */
    setPushRetry(r: { attempts?: number; baseMs?: number }): void {
      if (r.attempts !== undefined) state.pushRetry.attempts = r.attempts;
      if (r.baseMs !== undefined) state.pushRetry.baseMs = r.baseMs;
    },
    advanceClock(ms: number): void {
      state.clockOffsetMs += ms;
    },
    requests: (): RecordedRequest[] => structuredClone(state.requests),
    /** The mails guests would have had from the writes so far (guest-mail.ts), oldest first. */
    guestMail: (): GuestMail[] => structuredClone(state.guestMail),
    clearGuestMail(): void {
      state.guestMail.length = 0;
    },
    clearRequests(): void {
      state.requests.length = 0;
    },
    deliveries: (): Delivery[] => structuredClone(state.deliveries),
    channels: (): Channel[] => structuredClone([...state.channels.values()]),
    flushNotifications: (): Promise<void> => flushDeliveries(state),
  };
  return control;
}

export type GoogleEmulatorControl = ReturnType<typeof createControl>;
