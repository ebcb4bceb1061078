import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../shared/metrics.ts';
import { quietInStoreOutage, redisOutage, StartingError } from '../shared/outage-log.ts';

export interface Probe {
  name: string;
  /** The API serves without it (Redis: writes wait in the store's outbox): down is `degraded`, still 200. */
  optional?: boolean;
  check(): Promise<void>;
}

/** A few words, never an address or a URL: the answer is unauthenticated. */
function reasonOf(e: unknown): string {
  const text = `${(e as { code?: unknown })?.code ?? ''} ${e instanceof Error ? e.message : String(e)}`;
  if (/did not answer within/.test(text)) return 'did not answer within 2 s';
  const m = /connection refused|connection reset|connection timed out|connection terminated|connection closed|host not found|host unreachable|database "[^"]*" does not exist|role "[^"]*" does not exist|password authentication failed/i.exec(text);
  return m ? m[0] : 'unavailable';
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
    status: {
      type: 'string',
      enum: ['ready', 'starting', 'degraded', 'not_ready'],
      description: 'degraded: Redis is unavailable, the API still serves (sync and outgoing webhooks wait); starting: the process is still making its first connection to Redis (up to its connect timeout), and serves meanwhile',
    },
    checks: { type: 'object', additionalProperties: { type: 'string', enum: ['ok', 'starting', 'unavailable'] }, description: 'each probe by name (store, redis)' },
    reasons: { type: 'object', additionalProperties: { type: 'string' }, description: 'why each unavailable probe is, in a few words (connection refused, did not answer within 2 s)' },
  },
} as const;

/** Liveness, readiness (store and Redis reachable) and Prometheus metrics. */
export function registerHealthRoutes(app: FastifyInstance, deps: { probes: Probe[]; metrics: Metrics }): void {
  app.get(
    '/healthz',
    { logLevel: 'warn', schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } } } },
    async () => ({ status: 'ok' }),
  );

  const readyzSchema = { tags: ['health'], summary: 'Readiness: the store answers within 2 s (503 when not); Redis down is 200 degraded, Redis not yet connected at start 200 starting', response: { 200: readiness, 503: readiness } };
  app.get('/readyz', { logLevel: 'warn', schema: readyzSchema }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    const reasons: Record<string, string> = {};
    await Promise.all(
      deps.probes.map(async (p) => {
        try {
          await withTimeout(p.check(), 2000, p.name);
          checks[p.name] = 'ok';
        } catch (e) {
          if (e instanceof StartingError && p.optional) {
            checks[p.name] = 'starting';
            return;
          }
          checks[p.name] = 'unavailable';
          reasons[p.name] = reasonOf(e);
          // A known outage is the outage's own lines (shared/outage-log.ts), not a warning per probe.
          if (!quietInStoreOutage(e, 'readiness probe') && !(p.name === 'redis' && redisOutage.down)) app.log.warn({ err: e, probe: p.name }, 'readiness probe failed');
        }
      }),
    );
    // Only what the API cannot serve without takes a process out of its load balancer: pulling
    // every `serve` because Redis is down turned a survivable Redis outage into a full one.
    const down = deps.probes.filter((p) => checks[p.name] === 'unavailable');
    const starting = deps.probes.some((p) => checks[p.name] === 'starting');
    const status = down.length === 0 ? (starting ? 'starting' : 'ready') : down.every((p) => p.optional) ? 'degraded' : 'not_ready';
    return reply.code(status === 'not_ready' ? 503 : 200).send({ status, checks, ...(down.length ? { reasons } : {}) });
  });

  // The content-type form: the text is sent as it is, never serialized as a JSON string.
  const metricsSchema = { tags: ['health'], summary: 'Prometheus metrics (text exposition format)', response: { 200: { content: { 'text/plain': { schema: { type: 'string' } } } } } };
  app.get('/metrics', { logLevel: 'warn', schema: metricsSchema }, async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.text();
  });
}
