/**
 * Token buckets shared by every `calhub serve` process through the queue's Redis: N requests spread
 * over several API processes are counted as one stream (the API's limits, and the push receivers'
 * per-channel rate). One Lua script takes the tokens
 * atomically, on Redis's own clock (TIME), so processes with skewed clocks still agree.
 *
 * A process takes a few tokens more than it needs while the bucket has plenty (a lease: 1/20 of the
 * burst, kept for at most `leaseMs`), and spends them without asking Redis again. One round trip to
 * Redis per request was most of an API request's time on a busy machine (free/busy p50 7-10 ms
 * against 2-3 ms counted locally, at load 6-8): the reply waits for redis-server to be scheduled.
 * Leased tokens come out of the shared bucket, so the processes together never admit more than the
 * limit; what a lease costs is that tokens leased and not spent are lost to the others (at most one
 * lease per process and key, for at most `leaseMs`). Near the limit no lease is given: the last
 * tokens are counted one request at a time, as before.
 *
 * When Redis does not answer (down, failing over, slower than `timeoutMs`), the request is counted
 * by this process's own bucket instead: the limit degrades to "per process", as it was before
 * Redis shared it, rather than failing open (no limit at all) or closed (every request refused
 * while Redis is away). One warning is logged per degradation (and again if its kind changes), not
 * one per request; it says which kind: Redis `slow` (connected, but no answer within `timeoutMs`: on a
 * loaded machine, not an outage), or `error` (it answered with an error). Redis `unreachable` (the
 * connection is down or reconnecting) is the process's Redis outage, told once for the process
 * with the workers' (shared/outage-log.ts): the limiters and workers each logged their own line.
 */
import { createHash } from 'node:crypto';
import type { Logger } from './logger.ts';
import { isConnectionError, redisOutage, type RedisOutage } from './outage-log.ts';
import type { RedisConnection } from './redis-keys.ts';
import { RateLimiter, type RateLimitOptions } from './rate-limit.ts';

/**
 * Refills, then takes ARGV[3] tokens and, when ARGV[3] + ARGV[4] are there, ARGV[4] more (the
 * lease). Returns {0, lease taken, whole tokens left} when allowed, else {ms to wait, 0, whole tokens left}.
 */
const TAKE = `
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local need = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or cap
local ts = tonumber(b[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - ts) / 1000 * rate)
local wait = 0
local leased = 0
if tokens >= need + lease then leased = lease end
if tokens >= need then tokens = tokens - need - leased else wait = math.ceil((need - tokens) / rate * 1000) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate * 1000) + 1000)
return {wait, leased, math.floor(tokens)}`;
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
  /** How long leased tokens may be spent (default 1,000 ms). */
  leaseMs?: number;
  /** The process's Redis outage (tests give their own). */
  outage?: RedisOutage;
}

/** Leases are 1/20 of the burst: below a burst of 20 every request is counted in Redis. */
const LEASE_SHARE = 20;
const MAX_LEASES = 100_000;

/** Why a take was counted by this process: see the header. */
export type DegradedKind = 'slow' | 'unreachable' | 'error';

class RedisTimeout extends Error {}

function kindOf(e: unknown): DegradedKind {
  if (e instanceof RedisTimeout) return 'slow';
  return isConnectionError(e) ? 'unreachable' : 'error';
}

const WORDING: Record<Exclude<DegradedKind, 'unreachable'>, string> = {
  slow: 'Redis slow (connected, no answer within the timeout)',
  error: 'Redis answered with an error',
};

export class SharedRateLimiter {
  private readonly local: RateLimiter;
  private degradedSince = 0;
  private degradedKind: DegradedKind | null = null;
  /** Tokens taken from Redis ahead of need, per id, and until when they may be spent. */
  private readonly leases = new Map<string, { tokens: number; until: number; shared: number }>();
  private readonly leaseSize: number;

  constructor(
    private readonly opts: RateLimitOptions,
    private readonly shared: SharedLimitOptions,
  ) {
    this.local = new RateLimiter(opts);
    this.leaseSize = Math.floor(opts.burst / LEASE_SHARE);
    shared.redis?.connection.on('ready', () => this.outage.back());
  }

  private get outage(): RedisOutage {
    return this.shared.outage ?? redisOutage;
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
    return (await this.takeCounted(id, cost)).waitMs;
  }

