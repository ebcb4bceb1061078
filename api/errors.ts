import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance } from 'fastify';
import { isHubError } from '../shared/errors.ts';
import { isStoreUnreachable, quietInStoreOutage } from '../shared/outage-log.ts';
import { dateTimeRefusal } from './date-time-input.ts';
import { allowedMethods } from './method-not-allowed.ts';

/**
 * The API's stable error codes and their HTTP statuses. Each is documented in docs/errors.md;
 * docs/errors.test.ts and api/errors.test.ts fail when the two disagree.
 */
export const API_ERRORS = [
  { code: 'UNAUTHENTICATED', status: 401 },
  { code: 'NOT_FOUND', status: 404 },
  { code: 'METHOD_NOT_ALLOWED', status: 405 },
  { code: 'INVALID_REQUEST', status: 400 },
  { code: 'VALIDATION_FAILED', status: 400 },
  { code: 'INVALID_TEXT', status: 400 },
  { code: 'RRULE_INVALID', status: 400 },
  { code: 'RRULE_TOO_LARGE', status: 400 },
  { code: 'DATE_INVALID', status: 400 },
  { code: 'ZONE_UNKNOWN', status: 400 },
  { code: 'END_BEFORE_START', status: 400 },
  { code: 'INVALID_WINDOW', status: 400 },
  { code: 'WINDOW_TOO_LARGE', status: 400 },
  { code: 'TOO_MANY_CALENDARS', status: 400 },
  { code: 'TOO_MANY_PARTICIPANTS', status: 400 },
  { code: 'WORKING_HOURS_INVALID', status: 400 },
  { code: 'INVALID_CURSOR', status: 400 },
  { code: 'PAYLOAD_TOO_LARGE', status: 413 },
  { code: 'URI_TOO_LONG', status: 414 },
  { code: 'HEADERS_TOO_LARGE', status: 431 },
  { code: 'REQUEST_TIMEOUT', status: 408 },
  { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
  { code: 'PRECONDITION_FAILED', status: 412 },
  { code: 'CALENDAR_READ_ONLY', status: 409 },
  { code: 'ACCOUNT_READ_ONLY', status: 409 },
  { code: 'CONFERENCE_UNSUPPORTED', status: 400 },
  { code: 'OCCURRENCE_OUT_OF_ORDER', status: 400 },
  { code: 'NO_FOLLOWING_OCCURRENCE', status: 400 },
  { code: 'ORGANIZER_UNKNOWN', status: 400 },
  { code: 'NOT_INVITED', status: 400 },
  { code: 'INSUFFICIENT_SCOPE', status: 403 },
  { code: 'CREDENTIALS_REJECTED', status: 400 },
  { code: 'URL_NOT_ALLOWED', status: 400 },
  { code: 'CALENDAR_EXISTS', status: 409 },
  { code: 'CALENDAR_NOT_DELETABLE', status: 409 },
  { code: 'CALENDAR_NOT_SYNCED', status: 409 },
  { code: 'CALENDAR_MIRRORED', status: 409 },
  { code: 'RULE_EXISTS', status: 409 },
  { code: 'WRITES_PENDING', status: 409 },
  { code: 'WEBHOOK_ROTATION_IN_PROGRESS', status: 409 },
  { code: 'SLOT_TAKEN', status: 409 },
  { code: 'CONFLICT_ALREADY_RESOLVED', status: 409 },
  { code: 'NO_BUSY_CALENDARS', status: 409 },
  { code: 'TENANT_NAME_TAKEN', status: 409 },
  { code: 'EVENT_QUARANTINED', status: 409 },
  { code: 'ACCOUNT_NEEDS_REAUTH', status: 409 },
  { code: 'PROVIDER_REFUSED', status: 502 },
  { code: 'PROVIDER_UNAVAILABLE', status: 503 },
  { code: 'DNS_UNAVAILABLE', status: 503 },
  { code: 'IDEMPOTENCY_KEY_REUSED', status: 409 },
  { code: 'IDEMPOTENCY_KEY_IN_USE', status: 409 },
  { code: 'OAUTH_APP_IN_USE', status: 409 },
  { code: 'RATE_LIMITED', status: 429 },
  { code: 'REDIRECT_URI_NOT_ALLOWED', status: 400 },
  { code: 'PROVIDER_NOT_CONFIGURED', status: 400 },
  { code: 'WRITE_BUDGET_EXCEEDED', status: 429 },
  { code: 'WRITES_UNAVAILABLE', status: 501 },
  { code: 'STORE_UNAVAILABLE', status: 503 },
  { code: 'STORE_FAILED', status: 500 },
  { code: 'INTERNAL', status: 500 },
] as const;

export type ApiErrorCode = (typeof API_ERRORS)[number]['code'];
/** 5xx answers that describe an answer (a provider's, the resolver's) to a call made for the request (its words, never ours). */
/** Seconds a client is asked to wait after 503 STORE_UNAVAILABLE by default (API_STORE_RETRY_AFTER_S): a database restart or failover takes about that. */
export const STORE_RETRY_AFTER_S = 5;
const PROVIDER_ANSWERS = new Set<string>(['PROVIDER_REFUSED', 'PROVIDER_UNAVAILABLE', 'DNS_UNAVAILABLE']);
const STATUS = new Map<string, number>(API_ERRORS.map((e) => [e.code, e.status]));

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = STATUS.get(code) ?? 500;
  }
}

