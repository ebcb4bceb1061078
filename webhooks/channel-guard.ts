/**
 * Per-channel defences of the receivers, in memory per API process (a notification goes to one
 * process; with several, each keeps its own view, so a replay can succeed once per process).
 * - Replay: Google numbers each channel's messages; numbers increase but are not sequential
 *   (provider-facts A.7), so a number at or below the highest accepted one is a replay.
 * - Rate: a token bucket per channel; a flood on one channel cannot crowd out the others. A
 *   notification refused for rate still says "something changed", and neither Google nor Graph
 *   retries a 429: so one pull is owed and runs once the channel has a token again (`owe`), and a
 *   flood ends with the newest state pulled, not with a change lost.
 */
export interface ChannelRate {
  perSecond: number;
  burst: number;
}

const MAX_TRACKED = 50_000;

export class ChannelGuard {
  private readonly highest = new Map<string, bigint>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly owed = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly rate: ChannelRate = { perSecond: 10, burst: 60 },
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `n` is not above the highest message number accepted on this channel. */
  isReplay(channel: string, n: string | undefined): boolean {
    if (n === undefined) return false;
    const top = this.highest.get(channel);
    return top !== undefined && BigInt(n) <= top;
  }

  /** Records an accepted message number (only once the notification was recorded). */
  accepted(channel: string, n: string | undefined): void {
    if (n === undefined) return;
    if (this.highest.size >= MAX_TRACKED && !this.highest.has(channel)) this.highest.delete(this.highest.keys().next().value!);
    const v = BigInt(n);
    if (v > (this.highest.get(channel) ?? -1n)) this.highest.set(channel, v);
  }

  /** Takes one token; returns the milliseconds to wait when the channel is over its rate, else 0. */
  take(channel: string): number {
    const at = this.now();
    const b = this.buckets.get(channel) ?? { tokens: this.rate.burst, at };
    b.tokens = Math.min(this.rate.burst, b.tokens + ((at - b.at) / 1000) * this.rate.perSecond);
    b.at = at;
    if (this.buckets.size >= MAX_TRACKED && !this.buckets.has(channel)) this.buckets.delete(this.buckets.keys().next().value!);
    this.buckets.set(channel, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) / this.rate.perSecond) * 1000);
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
