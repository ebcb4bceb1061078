/**
 * Push channels as operators see them (`calhub channels list`): provider, calendar, expiry, last
 * notification, last pull, lag and state. `silent` is a state of its own although the provider
 * still holds the channel: nothing arrived on it for longer than its calendar's usual change rate,
 * or a pull found changes it never announced (shown `silent` while the supervisor checks it).
 */
import { channelStops, listChannelViews, type ChannelStop, type ChannelView } from '../../shared/store/index.ts';
import { scrubSecrets } from '../../shared/logger.ts';
import { silenceAllowanceMs } from './channel-silence.ts';
import { MissingError } from '../errors.ts';
import type { Hub } from '../open-hub.ts';

export interface ChannelRow {
  calendarId: string;
  tenantId: string;
  accountId: string;
  provider: string;
  calendar: string | null;
  /** new | active | renew | removed | polling | silent */
  state: string;
  channelId: string | null;
  expiresAt: string | null;
  expiresInSeconds: number | null;
  lastNotificationAt: string | null;
  lastPullAt: string | null;
  /**
   * How long the newest change notification has waited for a pull (0: pulled since); null ("-"):
   * no pull is owed — none came, the channel is a calendar list's, or the account is not active
   * (disabled, needs reauth: its notifications pull nothing). Handshakes, Graph's
   * reauthorizationRequired, replays and refused notifications announce no change and are not counted.
   */
  lagSeconds: number | null;
  silentSince: string | null;
  /** How long this channel may stay quiet before it counts as silent; null: no usual rate yet. */
  silenceAllowanceSeconds: number | null;
  failures: number;
  lastError: string | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function channelRow(v: ChannelView, now: Date): ChannelRow {
  const allowance = silenceAllowanceMs(v.recentChanges);
  const n = v.lastNotificationAt?.getTime() ?? null;
  const pulled = v.lastPullAt?.getTime() ?? null;
  const gone = v.status === 'removed' || v.status === 'polling';
  return {
    calendarId: v.calendarId,
    tenantId: v.tenantId,
    accountId: v.accountId,
    provider: v.provider,
    calendar: v.calendarName,
    state: v.silentSince && (v.status === 'active' || v.status === 'renew') ? 'silent' : v.status,
    channelId: v.channelId,
    // A channel known gone (`removed` by a lifecycle notice, or dropped to polling) has no lifetime left to show.
    expiresAt: gone ? null : iso(v.expiresAt),
    expiresInSeconds: !gone && v.expiresAt ? Math.round((v.expiresAt.getTime() - now.getTime()) / 1000) : null,
    lastNotificationAt: iso(v.lastNotificationAt),
    lastPullAt: iso(v.lastPullAt),
    // A calendar-list channel leads to a listing, not a pull: it has no lag to show; nor has an
    // account that is not active, whose notifications pull nothing until it is enabled or reconnected.
    lagSeconds: n === null || v.kind === 'calendar-list' || v.accountStatus !== 'active' ? null : pulled !== null && pulled >= n ? 0 : Math.round((now.getTime() - n) / 1000),
    silentSince: iso(v.silentSince),
    silenceAllowanceSeconds: Number.isFinite(allowance) ? Math.round(allowance / 1000) : null,
    failures: v.failures,
    lastError: v.lastError && scrubSecrets(v.lastError),
  };
}

/**
 * A calendar polled because creating its channel failed (fail() counts failures; the provider
 * refusing push for the calendar is recorded as the connector's error): push is owed, not impossible.
 * Not those polled for a reason of their own (an inactive account, a provider without push).
 */
export function pushFellBack(c: ChannelRow): boolean {
  return c.state === 'polling' && (c.failures > 0 || (c.lastError?.startsWith('CONNECTOR_') ?? false));
}

/** The states `calhub channels list --state` takes: a row's own, and `fell-back` (polling because its channel could not be created, as `calhub status` counts them). */
export const CHANNEL_LIST_STATES = ['new', 'active', 'renew', 'removed', 'polling', 'silent', 'fell-back'] as const;
export type ChannelListState = (typeof CHANNEL_LIST_STATES)[number];

/** Every channel of the deployment, or of one tenant, of one provider, in one state; soonest expiry first. */
export async function listChannels(hub: Hub, opts: { tenantId?: string; provider?: string; state?: ChannelListState }, now = new Date()): Promise<ChannelRow[]> {
  // A mistyped tenant is an error, as for other commands: an empty list would read as "no channels".
  if (opts.tenantId !== undefined && !(await hub.store.tenants.get(opts.tenantId))) throw new MissingError('tenant', opts.tenantId);
  const rows = (await listChannelViews(hub.store.db, opts.tenantId ?? null)).map((v) => channelRow(v, now));
  return rows.filter((c) => (opts.provider === undefined || c.provider === opts.provider) && (opts.state === undefined || (opts.state === 'fell-back' ? pushFellBack(c) : c.state === opts.state)));
}

/**
 * A channel whose stop failed (an account's disconnect) and is retried by the maintenance sweep
 * until it succeeds or the channel expires: still open at the provider meanwhile. A Google watch
 * whose answer was lost is `awaiting-handshake`: it can be stopped only once a notification names
 * its resource, and is dropped if none comes within the handshake window (nothing was opened).
 */
export interface QueuedStopRow {
  state: 'stopping' | 'awaiting-handshake';
  tenantId: string;
  accountId: string;
  provider: string;
  channelId: string;
  expiresAt: string;
  /** Failed attempts so far (the disconnect's own not counted). */
  tries: number;
  /** null: awaiting-handshake, no try is due until a notification names the channel's resource. */
  nextTryAt: string | null;
  nextTryInSeconds: number | null;
  /** When an awaiting-handshake row is dropped if no notification came; null for a stop. */
  dropAt: string | null;
  lastError: string | null;
}

export function queuedStopRow(s: ChannelStop, now: Date): QueuedStopRow {
  const waiting = s.provider === 'google' && s.resourceId === null;
  return {
    state: waiting ? 'awaiting-handshake' : 'stopping',
    tenantId: s.tenantId,
    accountId: s.accountId,
    provider: s.provider,
    channelId: s.channelId,
    expiresAt: s.expiresAt.toISOString(),
    tries: s.tries,
    nextTryAt: waiting ? null : s.nextTryAt.toISOString(),
    nextTryInSeconds: waiting ? null : Math.max(0, Math.round((s.nextTryAt.getTime() - now.getTime()) / 1000)),
    dropAt: waiting ? new Date(s.createdAt.getTime() + channelStops.HANDSHAKE_WAIT_MS).toISOString() : null,
    lastError: s.lastError && scrubSecrets(s.lastError),
  };
}

/** The queued stops of the deployment, or of one tenant; soonest try first. */
export async function listQueuedStops(hub: Hub, opts: { tenantId?: string }, now = new Date()): Promise<QueuedStopRow[]> {
  if (opts.tenantId !== undefined && !(await hub.store.tenants.get(opts.tenantId))) throw new MissingError('tenant', opts.tenantId);
  return (await channelStops.queuedStops(hub.store.db, opts.tenantId ?? null)).map((s) => queuedStopRow(s, now));
}
