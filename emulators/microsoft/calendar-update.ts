/**
 * PATCH /me/calendars/{id} and PATCH /me/calendar (calendar-update.md): 200 with the updated
 * calendar. The documented writable properties are `color`, `isDefaultCalendar` and `name`; the
 * page's own example renames the default calendar, so it may be renamed.
 *
 * - `name`: a name another calendar of the mailbox has (case-insensitively, as POST) is 409
 *   ErrorFolderExists — Exchange folder names are unique among siblings; the rename's answer is
 *   UNCONFIRMED and taken from create's. An empty name is 400 as on create.
 * - `color`: one of the calendarColor values; another string is 400 (OData's wording; UNCONFIRMED).
 *   A new theme empties `hexColor` (read-only, "empty if the user has never explicitly set a
 *   color", calendar.md; "recalculated", calendar-update.md); the same theme keeps it.
 * - `isDefaultCalendar` and the read-only properties (`owner`, `canEdit`, `hexColor`, …) are
 *   accepted and change nothing: FIELD, Graph answers `isDefaultCalendar: true` with 200 and leaves
 *   it (microsoft-graph-docs-contrib#2724); for the others Graph's answer is UNCONFIRMED.
 * - A property the calendar type does not have is 400 RequestBodyRead, as for any Graph entity
 *   (FIELD: msgraph-sdk-java#391 quotes the message).
 * - A calendar the mailbox cannot edit (`canEdit: false`, another's shared in) is 403
 *   ErrorAccessDenied, as writing its events is; Graph's answer UNCONFIRMED.
 */
import { GraphHttpError } from './http.ts';
import { newChangeKey, type Mailbox, type StoredCalendar } from './model.ts';

const COLORS = ['auto', 'lightBlue', 'lightGreen', 'lightOrange', 'lightGray', 'lightYellow', 'lightTeal', 'lightPink', 'lightBrown', 'lightRed', 'maxColor'];
const IGNORED = new Set([
  'id', 'isDefaultCalendar', 'owner', 'canEdit', 'canShare', 'canViewPrivateItems', 'changeKey', 'hexColor', 'isRemovable',
  'isTallyingResponses', 'allowedOnlineMeetingProviders', 'defaultOnlineMeetingProvider', 'calendarGroupId',
]);

export function updateCalendar(mb: Mailbox, calendarId: string, body: Record<string, unknown>): StoredCalendar {
  const cal = mb.calendars.get(calendarId);
  if (!cal) throw new GraphHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  for (const key of Object.keys(body)) {
    if (key !== 'name' && key !== 'color' && !IGNORED.has(key) && !key.startsWith('@odata.')) {
      throw new GraphHttpError(400, 'RequestBodyRead', `The property '${key}' does not exist on type 'microsoft.graph.calendar'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    }
  }
  if (!cal.canEdit) throw new GraphHttpError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  const { name, color } = body;
  if (name !== undefined) {
    if (typeof name !== 'string' || name.trim() === '') throw new GraphHttpError(400, 'ErrorInvalidRequest', 'The calendar name is required.');
    const taken = [...mb.calendars.values()].some((c) => c.id !== calendarId && c.name.toLowerCase() === name.toLowerCase());
    if (taken) throw new GraphHttpError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  }
  if (color !== undefined && (typeof color !== 'string' || !COLORS.includes(color))) {
    throw new GraphHttpError(400, 'RequestBodyRead', `Cannot convert the literal '${String(color)}' to the expected type 'microsoft.graph.calendarColor'.`);
  }
  if (typeof name === 'string') cal.name = name;
  // "Recalculated based on changes to other property values" (calendar-update.md): a shade picked
  // for the old theme does not survive a new one. What Graph puts there instead is UNCONFIRMED;
  // empty is the documented "no colour set explicitly" (calendar.md hexColor).
  if (typeof color === 'string' && color !== cal.color) cal.hexColor = '';
  if (typeof color === 'string') cal.color = color;
  cal.changeKey = newChangeKey();
  return cal;
}
