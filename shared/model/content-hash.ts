import { digest } from '../digest.ts';
import type { CanonicalEvent } from './event.ts';
import { eventTimeKey, type EventTime } from './event-time.ts';
import { normalizeRRule } from './rrule-text.ts';

/**
 * A hash of what a person would call the event's content. It leaves out what changes by itself
 * or differs only by provider: providerEventId, providerVersion (etag/changeKey), providerUpdatedAt,
 * sequence, attendee order, zone spelling of the same instant, and trailing whitespace. Two reads
 * of an unchanged event from any provider hash the same, so echoes and no-op updates are cheap to see.
 */
/** localeCompare's default collation, made once: `a.localeCompare(b)` builds it per call. */
const collator = new Intl.Collator();

// Module-level, not inside contentHash: the build's keepNames gives every named closure its name
// with Object.defineProperty when it is made, about a microsecond each, three times per event row.
function time(t: EventTime | null): string | null {
  return t === null ? null : eventTimeKey(t);
}
function zone(t: EventTime): string | null {
  return 'timeZone' in t ? t.timeZone : null;
}
function text(s: string | null): string | null {
  const v = s?.replace(/\r\n/g, '\n').trim();
  return v ? v : null;
}

export function contentHash(e: CanonicalEvent): string {
  const normalized = {
    uid: e.uid,
    originalStart: time(e.originalStart),
    start: time(e.start),
    startZone: zone(e.start),
    end: time(e.end),
    recurrence: e.recurrence && {
      rrules: e.recurrence.rrules.map(normalizeRRule).sort(),
      exdates: e.recurrence.exdates.map(eventTimeKey).sort(),
      rdates: e.recurrence.rdates.map(eventTimeKey).sort(),
    },
    status: e.status,
    availability: e.availability,
    visibility: e.visibility,
    title: text(e.title),
    description: text(e.description),
    location: text(e.location),
    organizer: e.organizer ? e.organizer.email.toLowerCase() : null,
    attendees: e.attendees
      .map((a) => [a.email.toLowerCase(), a.response, a.optional])
      .sort((a, b) => collator.compare(String(a[0]), String(b[0]))),
    conferenceUrl: text(e.conferenceUrl),
    provenance: e.provenance && [e.provenance.tenantId, e.provenance.sourceEventId, e.provenance.ruleId],
    // Only when set: every other event keeps the hash it had before the field existed.
    ...(e.thisAndFuture ? { thisAndFuture: true } : {}),
  };
  return digest('sha256', JSON.stringify(normalized), 'hex').slice(0, 32);
}
