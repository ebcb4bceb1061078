/**
 * Per-account request budgets: a token bucket per account in Redis, shared by every worker, set
 * well under each provider's published quota so steady-state traffic never meets a 429.
 */
import type { RedisConnection } from '../shared/redis-keys.ts';
import { RateLimitedError } from '../connectors/index.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { ProviderId } from '../shared/model/index.ts';
import type { Connected } from './deps.ts';
import { wrapConnector } from './wrap-connector.ts';

/** tokens per second and burst; half of each provider's limit (targets P7). */
export const BUDGETS: Record<ProviderId, { rate: number; burst: number } | null> = {
  google: { rate: 5, burst: 20 }, // 600 req/min/user
  microsoft: { rate: 8, burst: 4 * 5 }, // 10,000 req / 10 min / mailbox
  caldav: { rate: 10, burst: 20 }, // no published limit: stay polite
  memory: null,
};

const SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or capacity
local ts = tonumber(b[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - ts) / 1000 * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate * 1000) end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return wait`;

export class RequestBudget {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly metrics?: Metrics,
  ) {}

  /** Milliseconds to wait before the next request of this account may go out (0: go now). */
  async take(accountId: string, provider: ProviderId): Promise<number> {
    const b = BUDGETS[provider];
    if (!b) return 0;
    const wait = await this.redis.eval(SCRIPT, 1, `${this.prefix}:budget:${accountId}`, b.burst, b.rate, Date.now());
    return Number(wait);
  }

  /** Every connector call first takes a token; short waits are slept, long ones delay the job. */
  wrap(connected: Connected, accountId: string, provider: ProviderId): Connected {
    const c = connected.connector;
    const gate = async () => {
      for (;;) {
        const wait = await this.take(accountId, provider);
        if (wait === 0) return;
        if (wait > 2000) throw new RateLimitedError(`request budget of account ${accountId} is spent`, wait);
        this.metrics?.rateLimitWaits.inc({ provider, kind: 'sleep' });
        this.metrics?.rateLimitWaitSeconds.inc({ provider, kind: 'sleep' }, wait / 1000);
        await new Promise((r) => setTimeout(r, wait));
      }
    };
    const gated = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
      await gate();
      return fn(...args);
    };
    return { ...connected, connector: wrapConnector(c, gated) };
  }
}