  /**
   * As take, with the whole tokens left for `id` as this process knows them: the shared bucket at
   * its last answer plus this process's unspent lease (other processes' leases and the refill since
   * are not seen). The same one round trip (or none) as take.
   */
  async takeCounted(id: string, cost = 1): Promise<{ waitMs: number; remaining: number }> {
    const r = this.shared.redis;
    if (!r) return this.local.takeCounted(id, cost);
    const need = Math.min(cost, this.opts.burst);
    const spent = this.spendLeased(id, need);
    if (spent) return { waitMs: 0, remaining: spent.left };
    // A connection that is not ready would queue the command until Redis is back: count here now.
    if (r.connection.status !== 'ready') return this.fallback(id, need, 'unreachable', `Redis connection is ${r.connection.status}`);
    try {
      const [wait, leased, left] = await this.withTimeout(this.run(r.connection, `${r.prefix}:${this.shared.namespace ?? 'api'}:${this.shared.name}:${id}`, need));
      const leaseLeft = leased > 0 ? this.addLease(id, leased, left) : 0;
      if (this.degradedSince) this.recovered();
      return { waitMs: wait, remaining: left + leaseLeft };
    } catch (e) {
      return this.fallback(id, need, kindOf(e), e instanceof Error ? e.message : String(e));
    }
  }

  private recovered(): void {
    if (this.degradedKind === 'unreachable') this.outage.back();
    else this.shared.log.info({ limiter: this.shared.name, degradedMs: Date.now() - this.degradedSince }, `${this.label} rate limit shared through Redis again`);
    this.degradedSince = 0;
    this.degradedKind = null;
  }

  /** Spends from this process's lease when it holds enough; null when the take must ask Redis. */
  private spendLeased(id: string, need: number): { left: number } | null {
    const l = this.leases.get(id);
    if (!l) return null;
    if (l.until <= Date.now()) {
      this.leases.delete(id);
      return null;
    }
    if (l.tokens < need) return null;
    l.tokens -= need;
    if (l.tokens < 1) this.leases.delete(id);
    return { left: l.shared + Math.floor(l.tokens) };
  }

  /** Returns the whole tokens of the lease now held. */
  private addLease(id: string, tokens: number, shared: number): number {
    const until = Date.now() + (this.shared.leaseMs ?? 1000);
    const l = this.leases.get(id);
    if (l && l.until > Date.now()) {
      l.tokens += tokens;
      l.until = until;
      l.shared = shared;
      return Math.floor(l.tokens);
    }
    // Bounded memory: a lease is worth at most leaseMs, so dropping them all loses little.
    if (this.leases.size >= MAX_LEASES) this.leases.clear();
    this.leases.set(id, { tokens, until, shared });
    return Math.floor(tokens);
  }

  private async run(redis: RedisConnection, key: string, need: number): Promise<[wait: number, leased: number, left: number]> {
    const args = [this.opts.burst, this.opts.perSecond, need, need < this.opts.burst ? this.leaseSize : 0];
    let reply: unknown;
    try {
      reply = await redis.evalsha(TAKE_SHA, 1, key, ...args);
    } catch (e) {
      // The first call on a Redis node (or after SCRIPT FLUSH / a failover) loads the script.
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
      reply = await redis.eval(TAKE, 1, key, ...args);
    }
    const [wait, leased, left] = reply as [number, number, number];
    return [Number(wait), Number(leased), Number(left)];
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    const ms = this.shared.timeoutMs ?? 250;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new RedisTimeout(`Redis did not answer within ${ms} ms`)), ms)));
    p.catch(() => {}); // a late answer or error after the timeout is not an unhandled rejection
    return Promise.race([p, late]).finally(() => clearTimeout(timer));
  }

  private fallback(id: string, need: number, kind: DegradedKind, reason: string): { waitMs: number; remaining: number } {
    if (!this.degradedSince) this.degradedSince = Date.now();
    if (kind === 'unreachable') {
      this.degradedKind = kind;
      this.outage.report(this.shared.log, `${this.label} rate limit (counting per process meanwhile)`, reason, true);
    } else if (this.degradedKind !== kind) {
      this.degradedKind = kind;
      this.shared.log.warn(
        { limiter: this.shared.name, redis: kind, reason },
        `${this.label} rate limit: ${WORDING[kind]}, counting per process until it answers again`,
      );
    }
    return this.local.takeCounted(id, need);
  }
}
