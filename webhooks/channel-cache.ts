/**
 * Channel rows by provider channel id, cached for a few seconds: a burst of notifications for one
 * channel then costs one store read. Misses are not cached, because a new channel's first message
 * can arrive before the supervisor has stored it. A channel that was replaced keeps working here
 * for at most `ttlMs`, which only ever causes a harmless extra pull.
 */
import type { ProviderId } from '../shared/model/index.ts';
import { channelByProviderId, channelsByProviderIds, type PushChannel, type Store } from '../shared/store/index.ts';

export class ChannelCache {
  private readonly hits = new Map<string, { channel: PushChannel; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {}

  async get(provider: ProviderId, channelId: string): Promise<PushChannel | null> {
    const key = `${provider}:${channelId}`;
    const now = Date.now();
    const hit = this.hits.get(key);
    if (hit && hit.until > now) return hit.channel;
    const channel = await channelByProviderId(this.store.db, provider, channelId);
    if (!channel) {
      this.hits.delete(key);
      return null;
    }
    if (this.hits.size >= this.maxEntries) this.hits.clear();
    this.hits.set(key, { channel, until: now + this.ttlMs });
    return channel;
  }

  /** Several at once: the ones not cached are read in one query (a Graph batch of up to 1,000 items). */
  async getMany(provider: ProviderId, channelIds: string[]): Promise<Map<string, PushChannel>> {
    const now = Date.now();
    const out = new Map<string, PushChannel>();
    const missing: string[] = [];
    for (const id of new Set(channelIds)) {
      const hit = this.hits.get(`${provider}:${id}`);
      if (hit && hit.until > now) out.set(id, hit.channel);
      else missing.push(id);
    }
    for (const channel of await channelsByProviderIds(this.store.db, provider, missing)) {
      const key = `${provider}:${channel.channelId}`;
      if (this.hits.size >= this.maxEntries) this.hits.clear();
      this.hits.set(key, { channel, until: now + this.ttlMs });
      out.set(channel.channelId!, channel);
    }
    return out;
  }

  forget(provider: ProviderId, channelId: string): void {
    this.hits.delete(`${provider}:${channelId}`);
  }
}
