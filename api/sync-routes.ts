/** Conflicts and mirror rules over HTTP (hub/conflicts.ts, hub/rules.ts). */
import type { FastifyInstance } from 'fastify';
import { createRule, deleteRule, getConflict, getRule, pageConflicts, pageRules, resolveConflict, showRule, updateRule, type Hub } from '../hub/index.ts';
import { SEND_UPDATES, type SendUpdates } from '../shared/model/index.ts';
import { ifFreeOf, ifFreeProperties, type IfFreeQuery } from './event-write-schemas.ts';
import { listQueryProperties, nextCursor, pageOf, parseList, type ListQuery } from './paging.ts';
import { errorResponses, id, idParams, security } from './schemas.ts';

// What a resolution asks of its write, as an event write's query says it. sendUpdates has no
// default here: a resolution told nobody before it took one, and still does when it is left out.
const resolveQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sendUpdates: {
      type: 'string',
      enum: [...SEND_UPDATES],
      description:
        "Who the provider tells the event's attendees of the change the resolution writes (take local: the hub's side moved back, say), as sendUpdates on event writes. " +
        "Absent: the provider's own default (Google: nobody; Microsoft 365 sends meeting messages anyway; CalDAV: the server schedules if it does).",
    },
    ...ifFreeProperties,
  },
} as const;

const conflictSchema = {
  type: 'object',
  required: ['id', 'calendarId', 'uid', 'fields', 'policy', 'outcome', 'createdAt'],
  properties: {
    id,
    calendarId: id,
    uid: { type: 'string' },
    remoteId: { type: ['string', 'null'] },
    policy: { type: 'string' },
    fields: { type: 'array', items: { type: 'string' } },
    outcome: { type: 'string', description: 'local | remote | merged | parked | deleted | recreated' },
    localChangedAt: { type: ['string', 'null'], description: 'When the hub-side change was made in calhub (ISO): what latest-wins compares. null: not recorded (delete conflicts, conflicts recorded before migration 0099)' },
    remoteChangedAt: {
      type: ['string', 'null'],
      description: "The provider's own modification time of the version it held (Google updated, Microsoft 365 lastModifiedDateTime, CalDAV LAST-MODIFIED or DTSTAMP), ISO. null: the provider gave none (latest-wins then counts it as changed when calhub read it, so the provider's side wins), or not recorded",
    },
    base: {},
    local: {},
    remote: {},
    resolvedAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
} as const;

// The JSON schema of sync-engine/mirror.ts ruleConfigSchema's filters, so the OpenAPI document and
// the typed client name them; the engine still parses the rule (defaults, a clear 400 on the rest).
const ruleFilters = {
  type: 'object',
  additionalProperties: false,
  properties: {
    skipDeclined: { type: 'boolean', description: 'leave out events you declined (default false)' },
    skipFree: { type: 'boolean', description: 'leave out events shown as free (default true)' },
    skipAllDay: { type: 'boolean', description: 'leave out all-day events (default false)' },
    workingHours: {
      type: ['object', 'null'],
      description: 'copy only events starting within these hours, start before end (default null: any time); an end at or before the start matches nothing and is refused (400 WORKING_HOURS_INVALID)',
      additionalProperties: false,
      required: ['timeZone', 'start', 'end'],
      properties: {
        timeZone: { type: 'string', minLength: 1 },
        start: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:mm' },
        end: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:mm' },
        days: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 1, maximum: 7 }, description: 'ISO weekdays, 1 = Monday (default 1–5)' },
      },
    },
  },
} as const;

