/** Google Calendar v3 resource shapes the emulator stores and returns (discovery `schemas.*`). */
export interface GEventDateTime {
  date?: string;
  dateTime?: string;
  timeZone?: string;
}

export interface GAttendee {
  email: string;
  displayName?: string;
  organizer?: boolean;
  self?: boolean;
  resource?: boolean;
  optional?: boolean;
  responseStatus?: 'needsAction' | 'declined' | 'tentative' | 'accepted';
  comment?: string;
}

export interface GPerson {
  email?: string;
  displayName?: string;
  self?: boolean;
}

export interface GEvent {
  kind?: 'calendar#event';
  etag?: string;
  id: string;
  status?: 'confirmed' | 'tentative' | 'cancelled';
  htmlLink?: string;
  created?: string;
  updated?: string;
  summary?: string;
  description?: string;
  location?: string;
  creator?: GPerson;
  organizer?: GPerson;
  start?: GEventDateTime;
  end?: GEventDateTime;
  recurrence?: string[];
  recurringEventId?: string;
  originalStartTime?: GEventDateTime;
  transparency?: 'opaque' | 'transparent';
  visibility?: 'default' | 'public' | 'private' | 'confidential';
  iCalUID?: string;
  sequence?: number;
  attendees?: GAttendee[];
  hangoutLink?: string;
  conferenceData?: Record<string, unknown>;
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
  eventType?: string;
  reminders?: { useDefault?: boolean; overrides?: Array<{ method: string; minutes: number }> };
  [key: string]: unknown;
}

/** One stored item: a single event, a series master, or an exception (cancelled or not). */
export interface StoredEvent {
  /** Creation order: the stable key of the default listing order and of page tokens. */
  ord: number;
  /** The global change sequence at the last change; sync tokens compare against it. */
  seq: number;
  /** Deleted (not merely a cancelled instance): only `id` is guaranteed from now on. */
  deleted: boolean;
  res: GEvent;
}

export interface CalendarState {
  id: string;
  summary: string;
  description?: string;
  timeZone: string;
  ownerEmail: string;
  /** email -> access role of users the calendar is shared with (the owner included). */
  acl: Map<string, 'owner' | 'writer' | 'reader' | 'freeBusyReader'>;
  events: Map<string, StoredEvent>;
  /** calendarList conferenceProperties.allowedConferenceSolutionTypes; absent: ['hangoutsMeet']. */
  allowedConferenceSolutionTypes?: string[];
  /** Bumped to invalidate every sync token issued so far (fault injection, ACL change). */
  syncEpoch: number;
  /** Users who hid it in their calendar list (calendarListEntry `hidden`). */
  hiddenFor?: Set<string>;
  /** email -> the label that user gave it in their calendar list (calendarListEntry `summaryOverride`). */
  summaryOverrideFor?: Map<string, string>;
  /** OAuth client that made it with calendars.insert: `calendar.app.created` reaches only those. */
  createdByClientId?: string;
  updatedMs: number;
}

export interface UserState {
  email: string;
  displayName: string;
  primaryCalendarId: string;
}

/** A write's `sendUpdates` query parameter (A.4). */
export type SendUpdates = 'all' | 'externalOnly' | 'none';
export type MailKind = 'invitation' | 'update' | 'cancellation' | 'response';

/** One mail a guest would have had from a write (guest-mail.ts). */
export interface GuestMail {
  calendarId: string;
  eventId: string;
  kind: MailKind;
  to: string;
  sendUpdates: SendUpdates;
}