export const errorBody = (code: string, message: string) => ({ error: { code, message } });

/** The JSON schema of every error answer, referenced from each route's response map. */
export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', enum: API_ERRORS.map((e) => e.code) }, message: { type: 'string' } },
    },
  },
} as const;

/** Fastify's own error codes that are the client's fault, with the code we answer. */
const FASTIFY_CLIENT_ERRORS: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_REQUEST',
  FST_ERR_CTP_EMPTY_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Array caps that are documented limits with their own code, not a malformed request. */
const TOO_MANY: Record<string, ApiErrorCode> = { 'body.participants': 'TOO_MANY_PARTICIPANTS' };

const PATTERN_MEANS: Record<string, string> = {
  'headers.if-match': '* or the quoted etags read earlier (the ETag header\'s value, such as "3f2a…")',
};

type SchemaError = NonNullable<FastifyError['validation']>[number] & { parentSchema?: { properties?: Record<string, unknown>; examples?: unknown[]; description?: string } };

/** A short example of what a field wants, from its schema's examples (else its description), for messages about its shape. */
function shapeHint(schema: SchemaError['parentSchema']): string {
  const example = schema?.examples?.[0];
  if (example !== undefined) return `, such as ${JSON.stringify(example)}`;
  return schema?.description ? ` (${schema.description})` : '';
}

/**
 * One sentence for the first schema refusal, naming the field as a dotted path: `body.events is
 * required`, `body.titel is not a known field; body takes …`, `body.recurrence must be
 * object,null, such as {…}`. The compiler runs with Ajv's `verbose` (api/app.ts) for parentSchema.
 */
export function schemaMessage(first: SchemaError | undefined, where: string): string {
  if (!first) return `${where} is invalid`;
  const field = `${where}${first.instancePath.replace(/\//g, '.')}`;
  const params = (first.params ?? {}) as Record<string, unknown>;
  if (first.keyword === 'required' && 'missingProperty' in params) return `${field}.${String(params.missingProperty)} is required`;
  if (first.keyword === 'additionalProperties' && 'additionalProperty' in params) {
    const known = Object.keys(first.parentSchema?.properties ?? {});
    return `${field}.${String(params.additionalProperty)} is not a known field; ${field} takes ${known.length ? known.join(', ') : 'none'}`;
  }
  // A pattern's regular expression tells a client less than what the field wants, where that is said.
  const wanted = first.keyword === 'pattern' ? PATTERN_MEANS[field] : undefined;
  if (wanted) return `${field} must be ${wanted}`;
  const allowed = 'allowedValues' in params && Array.isArray(params.allowedValues) ? `: ${params.allowedValues.join(', ')}` : '';
  const hint = first.keyword === 'type' ? shapeHint(first.parentSchema) : '';
  return `${field} ${first.message ?? 'is invalid'}${allowed}${hint}`;
}

