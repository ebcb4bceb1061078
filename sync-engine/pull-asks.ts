/**
 * Which pull requests of a calendar a run has already served (issue 15). Every requested pull
 * (not a full resync) counts one more ask. A run reads the count as its listing starts: every ask
 * counted by then is served by that listing, which began after it. A run whose listing is done
 * reads the count again; when asks came in meanwhile it lists once more from the cursor it just
 * reached (pull.ts), so those are served too. The queued follow-up pull (engine.ts, the queue's
 * keepLastIfActive) then finds every ask served and ends without asking the provider again: on
 * the path a new user takes (`accounts connect`, then `resync --wait` while the first sync still
 * runs) that second pull cost a whole run of its own after the first.
 *
 * An ask counted after the run's last read is not served by it, and the follow-up pulls; so is
 * one whose count is lost (the key expired or Redis was emptied: served is never set above asked).
 */
import type { RedisConnection } from '../shared/redis-keys.ts';

const TTL_MS = 86_400_000;

/** KEYS: the calendar's hash. ARGV: the asks a run served, ttl. Never above the asks counted. */
const SERVED = `
local asked = tonumber(redis.call('HGET', KEYS[1], 'asked') or '0')
local n = tonumber(ARGV[1])
if n <= asked and n > tonumber(redis.call('HGET', KEYS[1], 'served') or '0') then
  redis.call('HSET', KEYS[1], 'served', n)
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
end
return 0`;

export class PullAsks {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  private key(calendarId: string): string {
    return `${this.prefix}:pull-asks:${calendarId}`;
  }

  /** One more pull asked for. */
  async ask(calendarId: string): Promise<void> {
    const k = this.key(calendarId);
    await this.redis.multi().hincrby(k, 'asked', 1).pexpire(k, TTL_MS).exec();
  }

  /** The asks counted so far. */
  async asked(calendarId: string): Promise<number> {
    const k = this.key(calendarId);
    const r = await this.redis.multi().hget(k, 'asked').pexpire(k, TTL_MS).exec();
    return Number(r?.[0]?.[1] ?? 0);
  }

  /** A run's committed listing served the first `n` asks. */
  async served(calendarId: string, n: number): Promise<void> {
    await this.redis.eval(SERVED, 1, this.key(calendarId), n, TTL_MS);
  }

  /** Every ask counted so far has been served (by a run whose listing began after it). */
  async allServed(calendarId: string): Promise<boolean> {
    const [asked, served] = await this.redis.hmget(this.key(calendarId), 'asked', 'served');
    return asked !== null && served !== null && Number(served) >= Number(asked);
  }
}
