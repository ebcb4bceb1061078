/**
 * Per-channel defences of the receivers. With a Redis (every deployment but a bare test), they are
 * shared by all API processes: a notification goes to one of them, and a replay sent to another
 * must still be a replay, a flood spread over them still one flood. While Redis does not answer,
 * each process falls back to its own memory (the rate limit logs that once).
 * - Replay: Google numbers each channel's messages; numbers increase but are not sequential
 *   (provider-facts A.7), so a number at or below the highest accepted one is a replay. A number
 *   far above it (MAX_JUMP) is implausible: accepted as the new mark, one notification with a
 *   captured token and a huge number would make every later real one a "replay". The same holds
 *   for a channel's first number: with no mark yet it is bounded against 1 + MAX_JUMP.
 * - Rate: a token bucket per channel; a flood on one channel cannot crowd out the others. A
 *   notification refused for rate still says "something changed", and neither Google nor Graph
 *   retries a 429: so one pull is owed and runs once the channel has a token again (`owe`), and a
 *   flood ends with the newest state pulled, not with a change lost.
 */
import type { Logger } from '../shared/logger.ts';
import type { RedisConnection } from '../shared/redis-keys.ts';
import { SharedRateLimiter } from '../shared/shared-rate-limit.ts';

export interface ChannelRate {
  perSecond: number;
  burst: number;
}

export interface SharedGuard {
  redis: { connection: RedisConnection; prefix: string } | null;
  log: Logger;
}

const MAX_TRACKED = 50_000;
/**
 * The largest step above a channel's highest number taken as plausible. Google's steps are small
 * but not sequential (A.7; the largest real step is UNCONFIRMED): a bound well above any step seen,
 * yet far below what would lock a channel out for good.
 */
export const MAX_JUMP = 100_000n;
/** A channel's highest number is kept this long after its last message (channels live at most ~a month). */
const SEEN_TTL_MS = 35 * 86_400_000;
/** How long a replay check may wait for Redis before this process's memory answers. */
const REDIS_TIMEOUT_MS = 250;

/** Decimal strings without leading zeros, compared as numbers of any size (Lua has only doubles). */
const RAISE = `
local cur = redis.call('GET', KEYS[1])
local n = ARGV[1]
if not cur or #n > #cur or (#n == #cur and n > cur) then redis.call('SET', KEYS[1], n, 'PX', ARGV[2]) end
return 1`;

/** The message numbers Google sends: digits; anything else is not compared. */
const canonical = (n: string): string | null => (/^\d{1,40}$/.test(n) ? n.replace(/^0+(?=\d)/, '') : null);

export class ChannelGuard {
  private readonly highest = new Map<string, bigint>();
  private readonly buckets: SharedRateLimiter;
  private readonly owed = new Map<string, NodeJS.Timeout>();

  constructor(
    rate: ChannelRate = { perSecond: 10, burst: 60 },
    private readonly shared: SharedGuard,
  ) {
    this.buckets = new SharedRateLimiter(rate, { redis: shared.redis, name: 'channel', namespace: 'webhook', log: shared.log });
  }

  private seenKey(channel: string): string {
    return `${this.shared.redis!.prefix}:webhook:seen:${channel}`;
  }

  /**
   * `replay` when `n` is not above the highest message number accepted on this channel (by any
   * process), `implausible` when it is more than MAX_JUMP above it (above 1 + MAX_JUMP with no mark
   * yet), `fresh` otherwise (also when there is no number to compare).
   */
  async check(channel: string, n: string | undefined): Promise<'fresh' | 'replay' | 'implausible'> {
    const num = n === undefined ? null : canonical(n);
    if (num === null) return 'fresh';
    const v = BigInt(num);
    let top = this.highest.get(channel);
    if (top === undefined || v > top) {
      const r = this.shared.redis;
      const shared = r && r.connection.status === 'ready' ? await withTimeout(r.connection.get(this.seenKey(channel))).catch(() => null) : null;
      if (shared !== null && (top === undefined || BigInt(shared) > top)) top = BigInt(shared);
    }
    // No mark yet: Google starts a channel at 1 with its sync handshake (A.7), so the first number
    // is bounded as if the mark were 1; otherwise one forged first message would set the mark.
    if (top === undefined) return v > 1n + MAX_JUMP ? 'implausible' : 'fresh';
    if (v <= top) return 'replay';
    return v - top > MAX_JUMP ? 'implausible' : 'fresh';
  }

  /** Records an accepted message number (only once the notification was recorded). */
  async accepted(channel: string, n: string | undefined): Promise<void> {
    const num = n === undefined ? null : canonical(n);
    if (num === null) return;
    if (this.highest.size >= MAX_TRACKED && !this.highest.has(channel)) this.highest.delete(this.highest.keys().next().value!);
    const v = BigInt(num);
    if (v > (this.highest.get(channel) ?? -1n)) this.highest.set(channel, v);
    const r = this.shared.redis;
    if (!r || r.connection.status !== 'ready') return;
    // The notification is recorded; failing to share its number only reopens a narrow replay window.
    await withTimeout(r.connection.eval(RAISE, 1, this.seenKey(channel), num, SEEN_TTL_MS)).catch(() => undefined);
  }

  /** Takes one token; returns the milliseconds to wait when the channel is over its rate, else 0. */
  take(channel: string): Promise<number> {
    return this.buckets.take(channel);
  }

  /** Runs `pull` once after `waitMs`; more calls for the same channel before then add nothing. */
  owe(channel: string, waitMs: number, pull: () => Promise<void>): void {
    if (this.owed.has(channel)) return;
    const timer = setTimeout(() => {
      this.owed.delete(channel);
      void pull();
    }, waitMs);
    timer.unref();
    this.owed.set(channel, timer);
  }

  /** Pulls owed when the receivers close are not run (the next notification or poll sees the change). */
  close(): void {
    for (const t of this.owed.values()) clearTimeout(t);
    this.owed.clear();
  }
}

function withTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('Redis did not answer in time')), REDIS_TIMEOUT_MS)));
  p.catch(() => {});
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
