/** JSON schemas of canonical events as the API shows them (shared/model/event.ts is the source of truth). */

const str = { type: 'string' } as const;
const nstr = { type: ['string', 'null'] } as const;

export const eventTime = {
  type: 'object',
  description:
    'One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). ' +
    'Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: ' +
    'the calendar\'s when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: ' +
    '{dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write\'s answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).',
  examples: [{ dateTime: '2026-12-07T09:00:00', timeZone: 'Europe/Berlin' }, { date: '2026-12-07' }],
  // Unknown fields (at any depth) are 400 INVALID_REQUEST naming them, as the model (zod, strict) would refuse them anyway.
  additionalProperties: false,
  properties: {
    date: { type: 'string', description: 'YYYY-MM-DD' },
    dateTime: { type: 'string', description: 'wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset' },
    timeZone: { type: 'string', description: 'IANA name (answers); writes also take Windows names such as "W. Europe Standard Time"' },
    local: { type: 'string', description: 'floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar\'s zone' },
  },
} as const;
const nEventTime = { ...eventTime, type: ['object', 'null'] } as const;

const eventFields = {
  uid: str,
  originalStart: nEventTime,
  start: eventTime,
  end: eventTime,
  recurrence: {
    type: ['object', 'null'],
    description: 'A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times',
    examples: [{ rrules: ['FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10'], exdates: [{ dateTime: '2026-12-09T09:00:00', timeZone: 'Europe/Berlin' }] }],
    additionalProperties: false,
    properties: { rrules: { type: 'array', items: str }, exdates: { type: 'array', items: eventTime }, rdates: { type: 'array', items: eventTime } },
  },
  status: { type: 'string', enum: ['confirmed', 'tentative', 'cancelled'] },
  availability: { type: 'string', enum: ['busy', 'free', 'tentative', 'oof', 'workingElsewhere'] },
  visibility: { type: 'string', enum: ['default', 'public', 'private', 'confidential'] },
  title: nstr,
  description: nstr,
  location: nstr,
  // A missing required field is a schema refusal (400 INVALID_REQUEST "… is required"), as on every other route.
  organizer: { type: ['object', 'null'], additionalProperties: false, required: ['email'], properties: { email: str, name: nstr } },
  attendees: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['email'],
      properties: {
        email: str,
        name: nstr,
        response: { type: 'string', enum: ['needsAction', 'accepted', 'declined', 'tentative'] },
        optional: { type: 'boolean' },
        self: { type: 'boolean' },
      },
    },
  },
  conferenceUrl: nstr,
  sequence: { type: 'integer' },
} as const;

/** Said by a write's answer for each wall clock that fell in a DST gap (nonexistent) or overlap (ambiguous). */
export const timeNoteSchema = {
  type: 'object',
  required: ['field', 'kind', 'requested', 'timeZone', 'resolved', 'rule'],
  properties: {
    field: { type: 'string', description: 'start, end, recurrence.exdates.0, …' },
    kind: { type: 'string', enum: ['nonexistent', 'ambiguous'] },
    requested: { type: 'string', description: 'the wall clock as written' },
    timeZone: str,
    resolved: { type: 'string', description: 'the time it was read as (wall clock with offset)' },
    rule: str,
  },
} as const;

/** Read-only, in answers only (webhook payloads carry none: a quarantined event does not change). */
const QUARANTINED = {
  type: 'boolean',
  description:
    "true: the event's item at the provider is quarantined (it could not be read: GET /v1/calendars/{id}/quarantine says why, by providerEventId), and this is calhub's last good copy of it, kept under the same id with its busy time and mirror copies. " +
    'It may be stale. Writes to it (and to any event of its series) are refused with 409 EVENT_QUARANTINED until the item is readable again: then the event is updated in place and this is false again. Deleted at the provider, the event is deleted.',
} as const;

/** Read-only, in every view of an event: stored events, instances, webhook payloads. */
const PROVENANCE = {
  type: ['object', 'null'],
  required: ['ruleId', 'sourceEventId'],
  properties: { ruleId: nstr, sourceEventId: str },
  description:
    'Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. ' +
    'The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub").',
} as const;

