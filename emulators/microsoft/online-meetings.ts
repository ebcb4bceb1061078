/**
 * Online meetings made by a write (event.md): "After you set isOnlineMeeting to true, Microsoft
 * Graph initializes onlineMeeting. Subsequently Outlook ignores any further changes to
 * isOnlineMeeting, and the meeting remains available online"; the same for onlineMeetingProvider,
 * which "you cannot change again". The provider is the one asked for, else the calendar's
 * defaultOnlineMeetingProvider (teamsForBusiness here, as in Microsoft 365); one the calendar's
 * allowedOnlineMeetingProviders lacks makes no meeting (what Graph answers then is UNCONFIRMED).
 */
import { randomBytes } from 'node:crypto';
import type { EventData } from './model.ts';

export const ALLOWED_PROVIDERS = ['teamsForBusiness'];

/** Applies a write's isOnlineMeeting / onlineMeetingProvider to `next` (`before`: the event as it was). */
export function applyOnlineMeeting(next: EventData, before: EventData | null): void {
  // Kept once made; an event seeded with one (control.createEvent) has it as well.
  const made = before?.onlineMeeting?.joinUrl ? before.onlineMeeting : before === null && next.onlineMeeting?.joinUrl ? next.onlineMeeting : null;
  if (made) {
    next.onlineMeeting = made;
    next.onlineMeetingProvider = before?.onlineMeetingProvider ?? next.onlineMeetingProvider ?? 'teamsForBusiness';
    next.isOnlineMeeting = true;
    return;
  }
  const asked = next.isOnlineMeeting === true || (next.onlineMeetingProvider !== undefined && next.onlineMeetingProvider !== 'unknown');
  const provider = next.onlineMeetingProvider && next.onlineMeetingProvider !== 'unknown' ? next.onlineMeetingProvider : 'teamsForBusiness';
  if (!asked || !ALLOWED_PROVIDERS.includes(provider)) {
    next.isOnlineMeeting = false;
    next.onlineMeeting = null;
    return;
  }
  const thread = randomBytes(24).toString('base64url');
  next.isOnlineMeeting = true;
  next.onlineMeetingProvider = provider;
  next.onlineMeeting = {
    joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0`,
    conferenceId: String(100_000_000 + (randomBytes(4).readUInt32BE() % 900_000_000)),
  };
}
