/**
 * Google event resource → canonical event (provider-facts A.2–A.4). One Google item is one
 * remote object holding exactly one canonical event: a single event, a master or an exception.
 */
import type { calendar_v3 } from '@googleapis/calendar';
import type { Attendee, CanonicalEvent, EventTime } from '../../shared/model/index.ts';
import { parseEvent } from '../../shared/model/index.ts';
import { InvalidRemoteDataError } from '../errors.ts';
import { parseGoogleRecurrence } from './recurrence.ts';

export type GoogleEvent = calendar_v3.Schema$Event;

/** Keys in extendedProperties.private that carry calhub's provenance stamp. */
export const PROVENANCE_KEYS = { hub: 'calhubHub', tenant: 'calhubTenant', source: 'calhubSource', rule: 'calhubRule' } as const;

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * The original slot of a cancelled instance Google sends without times: a timed one is the
 * instant it started, an all-day one its day (an all-day event ending on the day it starts is
 * not one at all, and a mirror copy holding it would break the write rules).
 */
function slotEnd(originalStart: EventTime): EventTime {
  if (!('date' in originalStart)) return originalStart;
  return { date: new Date(Date.parse(`${originalStart.date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) };
}

export function mapGoogleTime(t: calendar_v3.Schema$EventDateTime | undefined, calendarZone: string, field: string): EventTime {
  if (t?.date) return { date: t.date };
  if (t?.dateTime) {
    const ms = Date.parse(t.dateTime);
    if (Number.isNaN(ms)) throw new InvalidRemoteDataError(`google: unreadable ${field}: ${t.dateTime}`);
    return { dateTime: iso(ms), timeZone: t.timeZone ?? calendarZone };
  }
  throw new InvalidRemoteDataError(`google: event without ${field}`);
}

function availabilityOf(e: GoogleEvent): CanonicalEvent['availability'] {
  if (e.eventType === 'outOfOffice') return 'oof';
  if (e.eventType === 'workingLocation') return 'workingElsewhere';
  return e.transparency === 'transparent' ? 'free' : 'busy';
}

function conferenceUrlOf(e: GoogleEvent): string | null {
  if (e.hangoutLink) return e.hangoutLink;
  return e.conferenceData?.entryPoints?.find((p) => p.entryPointType === 'video')?.uri ?? null;
}

function attendeesOf(e: GoogleEvent): Attendee[] {
  return (e.attendees ?? [])
    .filter((a) => a.email)
    .map((a) => ({
      email: a.email!,
      name: a.displayName ?? null,
      response: (a.responseStatus as Attendee['response'] | undefined) ?? 'needsAction',
      optional: a.optional ?? false,
      self: a.self ?? false,
    }));
}

function provenanceOf(e: GoogleEvent): CanonicalEvent['provenance'] {
  const p = e.extendedProperties?.private;
  if (p?.[PROVENANCE_KEYS.hub] !== 'calhub' || !p[PROVENANCE_KEYS.tenant] || !p[PROVENANCE_KEYS.source]) return null;
  return { hub: 'calhub', tenantId: p[PROVENANCE_KEYS.tenant]!, sourceEventId: p[PROVENANCE_KEYS.source]!, ruleId: p[PROVENANCE_KEYS.rule] ?? null };
}

/**
 * A live (not cancelled-and-deleted) Google item → canonical. A cancelled exception is only
 * guaranteed id, recurringEventId and originalStartTime (A.2): it becomes a cancelled override
 * whose times are its original slot, also when Google sends more (events.get does, the listing
 * does not), so a pushed cancellation reads back as the listing will show it.
 * Throws InvalidRemoteDataError when the item cannot be read.
 */
export function mapGoogleEvent(e: GoogleEvent, calendarZone: string, masterUid?: string): CanonicalEvent {
  if (!e.id) throw new InvalidRemoteDataError('google: event without id');
  const originalStart = e.originalStartTime ? mapGoogleTime(e.originalStartTime, calendarZone, 'originalStartTime') : null;
  const uid = e.iCalUID ?? masterUid ?? (e.recurringEventId ? `${e.recurringEventId}@google.com` : `${e.id}@google.com`);
  if (e.status === 'cancelled' && e.recurringEventId) {
    return parseEvent({ uid, providerEventId: e.id, originalStart, start: originalStart, end: slotEnd(originalStart!), status: 'cancelled', providerVersion: e.etag ?? null });
  }
  const start = mapGoogleTime(e.start ?? undefined, calendarZone, 'start');
  const seriesZone = 'timeZone' in start ? start.timeZone : calendarZone;
  // A personal event's organizer is its own calendar: no information, and absent in the
  // canonical form so events written without an organizer read back unchanged.
  const organizer = e.organizer?.email && !(e.organizer.self && !e.attendees?.length) ? { email: e.organizer.email, name: e.organizer.displayName ?? null } : null;
  return parseEvent({
    uid,
    providerEventId: e.id,
    originalStart,
    start,
    end: mapGoogleTime(e.end ?? undefined, calendarZone, 'end'),
    recurrence: e.recurrence?.length && !e.recurringEventId ? parseGoogleRecurrence(e.recurrence, seriesZone) : null,
    status: (e.status as CanonicalEvent['status'] | undefined) ?? 'confirmed',
    availability: availabilityOf(e),
    visibility: (e.visibility as CanonicalEvent['visibility'] | undefined) ?? 'default',
    // Google answers what was written: calhub writes '' to clear a field (map-canonical-event.ts),
    // so '' reads back as null, as Graph's empty body and CalDAV's missing property do.
    title: e.summary || null,
    description: e.description || null,
    location: e.location || null,
    organizer,
    attendees: attendeesOf(e),
    conferenceUrl: conferenceUrlOf(e),
    sequence: e.sequence ?? 0,
    providerUpdatedAt: e.updated ?? null,
    providerVersion: e.etag ?? null,
    provenance: provenanceOf(e),
  });
}
