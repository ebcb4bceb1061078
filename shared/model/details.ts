import { contentHash } from './content-hash.ts';
import type { CanonicalEvent } from './event.ts';

/**
 * The event as a freebusy connection may keep it: when it is busy, not what it is. Its title,
 * notes, place, guests, organizer and meeting link go; times, recurrence, status and availability
 * (all the busy index reads) stay. One definition for the read path (hub/busy-only.ts) and for
 * scrubbing what was stored before a reconnect took the access away (shared/store/access-scrub.ts).
 */
export const withoutDetails = (e: CanonicalEvent): CanonicalEvent => ({
  ...e, title: null, description: null, location: null, attendees: [], organizer: null, conferenceUrl: null,
});

/** The content of a remote object (all its events), independent of order and provider fields. */
export const objectHash = (events: CanonicalEvent[]): string => events.map(contentHash).sort().join(',');
