/**
 * Turns across tenants when work queues up (issue 12). A job's BullMQ priority is its place in its
 * tenant's line: 1 when the tenant has nothing pending, else one after the tenant's last pending
 * job. Every tenant's first pending job comes before any tenant's second, so a tenant that queued a
 * thousand pulls delays another tenant's one pull by at most one job per other tenant, not by its
 * whole backlog (plain FIFO did); and within a tenant jobs keep their order. An earlier scheme (the
 * tenant's pending count) let a job queued while the backlog was short overtake every older job of
 * its tenant: on a saturated worker, re-polls of synced calendars kept jumping ahead of new
 * accounts' first syncs, which waited for as long as the saturation lasted.
 *
 * Per tenant, two sorted sets over the jobs' coalescing keys: when each entered (an entry older than
 * `ttlMs`, whose job was lost or removed by hand, ages out, so a miscount fades instead of lasting)
 * and the place each was given. The same key added twice keeps its place; a finished job's key leaves.
 */
import type { RedisConnection } from '../shared/redis-keys.ts';

/** Drops aged entries; keeps a pending key's place or gives it the next one; answers the place. */
const ENTER = `
local now, ttl, member, max = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local aged = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
for _, m in ipairs(aged) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('ZREM', KEYS[2], m)
end
local place = redis.call('ZSCORE', KEYS[2], member)
if not place then
  local last = redis.call('ZREVRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  place = 1
  if last[2] then place = math.min(max, tonumber(last[2]) + 1) end
  redis.call('ZADD', KEYS[1], now, member)
  redis.call('ZADD', KEYS[2], place, member)
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return tonumber(place)`;

/** Moves a pending key to the back of its tenant's line; answers its new place. */
const TO_BACK = `
local last = redis.call('ZREVRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if last[1] == ARGV[1] then return tonumber(last[2]) end
local place = 1
if last[2] then place = math.min(tonumber(ARGV[2]), tonumber(last[2]) + 1) end
redis.call('ZADD', KEYS[2], place, ARGV[1])
redis.call('ZADD', KEYS[1], 'NX', ARGV[3], ARGV[1])
return place`;

/** BullMQ's largest priority. A tenant overloaded for so long that its line reaches it is served in FIFO order there. */
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

  /** The priority of a job being queued under `jobKey` for the tenant (1 is first). */
  async enter(tenantId: string, jobKey: string): Promise<number> {
    const place = Number(await this.redis.eval(ENTER, 2, this.key(tenantId), this.placesKey(tenantId), Date.now(), this.ttlMs, jobKey, MAX_PRIORITY));
    return Math.min(MAX_PRIORITY, Math.max(1, place));
  }

  /**
   * The job under `jobKey` could not run yet (its server's or account's share of the workers is
   * taken) and waits: it goes to the back of its tenant's line, so the tenant's other work (another
   * provider's calendars) is not stuck behind a backlog on one slow server.
   */
  async toBack(tenantId: string, jobKey: string): Promise<number> {
    const place = Number(await this.redis.eval(TO_BACK, 2, this.key(tenantId), this.placesKey(tenantId), jobKey, MAX_PRIORITY, Date.now()));
    return Math.min(MAX_PRIORITY, Math.max(1, place));
  }

  /** The job under `jobKey` ran to an end (done or failed): it no longer counts. */
  async leave(tenantId: string, jobKey: string): Promise<void> {
    await this.redis.zrem(this.key(tenantId), jobKey);
    await this.redis.zrem(this.placesKey(tenantId), jobKey);
  }
}
