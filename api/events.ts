import type { FastifyInstance } from 'fastify';
import { PATCH_KEEPS, rejectReadOnly, createEvent, deleteEvent, deleteOccurrence, etagOf, eventInstances, getEvent, getOccurrence, pageOfEvents, quarantinedRows, showEvent, updateEvent, updateOccurrence, type Hub, type Keyset } from '../hub/index.ts';
import { ApiError } from './errors.ts';
import { freeSlotQuery, ifFreeOf, ifMatchHeader, notify, notifyQuery, occurrenceParams, writeQuery, writeResponses, type FreeSlotQuery, type Notify, type OccurrenceRoute, type Write } from './event-write-schemas.ts';
import { eventBodySchema, eventPatchBodySchema, instanceSchema, occurrencePatchBodySchema, storedEventSchema } from './event-schemas.ts';
import { registerFollowing } from './following-routes.ts';
import { registerRsvp } from './rsvp-routes.ts';
import { parseWindow, type ApiLimits } from './limits.ts';
import { decodeCursor, encodeCursor, listQueryProperties, parseFilter, parseLimit, type ListQuery } from './paging.ts';
import { errorResponses, idParams, instant, security } from './schemas.ts';
import type { WriteBudget } from './write-budget.ts';

/**
 * Before the schema: a field calhub sets (id, etag, … as a GET answers them, and those a PATCH
 * keeps: uid, originalStart, an occurrence's recurrence) is refused by name as before (400
 * VALIDATION_FAILED "id: set by calhub"), not as an unknown field.
 */
const refuseFirst = (also: readonly string[] = []) => async (req: { body: unknown }) => {
  if (req.body !== null && typeof req.body === 'object' && !Array.isArray(req.body)) rejectReadOnly(req.body as Record<string, unknown>, also);
};
const readOnlyFirst = refuseFirst();

/** A write's answer: a write goes through only while no item of the event is quarantined (409 EVENT_QUARANTINED). */
const written = (saved: Parameters<typeof showEvent>[0] & { timeNotes: unknown }) => ({ ...showEvent(saved), quarantined: false, timeNotes: saved.timeNotes });

type EventListQuery = ListQuery & { timeMin?: string; timeMax?: string };

const listSchema = {
  tags: ['events'],
  summary: 'Events of a calendar: expanded instances in a window, or the stored masters, singles and overrides',
  description:
    'With timeMin and timeMax: instances overlapping the window, ordered by start (then event id). Without: stored rows in id order. ' +
    'Page with limit and the returned nextCursor: no item is repeated or skipped while events are added. ' +
    'Filters: updatedSince (the row changed at or after), status (confirmed, tentative, cancelled), q (in title, description or location).',
  security,
  params: idParams,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { timeMin: instant, timeMax: instant, ...listQueryProperties(['confirmed', 'tentative', 'cancelled'], 'event status') },
  },
  response: {
    200: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: { items: { type: 'array', items: { anyOf: [instanceSchema, storedEventSchema] } }, nextCursor: { type: ['string', 'null'] } },
    },
    ...errorResponses,
  },
} as const;

