import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { documentTransportErrors } from './transport-errors.ts';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Hub, IdempotencyOptions } from '../hub/index.ts';
import type { ApiConfig } from '../shared/config/index.ts';
import type { Logger } from '../shared/logger.ts';
import { createMetrics, type Metrics } from '../shared/metrics.ts';
import type { AdminQueuesOptions } from './admin-queues.ts';
import { installAuth } from './auth.ts';
import { registerAvailability } from './availability.ts';
import { errorBody, errorSchema, installErrorHandling, rawClientError } from './errors.ts';
import { isDateTimeInput } from './date-time-input.ts';
import { registerEvents } from './events.ts';
import { registerFreeBusy } from './freebusy.ts';
import { registerHealthRoutes, type Probe } from './health.ts';
import { installIdempotency } from './idempotency.ts';
import { FIXED_LIMITS, type ApiLimits } from './limits.ts';
import type { RateLimitOptions } from '../shared/rate-limit.ts';
import { registerResources } from './resources.ts';
import { trackRoutes } from './route-list.ts';
import { markEmptyBodiesOptional } from './optional-body.ts';
import { documentResponseHeaders } from './response-headers.ts';
import { MAX_PATH_PARAM_LENGTH } from './schemas.ts';
import { installQueryTypes } from './query-types.ts';
import { installTextGuard } from './text-guard.ts';
import { WriteBudget } from './write-budget.ts';
import { registerWebhookRoutes } from './webhook-routes.ts';
import { registerSyncRoutes } from './sync-routes.ts';
import { registerConnectRoutes } from './connect-routes.ts';

/** More routes mounted by the composition root (the webhook receivers); api/ does not import them. */
export type AppPlugin = (app: FastifyInstance) => Promise<unknown>;