/** What a rule DELETE left: copies gone from their provider, copies whose provider delete still waits (hub/rules.ts RuleDeleted). */
const ruleDeletedSchema = {
  type: 'object',
  required: ['id', 'copiesRemoved', 'copiesPending', 'pending'],
  properties: {
    id,
    copiesRemoved: { type: 'integer', description: 'copies deleted at their provider by the time of the answer' },
    copiesPending: { type: 'integer', description: 'copies deleted in calhub whose delete at their provider still waits: still there until it is sent' },
    pending: {
      type: 'array',
      description: 'copiesPending by calendar, with why they wait; empty when every copy is gone from its provider',
      items: {
        type: 'object',
        required: ['calendarId', 'copies', 'parked', 'retryAt', 'reason'],
        properties: {
          calendarId: id,
          copies: { type: 'integer' },
          parked: { type: 'integer', description: 'of copies, deletes the provider refused 3 times for their content: parked, offered again from retryAt' },
          retryAt: { type: ['string', 'null'], format: 'date-time', description: 'when the first parked delete is offered again; null when none is parked' },
          reason: { type: 'string', description: 'why they wait (an account disabled or needing reauth, a push to come, refused and parked with the provider\'s answer)' },
        },
      },
    },
  },
} as const;

const ruleSchema = {
  type: 'object',
  required: ['id', 'sourceCalendarId', 'targetCalendarId', 'mode', 'twoWay', 'filters', 'config', 'createdAt', 'state', 'pausedReason', 'pausedCode', 'paused', 'copies', 'lastRun', 'lastChange', 'refusals'],
  properties: {
    id,
    sourceCalendarId: id,
    targetCalendarId: id,
    mode: { type: 'string', enum: ['busy-block', 'full-copy'] },
    twoWay: { type: 'boolean' },
    filters: { ...ruleFilters, required: ['skipDeclined', 'skipFree', 'skipAllDay', 'workingHours'] },
    config: { type: 'object', additionalProperties: true, description: 'mode, twoWay and filters as stored (kept for older clients; the fields above are the same with their defaults)' },
    createdAt: { type: 'string' },
    state: {
      type: 'string',
      enum: ['active', 'paused', 'deleting'],
      description: 'paused (pausedCode says why): paused by a user, an account of its calendars disabled, a calendar no longer listed by its provider, or a calendar the rule writes (its target; two-way, its source too) cannot be written (its account connected again with read or freebusy access, or read-only at the provider); it makes no copies and leaves those made as they are; all but USER_PAUSED resume by themselves. deleting: a DELETE is removing its copies',
    },
    pausedReason: { type: ['string', 'null'], description: 'why the rule is paused, naming the calendar and what would resume it' },
    pausedCode: { type: ['string', 'null'], enum: ['USER_PAUSED', 'ACCOUNT_DISABLED', 'CALENDAR_MISSING', 'CALENDAR_NOT_WRITABLE', null], description: 'why the rule is paused, as a stable code; null unless state is paused' },
    paused: { type: 'boolean', description: 'paused by a user (PATCH {"paused":true}); state tells whether it runs' },
    pausedAt: { type: ['string', 'null'] },
    copies: { type: 'integer', description: 'copies the rule holds now (both ways)' },
    lastRun: {
      type: ['object', 'null'],
      description: 'its last run, whether or not it had anything to do (a paused rule does not run): when it ended (the rule was last checked), the copies it created, updated and deleted, and the error that stopped it; null before its first run',
      required: ['at', 'created', 'updated', 'deleted', 'error'],
      properties: {
        at: { type: 'string' },
        created: { type: 'integer' },
        updated: { type: 'integer' },
        deleted: { type: 'integer' },
        error: {
          type: ['object', 'null'],
          description: 'null when the run finished; else a stable code and a message (secrets removed)',
          required: ['code', 'message'],
          properties: { code: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
    refusals: {
      type: 'array',
      description:
        'copies of the rule the target\'s provider refuses, by calendar and stable code: PROVIDER_CANNOT_RESTORE (an occurrence cancelled or deleted at the provider that it cannot bring back, asked for again on each run), COPY_SINGLES_CAPPED (a series the provider cannot hold as a series is copied as single events, and more of its occurrences fall in the window than are written: the message names the first left out), or the code of a refused write (CONNECTOR_UNSUPPORTED, CONNECTOR_INVALID_DATA, AUTH_INSUFFICIENT_SCOPE, …); empty when none. A refusal clears once a write of the copy gets through or the rule no longer asks for what was refused',
      items: {
        type: 'object',
        required: ['code', 'calendarId', 'copies', 'times', 'firstAt', 'lastAt', 'message'],
        properties: {
          code: { type: 'string' },
          calendarId: id,
          copies: { type: 'integer', description: 'copies refused with this code (a copy with several refused occurrences counts once)' },
          times: { type: 'integer', description: 'how often they were written and refused' },
          firstAt: { type: 'string', description: 'the first refusal standing' },
          lastAt: { type: 'string', description: 'the latest' },
          message: { type: 'string', description: 'the latest refusal\'s message (secrets removed)' },
        },
      },
    },
    lastChange: {
      type: ['object', 'null'],
      description: 'the last run that created, updated or deleted a copy (runs with nothing to do leave it); null before one did',
      required: ['at', 'created', 'updated', 'deleted'],
      properties: { at: { type: 'string' }, created: { type: 'integer' }, updated: { type: 'integer' }, deleted: { type: 'integer' } },
    },
  },
} as const;

export function registerSyncRoutes(app: FastifyInstance, hub: Hub): void {
  app.get<{ Querystring: ListQuery & { open?: boolean } }>(
    '/v1/conflicts',
    {
      schema: {
        tags: ['conflicts'],
        summary: 'Recorded conflicts (both sides changed): base, both sides and the outcome; by id; q matches the UID and field names',
        security,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            open: { type: 'boolean', description: 'true: only unresolved (parked) conflicts' },
            ...listQueryProperties(['local', 'remote', 'merged', 'parked', 'deleted', 'recreated', 'open', 'resolved'], 'outcome, or open (unresolved) | resolved; an outcome and open|resolved given together must both match'),
          },
        },
        response: { 200: pageOf(conflictSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { page, filter } = parseList(req.query);
      const r = await pageConflicts(hub, req.tenant.tenantId, req.query.open === true, page, filter);
      return { items: r.items, nextCursor: nextCursor(r.next) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/conflicts/:id',
    {
      schema: {
        tags: ['conflicts'],
        summary: 'One recorded conflict: base, both sides, the outcome and whether it is resolved (404 NOT_FOUND: none of the tenant\'s)',
        security,
        params: idParams,
        response: { 200: conflictSchema, ...errorResponses },
      },
    },
    async (req) => getConflict(hub, req.tenant.tenantId, req.params.id),
  );

  app.post<{ Params: { id: string }; Body: { take: 'local' | 'remote' }; Querystring: { sendUpdates?: SendUpdates } & IfFreeQuery }>(
    '/v1/conflicts/:id/resolve',
    {
      schema: {
        tags: ['conflicts'],
        summary: 'Resolve a parked conflict: the hub side (local) or the provider side (remote) of the fields in conflict, with both sides\' other changes kept and written back',
        description:
          'take local writes the hub\'s side again, which the manual policy reverted while the conflict was parked: its time may have been booked since. ' +
          'When the hub\'s side was written with ifFree (ifFreeCalendarIds, ifFreeAccountIds), or this request asks it, its time is checked as that write\'s was ' +
          '(only the time it newly takes) and a slot taken meanwhile is 409 SLOT_TAKEN, with nothing written and the conflict left parked. take remote takes no new time and is never checked. ' +
          'A conflict resolved already (by an operator, or recorded resolved: every outcome but parked) is 409 CONFLICT_ALREADY_RESOLVED, nothing written.',
        security,
        params: idParams,
        querystring: resolveQuery,
        body: { type: 'object', required: ['take'], additionalProperties: false, properties: { take: { type: 'string', enum: ['local', 'remote'] } } },
        response: { 200: conflictSchema, ...errorResponses, 409: { $ref: 'Error#' } },
      },
    },
    async (req) => {
      const opts = { ifFree: ifFreeOf(req.query), ...(req.query.sendUpdates ? { sendUpdates: req.query.sendUpdates } : {}) };
      return (await resolveConflict(hub, req.tenant.tenantId, req.params.id, req.body.take, opts)).conflict;
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/rules',
    {
      schema: {
        tags: ['rules'],
        summary: 'Mirror rules, by id; updatedSince compares the creation time, q matches the calendar ids',
        security,
        querystring: { type: 'object', additionalProperties: false, properties: listQueryProperties(['busy-block', 'full-copy'], 'mode') },
        response: { 200: pageOf(ruleSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { page, filter } = parseList(req.query);
      const r = await pageRules(hub, req.tenant.tenantId, page, filter);
      return { items: r.items.map(showRule), nextCursor: nextCursor(r.next) };
    },
  );

  app.post<{ Body: { sourceCalendarId: string; targetCalendarId: string; mode: string; twoWay?: boolean; filters?: object } }>(
    '/v1/rules',
    {
      schema: {
        tags: ['rules'],
        summary: 'Create a mirror rule (busy-block or full-copy, filters, one- or two-way)',
        security,
        body: {
          type: 'object',
          required: ['sourceCalendarId', 'targetCalendarId', 'mode'],
          additionalProperties: false,
          properties: {
            sourceCalendarId: id,
            targetCalendarId: id,
            mode: { type: 'string', enum: ['busy-block', 'full-copy'] },
            twoWay: { type: 'boolean' },
            filters: ruleFilters,
          },
        },
        response: { 201: ruleSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { sourceCalendarId, targetCalendarId, ...config } = req.body;
      const { rule } = await createRule(hub, req.tenant.tenantId, { sourceCalendarId, targetCalendarId, config });
      return reply.code(201).send(showRule(rule));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/rules/:id',
    { schema: { tags: ['rules'], summary: 'A mirror rule: its state, why it is paused, and how many copies it holds', security, params: idParams, response: { 200: ruleSchema, ...errorResponses } } },
    async (req) => showRule(await getRule(hub, req.tenant.tenantId, req.params.id)),
  );

  app.patch<{ Params: { id: string }; Body: { paused?: boolean; filters?: Record<string, unknown> } }>(
    '/v1/rules/:id',
    {
      schema: {
        tags: ['rules'],
        summary: 'Pause or resume a mirror rule, or change its filters (each one given replaces the rule\'s). Paused: no copies written, those made kept as they are; resumed or refiltered: its next pass brings the copies in line. Its calendars, mode and twoWay cannot change: delete it and create another',
        security,
        params: idParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { paused: { type: 'boolean' }, filters: ruleFilters } },
        response: { 200: ruleSchema, ...errorResponses },
      },
    },
    async (req) => showRule((await updateRule(hub, req.tenant.tenantId, req.params.id, req.body)).rule),
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/rules/:id',
    {
      schema: {
        tags: ['rules'],
        summary: 'Delete a mirror rule and the copies it made; the answer says how many copies are gone from their provider and how many are left',
        description:
          'copiesRemoved: copies deleted at their provider by the time it answers. copiesPending: copies deleted in calhub whose provider delete still waits in the outbox, by calendar in pending ' +
          '(copies; reason: an account disabled or needing reauth, the worker\'s next push, the next sync of the calendar; parked: of them, deletes the provider refused 3 times for their content, ' +
          'offered again from retryAt, 1 hour after the 3rd refusal, the wait doubling with each further refusal, at most a day). Those copies are still at the provider until their delete is sent.',
        security,
        params: idParams,
        response: { 200: ruleDeletedSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { copiesRemoved, copiesPending, pending } = await deleteRule(hub, req.tenant.tenantId, req.params.id);
      return { id: req.params.id, copiesRemoved, copiesPending, pending };
    },
  );
}
