import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiKeyHandle, tenantOfKey, type Hub } from '../hub/index.ts';
import { ApiError } from './errors.ts';
import type { RateLimitOptions } from '../shared/rate-limit.ts';
import { SharedRateLimiter } from '../shared/shared-rate-limit.ts';
import { rateLimitFields } from './rate-limit-headers.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's tenant: routes pass its id to hub/ use cases (they never reach the store). */
    tenant: { tenantId: string };
  }
}

export interface AuthOptions {
  rateLimit: RateLimitOptions;
  /**
   * How long a resolved key stays cached (API_KEY_CACHE_S); a revoked key keeps working at most
   * this long. A store outage does not stretch it: a key whose last check is older is not
   * honoured (503 STORE_UNAVAILABLE), even where free/busy could answer from its cache.
   */
  keyCacheMs?: number;
  /** Failed authentications per client IP (default 5/s, burst 50). */
  failedAuthLimit?: RateLimitOptions;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Bearer API keys on every /v1 route, then the per-key rate limit. */
export function installAuth(app: FastifyInstance, hub: Hub, opts: AuthOptions): void {
  // Counted across every API process through the hub's Redis when it has one (shared-rate-limit.ts).
  const limiter = new SharedRateLimiter(opts.rateLimit, { redis: hub.redis, name: 'key', log: hub.log });
  // Bad keys are limited per client address: each one costs a store lookup and could be a guess.
  const failures = new SharedRateLimiter(opts.failedAuthLimit ?? { perSecond: 5, burst: 50 }, { redis: hub.redis, name: 'auth-fail', log: hub.log });
  const ttl = opts.keyCacheMs ?? 10_000;
  const cache = new Map<string, { tenantId: string; until: number; checking?: boolean }>();

  async function check(apiKey: string, keyHash: string): Promise<string | null> {
    const now = Date.now();
    const tenantId = await tenantOfKey(hub, apiKey);
    if (!tenantId) {
      cache.delete(keyHash);
      return null;
    }
    if (cache.size >= 10_000) cache.clear();
    cache.set(keyHash, { tenantId, until: now + ttl });
    return tenantId;
  }

  async function tenantOf(apiKey: string): Promise<{ tenantId: string; keyHash: string } | null> {
    const keyHash = apiKeyHandle(apiKey);
    const now = Date.now();
    const hit = cache.get(keyHash);
    if (hit && hit.until > now) {
      // In its second half the key is checked again in the background: a client that keeps
      // calling never waits for the store (on PGlite, behind sync transactions), and a revoked key
      // still stops working within the ttl of its last check.
      if (hit.until - now < ttl / 2 && !hit.checking) {
        hit.checking = true;
        void check(apiKey, keyHash).catch(() => void (hit.checking = false));
      }
      return { tenantId: hit.tenantId, keyHash };
    }
    const tenantId = await check(apiKey, keyHash);
    return tenantId ? { tenantId, keyHash } : null;
  }

  app.decorateRequest('tenant', null as unknown as { tenantId: string });
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    // The matched route, not the raw URL: an encoded or odd spelling of a /v1 path still needs a key.
    if (!(req.routeOptions.url ?? req.url).startsWith('/v1/') && !req.url.startsWith('/v1/')) return;
    const m = BEARER.exec(req.headers.authorization ?? '');
    if (!m) throw new ApiError('UNAUTHENTICATED', 'an API key is required: Authorization: Bearer <key>', { 'www-authenticate': 'Bearer' });
    const who = await tenantOf(m[1]!);
    if (!who) {
      const waitMs = await failures.take(req.ip);
      if (waitMs > 0) throw new ApiError('RATE_LIMITED', `too many failed authentications; retry in ${waitMs} ms`, { 'retry-after': String(Math.ceil(waitMs / 1000)) });
      throw new ApiError('UNAUTHENTICATED', 'the API key is not valid', { 'www-authenticate': 'Bearer' });
    }
    // The take that decides a 429 also says how much is left: every answer to this key carries it.
    const { waitMs, remaining } = await limiter.takeCounted(who.keyHash);
    const fields = rateLimitFields(opts.rateLimit, remaining);
    if (waitMs > 0) {
      throw new ApiError('RATE_LIMITED', `rate limit exceeded for this API key; retry in ${waitMs} ms`, { ...fields, 'retry-after': String(Math.ceil(waitMs / 1000)) });
    }
    reply.headers(fields);
    req.tenant = { tenantId: who.tenantId };
  });
}
