/**
 * Fair shares of the workers (issue 12): a sync run holds a lease on its provider host (CalDAV:
 * the server) and on its account, and at most `perHost` / `perAccount` runs hold one at a time,
 * across every worker. Four calendars on a server that answers one byte every 30 s took every
 * worker slot of the deployment; now they take their host's share and wait (delayed, not
 * occupying a slot) for the rest. Leases expire unless renewed, so a killed worker's lease frees
 * itself within seconds.
 */
import type { RedisConnection } from '../shared/redis-keys.ts';

/** Frees expired leases, then takes one if fewer than the limit are held. 1: taken, 0: full. */
const ACQUIRE = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
  return 1
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
return 1`;

export interface FairShareOptions {
  /** Runs one provider host may have at once, across all workers. */
  perHost: number;
  /** Runs one account may have at once, across all workers. */
  perAccount: number;
  /**
   * Runs one tenant may have at once, across all workers (default: no limit). A tenant with six
   * accounts on six slow servers stays within every host's and account's share and still fills
   * all four slots of a worker; below the slot count, another tenant's job always finds one.
   */
  perTenant?: number;
  /** A lease not renewed for this long is free again (renewed every third of it). */
  leaseMs: number;
}

export const DEFAULT_FAIR_SHARE: FairShareOptions = { perHost: 2, perAccount: 2, leaseMs: 15_000 };

export interface Lease {
  release(): Promise<void>;
}

export class FairShare {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    readonly opts: FairShareOptions = DEFAULT_FAIR_SHARE,
  ) {}

  private async take(key: string, limit: number, holder: string): Promise<boolean> {
    return Number(await this.redis.eval(ACQUIRE, 1, key, Date.now(), limit, this.opts.leaseMs, holder)) === 1;
  }

  /**
   * Takes every share the run needs, or none (null: try later). Held leases are renewed until
   * released.
   */
  async acquire(holder: string, shares: { host: string | null; accountId: string; tenantId?: string }): Promise<Lease | null> {
    const wanted: Array<[string, number]> = [[`${this.prefix}:share:account:${shares.accountId}`, this.opts.perAccount]];
    if (shares.tenantId && this.opts.perTenant) wanted.push([`${this.prefix}:share:tenant:${shares.tenantId}`, this.opts.perTenant]);
    if (shares.host) wanted.push([`${this.prefix}:share:host:${shares.host}`, this.opts.perHost]);
    const held: string[] = [];
    for (const [key, limit] of wanted) {
      if (!(await this.take(key, limit, holder))) {
        for (const k of held) await this.redis.zrem(k, holder);
        return null;
      }
      held.push(key);
    }
    const renew = setInterval(() => {
      for (const [key, limit] of wanted) void this.take(key, limit, holder).catch(() => undefined);
    }, Math.max(1000, Math.floor(this.opts.leaseMs / 3)));
    renew.unref();
    return {
      release: async () => {
        clearInterval(renew);
        for (const k of held) await this.redis.zrem(k, holder).catch(() => undefined);
      },
    };
  }
}

/** The host a calendar's runs share: the CalDAV server; Google and Graph are limited per account only. */
export function hostOf(provider: string, providerCalendarId: string): string | null {
  if (provider !== 'caldav') return null;
  try {
    return new URL(providerCalendarId).host.toLowerCase();
  } catch {
    return null;
  }
}
