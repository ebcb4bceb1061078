/**
 * POST /v1/events/:id/rsvp and POST /v1/events/:id/occurrences/:key/rsvp: the calendar owner's
 * answer to an invitation, without sending the attendee list back (hub/rsvp.ts).
 */
import type { FastifyInstance } from 'fastify';
import { answerInvitation, answerOccurrence, etagOf, RSVP_RESPONSES, showEvent, type Hub, type RsvpResponse, type WriteOptions } from '../hub/index.ts';
import type { SendUpdates } from '../shared/model/index.ts';
import { ifFreeOf, ifMatchHeader, notify, occurrenceParams, freeSlotQuery, writeResponses, type Notify, type FreeSlotQuery } from './event-write-schemas.ts';
import { storedEventSchema } from './event-schemas.ts';
import { idParams, security } from './schemas.ts';
import type { WriteBudget } from './write-budget.ts';

const rsvpBody = {
  type: 'object',
  required: ['response'],
  additionalProperties: false,
  properties: { response: { type: 'string', enum: [...RSVP_RESPONSES], description: "The calendar owner's answer" } },
} as const;

const description =
  "Sets the response of the attendee that is the calendar's owner (self) and writes it to the provider as it takes an answer: Google patches the invitee's copy, " +
  'Microsoft 365 calls accept / tentativelyAccept / decline (where a decline takes the meeting off the calendar), CalDAV stores the PARTSTAT. ' +
  'sendUpdates=none answers without telling the organizer (Google, Microsoft 365). 400 NOT_INVITED when the owner is not an attendee or organizes the event (the message says which: the organizer does not RSVP).';
const ifFreeNote = ' ifFree (and ifFreeCalendarIds, ifFreeAccountIds): accept only if no other busy time calhub holds overlaps the event, else 409 SLOT_TAKEN and nothing changes; a decline needs no free time.';

type Rsvp = Notify & { Body: { response: RsvpResponse }; Headers: { 'if-match'?: string } };

export function registerRsvp(app: FastifyInstance, hub: Hub, writes: () => void, budget: WriteBudget): void {
  const options = (tenantId: string, sendUpdates: SendUpdates, ifFree?: WriteOptions['ifFree']): WriteOptions => ({ admit: (before, after) => budget.charge(tenantId, before, after), sendUpdates, ifFree });

  app.post<Omit<Rsvp, 'Querystring'> & FreeSlotQuery & { Params: { id: string } }>(
    '/v1/events/:id/rsvp',
    { schema: { tags: ['events'], summary: 'Answer an invitation', description: description + ifFreeNote, security, params: idParams, querystring: freeSlotQuery, headers: ifMatchHeader, body: rsvpBody, response: { 200: storedEventSchema, ...writeResponses } } },
    async (req, reply) => {
      writes();
      const saved = await answerInvitation(hub, req.tenant.tenantId, req.params.id, req.body.response, req.headers['if-match'], options(req.tenant.tenantId, notify(req.query), ifFreeOf(req.query)));
      reply.header('etag', etagOf(saved));
      return { ...showEvent(saved), quarantined: false };
    },
  );

  app.post<Omit<Rsvp, 'Querystring'> & FreeSlotQuery & { Params: { id: string; key: string } }>(
    '/v1/events/:id/occurrences/:key/rsvp',
    {
      schema: {
        tags: ['events'], summary: 'Answer one occurrence of an invited series', description: `${description} The answer is the occurrence's override, as a PATCH of the occurrence makes it.${ifFreeNote} Only this occurrence's time is checked.`,
        security, params: occurrenceParams, querystring: freeSlotQuery, headers: ifMatchHeader, body: rsvpBody, response: { 200: storedEventSchema, ...writeResponses },
      },
    },
    async (req, reply) => {
      writes();
      const saved = await answerOccurrence(hub, req.tenant.tenantId, req.params.id, req.params.key, req.body.response, req.headers['if-match'], options(req.tenant.tenantId, notify(req.query), ifFreeOf(req.query)));
      reply.header('etag', etagOf(saved)).header('location', `/v1/events/${saved.id}`);
      return { ...showEvent(saved), quarantined: false };
    },
  );
}
