/** Query, header and answer schemas the event write routes share (events.ts, rsvp-routes.ts). */
import { SEND_UPDATES, type SendUpdates } from '../shared/model/index.ts';
import { ApiError } from './errors.ts';
import { errorResponses, pathId } from './schemas.ts';

// RFC 9110 §13.1.1: `*` or a list of entity tags. Anything else is a client's mistake (400), not "the event changed" (412).
const ENTITY_TAGS = '^(\\*|(W/)?"[^"]*"([ \\t]*,[ \\t]*(W/)?"[^"]*")*)$';
export const ifMatchHeader = {
  type: 'object',
  properties: { 'if-match': { type: 'string', pattern: ENTITY_TAGS, description: 'the etag read earlier (quoted, as the ETag header gives it), or *; 412 PRECONDITION_FAILED when the event changed' } },
} as const;
export const writeResponses = { ...errorResponses, 409: { $ref: 'Error#' }, 412: { $ref: 'Error#' }, 501: { $ref: 'Error#' } } as const;
export const notifyQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sendUpdates: {
      type: 'string',
      enum: [...SEND_UPDATES],
      default: 'all',
      description:
        "Who the provider tells the event's attendees of this change (invitation, update or cancellation); default all. " +
        'Google: as its sendUpdates (externalOnly: guests who are not Google Calendar users). ' +
        'Microsoft 365 always sends meeting messages for an event with attendees, whatever this says. ' +
        'CalDAV: none writes SCHEDULE-AGENT=CLIENT so a scheduling server sends nothing; externalOnly is all; a server without scheduling sends nothing either way. ' +
        'Changes pushed together take the widest: a create that asked for invitations still sends them when a quiet edit follows before the push.',
    },
  },
} as const;
// A write that must land in a free time (hub/events.ts WriteOptions.ifFree); also a conflict's resolution (sync-routes.ts).
export const ifFreeProperties = {
  ifFree: {
    type: 'boolean',
    description:
      'true: write the event only if its time is free, else 409 SLOT_TAKEN and nothing is written: no busy time calhub holds overlaps it in its own calendar ' +
      '(nor in ifFreeCalendarIds / ifFreeAccountIds). Checked inside the write with those calendars locked, so of two writes asking for the same time one gets it. ' +
      'Busy and free as free/busy counts them (workingElsewhere and free events take no time; touching is not overlapping); busy time is as of each calendar\'s last sync. ' +
      'A series is checked over the busy horizon. A change of an event is checked at the time it newly takes only (a retitle takes none; a move its new part); the event\'s own mirror copies never count against it.',
  },
  ifFreeCalendarIds: { type: 'string', maxLength: 4000, description: 'comma-separated calendar ids whose busy time must not overlap the event either (implies ifFree)' },
  ifFreeAccountIds: { type: 'string', maxLength: 4000, description: "comma-separated account ids: their calendars that count for their busy time, as free/busy names them, must be free too (implies ifFree); an account that stands for no such calendar is 409 NO_BUSY_CALENDARS" },
} as const;
// A create or a change of an event may also ask for a video conference.
export const writeQuery = {
  ...notifyQuery,
  properties: {
    ...notifyQuery.properties,
    conference: {
      type: 'string',
      enum: ['auto'],
      description:
        "auto: add the calendar provider's own video conference if the event has none: Google Meet on Google, Microsoft Teams on Microsoft 365 " +
        '(400 CONFERENCE_UNSUPPORTED on CalDAV, which has none: set conferenceUrl instead, and for one occurrence). It is made when the change is written to the provider; ' +
        'its link then shows as conferenceUrl (the event.updated webhook says when). Not made for an invitation, which is the organizer\'s.',
    },
    ...ifFreeProperties,
  },
} as const;
export type Notify = { Querystring: { sendUpdates?: SendUpdates } };
export type IfFreeQuery = { ifFree?: boolean; ifFreeCalendarIds?: string; ifFreeAccountIds?: string };
export type Write = { Querystring: { sendUpdates?: SendUpdates; conference?: 'auto' } & IfFreeQuery };
/** A change of one occurrence, or an answer to an invitation, may also ask for a free time (accept only if nothing else is there). */
export const freeSlotQuery = { ...notifyQuery, properties: { ...notifyQuery.properties, ...ifFreeProperties } } as const;
export type FreeSlotQuery = { Querystring: { sendUpdates?: SendUpdates } & IfFreeQuery };
const ids = (s: string | undefined): string[] => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
/** The write's free-slot condition from its query, or undefined when it did not ask for one. */
export const ifFreeOf = (q: IfFreeQuery): { calendarIds: string[]; accountIds: string[] } | undefined => {
  const calendarIds = ids(q.ifFreeCalendarIds);
  const accountIds = ids(q.ifFreeAccountIds);
  // A list that names nothing (`ifFreeCalendarIds=,`) is a client's mistake, not a write without the check.
  for (const [name, given, list] of [['ifFreeCalendarIds', q.ifFreeCalendarIds, calendarIds], ['ifFreeAccountIds', q.ifFreeAccountIds, accountIds]] as const) {
    if (given !== undefined && list.length === 0) throw new ApiError('INVALID_REQUEST', `querystring.${name} names no id; leave it out, or use ifFree=true for the event's own calendar alone`);
  }
  return q.ifFree === true || calendarIds.length || accountIds.length ? { calendarIds, accountIds } : undefined;
};
// The API's default is that attendees hear of what changed, as they would from the provider's own apps.
export const notify = (q: { sendUpdates?: SendUpdates }): SendUpdates => q.sendUpdates ?? 'all';

// One occurrence of a series, named as the instance listing names it (eventId, originalStartKey).
export const occurrenceParams = {
  type: 'object',
  required: ['id', 'key'],
  additionalProperties: false,
  properties: {
    id: pathId,
    key: { type: 'string', minLength: 1, maxLength: 64, description: "the occurrence's originalStartKey from the instance listing: a UTC instant (any RFC 3339 spelling), a date for an all-day series, a wall clock for a floating one" },
  },
} as const;
export type OccurrenceRoute = { Params: { id: string; key: string }; Headers: { 'if-match'?: string } } & Notify;