export function registerEvents(app: FastifyInstance, hub: Hub, limits: ApiLimits, writes: boolean, budget: WriteBudget): void {
  function needWrites(): void {
    if (!writes) throw new ApiError('WRITES_UNAVAILABLE', 'event writes are not available on this server');
  }
  registerRsvp(app, hub, needWrites, budget);
  registerFollowing(app, hub, needWrites, budget);

  app.get<{ Params: { id: string }; Querystring: EventListQuery }>('/v1/calendars/:id/events', { schema: listSchema }, async (req) => {
    const q = req.query;
    const tenantId = req.tenant.tenantId;
    const limit = parseLimit(q.limit);
    const filter = parseFilter(q);
    if ((q.timeMin === undefined) !== (q.timeMax === undefined)) throw new ApiError('INVALID_REQUEST', 'querystring needs both timeMin and timeMax, or neither');
    const calendar = req.params.id;
    const decoded = q.cursor === undefined ? null : decodeCursor(q.cursor);
    // A cursor names its calendar (those issued before it did are taken as they are).
    if (decoded && decoded.cal !== undefined && decoded.cal !== calendar) throw new ApiError('INVALID_CURSOR', "cursor belongs to another calendar's listing");
    if (q.timeMin === undefined || q.timeMax === undefined) {
      const after = decoded ? decoded.after : null;
      if (after !== null && typeof after !== 'string') throw new ApiError('INVALID_CURSOR', 'cursor is not one this API returned');
      const rows = await pageOfEvents(hub, tenantId, calendar, after, limit + 1, filter);
      const page = rows.slice(0, limit);
      const stale = await quarantinedRows(hub, tenantId, page);
      return { items: page.map((e) => ({ ...showEvent(e), quarantined: stale.has(e.id) })), nextCursor: rows.length > limit ? encodeCursor({ cal: calendar, after: page[page.length - 1]!.id }) : null };
    }
    const win = parseWindow(q.timeMin, q.timeMax, limits.maxWindowDays);
    const w = `${win.start.toISOString()}/${win.end.toISOString()}`;
    let after: Keyset | null = null;
    if (decoded) {
      const c = decoded;
      if (c.w !== w || typeof c.s !== 'number' || !Number.isFinite(c.s) || typeof c.id !== 'string' || typeof c.k !== 'string') {
        throw new ApiError('INVALID_CURSOR', 'cursor does not belong to this window');
      }
      after = { startMs: c.s, eventId: c.id, originalStartKey: c.k };
    }
    const instances = await eventInstances(hub, tenantId, calendar, win, { after, want: limit + 1 }, req.log, filter);
    const page = instances.slice(0, limit);
    const last = page[page.length - 1];
    const next = instances.length > limit && last ? encodeCursor({ cal: calendar, w, s: last.startMs, id: last.eventId, k: last.originalStartKey }) : null;
    return { items: page.map(({ startMs: _s, ...rest }) => rest), nextCursor: next };
  });

  app.get<{ Params: { id: string } }>(
    '/v1/events/:id',
    { schema: { tags: ['events'], summary: 'One stored event (master, single or override)', security, params: idParams, response: { 200: storedEventSchema, ...errorResponses } } },
    async (req, reply) => {
      const e = await getEvent(hub, req.tenant.tenantId, req.params.id);
      reply.header('etag', etagOf(e));
      return { ...showEvent(e), quarantined: (await quarantinedRows(hub, req.tenant.tenantId, [e])).has(e.id) };
    },
  );


  app.post<{ Params: { id: string }; Body: Record<string, unknown> } & Write>(
    '/v1/calendars/:id/events',
    {
      preValidation: readOnlyFirst,
      schema: {
        tags: ['events'],
        summary: 'Create an event (written to the provider through the outbox)',
        security,
        params: idParams,
        querystring: writeQuery,
        body: eventBodySchema,
        response: { 201: storedEventSchema, ...writeResponses },
      },
    },
    async (req, reply) => {
      needWrites();
      const saved = await createEvent(hub, req.tenant.tenantId, req.params.id, req.body, {
        admit: (before, after) => budget.charge(req.tenant.tenantId, before, after),
        sendUpdates: notify(req.query),
        conference: req.query.conference === 'auto',
        ifFree: ifFreeOf(req.query),
      });
      reply.code(201).header('etag', etagOf(saved)).header('location', `/v1/events/${saved.id}`);
      return written(saved);
    },
  );

  app.patch<{ Params: { id: string }; Body: Record<string, unknown>; Headers: { 'if-match'?: string } } & Write>(
    '/v1/events/:id',
    {
      preValidation: refuseFirst(PATCH_KEEPS.event),
      schema: {
        tags: ['events'],
        summary: 'Change an event',
        security,
        params: idParams,
        querystring: writeQuery,
        headers: ifMatchHeader,
        body: eventPatchBodySchema,
        response: { 200: storedEventSchema, ...writeResponses },
      },
    },
    async (req, reply) => {
      needWrites();
      const saved = await updateEvent(hub, req.tenant.tenantId, req.params.id, req.body, req.headers['if-match'], {
        admit: (before, after) => budget.charge(req.tenant.tenantId, before, after),
        sendUpdates: notify(req.query),
        conference: req.query.conference === 'auto',
        ifFree: ifFreeOf(req.query),
      });
      reply.header('etag', etagOf(saved));
      return written(saved);
    },
  );

  app.delete<{ Params: { id: string }; Headers: { 'if-match'?: string } } & Notify>(
    '/v1/events/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'Delete an event',
        security,
        params: idParams,
        querystring: notifyQuery,
        headers: ifMatchHeader,
        response: { 204: { type: 'null' }, ...writeResponses },
      },
    },
    async (req, reply) => {
      needWrites();
      await deleteEvent(hub, req.tenant.tenantId, req.params.id, req.headers['if-match'], { admit: (before) => budget.charge(req.tenant.tenantId, before, null), sendUpdates: notify(req.query) });
      return reply.code(204).send();
    },
  );


  app.get<{ Params: { id: string; key: string } }>(
    '/v1/events/:id/occurrences/:key',
    {
      schema: {
        tags: ['events'],
        summary: 'One occurrence of a series, as the instance listing shows it',
        description:
          'ETag: what a PATCH or DELETE of this occurrence sends as If-Match (the override\'s etag, or the master\'s for an occurrence without one). ' +
          'A cancelled override is answered too, with status cancelled. 404 as for PATCH.',
        security,
        params: occurrenceParams,
        response: { 200: instanceSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { item, etag } = await getOccurrence(hub, req.tenant.tenantId, req.params.id, req.params.key);
      reply.header('etag', etag);
      return item;
    },
  );

  app.patch<Omit<OccurrenceRoute, 'Querystring'> & FreeSlotQuery & { Body: Record<string, unknown> }>(
    '/v1/events/:id/occurrences/:key',
    {
      preValidation: refuseFirst(PATCH_KEEPS.occurrence),
      schema: {
        tags: ['events'],
        summary: 'Change one occurrence of a series (this event only)',
        description:
          'id is the series (its master, or any override of it). The occurrence keeps its original start; the answer is its override, made from the master at that occurrence with the body applied when it had none. ' +
          'If-Match: the etag of the override, or of the master for an occurrence without one. 404 when the series has no such occurrence (off its rule, or removed by an EXDATE); a cancelled override is still there to change. ' +
          'ifFree: only this occurrence\'s new time is checked, and the series\' other occurrences count as busy time (moving one onto another is 409 SLOT_TAKEN).',
        security,
        params: occurrenceParams,
        querystring: freeSlotQuery,
        headers: ifMatchHeader,
        body: occurrencePatchBodySchema,
        response: { 200: storedEventSchema, ...writeResponses },
      },
    },
    async (req, reply) => {
      needWrites();
      const saved = await updateOccurrence(hub, req.tenant.tenantId, req.params.id, req.params.key, req.body, req.headers['if-match'], {
        admit: (before, after) => budget.charge(req.tenant.tenantId, before, after),
        sendUpdates: notify(req.query),
        ifFree: ifFreeOf(req.query),
      });
      reply.header('etag', etagOf(saved)).header('location', `/v1/events/${saved.id}`);
      return written(saved);
    },
  );

  app.delete<OccurrenceRoute>(
    '/v1/events/:id/occurrences/:key',
    {
      schema: {
        tags: ['events'],
        summary: 'Cancel one occurrence of a series (this event only)',
        description: 'An occurrence with an override: the override is cancelled. Otherwise the master gains an EXDATE for it. The rest of the series stays. If-Match as for PATCH.',
        security,
        params: occurrenceParams,
        querystring: notifyQuery,
        headers: ifMatchHeader,
        response: { 204: { type: 'null' }, ...writeResponses },
      },
    },
    async (req, reply) => {
      needWrites();
      await deleteOccurrence(hub, req.tenant.tenantId, req.params.id, req.params.key, req.headers['if-match'], {
        admit: (before, after) => budget.charge(req.tenant.tenantId, before, after),
        sendUpdates: notify(req.query),
      });
      return reply.code(204).send();
    },
  );
}
