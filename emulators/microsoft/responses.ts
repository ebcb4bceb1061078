/**
 * An invitee's answer to a meeting: `POST …/events/{id}/accept | tentativelyAccept | decline`
 * (event-accept.md, event-decline.md, event-tentativelyaccept.md). Each takes `{comment,
 * sendResponse, proposedNewTime}`, answers 202 with no body, and is the only way Graph sets the
 * mailbox's own response (`responseStatus` is read-only on a PATCH).
 * - `sendResponse` defaults to true: the organizer then gets a meetingAccepted /
 *   meetingTenativelyAccepted (Graph's spelling) / meetingDeclined message, recorded here.
 * - `proposedNewTime` with `sendResponse: false` is 400 (decline, tentativelyAccept docs).
 * - The organizer cannot answer their own meeting: 400 ErrorInvalidRequest with Exchange's text
 *   (UNCONFIRMED from Microsoft's docs; the message as field reports quote it).
 * - A decline takes the meeting off the calendar, as Outlook does (EWS: "To remove a MeetingRequest
 *   and the associated CalendarItem, use the DeclineItem response object"); for one occurrence,
 *   that occurrence. Delta then reports it removed. That Graph's decline does the same is
 *   UNCONFIRMED.
 * An answer to a series applies to its exceptions too; an answer to one occurrence makes it an
 * exception of its own, as any change of one occurrence does.
 */
import { GraphHttpError } from './http.ts';
import type { MeetingMessage } from './meeting-messages.ts';
import type { EventData, Mailbox } from './model.ts';
import type { EventStore, Target } from './store.ts';

export const RESPONSE_ACTIONS = {
  accept: { response: 'accepted', message: 'meetingAccepted' },
  tentativelyAccept: { response: 'tentativelyAccepted', message: 'meetingTenativelyAccepted' },
  decline: { response: 'declined', message: 'meetingDeclined' },
} as const;
export type ResponseAction = keyof typeof RESPONSE_ACTIONS;

export const isResponseAction = (s: string): s is ResponseAction => Object.hasOwn(RESPONSE_ACTIONS, s);

const organizes = (mb: Mailbox, d: EventData) => !d.organizer || d.organizer.emailAddress.address.toLowerCase() === mb.email.toLowerCase();

function checkBody(action: ResponseAction, body: Record<string, unknown>): boolean {
  const send = body.sendResponse ?? true;
  if (typeof send !== 'boolean') throw new GraphHttpError(400, 'ErrorInvalidRequest', "Cannot convert the literal to the expected type 'Edm.Boolean' for 'sendResponse'.");
  if (body.comment !== undefined && body.comment !== null && typeof body.comment !== 'string') {
    throw new GraphHttpError(400, 'ErrorInvalidRequest', "Cannot convert the value to the expected type 'Edm.String' for 'comment'.");
  }
  if (body.proposedNewTime !== undefined && body.proposedNewTime !== null) {
    if (action === 'accept') throw new GraphHttpError(400, 'ErrorInvalidRequest', "The parameter 'proposedNewTime' is not valid for the action 'accept'.");
    if (!send) throw new GraphHttpError(400, 'ErrorInvalidParameter', 'proposedNewTime requires sendResponse to be true.');
  }
  return send;
}

/** Answers the invitation `t` on `mb`'s calendar; `eventId` as the client named it. */
export function respond(store: EventStore, log: MeetingMessage[], mb: Mailbox, t: Target, eventId: string, action: ResponseAction, body: Record<string, unknown>): void {
  const send = checkBody(action, body);
  const data = t.kind === 'event' ? t.ev.data : t.master.data;
  if (organizes(mb, data)) {
    throw new GraphHttpError(400, 'ErrorInvalidRequest', "Your request can't be completed. You can't respond to this meeting because you're the meeting organizer.");
  }
  const { response, message } = RESPONSE_ACTIONS[action];
  if (action === 'decline') store.delete(mb, t);
  else {
    const responseStatus = { response, time: new Date().toISOString() };
    const ev = store.update(mb, t, { responseStatus });
    if (ev.type === 'seriesMaster') {
      for (const ex of [...mb.events.values()]) if (ex.masterKey === ev.key) store.update(mb, { kind: 'event', ev: ex }, { responseStatus });
    }
  }
  if (send) log.push({ mailbox: mb.email, eventId, meetingMessageType: message, to: data.organizer!.emailAddress.address });
}
