/** Outbound webhook endpoints over HTTP: parse, call the operation, answer. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  pageWebhookDeliveries,
  pageWebhookEndpoints,
  replayWebhooks,
  retirePreviousWebhookSecret,
  rotateWebhookSecret,
  testWebhookEndpoint,
  updateWebhookEndpoint,
  viewWebhookEndpoints,
  WEBHOOK_EVENT_TYPES,
  type Hub,
  type WebhookEndpointRow,
} from '../hub/index.ts';
import { ApiError } from './errors.ts';
import { listQueryProperties, nextCursor, pageOf, parseList, type ListQuery } from './paging.ts';
import { errorResponses, idParams, security } from './schemas.ts';
import { deliverySchema, endpointSchema, webhookPayloadSchemas } from './webhook-schemas.ts';

const tags = ['webhooks'];
const eventList = { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES, '*'] } } as const;
const url = { type: 'string', minLength: 1, maxLength: 2000 } as const;
const description = { type: ['string', 'null'], maxLength: 500 } as const;
const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const;
// POSTs that take no input accept no body at all, as well as `{}`.
const noBodyNeeded = async (req: FastifyRequest) => {
  req.body ??= {};
};

const viewOne = async (hub: Hub, tenantId: string, r: WebhookEndpointRow) => (await viewWebhookEndpoints(hub.webhooks, tenantId, [r]))[0]!;

export function registerWebhookRoutes(app: FastifyInstance, hub: Hub): void {
  for (const s of webhookPayloadSchemas) app.addSchema(s);

  app.post<{ Body: { url: string; events: string[]; description?: string | null } }>(
    '/v1/webhooks',
    {
      schema: {
        tags, security,
        summary: 'Register an endpoint for signed webhooks; the signing secret is in this answer only',
        body: { type: 'object', required: ['url', 'events'], additionalProperties: false, properties: { url, events: eventList, description } },
        response: { 201: { ...endpointSchema, required: [...endpointSchema.required, 'secret'], properties: { ...endpointSchema.properties, secret: { type: 'string', description: 'whsec_…: verify webhook-signature with it (Standard Webhooks)' } } }, ...errorResponses, 503: { $ref: 'Error#' } },
      },
    },
    async (req, reply) => {
      const row = await createWebhookEndpoint(hub.webhooks, req.tenant.tenantId, req.body);
      return reply.code(201).send({ ...(await viewOne(hub, req.tenant.tenantId, row)), secret: row.secret });
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/webhooks',
    {
      schema: {
        tags, security, summary: 'Webhook endpoints of this tenant, by id; q matches the URL and description',
        querystring: { type: 'object', additionalProperties: false, properties: listQueryProperties(['active', 'disabled'], 'endpoint status') },
        response: { 200: pageOf(endpointSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { page, filter } = parseList(req.query);
      const r = await pageWebhookEndpoints(hub.webhooks, req.tenant.tenantId, page, filter);
      return { items: await viewWebhookEndpoints(hub.webhooks, req.tenant.tenantId, r.items), nextCursor: nextCursor(r.next) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/webhooks/:id',
    { schema: { tags, security, summary: 'One webhook endpoint: its health (failing since, next retry, last error), the messages it owes, why it was disabled if it was', params: idParams, response: { 200: endpointSchema, ...errorResponses } } },
    async (req) => viewOne(hub, req.tenant.tenantId, await getWebhookEndpoint(hub.webhooks, req.tenant.tenantId, req.params.id)),
  );

  app.patch<{ Params: { id: string }; Body: { url?: string; events?: string[]; description?: string | null; enabled?: boolean } }>(
    '/v1/webhooks/:id',
    {
      schema: {
        tags, security, params: idParams,
        summary: 'Change an endpoint; enabled=true re-enables a disabled one, or retries a failing one now, and sends what it is owed',
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { url, events: eventList, description, enabled: { type: 'boolean' } } },
        response: { 200: endpointSchema, ...errorResponses, 503: { $ref: 'Error#' } },
      },
    },
    async (req) => viewOne(hub, req.tenant.tenantId, await updateWebhookEndpoint(hub.webhooks, req.tenant.tenantId, req.params.id, req.body)),
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/webhooks/:id',
    { schema: { tags, security, summary: 'Remove an endpoint and its delivery log', params: idParams, response: { 204: { type: 'null' }, ...errorResponses } } },
    async (req, reply) => {
      await deleteWebhookEndpoint(hub.webhooks, req.tenant.tenantId, req.params.id);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { id: string }; Body: { force?: boolean } }>(
    '/v1/webhooks/:id/rotate-secret',
    {
      preValidation: noBodyNeeded,
      schema: {
        tags, security, params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { force: { type: 'boolean', description: 'rotate although the last rotation\'s 24 hours are not over: its replaced secret stops signing at once (a leaked secret)' } },
        },
        summary: 'A new signing secret (shown once); the old one keeps signing alongside it for 24 hours. Again within those 24 hours: 409 WEBHOOK_ROTATION_IN_PROGRESS unless force',
        response: { 200: { type: 'object', required: ['id', 'secret', 'previousSecretValidUntil'], properties: { id: { type: 'string' }, secret: { type: 'string' }, previousSecretValidUntil: { type: 'string' } } }, ...errorResponses, 409: { $ref: 'Error#' } },
      },
    },
    async (req) => rotateWebhookSecret(hub.webhooks, req.tenant.tenantId, req.params.id, { force: req.body.force === true }),
  );

  app.post<{ Params: { id: string } }>(
    '/v1/webhooks/:id/retire-previous-secret',
    {
      preValidation: noBodyNeeded,
      schema: {
        tags, security, params: idParams, body: emptyBody,
        summary: 'End the last rotation\'s overlap now: the secret it replaced stops signing at once (retired: false when none still signed)',
        response: {
          200: {
            type: 'object',
            required: ['id', 'retired', 'wouldHaveSignedUntil'],
            properties: { id: { type: 'string' }, retired: { type: 'boolean' }, wouldHaveSignedUntil: { type: ['string', 'null'], description: 'when the retired secret would have stopped signing; null when none was signing' } },
          },
          ...errorResponses,
        },
      },
    },
    async (req) => retirePreviousWebhookSecret(hub.webhooks, req.tenant.tenantId, req.params.id),
  );

  app.post<{ Params: { id: string } }>(
    '/v1/webhooks/:id/test',
    {
      preValidation: noBodyNeeded,
      schema: {
        tags, security, params: idParams, body: emptyBody,
        summary: 'Send a signed webhook.test message now and report how the endpoint answered; an answer 410 Gone disables the endpoint, as a delivery\'s does',
        response: {
          200: {
            type: 'object',
            required: ['messageId', 'ok', 'endpointDisabled'],
            properties: {
              messageId: { type: 'string' }, ok: { type: 'boolean' }, status: { type: ['integer', 'null'] },
              error: { type: ['string', 'null'], description: 'why it failed: the status with the answer\'s media type and size, a timeout, a refused connection; never the answer\'s text' },
              latencyMs: { type: 'integer' },
              endpointDisabled: { type: 'boolean', description: 'the endpoint is disabled after this test: a 410 Gone disables it, as for a delivery' },
              disabledReason: { type: ['string', 'null'] },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req) => testWebhookEndpoint(hub.webhooks, req.tenant.tenantId, req.params.id),
  );

  app.get<{ Params: { id: string }; Querystring: ListQuery }>(
    '/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags, security, params: idParams,
        summary: 'Delivery log of an endpoint, newest first: attempts, status, latency, next retry; updatedSince compares the last attempt, q matches the event type',
        querystring: { type: 'object', additionalProperties: false, properties: listQueryProperties(['pending', 'delivered'], 'delivery status') },
        response: { 200: pageOf(deliverySchema), ...errorResponses },
      },
    },
    async (req) => {
      const { page, filter } = parseList(req.query);
      if (page.after !== null && !/^[0-9]{1,18}$/.test(page.after)) throw new ApiError('INVALID_CURSOR', 'cursor is not one this API returned');
      const r = await pageWebhookDeliveries(hub.webhooks, req.tenant.tenantId, req.params.id, page, filter);
      return { items: r.items, nextCursor: nextCursor(r.next) };
    },
  );

  app.post<{ Params: { id: string }; Body: { since: string } }>(
    '/v1/webhooks/:id/replay',
    {
      schema: {
        tags, security, params: idParams,
        summary: 'Send again every message since a time (delivered ones too: receivers dedupe by webhook-id); re-enables the endpoint',
        body: { type: 'object', required: ['since'], additionalProperties: false, properties: { since: { type: 'string', format: 'date-time' } } },
        response: { 200: { type: 'object', required: ['id', 'since', 'messages'], properties: { id: { type: 'string' }, since: { type: 'string' }, messages: { type: 'integer' } } }, ...errorResponses },
      },
    },
    async (req) => replayWebhooks(hub.webhooks, req.tenant.tenantId, req.params.id, new Date(req.body.since)),
  );
}
