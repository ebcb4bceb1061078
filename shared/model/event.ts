import { z } from 'zod';
import { eventTimeSchema, type EventTime } from './event-time.ts';

export const EVENT_STATUSES = ['confirmed', 'tentative', 'cancelled'] as const;
export const AVAILABILITIES = ['busy', 'free', 'tentative', 'oof', 'workingElsewhere'] as const;
export const VISIBILITIES = ['default', 'public', 'private', 'confidential'] as const;
export const RESPONSES = ['needsAction', 'accepted', 'declined', 'tentative'] as const;

export type EventStatus = (typeof EVENT_STATUSES)[number];
export type Availability = (typeof AVAILABILITIES)[number];
export type Visibility = (typeof VISIBILITIES)[number];
export type AttendeeResponse = (typeof RESPONSES)[number];

export const attendeeSchema = z.strictObject({
  email: z.string().min(1),
  name: z.string().nullable().default(null),
  response: z.enum(RESPONSES).default('needsAction'),
  optional: z.boolean().default(false),
  /** This attendee is the calendar's owner: their response decides "declined" busy policy. */
  self: z.boolean().default(false),
});
export type Attendee = z.infer<typeof attendeeSchema>;

export const organizerSchema = z.strictObject({
  email: z.string().min(1),
  name: z.string().nullable().default(null),
});
export type Organizer = z.infer<typeof organizerSchema>;

/** RFC 5545 is the canonical recurrence form. RRULE values without the `RRULE:` prefix (a leading one, any case, is dropped). */
export const recurrenceSchema = z.strictObject({
  rrules: z.array(z.string().transform((s) => s.replace(/^\s*RRULE:/i, '')).pipe(z.string().min(1))).default([]),
  exdates: z.array(eventTimeSchema).default([]),
  rdates: z.array(eventTimeSchema).default([]),
});
export type Recurrence = { rrules: string[]; exdates: EventTime[]; rdates: EventTime[] };

/** Marks an event written by calhub (a mirror copy): never used as a source for another copy. */
export const provenanceSchema = z.strictObject({
  hub: z.literal('calhub'),
  tenantId: z.string().min(1),
  sourceEventId: z.string().min(1),
  ruleId: z.string().nullable().default(null),
});
export type Provenance = z.infer<typeof provenanceSchema>;

/**
 * The provider-neutral event: a series master (has `recurrence`), a single event, or an override
 * (has `originalStart`; identified by UID + originalStart, like UID + RECURRENCE-ID). A cancelled
 * override is a cancelled occurrence.
 */
export const eventSchema = z
  .strictObject({
    uid: z.string().min(1),
    /** The provider's id of the remote object (Google event id, Graph id, CalDAV href). */
    providerEventId: z.string().nullable().default(null),
    originalStart: eventTimeSchema.nullable().default(null),
    start: eventTimeSchema,
    end: eventTimeSchema,
    recurrence: recurrenceSchema.nullable().default(null),
    status: z.enum(EVENT_STATUSES).default('confirmed'),
    availability: z.enum(AVAILABILITIES).default('busy'),
    visibility: z.enum(VISIBILITIES).default('default'),
    title: z.string().nullable().default(null),
    description: z.string().nullable().default(null),
    location: z.string().nullable().default(null),
    organizer: organizerSchema.nullable().default(null),
    attendees: z.array(attendeeSchema).default([]),
    conferenceUrl: z.string().nullable().default(null),
    /** iCalendar SEQUENCE (Google exposes it too); bumps on significant changes. */
    sequence: z.number().int().min(0).default(0),
    providerUpdatedAt: z.string().nullable().default(null),
    /** etag / changeKey / DAV etag of the remote object at the time it was read. */
    providerVersion: z.string().nullable().default(null),
    provenance: provenanceSchema.nullable().default(null),
    /**
     * An override read from `RECURRENCE-ID;RANGE=THISANDFUTURE` (RFC 5545 §3.2.13): its content and
     * its shift from the original start apply to every later occurrence too (shared/time/expand.ts).
     * Absent, not false, on everything else, so existing rows and hashes stay as they were.
     */
    thisAndFuture: z.literal(true).optional(),
  })
  .superRefine((e, ctx) => {
    if (e.recurrence && e.originalStart) {
      ctx.addIssue({ code: 'custom', message: 'an override cannot carry its own recurrence', path: ['recurrence'] });
    }
    if (e.thisAndFuture && !e.originalStart) {
      ctx.addIssue({ code: 'custom', message: 'only an override can apply to this and future occurrences', path: ['thisAndFuture'] });
    }
    if ('date' in e.start !== 'date' in e.end) {
      ctx.addIssue({ code: 'custom', message: 'start and end must both be all-day or both timed', path: ['end'] });
    }
  });

export type CanonicalEvent = {
  uid: string;
  providerEventId: string | null;
  originalStart: EventTime | null;
  start: EventTime;
  end: EventTime;
  recurrence: Recurrence | null;
  status: EventStatus;
  availability: Availability;
  visibility: Visibility;
  title: string | null;
  description: string | null;
  location: string | null;
  organizer: Organizer | null;
  attendees: Attendee[];
  conferenceUrl: string | null;
  sequence: number;
  providerUpdatedAt: string | null;
  providerVersion: string | null;
  provenance: Provenance | null;
  /** See eventSchema: set only on an override with RANGE=THISANDFUTURE. */
  thisAndFuture?: true;
};

/** What a mapper may hand over: everything with a default may be left out. */
export type CanonicalEventInput = z.input<typeof eventSchema>;
