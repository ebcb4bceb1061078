/**
 * DELETE /me/calendars/{id} (calendar-delete.md): "Delete a calendar other than the default
 * calendar", 204 No Content. Shared by the Graph route and the control API.
 *
 * - The default calendar is a distinguished folder of the mailbox. Graph's answer for deleting it
 *   is not documented; the emulator gives Exchange's answer for deleting any distinguished folder,
 *   400 `ErrorDeleteDistinguishedFolder` "Distinguished folders cannot be deleted." (EWS response
 *   codes; FIELD: Graph answers mail folders so). UNCONFIRMED for calendars. `isRemovable: false`
 *   on the calendar resource says so beforehand, and is what the connector reads.
 * - Its events go first, one deletion each, so subscriptions that cover them hear it (whether
 *   Graph notifies them is UNCONFIRMED); then the folder. Later reads of it (events, calendarView,
 *   delta and its deltaLinks) answer 404 ErrorItemNotFound; a subscription on it stays and hears
 *   nothing more, as the model gives no resource to watch.
 */
import { GraphHttpError } from './http.ts';
import type { Mailbox } from './model.ts';
import type { EmulatorState } from './state.ts';

export function deleteCalendar(s: EmulatorState, mb: Mailbox, calendarId: string): void {
  const cal = mb.calendars.get(calendarId);
  if (!cal) throw new GraphHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  if (cal.isDefault) throw new GraphHttpError(400, 'ErrorDeleteDistinguishedFolder', 'Distinguished folders cannot be deleted.');
  // Masters take their exceptions with them; an exception is deleted only through its master.
  for (const ev of [...mb.events.values()]) {
    if (ev.calendarId === calendarId && ev.type !== 'exception' && mb.events.has(ev.key)) s.store.delete(mb, { kind: 'event', ev });
  }
  mb.calendars.delete(calendarId);
  for (const [token, state] of mb.deltaTokens) if (state.calendarId === calendarId) mb.deltaTokens.delete(token);
  for (const [token, page] of mb.pages) if (page.round.state.calendarId === calendarId) mb.pages.delete(token);
}
