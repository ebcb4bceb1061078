/**
 * Turns across tenants when work queues up (issue 12). A job's BullMQ priority is its place: one
 * after its tenant's last pending job, and never before the queue's clock, the place of the latest
 * job that started. Every tenant's first pending job comes before any tenant's second, so a tenant
 * that queued a thousand pulls delays another tenant's one pull by at most one job per other
 * tenant, not by its whole backlog (plain FIFO did); and within a tenant jobs keep their order.
 *
 * Two earlier schemes failed. The tenant's pending count let a job queued while the backlog was
 * short overtake every older job of its tenant: on a saturated worker, re-polls of synced calendars
 * kept jumping ahead of new accounts' first syncs. Places counted from 1 per tenant without the
 * clock let a tenant whose line had been busy for hours (its places in the thousands) wait behind
 * the whole backlog of a tenant that had just arrived (places from 1).
 *
 * Per tenant, two sorted sets over the jobs' coalescing keys: when each entered (an entry older than
 * `ttlMs`, whose job was lost or removed by hand, ages out, so a miscount fades instead of lasting)
 * and the place each was given. The same key added twice keeps its place; a finished job's key
 * leaves. One more set holds every tenant's pending keys: when it empties, the clock starts again
 * at 0, so places stay far below BullMQ's largest priority unless the queue never drains.
 */
import type { RedisConnection } from '../shared/redis-keys.ts';

/** KEYS: entered, places, clock, all pending. ARGV: now, ttl, member, max priority, tenant-qualified member. */
const ENTER = `
local now, ttl, member, max = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local aged = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
for _, m in ipairs(aged) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('ZREM', KEYS[2], m)
end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - ttl)
local place = redis.call('ZSCORE', KEYS[2], member)
if not place then
  local base = tonumber(redis.call('GET', KEYS[3]) or '0')
  local last = redis.call('ZREVRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if last[2] and tonumber(last[2]) > base then base = tonumber(last[2]) end
  place = math.min(max, base + 1)
  redis.call('ZADD', KEYS[1], now, member)
  redis.call('ZADD', KEYS[2], place, member)
  redis.call('ZADD', KEYS[4], now, ARGV[5])
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('PEXPIRE', KEYS[4], ttl)
return tonumber(place)`;

/** Moves a pending key to the back of its tenant's line (and not before the clock); answers its new place. */
const TO_BACK = `
local last = redis.call('ZREVRANGE', KEYS[2], 0, 0, 'WITHSCORES')
local base = tonumber(redis.call('GET', KEYS[3]) or '0')
if last[1] == ARGV[1] and tonumber(last[2]) > base then return tonumber(last[2]) end
if last[2] and tonumber(last[2]) > base then base = tonumber(last[2]) end
local place = math.min(tonumber(ARGV[2]), base + 1)
redis.call('ZADD', KEYS[2], place, ARGV[1])
redis.call('ZADD', KEYS[1], 'NX', ARGV[3], ARGV[1])
return place`;

/** KEYS: entered, places, clock, all pending. The clock goes back to 0 when nothing is pending. */
const LEAVE = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[2])
if redis.call('ZCARD', KEYS[4]) == 0 then redis.call('DEL', KEYS[3]) end
return 0`;

/** The clock moves to a starting job's place (never back). */
const STARTED = `
local place = tonumber(ARGV[1])
if place > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], place, 'PX', tonumber(ARGV[2])) end
return 0`;

/** BullMQ's largest priority. While the queue never drains, places stop there and are served in FIFO order. */
export const MAX_PRIORITY = 2_097_152;

export class TenantTurns {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly ttlMs = 86_400_000,
  ) {}

  private key(tenantId: string): string {
    return `${this.prefix}:turns:${tenantId}`;
  }

  private placesKey(tenantId: string): string {
    return `${this.prefix}:turns:${tenantId}:place`;
  }

  private keys(tenantId: string): [string, string, string, string] {
    // Tenant ids are `ten_…`: these two never collide with one.
    return [this.key(tenantId), this.placesKey(tenantId), `${this.prefix}:turns::clock`, `${this.prefix}:turns::pending`];
  }

  /** The priority of a job being queued under `jobKey` for the tenant (1 is first). */
  async enter(tenantId: string, jobKey: string): Promise<number> {
    const place = Number(await this.redis.eval(ENTER, 4, ...this.keys(tenantId), Date.now(), this.ttlMs, jobKey, MAX_PRIORITY, `${tenantId}\u0000${jobKey}`));
    return Math.min(MAX_PRIORITY, Math.max(1, place));
  }

  /**
   * The job under `jobKey` could not run yet (its server's or account's share of the workers is
   * taken) and waits: it goes to the back of its tenant's line, so the tenant's other work (another
   * provider's calendars) is not stuck behind a backlog on one slow server.
   */
  async toBack(tenantId: string, jobKey: string): Promise<number> {
    const place = Number(await this.redis.eval(TO_BACK, 3, ...this.keys(tenantId).slice(0, 3), jobKey, MAX_PRIORITY, Date.now()));
    return Math.min(MAX_PRIORITY, Math.max(1, place));
  }

  /** The job under `jobKey` ran to an end (done or failed): it no longer counts. */
  async leave(tenantId: string, jobKey: string): Promise<void> {
    await this.redis.eval(LEAVE, 4, ...this.keys(tenantId), jobKey, `${tenantId}\u0000${jobKey}`);
  }

  /** A job with this priority starts running: later arrivals of any tenant queue after it. */
  async started(priority: number | undefined): Promise<void> {
    if (!priority) return;
    await this.redis.eval(STARTED, 1, `${this.prefix}:turns::clock`, priority, this.ttlMs);
  }
}
