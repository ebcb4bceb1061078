/**
 * Disconnect an account: revoke the grant at the provider where it can be revoked (Google; the
 * Microsoft identity platform has no revocation endpoint for user grants: the stored tokens are
 * destroyed instead), stop its push channels, and delete it with every row derived from it —
 * calendars, events, busy index, ledger, outbox, conflicts, mirror rules and links (cascades),
 * plus channel rows and the write journal, which carry no foreign key.
 */
import { isOAuthProvider } from '../../oauth/index.ts';
import type { Hub } from '../open-hub.ts';
import { MissingError } from '../errors.ts';
import { describeError } from '../sync-here.ts';
import { sendCopyDeletes, type CopiesElsewhereLeft } from './copies-elsewhere.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { deleteRule as removeRule, linkKey, MAINTENANCE_QUEUE, type SyncRun } from '../../sync-engine/index.ts';
import type { Calendar } from '../../shared/model/index.ts';
import { pushOf } from '../channels/channel-pass.ts';
import { dropJobsOf } from '../drop-jobs.ts';
import { pruneRetiredApps } from '../oauth-apps.ts';
import { channelStops, listChannelKey, type AccountRow, type MirrorRuleRow, type PushChannel } from '../../shared/store/index.ts';
import { revokeGrant } from './revoke-grant.ts';
import { deleteOwnCopies, type CopyLeft, type CopyProgress } from './own-copies.ts';
import { failureText, retriable, withRetries } from './inline-retry.ts';

export type { CopyLeft, CopyProgress };

export interface DisconnectReport {
  id: string;
  /**
   * `kept`: not revoked, because the grant may still serve another connection: another working
   * account (of any tenant) signs in as the same provider user through the same OAuth client, and
   * revoking would end its grant too. Says nothing more (no other tenant's connection is disclosed).
   */
  /** `deferred`: stops were queued, and the grant is revoked after the last of them (a revoked grant could not stop anything). */
  revoked: 'yes' | 'not-supported' | 'failed' | 'no-grant' | 'kept' | 'deferred';
  channelsStopped: number;
  /**
   * Channels whose stop failed inline (tried up to 5 times) through something a retry can mend
   * (5xx, 429, a timeout): queued, and retried by the worker with backoff until stopped or expired.
   */
  channelsStopQueued: Array<{ channelId: string; expiresAt: string | null; error: string }>;
  /**
   * Channels still live at the provider that nothing will stop: the provider refused the stop for
   * good, or no token or resource id was left to stop them with. They keep notifying until they
   * expire; the receivers answer them as unknown channels, and the account's data is deleted all the same.
   */
  channelsLeftRunning: Array<{ channelId: string; expiresAt: string | null; error: string }>;
  /** Mirror copies deleted at the provider from the account's own calendars (its grant still worked). */
  copiesDeleted: number;
  /** Copies in its own calendars not known to be gone at the provider, each with why (a refusal, a run still writing it). */
  copiesLeft: CopyLeft[];
  /**
   * Copies of its events in other accounts' calendars, deleted in calhub; the disconnect sends their
   * deletes itself (a push of each such calendar, or a whole sync when no worker listens) before it
   * answers. Those not yet at their provider are in `copiesElsewhereLeft`.
   */
  copiesElsewhere: number;
  /**
   * The calendars still holding some of those copies at their provider when the disconnect answered:
   * how many deletes wait in that calendar's outbox, why (its push or sync failed, a sync run held
   * its slot, or the provider refused a delete), and `queued` (a worker sends them; else the
   * calendar's next sync does, once the cause is mended). A delete refused for its content
   * REFUSALS_BEFORE_PARKING times is parked and offered again after a growing wait
   * (parkedDeleteRetryAt: a deleted copy is never edited again). Empty: every copy is gone there.
   */
  copiesElsewhereLeft: CopiesElsewhereLeft[];
}

export type { CopiesElsewhereLeft };

/** A stop is tried this many times inline; one still failing for a passing reason is queued (migration 0056). */
const STOP_TRIES = 5;
/**
 * A queued stop's first retry: soon, not at the next maintenance tick (up to two minutes later:
 * its due time, then the tick). A one-off tick is queued for it when the hub has a queue.
 */
export const FIRST_RETRY_MS = 10_000;
const STOP_BACKOFF_MS = 250;

export interface DisconnectOptions {
  /** Each own calendar's copy deletes as they go (a CLI's progress). */
  onProgress?: (p: CopyProgress) => void;
}

