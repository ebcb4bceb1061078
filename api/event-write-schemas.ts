/** Query, header and answer schemas the event write routes share (events.ts, rsvp-routes.ts). */
import { SEND_UPDATES, type SendUpdates } from '../shared/model/index.ts';
import { errorResponses, id } from './schemas.ts';

export const ifMatchHeader = { type: 'object', properties: { 'if-match': { type: 'string', description: 'the etag read earlier; 412 PRECONDITION_FAILED when the event changed' } } } as const;
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
  },
} as const;
export type Notify = { Querystring: { sendUpdates?: SendUpdates } };
export type Write = { Querystring: { sendUpdates?: SendUpdates; conference?: 'auto' } };
// The API's default is that attendees hear of what changed, as they would from the provider's own apps.
export const notify = (q: { sendUpdates?: SendUpdates }): SendUpdates => q.sendUpdates ?? 'all';

// One occurrence of a series, named as the instance listing names it (eventId, originalStartKey).
export const occurrenceParams = {
  type: 'object',
  required: ['id', 'key'],
  additionalProperties: false,
  properties: {
    id,
    key: { type: 'string', minLength: 1, maxLength: 64, description: "the occurrence's originalStartKey from the instance listing: a UTC instant (any RFC 3339 spelling), a date for an all-day series, a wall clock for a floating one" },
  },
} as const;
export type OccurrenceRoute = { Params: { id: string; key: string }; Headers: { 'if-match'?: string } } & Notify;