export interface AppDeps {
  /** The application layer: every route calls its use cases. */
  hub: Hub;
  /** Default: the hub's, else a registry of its own. */
  metrics?: Metrics;
  /** Default: the hub's logger. */
  logger?: Logger;
  /** Default: the hub's (store, and Redis when it has a queue). */
  probes?: Probe[];
  /** false: event write routes answer 501 WRITES_UNAVAILABLE (a read-only server). */
  writes?: boolean;
  plugins?: AppPlugin[];
  /** The queue dashboard at /admin/queues; only with an admin password configured. */
  adminQueues?: AdminQueuesOptions;
  /** Rate and request limits (API_* variables). Default: the hub's configuration. */
  config?: ApiConfig;
  /** Overrides of `config`, for tests and benchmarks. */
  limits?: Partial<ApiLimits>;
  /** Per API key (across API processes when the hub has a Redis); overrides API_RATE_LIMIT_PER_SEC / API_RATE_LIMIT_BURST. */
  rateLimit?: RateLimitOptions;
  /** How long a verified API key is honoured without asking the store; overrides API_KEY_CACHE_S (tests). */
  keyCacheMs?: number;
  /** Failed authentications per client IP, across API processes like rateLimit (default 5/s, burst 50). */
  failedAuthLimit?: RateLimitOptions;
  /** Largest accepted request body in bytes; overrides API_MAX_BODY_BYTES. */
  bodyLimit?: number;
  /** Per tenant, across API processes like rateLimit; overrides API_WRITE_OCCURRENCES_PER_SEC / _BURST. */
  writeBudget?: RateLimitOptions;
  /** Idempotency-Key handling (the clock, how long a retry waits for the first answer); tests. */
  idempotency?: IdempotencyOptions;
  /** The clock availability reads now from (no slot before now + minimumNoticeMinutes); tests. */
  now?: () => Date;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const hub = deps.hub;
  const config = deps.config ?? hub.config.api;
  const metrics = deps.metrics ?? hub.metrics ?? createMetrics();
  const app = Fastify({
    loggerInstance: (deps.logger ?? hub.log) as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit ?? config.maxBodyBytes,
    // One bound for the router and the path schemas (api/schemas.ts), so the document says what is served.
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    // `start` logged two lines per request and `serve` none (an outside user): both now follow API_LOG_REQUESTS.
    // Through a LogController: Fastify 5's top-level disableRequestLogging option warns FSTDEP023 on every build.
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
    // Unknown fields are rejected (400 naming them) rather than dropped, and `"title": 42` is an
    // error rather than "42": no coercion (integer and boolean query parameters: api/query-types.ts).
    // verbose: refusals carry the schema they broke, so messages list known fields and show examples (api/errors.ts).
    // date-time: a date that exists, refused as the event writes refuse one (api/date-time-input.ts).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, verbose: true }, onCreate: (ajv) => ajv.addFormat('date-time', { type: 'string', validate: isDateTimeInput }) },
    // Errors raised before routing (a URL that is not valid UTF-8, a path parameter too long) and
    // by the HTTP parser (headers too large) get the documented shape too.
    frameworkErrors: (err, _req, reply: FastifyReply) => {
      if (err.statusCode === 414) return void reply.code(414).send(errorBody('URI_TOO_LONG', `a path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters`));
      void reply.code(400).send(errorBody('INVALID_REQUEST', err.code === 'FST_ERR_BAD_URL' ? 'the URL is not valid percent-encoded UTF-8' : err.message));
    },
    clientErrorHandler: rawClientError,
  });
  trackRoutes(app);
  // A /v1 route that declares no query parameters takes none: an unknown one is 400 naming it, as
  // on the routes that declare theirs, not ignored (a misspelt parameter would otherwise do nothing).
  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith('/v1/') || (r.schema as { querystring?: unknown } | undefined)?.querystring) return;
    r.schema = { ...r.schema, querystring: { type: 'object', additionalProperties: false, properties: {} } };
  });
  app.addHook('onRoute', documentTransportErrors);
  // Only JSON bodies (webhooks/ adds text/plain back for Graph's handshake): text/plain is 415, not a string that fails validation with 400.
  app.removeContentTypeParser('text/plain');
  // An empty body sent as JSON is no body (a DELETE from a client that sets the content type on
  // every request was 400 "Body cannot be empty"); a route that needs one says so by its schema.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') return done(null, undefined);
    json(req, body as string, done);
  });
  const { maxWindowDays, maxAvailabilityDays, maxCalendars } = config;
  const limits: ApiLimits = { ...FIXED_LIMITS, maxWindowDays, maxAvailabilityDays, maxCalendars, freeBusyStaleMaxMs: config.freeBusyStaleMaxS * 1000, ...deps.limits };
  const rateLimit = deps.rateLimit ?? { perSecond: config.rateLimitPerSec, burst: config.rateLimitBurst };
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ route }, reply.elapsedTime / 1000);
  });
  installErrorHandling(app, { storeRetryAfterS: config.storeRetryAfterS });
  // Before the text guard: its refusals, like the schema's, are kept under an Idempotency-Key.
  installIdempotency(app, hub, deps.idempotency);
  installTextGuard(app);
  installQueryTypes(app);
  app.addSchema(errorSchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'calhub API', version: '1', description: 'Free/busy, availability, accounts, calendars, events, conflicts, mirror rules and outbound webhooks (payload schemas: components Webhook_*). Errors: docs/errors.md.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'a tenant API key' } } },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transformObject: (d) => documentResponseHeaders(markEmptyBodiesOptional('openapiObject' in d ? d.openapiObject : d.swaggerObject)),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerHealthRoutes(app, { probes: deps.probes ?? hub.probes, metrics });
  installAuth(app, hub, { rateLimit, failedAuthLimit: deps.failedAuthLimit, keyCacheMs: deps.keyCacheMs ?? config.keyCacheS * 1000 });
  registerFreeBusy(app, hub, limits);
  registerAvailability(app, hub, limits, deps.now);
  registerResources(app, hub);
  const writeBudget = new WriteBudget({ ...(deps.writeBudget ?? { perSecond: config.writeOccurrencesPerSec, burst: config.writeOccurrencesBurst }), horizon: config.horizon }, { redis: hub.redis, log: hub.log });
  registerEvents(app, hub, limits, deps.writes ?? true, writeBudget);
  registerSyncRoutes(app, hub);
  registerWebhookRoutes(app, hub);
  registerConnectRoutes(app, hub);
  for (const plugin of deps.plugins ?? []) await plugin(app);
  // bull-board is loaded only when the dashboard is on (CALHUB_ADMIN_PASSWORD): ~4 MB of heap and
  // ~8 MB resident in the API thread otherwise spent on a page nobody can open (issue 15).
  if (deps.adminQueues) await (await import('./admin-queues.ts')).registerAdminQueues(app, deps.adminQueues);
  return app;
}
