/**
 * The steps a supervisor pass is made of, for a calendar's channel (channel-pass.ts) and for an
 * account's calendar-list channel (list-pass.ts): saving a channel, retiring one, recording a failure.
 */
import type { CalendarConnector, PushSubscriber, PushSubscription, RenewRequest, SubscribeRequest } from '../../connectors/connector.ts';
import { forgetOpening, openChannel } from './opening.ts';
import { isHubError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Metrics } from '../../shared/metrics.ts';
import { calendarSchema, type Calendar } from '../../shared/model/index.ts';
import type { AccountRow, PushChannel, Store } from '../../shared/store/index.ts';
import type { EngineDeps } from '../../sync-engine/index.ts';
import { hashSecret, newSecret } from '../../shared/channel-secret.ts';

/** Asks for a pull of one calendar (the queue's coalesced pull). */
export type RequestPull = (tenantId: string, calendarId: string) => Promise<unknown>;

/** The logger's serializer reads `.message` and `.stack`: anything thrown is logged as an Error. */
export const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

export type PassOutcome = 'created' | 'renewed' | 'replaced' | 'retired' | 'polling' | 'failed';

export interface PassDeps {
  store: Store;
  connect: EngineDeps['connect'];
  log: Logger;
  metrics?: Metrics;
  requestPull: RequestPull;
  now: () => Date;
  addressFor(provider: string): string;
  /** What to ask for: the connector's lifetime constant unless configured otherwise. */
  ttlSecondsFor(provider: string, push: PushSubscriber): number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A calendar's push is looked at again this long after it was found unavailable. */
export const RECHECK_NO_PUSH_MS = 24 * HOUR;
export const RECHECK_INACTIVE_MS = HOUR;
/** A retired channel whose stop keeps failing is dropped after this many tries (it expires anyway). */
const MAX_RETIRE_TRIES = 5;

export function pushOf(c: CalendarConnector): PushSubscriber | null {
  return c.capabilities.push ? ((c as { push?: PushSubscriber }).push ?? null) : null;
}

/**
 * Renew when a quarter of the granted lifetime is left, minus up to another twentieth at random.
 * A new channel's first renewal (`first`) lands anywhere between a quarter and three quarters of
 * its life instead: channels created together (an onboarding, many accounts connected at once, a
 * new CALHUB_PUBLIC_URL) would otherwise renew in the same few hours of every cycle; spread once,
 * later renewals keep their phase. `npm run bench -- renewals` measures the spread.
 */
export function renewAt(expiresAt: Date, now: Date, first = false): Date {
  const life = Math.max(0, expiresAt.getTime() - now.getTime());
  if (first) return new Date(now.getTime() + life * (0.25 + Math.random() * 0.5));
  return new Date(expiresAt.getTime() - life / 4 - Math.random() * (life / 20));
}

const backoff = (failures: number) => Math.min(HOUR, MINUTE * 2 ** failures) * (0.75 + Math.random() / 2);
export const message = (e: unknown) => (isHubError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));
export const asSubscription = (row: PushChannel, secret: string): PushSubscription => ({
  id: row.channelId!,
  resourceId: row.resourceId,
  secret,
  expiresAt: (row.expiresAt ?? new Date(0)).toISOString(),
});

/** The calendar a retired row belonged to, rebuilt from the row: connect() wants one. */
function stubCalendar(row: PushChannel): Calendar {
  const at = new Date(0).toISOString();
  return calendarSchema.parse({ id: row.calendarId, tenantId: row.tenantId, accountId: row.accountId, providerCalendarId: row.providerCalendarId, name: '', timeZone: row.timeZone, createdAt: at, updatedAt: at });
}

/** What keeping one channel asks of its provider: a calendar's channel, or an account's calendar-list channel. */
export interface ChannelOps {
  /** The provider takes the new channel's id from calhub (Google): it is recorded before the call (opening.ts). */
  namesChannels: boolean;
  subscribe(req: SubscribeRequest): Promise<PushSubscription>;
  renew(sub: PushSubscription, req: RenewRequest): Promise<PushSubscription>;
  unsubscribe(sub: PushSubscription): Promise<void>;
  /** Graph: whether the provider still holds the channel (GET). Google has no such read: its renewal replaces, which is the check. */
  exists?(sub: PushSubscription): Promise<boolean>;
  /** Graph: deletes the calendar's subscriptions at `address` no channel row records (push.ts sweepOrphans). */
  sweepOrphans?(address: string): Promise<string[]>;
}

/**
 * Renews the row's live channel or makes a new one (also when the live one is gone at the
 * provider), saves it and stops the one it replaced. Changes made while no channel of this row
 * was listening (`created`, `replaced`) are the caller's to catch up.
 */
