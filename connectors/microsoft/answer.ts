/**
 * Writing to an invitation: an event in the mailbox organized by someone else. Graph sets the
 * mailbox's own response only through `accept` / `tentativelyAccept` / `decline` (event-accept.md;
 * `responseStatus` is not writable), whose `sendResponse` says whether the organizer hears of it.
 * The guest list is the organizer's, so a change of the invitee's copy is patched without it (sent
 * without the mailbox's own entry it would drop the owner from their own copy), and not at all when
 * only the response changed. A decline takes the meeting off the calendar, as Outlook does; the
 * next delta reports it removed.
 */
import type { Attendee, CanonicalEvent, SendUpdates } from '../../shared/model/index.ts';
import type { GraphApi } from './graph-client.ts';
import { keepUnchanged } from './keep-unchanged.ts';
import { toGraph } from './map-microsoft-event.ts';

const ACTIONS: Partial<Record<Attendee['response'], string>> = { accepted: 'accept', tentative: 'tentativelyAccept', declined: 'decline' };

/**
 * Someone else organizes it. Graph's own `isOrganizer` decides where it was read (the mailbox may
 * organize under an alias of its address); otherwise the organizer's address is compared.
 */
export function isInvitation(e: CanonicalEvent, ownerEmail: string, organizes: boolean | null = null): boolean {
  if (organizes !== null) return !organizes && e.organizer !== null;
  return e.organizer !== null && e.organizer.email.toLowerCase() !== ownerEmail.toLowerCase();
}

const ownResponse = (e: CanonicalEvent): Attendee['response'] | null => e.attendees.find((a) => a.self)?.response ?? null;

/** The PATCH body of a change to an invitee's copy; null when nothing but the response changed. */
export function invitationPatch(before: CanonicalEvent, e: CanonicalEvent, zone: string, allDayZone = zone): Record<string, unknown> | null {
  const body = toGraph(e, zone, { create: false, allDayZone });
  const was = toGraph(before, zone, { create: false, allDayZone });
  delete body.attendees;
  delete was.attendees;
  // Body and location only when changed (write-object.ts keepUnchanged): Outlook's HTML and rooms stay.
  keepUnchanged(body, before, e);
  keepUnchanged(was, before, e);
  return JSON.stringify(body) === JSON.stringify(was) ? null : body;
}

/**
 * Sends the owner's new response, if it changed to one Graph can send (there is no way back to
 * "not answered"); `sendUpdates` none keeps it from the organizer. Returns the response sent.
 */
export async function answer(api: GraphApi, id: string, before: CanonicalEvent, e: CanonicalEvent, sendUpdates: SendUpdates | null | undefined): Promise<Attendee['response'] | null> {
  const now = ownResponse(e);
  const action = now ? ACTIONS[now] : undefined;
  if (!action || now === ownResponse(before)) return null;
  await api.post(`/me/events/${encodeURIComponent(id)}/${action}`, { sendResponse: sendUpdates !== 'none' });
  return now;
}
