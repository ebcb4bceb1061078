/**
 * The Idempotency-Key header on every POST and PATCH under /v1 (hub/idempotency.ts has the rules):
 * declared in each route's schema (so /openapi.json and the typed client know it), claimed after
 * the request is authenticated and its body parsed but before the text guard and the route's
 * schema look at it (preValidation, installed before api/text-guard.ts), so their refusals are kept
 * and replayed like a handler's; the answer kept when it is sent, a kept answer replayed with
 * `Idempotent-Replayed: true`. Not kept: answers before the body is read (401, 413, 415, a body
 * that is not JSON), a body nested deeper than the text guard allows (walking it to fingerprint it
 * is what that guard prevents), 429 and 5xx.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { nestedDeeperThan } from '../shared/model/index.ts';
import { MAX_BODY_DEPTH } from './text-guard.ts';
import { finishIdempotent, requestFingerprint, startIdempotent, type Hub, type IdempotencyOptions } from '../hub/index.ts';

const HEADER = 'idempotency-key';
/** What of an answer is kept besides status and body. */
const KEPT_HEADERS = ['content-type', 'etag', 'location'];

const headerSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  description: 'Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED.',
} as const;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { key: string; token: string; tenantId: string };
  }
}

const covered = (method: string, url: string) => (method === 'POST' || method === 'PATCH') && url.startsWith('/v1/');

export function installIdempotency(app: FastifyInstance, hub: Hub, opts: IdempotencyOptions = {}): void {
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!methods.some((m) => covered(m, route.url)) || !route.schema) return;
    const headers = (route.schema.headers ?? { type: 'object', properties: {} }) as { properties?: Record<string, unknown> };
    const response = route.schema.response ? { 409: { $ref: 'Error#' }, ...(route.schema.response as object) } : undefined;
    route.schema = { ...route.schema, headers: { ...headers, type: 'object', properties: { ...headers.properties, [HEADER]: headerSchema } }, ...(response ? { response } : {}) };
  });

  // preValidation, not preHandler: Fastify validates between the two, and a refusal by the schema
  // must be kept too (else a retry ran again and the key then took another, valid request).
  app.addHook('preValidation', async (req: FastifyRequest, reply: FastifyReply) => {
    const key = req.headers[HEADER];
    if (typeof key !== 'string' || !covered(req.method, req.routeOptions.url ?? '') || !req.tenant) return;
    if (nestedDeeperThan(req.body, MAX_BODY_DEPTH)) return;
    const tenantId = req.tenant.tenantId;
    const start = await startIdempotent(hub, tenantId, key, requestFingerprint(req.method, req.url, req.body), opts);
    if (start.kind === 'run') {
      req.idempotency = { key, token: start.token, tenantId };
      return;
    }
    const { status, headers, body } = start.answer;
    reply.code(status).headers(headers).header('idempotent-replayed', 'true');
    return reply.send(body === '' ? undefined : body);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const held = req.idempotency;
    if (!held) return payload;
    req.idempotency = undefined;
    const body = payload === undefined || payload === null ? '' : typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    const headers: Record<string, string> = {};
    for (const h of KEPT_HEADERS) {
      const v = reply.getHeader(h);
      if (v !== undefined) headers[h] = String(v);
    }
    try {
      await finishIdempotent(hub, held.tenantId, held.key, held.token, body === null ? null : { status: reply.statusCode, headers, body });
    } catch (err) {
      // The answer still goes out; the key stays pending and is taken over after IDEMPOTENCY_STALE_MS.
      req.log.error({ err }, 'could not keep the idempotent answer');
    }
    return payload;
  });
}
