/** What both receivers share: channel lookups, coalesced pulls, lifecycle actions, quiet logging. */
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../shared/metrics.ts';
import type { RedisConnection } from '../shared/redis-keys.ts';
import { channelStops, recordNotification, type Store } from '../shared/store/index.ts';
import { secretMatches } from '../shared/channel-secret.ts';
import { ChannelCache } from './channel-cache.ts';
import { ChannelGuard, type ChannelRate } from './channel-guard.ts';
import { asError } from './errors.ts';
import { PullCoalescer, type RequestPull } from './pull-coalescer.ts';
import { Redeliveries } from './redeliveries.ts';

export interface WebhookOptions {
  store: Store;
  /** Queues a pull for a calendar (the sync engine's requestPull); never a sync inline. */
  requestPull: RequestPull;
  /**
   * A lifecycle notification marked a channel for renewal or re-creation: run the supervisor
   * for that calendar now (ChannelSupervisor.checkCalendar). Without it, the next maintenance
   * tick does it.
   */
  onChannelAction?(tenantId: string, calendarId: string): Promise<unknown>;
  /**
   * A Google account's calendar list changed (a calendarList.watch notification): read it again
   * (hub/accounts/refresh-calendars.ts). Without it, the next hourly listing does.
   */
  onCalendarListChanged?(tenantId: string, accountId: string): Promise<unknown>;
  /**
   * A notification named a channel whose watch answer was lost, and it is due to be stopped: run
   * the supervisor's queued stops now (ChannelSupervisor.runStops). Without it, the next maintenance tick does.
   */
  onChannelStop?(): Promise<unknown>;
  now?: () => Date;
  /** Counts notifications by provider and verdict. */
  metrics?: Metrics;
  /** Notifications accepted per channel (default 10/s, burst 60); more answer 429. */
  channelRate?: ChannelRate;
  /** The queue's Redis: replay and rate guards shared by every API process. Absent: this process's memory. */
  redis?: { connection: RedisConnection; prefix: string } | null;
}

/** What became of a notification: a bounded label set for calhub_webhook_notifications_total. */
export type Verdict = 'accepted' | 'lifecycle' | 'handshake' | 'validation' | 'unknown_channel' | 'orphan' | 'rejected' | 'replayed' | 'redelivered' | 'rate_limited' | 'invalid';

export interface ReceiverContext {
  channels: ChannelCache;
  guard: ChannelGuard;
  /** Notifications received within the last minutes, by every API process: a provider's resend is not taken twice. */
  redeliveries: Redeliveries;
  pull(tenantId: string, calendarId: string): Promise<void>;
  /** A notification refused for rate: one pull after `waitMs` (see ChannelGuard.owe). */
  pullLater(channel: string, waitMs: number, tenantId: string, calendarId: string): void;
  /**
   * Records that an account's calendar list changed and reads it again, in the background (a
   * provider round trip is not held against the notification's answer); a burst becomes at most
   * one reading running and one after it. A reading that fails is retried by the maintenance tick.
   */
  listChanged(tenantId: string, accountId: string): void;
  /** A calendar-list notification refused for rate: one reading after `waitMs`. */
  listLater(channel: string, waitMs: number, tenantId: string, accountId: string): void;
  channelAction(tenantId: string, calendarId: string, status: 'renew' | 'removed'): Promise<void>;
  /** channelAction for many calendars: one store write per tenant (a Graph batch of lifecycle notices). */
  channelActions(calendars: Array<{ tenantId: string; calendarId: string }>, status: 'renew' | 'removed'): Promise<void>;
  /**
   * A channel id push_channels does not know: true when it is one calhub opened but never learned
   * the resource of (a lost watch answer, migration 0056) and the token proves it; its resource id
   * is recorded, so the supervisor can stop it.
   */
  strayChannel(provider: 'google', channelId: string, token: string | undefined, resourceId: string | undefined): Promise<boolean>;
  /** A forged or stale notification; logged at most once a minute per calendar so a flood stays quiet. */
  rejected(provider: string, calendarId: string): void;
  /**
   * Counts a notification; a verified one that announces a change (a calendar named) also stamps
   * its channel's last notification, which `channels list` measures LAG and silence from.
   */
  notified(provider: string, verdict: Verdict, calendarId?: string): void;
}

