/**
 * PATCH and DELETE /v1/events/:id/occurrences/:key/following: "this and following events" of a
 * series (hub/following.ts), beside "all events" (/v1/events/:id) and "this event only"
 * (/v1/events/:id/occurrences/:key).
 */
import type { FastifyInstance } from 'fastify';
import { deleteFollowing, etagOf, PATCH_KEEPS, rejectReadOnly, showEvent, updateFollowing, type Hub } from '../hub/index.ts';
import { eventPatchBodySchema, storedEventSchema } from './event-schemas.ts';
import { ifMatchHeader, notify, notifyQuery, occurrenceParams, writeResponses, type OccurrenceRoute } from './event-write-schemas.ts';
import { security } from './schemas.ts';
import type { WriteBudget } from './write-budget.ts';

const cut =
  'id is the series (its master, or any override of it) and key the occurrence\'s originalStartKey from the instance listing. ' +
  "The series' rules end just before that occurrence (RRULE UNTIL one second before its original start, a date the day before for an all-day series; a COUNT becomes the number of occurrences before it), " +
  'and its overrides, EXDATEs and RDATEs from there on leave it. Cut at the first occurrence of the series (none stands before it), this is the same as the same request on /v1/events/{id}. ' +
  'If-Match: the master\'s etag. 404 when the series has no such occurrence; 400 NO_FOLLOWING_OCCURRENCE when it has none at or after key (it ended before). ' +
  'sendUpdates: who the provider writes tell (both series\' writes). The store holds both series\' changes at once (one transaction); each is then written to the provider through the outbox.';

const followingBody = {
  ...eventPatchBodySchema,
  description:
    "Fields of a canonical event: the given ones replace those of the master's content at the occurrence. start and end are the occurrence's new times (the series moves by as much); " +
    'recurrence replaces the rest of the rules (absent: the rules as they were, a COUNT less the occurrences before; the same UNTIL), null makes the occurrence a single event. uid and originalStart are calhub\'s.',
} as const;

export function registerFollowing(app: FastifyInstance, hub: Hub, writes: () => void, budget: WriteBudget): void {
  app.patch<OccurrenceRoute & { Body: Record<string, unknown> }>(
    '/v1/events/:id/occurrences/:key/following',
    {
      preValidation: async (req) => {
        if (req.body !== null && typeof req.body === 'object' && !Array.isArray(req.body)) rejectReadOnly(req.body as Record<string, unknown>, PATCH_KEEPS.event);
      },
      schema: {
        tags: ['events'],
        summary: 'Change a series from one occurrence on (this and following events)',
        description:
          cut +
          ' The rest becomes a new series (a new uid and new event ids) starting at the occurrence with the body applied: the master\'s content there (attendees and organizer included), the rest of the rules, ' +
          'the later EXDATEs, and the later overrides carried as a change to all events carries them (moved with the series, taking the new title, location, … where they had not changed it). The answer is the new series\' master.',
        security,
        params: occurrenceParams,
        querystring: notifyQuery,
        headers: ifMatchHeader,
        body: followingBody,
        response: { 200: storedEventSchema, ...writeResponses },
      },
    },
    async (req, reply) => {
      writes();
      const saved = await updateFollowing(hub, req.tenant.tenantId, req.params.id, req.params.key, req.body, req.headers['if-match'], {
        admit: (before, after) => budget.charge(req.tenant.tenantId, before, after),
        sendUpdates: notify(req.query),
      });
      reply.header('etag', etagOf(saved)).header('location', `/v1/events/${saved.id}`);
      return { ...showEvent(saved), quarantined: false, timeNotes: saved.timeNotes };
    },
  );

  app.delete<OccurrenceRoute>(
    '/v1/events/:id/occurrences/:key/following',
    {
      schema: {
        tags: ['events'],
        summary: 'Cancel a series from one occurrence on (this and following events)',
        description: cut + ' The occurrences before it stay as they are.',
        security,
        params: occurrenceParams,
        querystring: notifyQuery,
        headers: ifMatchHeader,
        response: { 204: { type: 'null' }, ...writeResponses },
      },
    },
    async (req, reply) => {
      writes();
      await deleteFollowing(hub, req.tenant.tenantId, req.params.id, req.params.key, req.headers['if-match'], {
        admit: (before, after) => budget.charge(req.tenant.tenantId, before, after),
        sendUpdates: notify(req.query),
      });
      return reply.code(204).send();
    },
  );
}