export async function keepChannel(d: PassDeps, row: PushChannel, ops: ChannelOps, ttlSeconds: number, log: Logger): Promise<'created' | 'renewed' | 'replaced'> {
  const address = d.addressFor(row.provider);
  let live = row.channelId !== null && row.status !== 'removed' && row.address === address && (row.expiresAt?.getTime() ?? 0) > d.now().getTime();
  // Suspected (silent: changes came without notifications): ask the provider whether it still
  // holds the channel, so a lost one is recreated instead of renewed into a 404. One still held is
  // renewed as usual, and stays flagged until a notification comes.
  const suspected = live && row.silentSince != null;
  if (suspected && ops.exists) live = await ops.exists(asSubscription(row, ''));
  if (live) {
    try {
      // Google replaces (new id, so a new secret is used); Graph renews in place (same id, same clientState).
      const fresh = newSecret();
      const next = await openChannel(d, row, ops.namesChannels, fresh, ttlSeconds, (channelId) => ops.renew(asSubscription(row, fresh), { address, ttlSeconds, ...(channelId ? { channelId } : {}) }));
      const replaced = next.id !== row.channelId;
      await save(d, row, next, replaced ? hashSecret(fresh) : row.secretHash!, address);
      if (replaced) await forgetOpening(d, row, next.id);
      if (suspected) recovered(d, row, log, replaced ? 'recreated' : 'alive');
      return replaced ? 'replaced' : 'renewed';
    } catch (e) {
      // Gone at the provider (expired early, removed): create a new one below.
      if (!(isHubError(e) && e.code === 'CONNECTOR_NOT_FOUND')) throw e;
    }
  }
  const secret = newSecret();
  const sub = await openChannel(d, row, ops.namesChannels, secret, ttlSeconds, (channelId) => ops.subscribe({ address, secret, ttlSeconds, ...(channelId ? { channelId } : {}) }));
  await save(d, row, sub, hashSecret(secret), address, true);
  await forgetOpening(d, row, sub.id);
  if (suspected) recovered(d, row, log, 'recreated');
  // A failed pass before this one may have been a create whose answer was lost (Graph assigns the
  // id, so unlike a Google watch it cannot be recorded first): whatever it made is found now.
  if (row.failures > 0 && ops.sweepOrphans) {
    await ops.sweepOrphans(address)
      .then((gone) => gone.length > 0 && log.info({ calendarId: row.calendarId, deleted: gone.length }, 'deleted push subscriptions calhub held no record of (a create whose answer was lost)'))
      .catch((e: unknown) => log.warn({ err: asError(e) }, 'could not look for orphaned push subscriptions; any there expire on their own'));
  }
  if (row.channelId && row.channelId !== sub.id) {
    await ops.unsubscribe(asSubscription(row, '')).catch((e: unknown) => log.warn({ err: asError(e) }, 'stopping the previous channel failed; it expires on its own'));
  }
  return 'created';
}

/** A suspected channel checked: `recreated` (it was gone, or Google's replacement is the check) or `alive` (the provider still holds it). */
function recovered(d: PassDeps, row: PushChannel, log: Logger, outcome: 'recreated' | 'alive'): void {
  d.metrics?.channelChecks.inc({ provider: row.provider, outcome });
  log.warn({ calendarId: row.calendarId, provider: row.provider, outcome, silentSince: row.silentSince }, outcome === 'alive'
    ? 'checked a channel that missed changes: the provider still holds it; renewed, still flagged silent'
    : 'checked a channel that missed changes: replaced by a new one');
}

export async function save(d: PassDeps, row: PushChannel, sub: PushSubscription, secretHash: string, address: string, created = false): Promise<void> {
  const expiresAt = new Date(sub.expiresAt);
  await d.store.tenant(row.tenantId).channels.saveActive(row.calendarId, {
    // A new channel id (created, or Google's replacement) has not been silent: the flag is the old one's.
    channelId: sub.id, resourceId: sub.resourceId, secretHash, address, expiresAt, nextCheckAt: renewAt(expiresAt, d.now(), created), clearSilence: created || sub.id !== row.channelId,
  });
}

/** The calendar is gone or no longer synced: stop its channel (when the account can still be reached) and forget it. */
export async function retire(d: PassDeps, row: PushChannel, account: AccountRow | null): Promise<PassOutcome> {
  const t = d.store.tenant(row.tenantId);
  if (row.channelId && account) {
    try {
      const { connector, ctx } = await d.connect(account, stubCalendar(row));
      await pushOf(connector)?.unsubscribe(ctx, asSubscription(row, ''));
    } catch (e) {
      if (row.failures + 1 < MAX_RETIRE_TRIES) return fail(d, row, e);
      d.log.warn({ calendarId: row.calendarId, err: asError(e) }, 'could not stop the channel of a removed calendar; it expires on its own');
    }
  }
  await t.channels.remove(row.calendarId);
  return 'retired';
}

export async function fail(d: PassDeps, row: PushChannel, e: unknown): Promise<PassOutcome> {
  const now = d.now().getTime();
  const next = new Date(now + backoff(row.failures));
  // A channel that outlives the retry keeps notifying; otherwise polling is all there is.
  const stillLive = row.channelId !== null && row.status !== 'removed' && (row.expiresAt?.getTime() ?? 0) > next.getTime();
  await d.store.tenant(row.tenantId).channels.recordFailure(row.calendarId, { error: message(e), nextCheckAt: next, status: stillLive ? row.status : 'polling' });
  d.log.warn({ calendarId: row.calendarId, provider: row.provider, err: asError(e), retryAt: next.toISOString() }, stillLive ? 'push channel renewal failed; will retry' : 'push channel could not be created; polling until a retry succeeds');
  return 'failed';
}