export function receiverContext(o: WebhookOptions, log: FastifyBaseLogger): ReceiverContext {
  const pulls = new PullCoalescer(o.requestPull);
  const listings = new PullCoalescer(async (tenantId, accountId) => o.onCalendarListChanged?.(tenantId, accountId));
  const listChanged = (tenantId: string, accountId: string): Promise<void> =>
    listings.request(tenantId, accountId).catch((e: unknown) => log.warn({ err: asError(e), accountId }, 'reading a calendar list after its notification failed; the maintenance tick reads it again'));
  // The request is durable first (migration 0023): the reading here is a shortcut, the maintenance tick the retry.
  const requestList = (tenantId: string, accountId: string): Promise<void> =>
    o.store.tenant(tenantId).accounts.requestCalendarList(accountId).catch((e: unknown) => log.warn({ err: asError(e), accountId }, 'could not record a calendar-list notification; only the reading now answers it'));
  const channels = new ChannelCache(o.store);
  const lastWarned = new Map<string, number>();
  const lastStamped = new Map<string, number>();
  const now = o.now ?? (() => new Date());
  const guard = new ChannelGuard(o.channelRate, { redis: o.redis ?? null, log: log as unknown as Logger });
  return {
    channels,
    guard,
    redeliveries: new Redeliveries(o.redis ?? null),
    pull: (tenantId, calendarId) => pulls.request(tenantId, calendarId),
    pullLater(channel, waitMs, tenantId, calendarId) {
      guard.owe(channel, waitMs, () => pulls.request(tenantId, calendarId).catch((e: unknown) => log.warn({ err: asError(e), calendarId }, 'owed pull after a rate-limited notification failed; the next notification or poll sees the change')));
    },
    listChanged(tenantId, accountId) {
      void requestList(tenantId, accountId).then(() => listChanged(tenantId, accountId));
    },
    listLater(channel, waitMs, tenantId, accountId) {
      void requestList(tenantId, accountId);
      guard.owe(channel, waitMs, () => listChanged(tenantId, accountId));
    },
    async channelAction(tenantId, calendarId, status) {
      await o.store.tenant(tenantId).channels.markForAction(calendarId, status, now());
      // The mark is durable; the immediate run is a shortcut, so its failure only waits for the tick.
      void o.onChannelAction?.(tenantId, calendarId).catch((e: unknown) => log.warn({ err: asError(e), calendarId }, 'channel action failed; the next maintenance tick retries'));
    },
    async channelActions(calendars, status) {
      const byTenant = new Map<string, string[]>();
      for (const c of calendars) {
        const ids = byTenant.get(c.tenantId);
        if (ids) ids.push(c.calendarId);
        else byTenant.set(c.tenantId, [c.calendarId]);
      }
      const at = now();
      for (const [tenantId, ids] of byTenant) await o.store.tenant(tenantId).channels.markManyForAction(ids, status, at);
      for (const c of calendars) void o.onChannelAction?.(c.tenantId, c.calendarId).catch((e: unknown) => log.warn({ err: asError(e), calendarId: c.calendarId }, 'channel action failed; the next maintenance tick retries'));
    },
    async strayChannel(provider, channelId, token, resourceId) {
      if (!resourceId) return false;
      const s = await channelStops.stopByChannelId(o.store.db, provider, channelId);
      if (!s || !secretMatches(s.secretHash, token)) return false;
      const at = now();
      await channelStops.noteResource(o.store.db, provider, channelId, resourceId, at);
      // `opening`: its watch call is still running and may yet answer (the handshake can come first, A.7).
      if (s.state === 'opening' && s.createdAt.getTime() > at.getTime() - channelStops.OPENING_GRACE_MS) return true;
      log.info({ provider, channelId, accountId: s.accountId }, 'a notification came on a channel whose watch answer was lost; it is being stopped');
      void o.onChannelStop?.().catch((e: unknown) => log.warn({ err: asError(e) }, 'stopping a channel failed; the next maintenance tick retries'));
      return true;
    },
    rejected(provider, calendarId) {
      const key = `${provider}:${calendarId}`;
      const at = Date.now();
      if ((lastWarned.get(key) ?? 0) > at - 60_000) return;
      if (lastWarned.size > 10_000) lastWarned.clear();
      lastWarned.set(key, at);
      log.warn({ provider, calendarId }, 'rejected a push notification whose secret does not match its channel');
    },
    notified(provider, verdict, calendarId) {
      o.metrics?.webhookNotifications.inc({ provider, verdict });
      // Only a verified, fresh notification is activity: a replayed or implausible one proves
      // nothing about the channel, and stamping it would keep a dead channel from looking silent.
      if (!calendarId || verdict === 'rejected' || verdict === 'replayed' || verdict === 'redelivered' || verdict === 'invalid') return;
      // One stamp per calendar every 10 s is plenty for "last notification", and keeps a burst cheap.
      const at = now();
      if ((lastStamped.get(calendarId) ?? 0) > at.getTime() - 10_000) return;
      if (lastStamped.size > 10_000) lastStamped.clear();
      lastStamped.set(calendarId, at.getTime());
      void recordNotification(o.store.db, calendarId, at).catch((e: unknown) => log.warn({ err: asError(e), calendarId }, 'could not record a notification time'));
    },
  };
}
