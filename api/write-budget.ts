/**
 * The per-tenant budget on expensive writes (issue 12). Writing a recurring event materializes its
 * occurrences in the busy index over the whole horizon: one `FREQ=MINUTELY;COUNT=5000` series is
 * 5,000 rows, and one tenant creating them at 3.6 requests/s (0.4% of its request rate) raised
 * another tenant's free/busy p99 from 12 to 1,216 ms. So writes are charged by the occurrences
 * they add or remove, from a token bucket per tenant, shared by the API processes through Redis when there is one.
 *
 * A write is priced before it is admitted, refused ones included, so pricing must be cheap: it is
 * an upper bound on the occurrences in the horizon computed from the rules (occurrenceBound, a few
 * microseconds), never an expansion. Expanding a `FREQ=MINUTELY;COUNT=5000` series to price it took
 * as long as materializing it (~10-100 ms of the API thread), for every one of the attacker's 429s.
 */
import type { CanonicalEvent } from '../shared/model/index.ts';
import { busyCost } from '../hub/index.ts';
import { ApiError } from './errors.ts';
import type { RateLimitOptions } from '../shared/rate-limit.ts';
import { SharedRateLimiter, type SharedLimitOptions } from '../shared/shared-rate-limit.ts';

const DAY = 86_400_000;

export interface WriteBudgetOptions extends RateLimitOptions {
  /** The busy horizon the occurrences are counted over. */
  horizon: { pastDays: number; futureDays: number };
}

export class WriteBudget {
  private readonly buckets: SharedRateLimiter;

  constructor(
    private readonly opts: WriteBudgetOptions,
    shared: Omit<SharedLimitOptions, 'name'>,
  ) {
    this.buckets = new SharedRateLimiter(opts, { ...shared, name: 'write' });
  }

  /**
   * Occurrences `event` has in the horizon, at most: what writing or deleting it costs the busy
   * index (hub busyCost). Never below the expanded count; above it only by what a rule's limiting
   * parts remove. Capped where the busy index stops expanding (100,000), not at expandSeries'
   * 5,000: an unbounded `FREQ=MINUTELY` series is 100,000 occurrences of write-path work, and
   * priced at 5,000 it cost an attacker a twentieth of what it cost the hub. The bucket takes at
   * most its burst.
   */
  cost(event: CanonicalEvent | null): number {
    if (!event?.recurrence) return 1;
    const now = Date.now();
    return busyCost(event, { start: new Date(now - this.opts.horizon.pastDays * DAY), end: new Date(now + this.opts.horizon.futureDays * DAY) });
  }

  /** Charges the tenant for a write replacing `before` with `after`; throws 429 when over budget. */
  async charge(tenantId: string, before: CanonicalEvent | null, after: CanonicalEvent | null): Promise<void> {
    const cost = (before ? this.cost(before) : 0) + (after ? this.cost(after) : 0);
    const waitMs = await this.buckets.take(tenantId, cost);
    if (waitMs > 0) {
      throw new ApiError('WRITE_BUDGET_EXCEEDED', `this write would materialize ${cost} occurrences, over the tenant's write budget; retry in ${waitMs} ms`, {
        'retry-after': String(Math.ceil(waitMs / 1000)),
      });
    }
  }
}
