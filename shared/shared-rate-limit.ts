/**
 * Token buckets shared by every `calhub serve` process through the queue's Redis: N requests spread
 * over several API processes are counted as one stream (the API's limits, and the push receivers'
 * per-channel rate). One Lua script takes the tokens
 * atomically, on Redis's own clock (TIME), so processes with skewed clocks still agree.
 *
 * When Redis does not answer (down, failing over, slower than `timeoutMs`), the request is counted
 * by this process's own bucket instead: the limit degrades to "per process", as it was before
 * Redis shared it, rather than failing open (no limit at all) or closed (every request refused
 * while Redis is away). One warning is logged per outage, not one per request.
 */
import { createHash } from 'node:crypto';
import type { Logger } from './logger.ts';
import type { RedisConnection } from './redis-keys.ts';
import { RateLimiter, type RateLimitOptions } from './rate-limit.ts';

/** Refills, then takes ARGV[3] tokens if there are that many; returns 0 (taken) or the ms to wait. */
const TAKE = `
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local need = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or cap
local ts = tonumber(b[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - ts) / 1000 * rate)
local wait = 0
if tokens >= need then tokens = tokens - need else wait = math.ceil((need - tokens) / rate * 1000) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate * 1000) + 1000)
return wait`;
const TAKE_SHA = createHash('sha1').update(TAKE).digest('hex');

export interface SharedLimitOptions {
  redis: { connection: RedisConnection; prefix: string } | null;
  /** What the buckets count (`key`, `auth-fail`, `write`, `channel`): part of the Redis key. */
  name: string;
  /** Who counts (default `api`): the Redis key's first part and the logs' wording. */
  namespace?: string;
  log: Logger;
  /** How long a take may wait for Redis before this process counts on its own (default 250 ms). */
  timeoutMs?: number;
}

export class SharedRateLimiter {
  private readonly local: RateLimiter;
  private degradedSince = 0;

  constructor(
    private readonly opts: RateLimitOptions,
    private readonly shared: SharedLimitOptions,
  ) {
    this.local = new RateLimiter(opts);
  }

  private get label(): string {
    return (this.shared.namespace ?? 'api') === 'api' ? 'API' : this.shared.namespace!;
  }

  /** True when counting is shared (a Redis is configured); false: this process only. */
  get isShared(): boolean {
    return this.shared.redis !== null;
  }

  /** Takes `cost` tokens (at most a full bucket) from `id`'s bucket; 0 when allowed, else the ms to wait. */
  async take(id: string, cost = 1): Promise<number> {
    const r = this.shared.redis;
    if (!r) return this.local.take(id, cost);
    const need = Math.min(cost, this.opts.burst);
    // A connection that is not ready would queue the command until Redis is back: count here now.
    if (r.connection.status !== 'ready') return this.fallback(id, need, new Error(`Redis connection is ${r.connection.status}`));
    try {
      const wait = await this.withTimeout(this.run(r.connection, `${r.prefix}:${this.shared.namespace ?? 'api'}:${this.shared.name}:${id}`, need));
      if (this.degradedSince) {
        this.shared.log.info({ limiter: this.shared.name, degradedMs: Date.now() - this.degradedSince }, `${this.label} rate limit shared through Redis again`);
        this.degradedSince = 0;
      }
      return wait;
    } catch (e) {
      return this.fallback(id, need, e);
    }
  }

  private async run(redis: RedisConnection, key: string, need: number): Promise<number> {
    const args = [this.opts.burst, this.opts.perSecond, need];
    try {
      return Number(await redis.evalsha(TAKE_SHA, 1, key, ...args));
    } catch (e) {
      // The first call on a Redis node (or after SCRIPT FLUSH / a failover) loads the script.
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
      return Number(await redis.eval(TAKE, 1, key, ...args));
    }
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    const ms = this.shared.timeoutMs ?? 250;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms)));
    p.catch(() => {}); // a late answer or error after the timeout is not an unhandled rejection
    return Promise.race([p, late]).finally(() => clearTimeout(timer));
  }

  private fallback(id: string, need: number, why: unknown): number {
    if (!this.degradedSince) {
      this.degradedSince = Date.now();
      this.shared.log.warn(
        { limiter: this.shared.name, reason: why instanceof Error ? why.message : String(why) },
        `${this.label} rate limit: Redis unavailable, counting per process until it answers again`,
      );
    }
    return this.local.take(id, need);
  }
}
