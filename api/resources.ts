import type { FastifyInstance } from 'fastify';
import type { Calendar } from '../shared/model/index.ts';
import type { AccountRow } from '../shared/store/index.ts';
import { ApiError } from './errors.ts';
import { errorResponses, id, idParams, security } from './schemas.ts';

const nullableString = { type: ['string', 'null'] } as const;

export const accountSchema = {
  type: 'object',
  required: ['id', 'provider', 'externalId', 'status', 'createdAt', 'updatedAt'],
  properties: {
    id,
    provider: { type: 'string', enum: ['google', 'microsoft', 'caldav', 'memory'] },
    externalId: { type: 'string' },
    displayName: nullableString,
    status: { type: 'string', enum: ['active', 'needs_reauth', 'disabled', 'error'] },
    statusReason: nullableString,
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const calendarSchema = {
  type: 'object',
  required: ['id', 'accountId', 'name', 'timeZone', 'accessRole', 'syncStage'],
  properties: {
    id,
    accountId: id,
    providerCalendarId: { type: 'string' },
    name: { type: 'string' },
    timeZone: { type: 'string', description: 'IANA zone; all-day and floating times resolve in it' },
    color: nullableString,
    accessRole: { type: 'string', enum: ['owner', 'writer', 'reader', 'freeBusyReader'] },
    syncStage: { type: 'string', enum: ['idle', 'scheduled', 'running', 'failed'] },
    failureCount: { type: 'integer' },
    lastSuccessAt: nullableString,
    lastError: nullableString,
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

// Credentials and config never leave the server; the response schemas would drop them anyway.
const publicAccount = (a: AccountRow) => ({
  id: a.id,
  provider: a.provider,
  externalId: a.externalId,
  displayName: a.displayName,
  status: a.status,
  statusReason: a.statusReason,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
});
const publicCalendar = (c: Calendar) => {
  const { syncCursor: _c, tenantId: _t, stageStartedAt: _s, ...rest } = c;
  return rest;
};

const list = (item: object) => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: item } } }) as const;

export function registerResources(app: FastifyInstance): void {
  app.get('/v1/accounts', { schema: { tags: ['accounts'], summary: 'Connected accounts', security, response: { 200: list(accountSchema), ...errorResponses } } }, async (req) => ({
    items: (await req.tenant.accounts.list()).map(publicAccount),
  }));

  app.get<{ Params: { id: string } }>(
    '/v1/accounts/:id',
    { schema: { tags: ['accounts'], summary: 'One account', security, params: idParams, response: { 200: accountSchema, ...errorResponses } } },
    async (req) => {
      const a = await req.tenant.accounts.get(req.params.id);
      if (!a) throw new ApiError('NOT_FOUND', `account ${req.params.id} not found`);
      return publicAccount(a);
    },
  );

  app.get<{ Querystring: { accountId?: string } }>(
    '/v1/calendars',
    {
      schema: {
        tags: ['calendars'],
        summary: 'Calendars, optionally of one account',
        security,
        querystring: { type: 'object', additionalProperties: false, properties: { accountId: id } },
        response: { 200: list(calendarSchema), ...errorResponses },
      },
    },
    async (req) => {
      const accountId = req.query.accountId;
      if (accountId !== undefined && !(await req.tenant.accounts.get(accountId))) throw new ApiError('NOT_FOUND', `account ${accountId} not found`);
      return { items: (await req.tenant.calendars.list(accountId === undefined ? {} : { accountId })).map(publicCalendar) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/calendars/:id',
    { schema: { tags: ['calendars'], summary: 'One calendar', security, params: idParams, response: { 200: calendarSchema, ...errorResponses } } },
    async (req) => {
      const c = await req.tenant.calendars.get(req.params.id);
      if (!c) throw new ApiError('NOT_FOUND', `calendar ${req.params.id} not found`);
      return publicCalendar(c);
    },
  );
}
