/**
 * The emails Google sends an event's guests after a write, by the write's `sendUpdates` (A.4):
 * `all` mails every guest, `externalOnly` only guests who are not Google Calendar users (here: not
 * users of this emulator), `none` or no parameter nobody ("The default is false"). The deprecated
 * `sendNotifications=true` counts as `all` when `sendUpdates` is absent. Nothing is delivered: the
 * mails are recorded so a test can see who would have been told.
 */
import { badRequest } from './errors.ts';
import type { EmulatorState } from './state.ts';
import type { CalendarState, GEvent, MailKind, SendUpdates } from './types.ts';

export function readSendUpdates(query: Record<string, unknown>): SendUpdates {
  const v = query.sendUpdates;
  if (v === undefined) return query.sendNotifications === 'true' ? 'all' : 'none';
  if (v === 'all' || v === 'externalOnly' || v === 'none') return v;
  throw badRequest(`Invalid value for: sendUpdates, ${String(v)} is not one of [all, externalOnly, none]`, 'sendUpdates');
}

/** Guests a mail can go to: not the calendar's owner (the writer), not a room or other resource. */
function guests(ev: GEvent | null, cal: CalendarState): Set<string> {
  const owner = cal.ownerEmail.toLowerCase();
  return new Set((ev?.attendees ?? []).filter((a) => a.email && !a.self && !a.resource && a.email.toLowerCase() !== owner).map((a) => a.email!.toLowerCase()));
}

/** The owner's own response on an invitee's copy. */
const ownResponse = (ev: GEvent | null, cal: CalendarState) => ev?.attendees?.find((a) => a.self || a.email.toLowerCase() === cal.ownerEmail.toLowerCase())?.responseStatus;

/**
 * Records the mails of one write: `before` null for a create, `after` null (or cancelled) for a
 * delete. Guests added are invited, removed ones told of the cancellation, the rest updated. On an
 * invitee's copy only the organizer hears, and only of the owner's changed response.
 */
export function mailGuests(state: EmulatorState, cal: CalendarState, before: GEvent | null, after: GEvent | null, sendUpdates: SendUpdates): void {
  if (sendUpdates === 'none') return;
  const live = after && after.status !== 'cancelled' ? after : null;
  const was = guests(before && before.status !== 'cancelled' ? before : null, cal);
  const now = guests(live, cal);
  const ev = (after ?? before)!;
  const eventId = ev.id;
  const send = (to: string, kind: MailKind) => {
    if (sendUpdates === 'externalOnly' && [...state.users.keys()].some((u) => u.toLowerCase() === to)) return;
    state.guestMail.push({ calendarId: cal.id, eventId, kind, to, sendUpdates });
  };
  if (ev.organizer && !ev.organizer.self) {
    if (after && ev.organizer.email && ownResponse(after, cal) !== ownResponse(before, cal)) send(ev.organizer.email.toLowerCase(), 'response');
    return;
  }
  for (const to of now) send(to, was.has(to) ? 'update' : 'invitation');
  for (const to of was) if (!now.has(to)) send(to, 'cancellation');
}
