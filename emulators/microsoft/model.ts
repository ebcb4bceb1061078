/** The emulator's in-memory state: mailboxes own calendars, events, delta state and subscriptions. */
import { randomBytes } from 'node:crypto';
import type { Grant } from './oauth.ts';
import type { PatternedRecurrence } from './recurrence.ts';

export interface DateTimeTimeZone { dateTime: string; timeZone: string }
export interface EmailAddress { name?: string; address: string }
export interface GraphAttendee {
  type?: 'required' | 'optional' | 'resource';
  emailAddress: EmailAddress;
  status?: { response: string; time?: string };
}

/** resources/location.md; locations.ts keeps them as Graph does. */
export interface GraphLocation {
  displayName?: string;
  locationEmailAddress?: string;
  address?: Record<string, unknown>;
  coordinates?: Record<string, unknown>;
  locationUri?: string;
  locationType?: string;
  uniqueId?: string;
  uniqueIdType?: string;
}

/** The writable Graph fields of an event, as the client sent them (times are wall clock). */
export interface EventData {
  subject?: string;
  body?: { contentType: 'text' | 'html'; content: string };
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  isAllDay?: boolean;
  showAs?: string;
  sensitivity?: string;
  importance?: string;
  location?: GraphLocation;
  locations?: GraphLocation[];
  attendees?: GraphAttendee[];
  organizer?: { emailAddress: EmailAddress };
  categories?: string[];
  isReminderOn?: boolean;
  reminderMinutesBeforeStart?: number;
  transactionId?: string;
  isCancelled?: boolean;
  responseStatus?: { response: string; time?: string };
  onlineMeeting?: { joinUrl?: string; conferenceId?: string } | null;
  isOnlineMeeting?: boolean;
  onlineMeetingProvider?: string;
  recurrence?: PatternedRecurrence | null;
}

export interface StoredEvent {
  /** Immutable id: survives moves between calendars. */
  key: string;
  /** Default ("REST") id: regenerated whenever the item moves to another container. */
  restId: string;
  calendarId: string;
  type: 'singleInstance' | 'seriesMaster' | 'exception';
  masterKey?: string;
  /** Exceptions: the occurrence date they replace (recurrence zone) and its original start. */
  occurrenceDate?: string;
  originalStartMs?: number;
  data: EventData;
  extended: Map<string, string>;
  iCalUId: string;
  changeKey: string;
  createdMs: number;
  modifiedMs: number;
  /** Mailbox change sequence of the last modification (delta "changed since"). */
  seq: number;
  /** Masters: occurrence dates (recurrence zone) that were deleted. */
  cancelledDates: Set<string>;
}

export interface StoredCalendar {
  id: string;
  name: string;
  color: string;
  /**
   * Set only when the user picked a colour in Outlook (control.pickCalendarColor); empty otherwise,
   * and a PATCH of `color` leaves it as it is (resources/calendar.md: read-only, "If the user has
   * never explicitly set a color for the calendar, this property is empty").
   */
  hexColor?: string;
  isDefault: boolean;
  canEdit: boolean;
  /** Set by an update; before one the calendar's changeKey derives from its id. */
  changeKey?: string;
}

export interface Subscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationMs: number;
  immutableIds: boolean;
  mailboxId: string;
  applicationId: string;
  /** The grant that created or last reauthorized it; revoking it challenges the subscription. */
  grant: Grant | null;
  /** Revoked and not yet reauthorized: change notifications are not sent (and are lost). */
  paused: boolean;
}

export interface DeltaSnapshotEntry { changeKey: string; emittedId: string }
export interface DeltaState {
  calendarId: string;
  startMs: number;
  endMs: number;
  seq: number;
  snapshot: Map<string, DeltaSnapshotEntry>;
}
export interface DeltaRound {
  state: DeltaState;
  path: string;
  items: Array<Record<string, unknown>>;
  pos: number;
  lastPage: Array<Record<string, unknown>>;
  pages?: number;
}
/** A `$skiptoken`: the round it continues and, once first served, the page it answers with. */
export interface DeltaPage { round: DeltaRound; body?: Record<string, unknown> }

export interface Mailbox {
  id: string;
  email: string;
  /**
   * /me `mail`: the email unless made with `mail: null` (a user without a mailbox address;
   * userPrincipalName still answers the email, the sign-in name).
   */
  mail?: string | null;
  displayName: string;
  /** Mailbox setting; getSchedule's working hours and all-day items use it. */
  timeZone: string;
  calendars: Map<string, StoredCalendar>;
  /** By immutable key; `byRestId` maps current REST ids to keys. */
  events: Map<string, StoredEvent>;
  byRestId: Map<string, string>;
  seq: number;
  deltaTokens: Map<string, DeltaState>;
  pages: Map<string, DeltaPage>;
  inFlight: number;
}

export const newId = (prefix = 'AAMkAG'): string => `${prefix}${randomBytes(30).toString('base64url')}`;
export const newChangeKey = (): string => randomBytes(12).toString('base64');

const OCC = 'AAMkOC';
/** Occurrence and exception ids derive from the master id and the original date, like Exchange's. */
export function occurrenceId(masterId: string, date: string): string {
  return OCC + Buffer.from(`${masterId}|${date}`).toString('base64url');
}
export function parseOccurrenceId(id: string): { masterId: string; date: string } | null {
  if (!id.startsWith(OCC)) return null;
  const [masterId, date] = Buffer.from(id.slice(OCC.length), 'base64url').toString().split('|');
  return masterId && date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? { masterId, date } : null;
}

export function newMailbox(id: string, email: string, displayName: string, timeZone: string): Mailbox {
  return {
    id, email, displayName, timeZone, calendars: new Map(), events: new Map(), byRestId: new Map(),
    seq: 0, deltaTokens: new Map(), pages: new Map(), inFlight: 0,
  };
}
