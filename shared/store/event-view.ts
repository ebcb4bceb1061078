/**
 * A stored event as clients see it, in the API's answers and in webhook payloads alike: one
 * function so the two cannot drift (a webhook-only copy must be able to send If-Match).
 */
import type { Attendee, CanonicalEvent, Organizer } from '../model/index.ts';
import { presentTime } from '../time/index.ts';
import type { StoredEvent } from './events.ts';

/** The etag of a stored event's version: its content hash, so an unchanged event keeps it. */
export const etagOf = (e: Pick<StoredEvent, 'contentHash'>): string => `"${e.contentHash}"`;

const organizer = (o: Organizer | null) => o && { email: o.email, name: o.name };
const attendee = (a: Attendee) => ({ email: a.email, name: a.name, response: a.response, optional: a.optional, self: a.self });

/**
 * The canonical fields a client sees plus ids and etag; zoned times as their wall clock with
 * offset plus the zone (shared/time/wall-clock.ts). Named field by field: providerVersion (the
 * provider's etag; `etag` replaces it) is not shown, and of a mirror copy's provenance only its rule
 * and source event (the tenant and hub marker are calhub's bookkeeping).
 */
export function showEvent(s: Pick<StoredEvent, 'id' | 'calendarId' | 'contentHash'> & { event: CanonicalEvent }) {
  const e = s.event;
  return {
    id: s.id,
    calendarId: s.calendarId,
    etag: etagOf(s),
    uid: e.uid,
    providerEventId: e.providerEventId,
    providerUpdatedAt: e.providerUpdatedAt,
    originalStart: e.originalStart && presentTime(e.originalStart),
    start: presentTime(e.start),
    end: presentTime(e.end),
    recurrence: e.recurrence && { rrules: e.recurrence.rrules, exdates: e.recurrence.exdates.map(presentTime), rdates: e.recurrence.rdates.map(presentTime) },
    status: e.status,
    availability: e.availability,
    visibility: e.visibility,
    title: e.title,
    description: e.description,
    location: e.location,
    organizer: organizer(e.organizer),
    attendees: e.attendees.map(attendee),
    conferenceUrl: e.conferenceUrl,
    sequence: e.sequence,
    provenance: e.provenance && { ruleId: e.provenance.ruleId, sourceEventId: e.provenance.sourceEventId },
    // Only on a range override (RECURRENCE-ID;RANGE=THISANDFUTURE): every other answer stays as it was.
    ...(e.thisAndFuture ? { thisAndFuture: true as const } : {}),
  };
}

export type EventView = ReturnType<typeof showEvent>;
