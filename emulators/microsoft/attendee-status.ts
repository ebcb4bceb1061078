/**
 * What a PATCH of `attendees` does to the answers already given. Exchange tracks each attendee's
 * response per recipient, and an update "that includes only the attendees property ... sends a
 * meeting update to only the attendees that have changed" (event-update.md, Notes for updating
 * specific properties): an attendee who stays on the list is not invited again and keeps the
 * answer given. Replacing the stored list wholesale reset every answer to `none` when a guest was
 * added (found by an outside user: Bob's acceptance and Jane's decline were gone, and calhub
 * reported all four needsAction). Here an attendee still on the list (address matched without
 * case) keeps its stored `status`; one new to the list starts at `none`.
 * Documented: the meeting-update behaviour above and `status` being the attendee's response
 * (resources/attendee.md). Inferred, UNCONFIRMED in Microsoft's docs: that the kept attendees'
 * `status` survives the PATCH, and that a `status` the organizer sends is ignored (responses
 * come from the attendees' replies; the mailbox's own only through accept / tentativelyAccept /
 * decline, responses.ts). The control API's updateEvent still replaces the list as given: tests
 * use it to play the attendees' replies.
 */
import type { GraphAttendee } from './model.ts';

const NO_RESPONSE = { response: 'none', time: '0001-01-01T00:00:00Z' };

export function keepResponses(before: GraphAttendee[] | undefined, incoming: GraphAttendee[]): GraphAttendee[] {
  const held = new Map((before ?? []).map((a) => [a.emailAddress.address.toLowerCase(), a.status]));
  return incoming.map((a) => ({ ...a, status: held.get(a.emailAddress?.address?.toLowerCase() ?? '') ?? NO_RESPONSE }));
}
