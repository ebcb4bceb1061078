/** Calendar lookup with Google's access rules: unknown or unshared → 404, read-only → 403. */
import { forbidden, notFound } from './errors.ts';
import type { Req } from './http.ts';
import type { EmulatorState } from './state.ts';
import type { CalendarState } from './types.ts';

const WRITE_SCOPES = ['https://www.googleapis.com/auth/calendar', 'https://www.googleapis.com/auth/calendar.events'];

export function calendarFor(state: EmulatorState, req: Req, need: 'read' | 'write'): CalendarState {
  const email = req.user!.email;
  const rawId = req.params.calendarId!;
  const id = rawId === 'primary' ? (state.users.get(email)?.primaryCalendarId ?? '') : rawId;
  const cal = state.calendars.get(id);
  const role = cal?.acl.get(email);
  if (!cal || !role || role === 'freeBusyReader') throw notFound();
  if (need === 'write') {
    if (!req.user!.scope.split(' ').some((s) => WRITE_SCOPES.includes(s))) {
      throw forbidden('Request had insufficient authentication scopes.', 'insufficientPermissions');
    }
    if (role !== 'owner' && role !== 'writer') throw forbidden('You need to have writer access to this calendar.', 'requiredAccessLevel');
  }
  return cal;
}

export function calendarIdFor(state: EmulatorState, email: string, id: string): string {
  return id === 'primary' ? (state.users.get(email)?.primaryCalendarId ?? id) : id;
}