export const storedEventSchema = {
  type: 'object',
  required: ['id', 'calendarId', 'etag', 'uid', 'start', 'end', 'quarantined'],
  properties: {
    id: str,
    calendarId: str,
    etag: str,
    providerEventId: nstr,
    providerUpdatedAt: nstr,
    ...eventFields,
    thisAndFuture: {
      type: 'boolean',
      description:
        'Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too ' +
        '(the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range.',
    },
    provenance: PROVENANCE,
    quarantined: QUARANTINED,
    timeNotes: { type: 'array', items: timeNoteSchema, description: 'on create and patch answers: wall clocks read by the RFC 5545 DST rules ([] when none)' },
  },
} as const;

/**
 * Create and patch bodies: unknown fields, missing ones and wrong types are refused here (400 INVALID_REQUEST);
 * fields calhub sets are refused by name before (api/events.ts, VALIDATION_FAILED "set by calhub"),
 * and the values in full by parseEvent (VALIDATION_FAILED naming each field).
 */
/** What the model cannot default (shared/model/event.ts): required by the create body's schema (400 INVALID_REQUEST "body.start is required"). */
const EVENT_REQUIRED = ['start', 'end'] as const;

export const eventBodySchema = {
  type: 'object',
  description: 'A canonical event (shared/model/event.ts). uid is generated when absent.',
  additionalProperties: false,
  required: [...EVENT_REQUIRED],
  properties: eventFields,
} as const;

/** Without the given fields, which a route refuses by name before its schema (VALIDATION_FAILED "set by calhub": hub/events.ts PATCH_KEEPS). */
function fieldsBut<K extends keyof typeof eventFields>(...gone: K[]): Omit<typeof eventFields, K> {
  return Object.fromEntries(Object.entries(eventFields).filter(([k]) => !(gone as string[]).includes(k))) as Omit<typeof eventFields, K>;
}

/**
 * PATCH bodies name only the fields a PATCH accepts, so an unknown field's message lists those
 * (it listed uid and originalStart, which the PATCH then refused as set by calhub).
 */
export const eventPatchBodySchema = {
  type: 'object',
  description: 'Fields of a canonical event (shared/model/event.ts): the given ones replace the stored ones. uid and originalStart are calhub\'s.',
  additionalProperties: false,
  properties: fieldsBut('uid', 'originalStart'),
} as const;

export const occurrencePatchBodySchema = {
  type: 'object',
  description: 'Fields of a canonical event (shared/model/event.ts): the given ones replace the occurrence\'s. uid, originalStart and recurrence are the series\'.',
  additionalProperties: false,
  properties: fieldsBut('uid', 'originalStart', 'recurrence'),
} as const;

export const instanceSchema = {
  type: 'object',
  required: ['eventId', 'calendarId', 'uid', 'originalStartKey', 'start', 'end', 'provenance', 'quarantined'],
  properties: {
    eventId: { type: 'string', description: 'the stored row behind the instance: the master, or the override that replaced it' },
    calendarId: str,
    uid: str,
    originalStartKey: { type: 'string', description: "the occurrence's original start (a UTC instant; a date for an all-day series, a wall clock for a floating one): with eventId it names the occurrence for PATCH and DELETE /v1/events/{eventId}/occurrences/{originalStartKey}" },
    recurring: { type: 'boolean' },
    isOverride: { type: 'boolean' },
    allDay: { type: 'boolean' },
    start: { type: 'string', format: 'date-time', description: 'the wall clock in timeZone with its offset' },
    end: { type: 'string', format: 'date-time', description: 'the wall clock in timeZone with its offset' },
    timeZone: { type: 'string', description: "the event's zone (all-day and floating events: the calendar's)" },
    title: nstr,
    location: nstr,
    status: eventFields.status,
    availability: eventFields.availability,
    visibility: eventFields.visibility,
    busyStatus: { type: ['string', 'null'], enum: ['busy', 'tentative', 'oof', 'workingElsewhere', null] },
    provenance: { ...PROVENANCE, description: `The occurrence's event's (the override's, else the series'). ${PROVENANCE.description}` },
    quarantined: QUARANTINED,
  },
} as const;
