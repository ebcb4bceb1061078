/** JSON schemas of canonical events as the API shows them (shared/model/event.ts is the source of truth). */

const str = { type: 'string' } as const;
const nstr = { type: ['string', 'null'] } as const;

export const eventTime = {
  type: 'object',
  description: 'One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime: UTC instant …Z, timeZone: IANA} or {local: YYYY-MM-DDTHH:mm:ss} (floating)',
  properties: { date: str, dateTime: str, timeZone: str, local: str },
} as const;
const nEventTime = { ...eventTime, type: ['object', 'null'] } as const;

const eventFields = {
  uid: str,
  originalStart: nEventTime,
  start: eventTime,
  end: eventTime,
  recurrence: {
    type: ['object', 'null'],
    properties: { rrules: { type: 'array', items: str }, exdates: { type: 'array', items: eventTime }, rdates: { type: 'array', items: eventTime } },
  },
  status: { type: 'string', enum: ['confirmed', 'tentative', 'cancelled'] },
  availability: { type: 'string', enum: ['busy', 'free', 'tentative', 'oof', 'workingElsewhere'] },
  visibility: { type: 'string', enum: ['default', 'public', 'private', 'confidential'] },
  title: nstr,
  description: nstr,
  location: nstr,
  organizer: { type: ['object', 'null'], properties: { email: str, name: nstr } },
  attendees: {
    type: 'array',
    items: {
      type: 'object',
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

export const storedEventSchema = {
  type: 'object',
  required: ['id', 'calendarId', 'etag', 'uid', 'start', 'end'],
  properties: { id: str, calendarId: str, etag: str, providerEventId: nstr, providerUpdatedAt: nstr, ...eventFields },
} as const;

/** Create and patch bodies: checked in full by parseEvent (VALIDATION_FAILED naming each field). */
export const eventBodySchema = {
  type: 'object',
  description: 'A canonical event (shared/model/event.ts). On create, uid is generated when absent; on patch, the given fields replace the stored ones.',
  properties: eventFields,
} as const;

export const instanceSchema = {
  type: 'object',
  required: ['eventId', 'calendarId', 'uid', 'originalStartKey', 'start', 'end'],
  properties: {
    eventId: { type: 'string', description: 'the stored row behind the instance: the master, or the override that replaced it' },
    calendarId: str,
    uid: str,
    originalStartKey: str,
    recurring: { type: 'boolean' },
    isOverride: { type: 'boolean' },
    allDay: { type: 'boolean' },
    start: { type: 'string', format: 'date-time' },
    end: { type: 'string', format: 'date-time' },
    title: nstr,
    location: nstr,
    status: eventFields.status,
    availability: eventFields.availability,
    visibility: eventFields.visibility,
    busyStatus: { type: ['string', 'null'], enum: ['busy', 'tentative', 'oof', 'workingElsewhere', null] },
  },
} as const;
