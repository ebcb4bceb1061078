/** Conflicts and mirror rules over HTTP, on top of the sync engine. */
import type { FastifyInstance } from 'fastify';
import { syncRepo } from '../shared/store/index.ts';
import { deleteRule, parseRuleConfig, reconcileRule, writeUid, type EngineDeps } from '../sync-engine/index.ts';
import { ApiError } from './errors.ts';
import { errorResponses, id, idParams, security } from './schemas.ts';

export interface SyncApiDeps {
  engine: EngineDeps;
  /** Schedules a mirror pass (the queue); without it the pass runs inline. */
  requestMirror?: (tenantId: string, ruleId: string) => Promise<unknown>;
}

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
    base: {},
    local: {},
    remote: {},
    resolvedAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
} as const;

const ruleSchema = {
  type: 'object',
  required: ['id', 'sourceCalendarId', 'targetCalendarId', 'config', 'createdAt'],
  properties: { id, sourceCalendarId: id, targetCalendarId: id, config: { type: 'object', additionalProperties: true }, createdAt: { type: 'string' } },
} as const;

const list = (item: object) => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: item } } }) as const;

export function registerSyncRoutes(app: FastifyInstance, deps: SyncApiDeps): void {
  app.get<{ Querystring: { open?: 'true' | 'false' } }>(
    '/v1/conflicts',
    {
      schema: {
        tags: ['conflicts'],
        summary: 'Recorded conflicts (both sides changed): base, both sides and the outcome',
        security,
        // A string: query values are never coerced here (coerceTypes is off), so `boolean` refused `?open=true`.
        querystring: { type: 'object', additionalProperties: false, properties: { open: { type: 'string', enum: ['true', 'false'], description: 'true: only unresolved (parked) conflicts' } } },
        response: { 200: list(conflictSchema), ...errorResponses },
      },
    },
    async (req) => ({ items: await syncRepo.conflictsList(deps.engine.store.db, req.tenant.tenantId, { unresolvedOnly: req.query.open === 'true' }) }),
  );

  app.post<{ Params: { id: string }; Body: { take: 'local' | 'remote' } }>(
    '/v1/conflicts/:id/resolve',
    {
      schema: {
        tags: ['conflicts'],
        summary: 'Resolve a parked conflict by keeping the hub side (written back) or the provider side',
        security,
        params: idParams,
        body: { type: 'object', required: ['take'], additionalProperties: false, properties: { take: { type: 'string', enum: ['local', 'remote'] } } },
        response: { 200: conflictSchema, ...errorResponses },
      },
    },
    async (req) => {
      const tenantId = req.tenant.tenantId;
      const c = await syncRepo.conflictGet(deps.engine.store.db, tenantId, req.params.id);
      if (!c) throw new ApiError('NOT_FOUND', `conflict ${req.params.id} not found`);
      if (c.resolvedAt) throw new ApiError('INVALID_REQUEST', `conflict ${c.id} was already resolved (${c.outcome})`);
      if (req.body.take === 'local') await writeUid(deps.engine, tenantId, c.calendarId, c.uid, c.local ?? []);
      await syncRepo.conflictResolve(deps.engine.store.db, tenantId, c.id, req.body.take);
      return (await syncRepo.conflictGet(deps.engine.store.db, tenantId, c.id))!;
    },
  );

  app.get('/v1/rules', { schema: { tags: ['rules'], summary: 'Mirror rules', security, response: { 200: list(ruleSchema), ...errorResponses } } }, async (req) => ({
    items: await req.tenant.mirror.list(),
  }));

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
            filters: { type: 'object' },
          },
        },
        response: { 201: ruleSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { sourceCalendarId, targetCalendarId, ...config } = req.body;
      if (sourceCalendarId === targetCalendarId) throw new ApiError('INVALID_REQUEST', 'source and target must be different calendars');
      const rule = await req.tenant.mirror.create(sourceCalendarId, targetCalendarId, parseRuleConfig(config));
      if (!rule) throw new ApiError('NOT_FOUND', 'source or target calendar not found');
      if (deps.requestMirror) await deps.requestMirror(req.tenant.tenantId, rule.id);
      else await reconcileRule(deps.engine, req.tenant.tenantId, rule.id);
      return reply.code(201).send(rule);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/rules/:id',
    { schema: { tags: ['rules'], summary: 'Delete a mirror rule and the copies it made', security, params: idParams, response: { 204: { type: 'null' }, ...errorResponses } } },
    async (req, reply) => {
      if (!(await req.tenant.mirror.get(req.params.id))) throw new ApiError('NOT_FOUND', `rule ${req.params.id} not found`);
      await deleteRule(deps.engine, req.tenant.tenantId, req.params.id);
      return reply.code(204).send();
    },
  );
}
