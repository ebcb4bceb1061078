/**
 * Webhook delivery: POSTs are batched per URL (one POST may carry items of several subscriptions),
 * bounded by the 3 s answer window and retried `retries` times (Graph's 4-hour horizon, scaled
 * down). Everything in flight is tracked so `settle()` can wait for it.
 */
export interface DeliverySettings { deliveryTimeoutMs: number; retries: number; retryDelayMs: number }

export class Delivery {
  private pending = new Map<string, Array<Record<string, unknown>>>();
  private inFlight = new Set<Promise<void>>();
  constructor(private readonly settings: DeliverySettings) {}

  /**
   * `lane` keeps kinds of items in separate batches to the same URL; `same` skips an item already
   * waiting in the batch (one `missed` per batch, however many were dropped).
   */
  enqueue(url: string, item: Record<string, unknown>, lane = 'change', same?: (queued: Record<string, unknown>) => boolean): void {
    const key = `${lane} ${url}`;
    const batch = this.pending.get(key);
    if (batch) {
      if (!same || !batch.some(same)) batch.push(item);
      return;
    }
    this.pending.set(key, [item]);
    setImmediate(() => {
      const value = this.pending.get(key) ?? [];
      this.pending.delete(key);
      this.track(this.deliver(url, { value }, 0));
    });
  }

  track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async deliver(url: string, body: unknown, attempt: number): Promise<void> {
    try {
      const res = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.deliveryTimeoutMs),
      });
      await res.arrayBuffer();
      if (res.status >= 200 && res.status < 300) return;
    } catch { /* retried below */ }
    if (attempt >= this.settings.retries) return;
    await new Promise((r) => setTimeout(r, this.settings.retryDelayMs * (attempt + 1)));
    return this.deliver(url, body, attempt + 1);
  }

  async settle(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
      await new Promise((r) => setImmediate(r));
    }
  }
}
