/**
 * Turns across tenants when work queues up (issue 12). A job's BullMQ priority is how many jobs
 * its tenant has pending, itself included: every tenant's first pending job comes before any
 * tenant's second, so a tenant that queued a thousand pulls delays another tenant's one pull by
 * at most one job per other tenant, not by its whole backlog (plain FIFO did).
 *
 * Pending jobs are counted by coalescing key in a sorted set per tenant: the same key added twice
 * counts once, a finished job's key leaves, and an entry older than `ttlMs` (its job was lost or
 * removed by hand) ages out, so a miscount fades instead of lasting.
 */
import type { RedisConnection } from '../shared/redis-keys.ts';

/** Drops aged entries, adds the key if absent, answers how many are pending. */
const ENTER = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return redis.call('ZCARD', KEYS[1])`;

/** BullMQ's largest priority. */
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

  /** The priority of a job being queued under `jobKey` for the tenant (1 is first). */
  async enter(tenantId: string, jobKey: string): Promise<number> {
    const pending = Number(await this.redis.eval(ENTER, 1, this.key(tenantId), Date.now(), this.ttlMs, jobKey));
    return Math.min(MAX_PRIORITY, Math.max(1, pending));
  }

  /** The job under `jobKey` ran to an end (done or failed): it no longer counts. */
  async leave(tenantId: string, jobKey: string): Promise<void> {
    await this.redis.zrem(this.key(tenantId), jobKey);
  }
}
