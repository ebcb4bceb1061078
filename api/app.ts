import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { loadApiConfig, type ApiConfig } from '../shared/config/index.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { Store } from '../shared/store/index.ts';
import { webhookRoutes, type WebhookOptions } from '../webhooks/index.ts';
import { registerAdminQueues, type AdminQueuesOptions } from './admin-queues.ts';
import { installAuth } from './auth.ts';
import { registerAvailability } from './availability.ts';
import { BusyCache } from './busy-cache.ts';
import { errorSchema, installErrorHandling } from './errors.ts';
import type { EventWriter } from './event-writer.ts';
import { registerEvents } from './events.ts';
import { registerFreeBusy } from './freebusy.ts';
import { registerHealthRoutes, type Probe } from './health.ts';
import { FIXED_LIMITS, type ApiLimits } from './limits.ts';
import type { RateLimitOptions } from './rate-limit.ts';
import { registerResources } from './resources.ts';
import { trackRoutes } from './route-list.ts';
import { registerSyncRoutes, type SyncApiDeps } from './sync-routes.ts';

export interface AppDeps {
  store: Store;
  metrics: Metrics;
  logger: Logger;
  probes: Probe[];
  /** Event writes (the sync engine's outbox); without it write routes answer 501 WRITES_UNAVAILABLE. */
  writer?: EventWriter;
  /** Conflicts and mirror-rule routes, when the sync engine is wired in. */
  sync?: SyncApiDeps;
  /** Push-notification receivers (/webhooks/*), when the sync engine's queue is wired in. */
  webhooks?: WebhookOptions;
  /** The queue dashboard at /admin/queues; only with an admin password configured. */
  adminQueues?: AdminQueuesOptions;
  /**
   * Rate and request limits (API_* variables). Unset: read from the environment here, so a
   * caller that does not pass its loaded Config still honours them.
   */
  config?: ApiConfig;
  /** Overrides of `config`, for tests and benchmarks. */
  limits?: Partial<ApiLimits>;
  /** Per API key, per process; overrides API_RATE_LIMIT_PER_SEC / API_RATE_LIMIT_BURST. */
  rateLimit?: RateLimitOptions;
  /** Failed authentications per client IP, per process (default 5/s, burst 50). */
  failedAuthLimit?: RateLimitOptions;
  /** Busy spans the free/busy cache keeps in memory, per process (default 2,000,000). */
  busyCacheSpans?: number;
  /** Largest accepted request body in bytes; overrides API_MAX_BODY_BYTES. */
  bodyLimit?: number;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const config = deps.config ?? loadApiConfig();
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit ?? config.maxBodyBytes,
    // Unknown fields are rejected (400 naming them) rather than dropped, and `"title": 42` is an
    // error rather than "42": no coercion (the one numeric query parameter is parsed by its route).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  trackRoutes(app);
  const { maxWindowDays, maxAvailabilityDays, maxCalendars } = config;
  const limits: ApiLimits = { ...FIXED_LIMITS, maxWindowDays, maxAvailabilityDays, maxCalendars, ...deps.limits };
  const rateLimit = deps.rateLimit ?? { perSecond: config.rateLimitPerSec, burst: config.rateLimitBurst };
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    deps.metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    deps.metrics.httpDuration.observe({ route }, reply.elapsedTime / 1000);
  });
  installErrorHandling(app);
  app.addSchema(errorSchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'calhub API', version: '1', description: 'Free/busy, availability, accounts, calendars, events, conflicts and mirror rules. Errors: docs/errors.md.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'a tenant API key' } } },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerHealthRoutes(app, deps);
  installAuth(app, deps.store, { rateLimit, failedAuthLimit: deps.failedAuthLimit });
  const busyCache = new BusyCache(deps.store.db, { maxSpans: deps.busyCacheSpans });
  registerFreeBusy(app, deps.store, limits, busyCache);
  registerAvailability(app, deps.store, limits, busyCache);
  registerResources(app);
  registerEvents(app, deps.store, limits, deps.writer);
  if (deps.sync) registerSyncRoutes(app, deps.sync);
  if (deps.webhooks) await app.register(webhookRoutes, deps.webhooks);
  if (deps.adminQueues) await registerAdminQueues(app, deps.adminQueues);
  return app;
}
