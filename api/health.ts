import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../shared/metrics.ts';
import { quietInStoreOutage } from '../shared/outage-log.ts';

export interface Probe {
  name: string;
  check(): Promise<void>;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  const timeout = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref();
  });
  return Promise.race([p, timeout]);
}

const readiness = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    checks: { type: 'object', additionalProperties: { type: 'string', enum: ['ok', 'unavailable'] }, description: 'each probe by name (store, redis)' },
  },
} as const;

/** Liveness, readiness (store and Redis reachable) and Prometheus metrics. */
export function registerHealthRoutes(app: FastifyInstance, deps: { probes: Probe[]; metrics: Metrics }): void {
  app.get(
    '/healthz',
    { logLevel: 'warn', schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } } } },
    async () => ({ status: 'ok' }),
  );

  const readyzSchema = { tags: ['health'], summary: 'Readiness: every dependency (store, Redis) answers within 2 s', response: { 200: readiness, 503: readiness } };
  app.get('/readyz', { logLevel: 'warn', schema: readyzSchema }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    await Promise.all(
      deps.probes.map(async (p) => {
        try {
          await withTimeout(p.check(), 2000, p.name);
          checks[p.name] = 'ok';
        } catch (e) {
          // The reason stays in the server log; the probe answer names only what failed. A store
          // outage is the outage's own lines, not a warning per probe.
          if (!quietInStoreOutage(e, 'readiness probe')) app.log.warn({ err: e, probe: p.name }, 'readiness probe failed');
          checks[p.name] = 'unavailable';
        }
      }),
    );
    const ready = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  // The content-type form: the text is sent as it is, never serialized as a JSON string.
  const metricsSchema = { tags: ['health'], summary: 'Prometheus metrics (text exposition format)', response: { 200: { content: { 'text/plain': { schema: { type: 'string' } } } } } };
  app.get('/metrics', { logLevel: 'warn', schema: metricsSchema }, async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.text();
  });
}
