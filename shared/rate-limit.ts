/**
 * Token buckets in this process's memory. The API counts through Redis (shared-rate-limit.ts) when
 * the hub has one; these buckets count when it has none, or while Redis does not answer.
 */
export interface RateLimitOptions {
  /** Sustained requests per second per key. */
  perSecond: number;
  /** Bucket size: how many requests may arrive at once after a quiet spell. */
  burst: number;
}

type Bucket = { tokens: number; at: number };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly opts: RateLimitOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Takes `cost` tokens (at most a full bucket); returns 0 when allowed, else the milliseconds
   * until that many are available.
   */
  take(key: string, cost = 1): number {
    return this.takeCounted(key, cost).waitMs;
  }

  /** As take, with the whole tokens left in the bucket after it (the API's RateLimit-Remaining). */
  takeCounted(key: string, cost = 1): { waitMs: number; remaining: number } {
    const need = Math.min(cost, this.opts.burst);
    const t = this.now();
    let b = this.buckets.get(key);
    if (b === undefined) {
      // Bounded memory: idle buckets are full anyway, so dropping them changes nothing.
      if (this.buckets.size >= 100_000) this.sweep(t);
      b = { tokens: this.opts.burst, at: t };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(this.opts.burst, b.tokens + ((t - b.at) / 1000) * this.opts.perSecond);
      b.at = t;
    }
    if (b.tokens >= need) {
      b.tokens -= need;
      return { waitMs: 0, remaining: Math.floor(b.tokens) };
    }
    return { waitMs: Math.ceil(((need - b.tokens) / this.opts.perSecond) * 1000), remaining: Math.floor(b.tokens) };
  }

  private sweep(t: number): void {
    const full = (this.opts.burst / this.opts.perSecond) * 1000;
    for (const [k, b] of this.buckets) if (t - b.at >= full) this.buckets.delete(k);
    if (this.buckets.size >= 100_000) this.buckets.clear();
  }
}
