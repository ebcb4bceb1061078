/**
 * Push is a hint, not a guarantee (architecture §6): a channel can stop delivering without any
 * error (provider-side drops, a lost subscription, a firewall in front of the receiver). A channel
 * is silent when no notification arrived for longer than its calendar usually goes without a
 * change at the provider (a decayed count of the pulls that stored one, kept with the calendar in
 * their commit, migration 0096: the hub's own writes and rewrites of event rows announce nothing,
 * and counting them called quiet channels silent); its calendar is then polled once, the channel flagged (visible in `calhub channels
 * list`) and counted. The flag clears with the next notification.
 *
 * A channel is also suspected sooner, when a pull stored a change made at the provider that no
 * notification announced within MISSED_GRACE_MS (a subscription deleted at the provider without a
 * lifecycle notice goes quiet this way). Only provider changes count (calendars.provider_changed_at,
 * migration 0093): the hub's own writes and its rewrites of event rows are nothing to announce. It is flagged silent and checked by a supervisor pass at
 * once: verified at the provider where it can be read (Graph), renewed where the renewal is the
 * check (Google's replaces), and recreated when gone (pass-steps.ts keepChannel).
 */
import type { Logger } from '../../shared/logger.ts';
import type { Metrics } from '../../shared/metrics.ts';
import { CHANGE_RATE_WINDOW_MS, listChannelViews, markMissedChanges, markSilent, type ChannelView, type Store } from '../../shared/store/index.ts';
import type { RequestPull } from './channel-pass.ts';

const HOUR = 3_600_000;
const WINDOW_MS = CHANGE_RATE_WINDOW_MS;
/** Gaps of the usual length a channel may miss before it counts as silent. */
const GAPS = 3;
/** Never sooner: a busy calendar's quiet lunch hour is not an outage. */
const MIN_SILENCE_MS = HOUR;
/**
 * How long a change a pull found may wait for its notification: Graph and Google usually deliver
 * within seconds, and a notification's own pull can lag behind a busy queue by a minute or so.
 */
export const MISSED_GRACE_MS = 2 * 60_000;

/**
 * How long this channel may stay quiet: three of its calendar's usual gaps between provider
 * changes (`recentChanges`: about those of the last 30 days, decayed), at least an hour. A
 * calendar without a provider change has no usual rate, so its quiet channel is never called
 * silent (polling still backs it up); one that changed long ago gets a very long allowance.
 */
export function silenceAllowanceMs(recentChanges: number): number {
  if (recentChanges <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(MIN_SILENCE_MS, (GAPS * WINDOW_MS) / recentChanges);
}

/** True when an active, not yet flagged channel has been quiet longer than its allowance. */
export function isSilent(c: Pick<ChannelView, 'status' | 'silentSince' | 'lastNotificationAt' | 'createdAt' | 'recentChanges'>, now: Date): boolean {
  if (c.status !== 'active' || c.silentSince) return false;
  const since = (c.lastNotificationAt ?? c.createdAt).getTime();
  return now.getTime() - since > silenceAllowanceMs(c.recentChanges);
}

export interface SilenceCheckDeps {
  store: Store;
  requestPull: RequestPull;
  log: Logger;
  metrics?: Metrics;
  now?: () => Date;
  /** The supervisor's check of one calendar's channel (hub.supervisor.checkCalendar); without it, the next sweep does it. */
  checkChannel?: (tenantId: string, calendarId: string) => Promise<unknown>;
}

/** A maintenance step: flags newly silent channels and polls their calendars. Returns how many. */
export async function checkSilentChannels(d: SilenceCheckDeps): Promise<number> {
  const now = (d.now ?? (() => new Date()))();
  let flagged = 0;
  for (const c of await listChannelViews(d.store.db, null)) {
    if (!isSilent(c, now)) continue;
    if (!(await markSilent(d.store.db, c.calendarId, now))) continue;
    flagged += 1;
    d.metrics?.silentChannels.inc({ provider: c.provider });
    d.log.warn({ tenantId: c.tenantId, accountId: c.accountId, calendarId: c.calendarId, provider: c.provider, lastNotificationAt: c.lastNotificationAt }, 'push channel is silent; polling its calendar');
    await d.requestPull(c.tenantId, c.calendarId);
  }
  for (const c of await markMissedChanges(d.store.db, now, MISSED_GRACE_MS)) {
    flagged += 1;
    d.metrics?.silentChannels.inc({ provider: c.provider });
    d.log.warn({ tenantId: c.tenantId, accountId: c.accountId, calendarId: c.calendarId, provider: c.provider }, 'push channel missed changes a pull found; checking it at the provider');
    await d.checkChannel?.(c.tenantId, c.calendarId);
  }
  return flagged;
}
