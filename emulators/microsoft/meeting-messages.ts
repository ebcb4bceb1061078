/**
 * The meeting messages Exchange sends when the organizer's calendar changes through Graph: creating
 * an event with attendees sends each a meeting request ("When an event is sent, the server sends
 * invitations to all the attendees", create-event), deleting it sends a cancellation (delete-event:
 * "deleting the event on the organizer's calendar sends a cancellation message"), and an update
 * sends the request again, a cancellation to an attendee it removes. Graph has no parameter to
 * write a meeting quietly. Nothing is delivered; the messages are recorded for tests.
 */
import type { EventData, Mailbox } from './model.ts';

export interface MeetingMessage {
  mailbox: string;
  eventId: string;
  /** Graph's meetingMessageType; the three answers come from responses.ts. */
  meetingMessageType: 'meetingRequest' | 'meetingCancelled' | 'meetingAccepted' | 'meetingTenativelyAccepted' | 'meetingDeclined';
  to: string;
}

const organizes = (mb: Mailbox, d: EventData) => !d.organizer || d.organizer.emailAddress.address.toLowerCase() === mb.email.toLowerCase();

function attendees(mb: Mailbox, d: EventData | null): Set<string> {
  if (!d || d.isCancelled) return new Set();
  const self = mb.email.toLowerCase();
  return new Set((d.attendees ?? []).map((a) => a.emailAddress.address.toLowerCase()).filter((a) => a !== self));
}

/** Records the messages of one write on `mb`'s calendar: `before` null for a create, `after` null for a delete. */
export function sendMeetingMessages(log: MeetingMessage[], mb: Mailbox, eventId: string, before: EventData | null, after: EventData | null): void {
  const d = after ?? before;
  if (!d || !organizes(mb, d)) return;
  const was = attendees(mb, before);
  const now = attendees(mb, after);
  for (const to of now) log.push({ mailbox: mb.email, eventId, meetingMessageType: 'meetingRequest', to });
  for (const to of was) if (!now.has(to)) log.push({ mailbox: mb.email, eventId, meetingMessageType: 'meetingCancelled', to });
}
