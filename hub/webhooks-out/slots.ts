/**
 * Attempts in flight in this process, counted per endpoint and per tenant. The worker's job slots
 * are shared by every tenant: without a cap, one tenant's hanging receivers (each attempt holds a
 * slot for the whole send timeout) took every slot and delayed every other tenant's webhooks. A
 * stream that finds its endpoint's or tenant's cap reached stops and waits here; it is sent again
 * when one of those attempts ends.
 */
import type { DeliveryStream } from '../../shared/store/index.ts';

type Waiter = { s: DeliveryStream; tenantId: string };

export class Slots {
  private readonly busy = new Map<string, number>();
  private readonly waiting = new Map<string, Waiter>();

  constructor(
    private readonly perEndpoint: number,
    private readonly perTenant: number,
    private readonly wake: (streams: DeliveryStream[]) => void,
  ) {}

  /** Takes a slot for one attempt, or registers the stream to be woken and returns false. */
  take(s: DeliveryStream, tenantId: string): boolean {
    if ((this.busy.get(`e:${s.endpointId}`) ?? 0) >= this.perEndpoint || (this.busy.get(`t:${tenantId}`) ?? 0) >= this.perTenant) {
      this.waiting.set(`${s.endpointId}\u0000${s.stream}`, { s, tenantId });
      return false;
    }
    this.add(`e:${s.endpointId}`, 1);
    this.add(`t:${tenantId}`, 1);
    return true;
  }

  give(s: DeliveryStream, tenantId: string): void {
    this.add(`e:${s.endpointId}`, -1);
    this.add(`t:${tenantId}`, -1);
    const woken: DeliveryStream[] = [];
    for (const [key, w] of this.waiting) {
      if (w.s.endpointId !== s.endpointId && w.tenantId !== tenantId) continue;
      this.waiting.delete(key);
      woken.push(w.s);
    }
    if (woken.length) this.wake(woken);
  }

  inFlight(key: `e:${string}` | `t:${string}`): number {
    return this.busy.get(key) ?? 0;
  }

  private add(key: string, n: number): void {
    const v = (this.busy.get(key) ?? 0) + n;
    if (v <= 0) this.busy.delete(key);
    else this.busy.set(key, v);
  }
}