/** Maps every thrown error to `{ error: { code, message } }`; internals stay in the server log. */
export function installErrorHandling(app: FastifyInstance, opts: { storeRetryAfterS?: number } = {}): void {
  const retryAfter = String(opts.storeRetryAfterS ?? STORE_RETRY_AFTER_S);
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ApiError) {
      for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
      return reply.code(err.status).send(errorBody(err.code, err.message));
    }
    if (err.validation) {
      const first = err.validation[0];
      const where = err.validationContext ?? 'request';
      const field = `${where}${first?.instancePath.replace(/\//g, '.') ?? ''}`;
      if (first?.keyword === 'format' && (first.params as { format?: unknown }).format === 'date-time') {
        const refused = dateTimeRefusal(field, (first as { data?: unknown }).data);
        return reply.code(400).send(errorBody(refused.code, refused.message));
      }
      const limit = first?.keyword === 'maxItems' ? TOO_MANY[field] : undefined;
      return reply.code(400).send(errorBody(limit ?? 'INVALID_REQUEST', schemaMessage(first, where)));
    }
    const fastifyCode = err.code ? FASTIFY_CLIENT_ERRORS[err.code] : undefined;
    if (fastifyCode === 'UNSUPPORTED_MEDIA_TYPE') {
      const sent = req.headers['content-type'];
      return reply.code(415).send(errorBody(fastifyCode, `the body must be JSON (content-type: application/json); it was sent as ${sent ? JSON.stringify(sent.slice(0, 100)) : 'no content type'}`));
    }
    if (fastifyCode) return reply.code(STATUS.get(fastifyCode)!).send(errorBody(fastifyCode, err.message));
    // Fastify's parser gives one error for both, dropping secure-json-parse's reason.
    if (err.statusCode === 400 && err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return reply.code(400).send(errorBody('INVALID_REQUEST', 'body is not valid JSON, or it has a "__proto__" or "constructor.prototype" key, which calhub refuses'));
    if (err instanceof SyntaxError && err.statusCode === 400) return reply.code(400).send(errorBody('INVALID_REQUEST', 'body is not valid JSON'));
    if (isStoreUnreachable(err)) {
      // An outage: the process's store outage lines say it (once, then once a minute), not a stack per request.
      quietInStoreOutage(err, 'api');
      reply.header('retry-after', retryAfter);
      return reply.code(503).send(errorBody('STORE_UNAVAILABLE', 'the store cannot be reached; retry shortly'));
    }
    if (isHubError(err)) {
      // The use cases' refusals (hub/errors.ts) carry an API code: answered with its status.
      const status = err.code === 'STORE_FAILED' ? undefined : STATUS.get(err.code);
      if (status !== undefined && (status < 500 || PROVIDER_ANSWERS.has(err.code))) return reply.code(status).send(errorBody(err.code, err.message));
      if (err.code === 'STORE_FAILED' || err.name === 'StoreError') {
        req.log.error({ err }, 'store failed');
        return reply.code(500).send(errorBody('STORE_FAILED', 'the store failed; see the server log'));
      }
    }
    // Driver errors (pg, PGlite) carry SQL state codes and text: never sent to the client.
    if (typeof (err as { severity?: unknown }).severity === 'string' || /^[0-9A-Z]{5}$/.test(String(err.code ?? ''))) {
      req.log.error({ err }, 'store failed');
      return reply.code(500).send(errorBody('STORE_FAILED', 'the store failed; see the server log'));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(errorBody('INTERNAL', 'internal error; see the server log'));
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const allow = allowedMethods(app, path);
    if (allow.length) return reply.code(405).header('allow', allow.join(', ')).send(errorBody('METHOD_NOT_ALLOWED', `${path} does not take ${req.method}; it takes ${allow.join(', ')}`));
    return reply.code(404).send(errorBody('NOT_FOUND', `no route ${req.method} ${path}`));
  });
}

/**
 * Errors of the HTTP parser, before Fastify has a request (headers over the size limit, a request
 * that never completes, bytes that are not HTTP): answered on the raw socket, in the same shape.
 */
export function rawClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'HEADERS_TOO_LARGE', 'the request line and headers are larger than allowed']
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'REQUEST_TIMEOUT', 'the request did not arrive in time']
    : [400, 'INVALID_REQUEST', 'the request is not valid HTTP'];
  const body = JSON.stringify(errorBody(code, message));
  const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
