/**
 * Canonical event → Google event body for insert/update (A.3, A.4). Read-only fields (organizer,
 * creator, hangoutLink, sequence) are not sent: Google ignores or rejects them.
 */
import type { CanonicalEvent, EventTime } from '../../shared/model/index.ts';
import type { RemoteCalendarRef } from '../connector.ts';
import type { GoogleEvent } from './map-google-event.ts';
import { PROVENANCE_KEYS } from './map-google-event.ts';
import { formatGoogleRecurrence } from './recurrence.ts';

export function toGoogleTime(t: EventTime, calendarZone: string): { date?: string; dateTime?: string; timeZone?: string } {
  if ('date' in t) return { date: t.date };
  // A floating time has no zone of its own: Google resolves it in the given timeZone.
  if ('local' in t) return { dateTime: t.local, timeZone: calendarZone };
  return { dateTime: t.dateTime, timeZone: t.timeZone };
}

/** Google's instance-id suffix for an original start: `YYYYMMDD` or UTC `YYYYMMDDTHHMMSSZ`. */
export function instanceSuffix(originalStart: EventTime, calendarZone: string, localToUtc: (local: string, zone: string) => number): string {
  if ('date' in originalStart) return originalStart.date.replace(/-/g, '');
  const ms = 'local' in originalStart ? localToUtc(originalStart.local, calendarZone) : Date.parse(originalStart.dateTime);
  return `${new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

export function toGoogleEvent(e: CanonicalEvent, cal: RemoteCalendarRef): GoogleEvent {
  const start = toGoogleTime(e.start, cal.timeZone);
  const seriesZone = start.timeZone ?? cal.timeZone;
  const body: GoogleEvent = {
    start,
    end: toGoogleTime(e.end, cal.timeZone),
    status: e.status,
    transparency: e.availability === 'free' ? 'transparent' : 'opaque',
    visibility: e.visibility,
    summary: e.title ?? '',
    description: e.description ?? '',
    location: e.location ?? '',
    attendees: e.attendees.map((a) => ({
      email: a.email,
      ...(a.name !== null ? { displayName: a.name } : {}),
      responseStatus: a.response,
      ...(a.optional ? { optional: true } : {}),
    })),
  };
  if (e.recurrence && !e.originalStart) body.recurrence = formatGoogleRecurrence(e.recurrence, seriesZone);
  if (e.provenance) {
    // A copy rings nowhere: its source's own calendar already alerts the person (else once per calendar).
    body.reminders = { useDefault: false };
    body.extendedProperties = {
      private: {
        [PROVENANCE_KEYS.hub]: 'calhub',
        [PROVENANCE_KEYS.tenant]: e.provenance.tenantId,
        [PROVENANCE_KEYS.source]: e.provenance.sourceEventId,
        ...(e.provenance.ruleId !== null ? { [PROVENANCE_KEYS.rule]: e.provenance.ruleId } : {}),
      },
    };
  }
  return body;
}