export async function disconnectAccount(hub: Hub, tenantId: string, accountId: string, opts: DisconnectOptions = {}): Promise<DisconnectReport> {
  const t = hub.store.tenant(tenantId);
  const account = await t.accounts.get(accountId);
  if (!account) throw new MissingError('account', accountId, tenantId);
  const calendars = await t.calendars.list({ accountId });
  const calendarIds = calendars.map((c) => c.id);
  const rules = (await t.mirror.list()).filter((r) => calendarIds.includes(r.sourceCalendarId) || calendarIds.includes(r.targetCalendarId));
  // The own calendars' sync slots the copy deletes took, held until the calendars are purged.
  const held: SyncRun[] = [];
  try {
    return await disconnectHolding(hub, tenantId, account, calendars, rules, held, opts);
  } finally {
    for (const run of held) await run.stop().catch(() => undefined);
  }
}

async function disconnectHolding(
  hub: Hub, tenantId: string, account: AccountRow, calendars: Calendar[], rules: MirrorRuleRow[], held: SyncRun[], opts: DisconnectOptions,
): Promise<DisconnectReport> {
  const t = hub.store.tenant(tenantId);
  const accountId = account.id;
  const calendarIds = calendars.map((c) => c.id);
  const copies = await removeRulesOf(hub, tenantId, account, calendarIds, rules, opts.onProgress, held);
  let channelsStopped = 0;
  const channelsLeftRunning: DisconnectReport['channelsLeftRunning'] = [];
  const channelsStopQueued: DisconnectReport['channelsStopQueued'] = [];
  // The calendars' channels and the account's calendar-list channel (Google). An account that
  // needs reauth is tried too: its access token may still be good, and a refused one is reported.
  for (const key of [...calendars.map((c) => c.id), listChannelKey(accountId)]) {
    const ch = await t.channels.get(key);
    if (!ch) continue;
    const c = calendars.find((x) => x.id === key);
    if (ch.channelId) {
      const sub = { id: ch.channelId, resourceId: ch.resourceId, secret: '', expiresAt: (ch.expiresAt ?? new Date()).toISOString() };
      const failure = await stopWithRetries(async () => {
        const { connector, ctx } = await hub.connect(account, c);
        await pushOf(connector)?.unsubscribe(ctx, sub);
      });
      const left = { channelId: ch.channelId, expiresAt: ch.expiresAt?.toISOString() ?? null, error: failure?.error ?? '' };
      if (failure === null) channelsStopped += 1;
      else if (failure.retriable && (await queueStop(hub, account, ch, failure.error))) {
        channelsStopQueued.push(left);
        hub.log.warn({ accountId, calendarId: key, err: failure.error, expiresAt: ch.expiresAt }, 'could not stop a push channel now; its stop is queued and retried');
      } else {
        channelsLeftRunning.push(left);
        hub.log.warn({ accountId, calendarId: key, err: failure.error, expiresAt: ch.expiresAt }, 'could not stop a push channel; it runs at the provider until it expires');
      }
    }
    await t.channels.remove(key);
  }
  let revoked: DisconnectReport['revoked'] = 'no-grant';
  if (isOAuthProvider(account.provider) && account.credentials && channelsStopQueued.length > 0) revoked = 'deferred';
  else if (isOAuthProvider(account.provider) && account.credentials) {
    try {
      revoked = await revokeGrant(hub.tokens, { tenantId, provider: account.provider, externalId: account.externalId, accountId: account.id, credentials: account.credentials });
    } catch (e) {
      revoked = 'failed';
      hub.log.warn({ accountId, err: describeError(e) }, 'revocation at the provider failed; the grant is deleted here anyway');
    }
  }
  if (channelsStopQueued.length) await tickSoon(hub);
  const ruleIds = rules.map((r) => r.id);
  await t.purgeAccount(accountId, calendarIds);
  // The last grant of a replaced client of the tenant's app gone: the client is not kept any more.
  if (isOAuthProvider(account.provider)) await pruneRetiredApps(hub, tenantId, account.provider).catch((e: unknown) => hub.log.warn({ accountId, err: describeError(e) }, 'could not drop unused replaced OAuth clients; the next change of the app does'));
  // Its queued and failed jobs could only fail "not found"; the maintenance reaper removes any left (Redis away now).
  const jobsRemoved = await dropJobsOf(hub, { calendarIds, ruleIds }, `account ${accountId}`);
  hub.log.info({ accountId, revoked, channelsStopped, channelsStopQueued: channelsStopQueued.length, channelsLeftRunning: channelsLeftRunning.length, jobsRemoved }, 'account disconnected');
  return { id: accountId, revoked, channelsStopped, channelsStopQueued, channelsLeftRunning, ...copies };
}

/**
 * Queues a stop the worker retries (stop-queue.ts). It carries the account's grant envelope, since
 * the account row is about to go; false when there is nothing to stop it with (no grant, or a
 * Google channel whose resource id was never known).
 */
