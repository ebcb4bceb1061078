import type { FastifyInstance } from 'fastify';
import { getAccount, getCalendar, listAccounts, listCalendars, type Hub } from '../hub/index.ts';
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

// Credentials and config never leave the server: hub/ leaves them out, and the response schemas would drop them anyway.
const list = (item: object) => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: item } } }) as const;

export function registerResources(app: FastifyInstance, hub: Hub): void {
  app.get('/v1/accounts', { schema: { tags: ['accounts'], summary: 'Connected accounts', security, response: { 200: list(accountSchema), ...errorResponses } } }, async (req) => ({
    items: await listAccounts(hub, req.tenant.tenantId),
  }));

  app.get<{ Params: { id: string } }>(
    '/v1/accounts/:id',
    { schema: { tags: ['accounts'], summary: 'One account', security, params: idParams, response: { 200: accountSchema, ...errorResponses } } },
    async (req) => getAccount(hub, req.tenant.tenantId, req.params.id),
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
    async (req) => ({ items: await listCalendars(hub, req.tenant.tenantId, req.query.accountId) }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/calendars/:id',
    { schema: { tags: ['calendars'], summary: 'One calendar', security, params: idParams, response: { 200: calendarSchema, ...errorResponses } } },
    async (req) => getCalendar(hub, req.tenant.tenantId, req.params.id),
  );
}
