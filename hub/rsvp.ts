/**
 * Answering an invitation: the calendar owner's own response (its `self` attendee) set without the
 * client sending the attendee list back, as Nylas's send-rsvp does. It is a change of the event
 * like any other; the push writes it as each provider takes an answer (Google patches the invitee's
 * copy, Graph calls accept / tentativelyAccept / decline, CalDAV stores the PARTSTAT).
 */
import { HubError } from '../shared/errors.ts';
import type { CanonicalEvent } from '../shared/model/index.ts';
import { findOccurrence } from '../sync-engine/index.ts';
import { getEvent, updateEvent, type WriteOptions, type WrittenEvent } from './events.ts';
import { updateOccurrence } from './occurrences.ts';
import type { Hub } from './open-hub.ts';

export const RSVP_RESPONSES = ['accepted', 'declined', 'tentative'] as const;
export type RsvpResponse = (typeof RSVP_RESPONSES)[number];

/**
 * The patch that answers `e`; refused unless the owner is invited to it by someone else. `owner`:
 * the addresses of the calendar's owner (its account's), which an event the owner organizes may
 * not list among its attendees at all: refused as "not among its attendees", that read as if the
 * owner had been left out of their own meeting.
 */
function answered(e: CanonicalEvent, response: RsvpResponse, what: string, owner: string[] = []): Record<string, unknown> {
  const own = e.attendees.filter((a) => a.self);
  const organizer = e.organizer?.email.toLowerCase();
  const ownerOrganizes = organizer !== undefined && (own.some((a) => a.email.toLowerCase() === organizer) || owner.some((o) => o.toLowerCase() === organizer));
  if (ownerOrganizes) throw new HubError('NOT_INVITED', 'never', `${what} is organized by the calendar's owner (${organizer}): the organizer does not RSVP, only an invitation is answered; change the event with PATCH`);
  if (own.length === 0) throw new HubError('NOT_INVITED', 'never', `${what} is not an invitation: the calendar's owner is not among its attendees`);
  if (organizer === undefined) throw new HubError('NOT_INVITED', 'never', `${what} has no organizer: only an invitation is answered`);
  return { attendees: e.attendees.map((a) => (a.self ? { ...a, response } : a)) };
}

/** The calendar owner's addresses: its account's (Google and Microsoft 365: the mailbox; CalDAV: its user name, often one). */
async function ownerOf(hub: Hub, tenantId: string, calendarId: string): Promise<string[]> {
  const t = hub.store.tenant(tenantId);
  const cal = await t.calendars.get(calendarId);
  const account = cal ? await t.accounts.get(cal.accountId) : null;
  return account ? [account.externalId] : [];
}

// An invitation already holds its time unanswered: accepting it only if free checks all of that time.
const wholeTime = (opts: WriteOptions): WriteOptions => (opts.ifFree ? { ...opts, ifFree: { ...opts.ifFree, wholeTime: true } } : opts);

export async function answerInvitation(hub: Hub, tenantId: string, eventId: string, response: RsvpResponse, ifMatch?: string, opts: WriteOptions = {}): Promise<WrittenEvent> {
  const current = await getEvent(hub, tenantId, eventId);
  return updateEvent(hub, tenantId, eventId, answered(current.event, response, `event ${eventId}`, await ownerOf(hub, tenantId, current.calendarId)), ifMatch, wholeTime(opts));
}

/** One occurrence answered alone: its override's invitation, or the series' at that occurrence. */
export async function answerOccurrence(hub: Hub, tenantId: string, eventId: string, key: string, response: RsvpResponse, ifMatch?: string, opts: WriteOptions = {}): Promise<WrittenEvent> {
  const at = await findOccurrence(hub.store, tenantId, eventId, key);
  const base = at.override ? at.override.event : at.base;
  const calendarId = (await getEvent(hub, tenantId, eventId)).calendarId;
  return updateOccurrence(hub, tenantId, eventId, key, answered(base, response, `occurrence ${key} of event ${eventId}`, await ownerOf(hub, tenantId, calendarId)), ifMatch, wholeTime(opts));
}