async function queueStop(hub: Hub, account: AccountRow, ch: PushChannel, error: string): Promise<boolean> {
  if (!isOAuthProvider(account.provider) || !account.credentials || !ch.channelId) return false;
  if (account.provider === 'google' && !ch.resourceId) return false;
  const now = Date.now();
  // A channel of unknown expiry is kept at most as long as the longest either provider grants (7 days).
  const expiresAt = ch.expiresAt ?? new Date(now + 7 * 86_400_000);
  if (expiresAt.getTime() <= now) return false;
  // The grant as the row holds it now: a refresh during the inline tries wrote Microsoft's rotated
  // refresh token there, and the one read before it is superseded (refresh-tokens.md: delete the
  // old one once a new one came; it keeps working, so this is hygiene, not a failing stop).
  const credentials = (await hub.store.tenant(account.tenantId).accounts.get(account.id))?.credentials ?? account.credentials;
  await channelStops.queueStop(hub.store.db, {
    provider: account.provider, channelId: ch.channelId, resourceId: ch.resourceId, tenantId: account.tenantId, accountId: account.id,
    credentials, apiBase: (account.config as { baseUrl?: string }).baseUrl ?? null, revokeGrant: true, externalId: account.externalId,
    expiresAt, nextTryAt: new Date(now + FIRST_RETRY_MS), lastError: error,
  });
  return true;
}

/** A maintenance tick (it runs the stop queue) just after the first retry is due; the regular ticks otherwise. */
async function tickSoon(hub: Hub): Promise<void> {
  const maintenance = hub.queues().find((q) => q.name === MAINTENANCE_QUEUE);
  // One per due time: a burst of disconnects shares it (a finished one is removed, so the next adds anew).
  await maintenance
    ?.add('tick', {}, { delay: FIRST_RETRY_MS + 1_000, jobId: 'stop-retry', removeOnComplete: true, removeOnFail: 100, attempts: 1 })
    .catch((e: unknown) => hub.log.warn({ err: describeError(e) }, 'could not queue an early maintenance tick; the queued stops wait for the next one'));
}

/** null when stopped; otherwise why not, and whether a later retry could mend it (5xx, 429, an expired token). */
async function stopWithRetries(stop: () => Promise<void>): Promise<{ error: string; retriable: boolean } | null> {
  const r = await withRetries(stop, STOP_TRIES, STOP_BACKOFF_MS);
  return r.ok ? null : { error: failureText(r.error), retriable: retriable(r.error) };
}

/**
 * The account's mirror rules go as a rule DELETE goes: the copies they wrote into other accounts'
 * calendars are deleted there through the outbox (left, they blocked time for good as plain busy
 * events). Copies in this account's own calendars are deleted at its provider here, directly by
 * their stored ids while the grant still works (own-copies.ts): its calendars go right after.
 */
async function removeRulesOf(
  hub: Hub,
  tenantId: string,
  account: AccountRow,
  calendarIds: string[],
  rules: MirrorRuleRow[],
  onProgress?: (p: CopyProgress) => void,
  held?: SyncRun[],
): Promise<Pick<DisconnectReport, 'copiesDeleted' | 'copiesLeft' | 'copiesElsewhere' | 'copiesElsewhereLeft'>> {
  const own = new Set(calendarIds);
  const copies = new Map<string, Set<string>>();
  const t = hub.store.tenant(tenantId);
  // The copies in other accounts' calendars, by calendar, read before their rules go (with their links).
  const elsewhere = new Map<string, Set<string>>();
  for (const r of rules) {
    for (const [d, calendarId] of [['>', r.targetCalendarId], ['<', r.sourceCalendarId]] as const) {
      if (own.has(calendarId)) continue;
      for (const copyUid of (await t.mirror.links(linkKey(r.id, d))).values()) (elsewhere.get(calendarId) ?? elsewhere.set(calendarId, new Set()).get(calendarId)!).add(copyUid);
    }
  }
  let copiesElsewhere = 0;
  for (const r of rules) {
    try {
      copiesElsewhere += await removeRule(hub.deps, tenantId, r.id, {
        goneCalendars: own,
        goneCopy: (calendarId, uid) => void (copies.get(calendarId) ?? copies.set(calendarId, new Set()).get(calendarId)!).add(uid),
      });
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e; // deleted meanwhile
    }
  }
  // Sent here, not left to the worker's queue: busy blocks of a gone account must not wait behind an
  // outage elsewhere (copies-elsewhere.ts). What is still not at a provider is named, worker or not.
  const copiesElsewhereLeft = await sendCopyDeletes(hub, tenantId, elsewhere);
  const { deleted, left } = await deleteOwnCopies(hub, t, tenantId, account, copies, onProgress, held);
  for (const l of left) hub.log.warn({ accountId: account.id, calendarId: l.calendarId, uid: l.uid, err: l.error }, 'a mirror copy in a disconnected account\'s calendar could not be deleted at its provider; it stays there');
  return { copiesDeleted: deleted, copiesLeft: left, copiesElsewhere, copiesElsewhereLeft };
}
