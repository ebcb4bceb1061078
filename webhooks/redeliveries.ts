/**
 * Notifications already received, remembered for a short while: Graph resends a whole batch it got
 * no 2xx for within 3 s (provider-facts B.6), Google retries a message it got no answer for (A.7).
 * An item seen again within the window is a redelivery: counted as `redelivered`, acted on no more.
 * With a Redis the memory is shared by every API process (a resent batch may reach another one);
 * while Redis does not answer, this process's own bounded memory decides.
 */
import { createHash } from 'node:crypto';
import type { RedisConnection } from '../shared/redis-keys.ts';

/**
 * Long enough for a provider's retries of a slow answer (the emulator's are over in ~15 s), short
 * enough that a later notice that happens to look the same (a second `missed` for one subscription)
 * is taken again.
 */
export const REDELIVERY_WINDOW_MS = 5 * 60_000;
const MAX_REMEMBERED = 100_000;
const REDIS_TIMEOUT_MS = 250;

export class Redeliveries {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly redis: { connection: RedisConnection; prefix: string } | null,
    private readonly windowMs = REDELIVERY_WINDOW_MS,
  ) {}

  /** For each key, true when it is new (and now remembered), false when it was seen within the window. */
  async claim(keys: string[]): Promise<boolean[]> {
    if (keys.length === 0) return [];
    const hashed = keys.map(digest);
    const shared = await this.claimShared(hashed);
    const now = Date.now();
    return hashed.map((k, i) => {
      const mine = this.claimLocal(k, now);
      return shared ? shared[i]! : mine;
    });
  }

  /** Forgets keys whose work failed, so the provider's retry is taken. */
  async release(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const hashed = keys.map(digest);
    for (const k of hashed) this.seen.delete(k);
    const r = this.redis;
    if (!r || r.connection.status !== 'ready') return;
    await withTimeout(r.connection.del(...hashed.map((k) => this.key(k)))).catch(() => undefined);
  }

  private key(hash: string): string {
    return `${this.redis!.prefix}:webhook:delivered:${hash}`;
  }

  /** One round trip for the whole batch; null when Redis cannot answer now. */
  private async claimShared(hashed: string[]): Promise<boolean[] | null> {
    const r = this.redis;
    if (!r || r.connection.status !== 'ready') return null;
    const p = r.connection.pipeline();
    for (const k of hashed) p.set(this.key(k), '1', 'PX', this.windowMs, 'NX');
    const out = await withTimeout(p.exec()).catch(() => null);
    if (!out || out.some(([err]) => err)) return null;
    return out.map(([, v]) => v === 'OK');
  }

  private claimLocal(key: string, now: number): boolean {
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return false;
    this.seen.delete(key);
    // Oldest first out: a Map iterates in insertion order.
    while (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, now + this.windowMs);
    return true;
  }
}

const digest = (key: string): string => createHash('sha256').update(key).digest('base64url').slice(0, 32);

function withTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('Redis did not answer in time')), REDIS_TIMEOUT_MS)));
  p.catch(() => {});
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
