/**
 * Disconnect an account: revoke the grant at the provider where it can be revoked (Google; the
 * Microsoft identity platform has no revocation endpoint for user grants: the stored tokens are
 * destroyed instead), stop its push channels, and delete it with every row derived from it —
 * calendars, events, busy index, ledger, outbox, conflicts, mirror rules and links (cascades),
 * plus channel rows and the write journal, which carry no foreign key.
 */
import { isOAuthProvider, revokeToken } from '../../oauth/index.ts';
import type { Hub } from '../open-hub.ts';
import { MissingError } from '../errors.ts';
import { describeError, syncFollowUp, syncInProcess } from '../sync-here.ts';
import { isHubError, NotFoundError } from '../../shared/errors.ts';
import { scrubSecrets } from '../../shared/logger.ts';
import { deleteRule as removeRule, parseRuleConfig } from '../../sync-engine/index.ts';
import { pushOf } from '../channels/channel-pass.ts';
import { dropJobsOf } from '../drop-jobs.ts';
import { pruneRetiredApps } from '../oauth-apps.ts';
import { listChannelKey, type MirrorRuleRow } from '../../shared/store/index.ts';

export interface DisconnectReport {
  id: string;
  /**
   * `kept`: not revoked, because the grant may still serve another connection: another working
   * account (of any tenant) signs in as the same provider user through the same OAuth client, and
   * revoking would end its grant too. Says nothing more (no other tenant's connection is disclosed).
   */
  revoked: 'yes' | 'not-supported' | 'failed' | 'no-grant' | 'kept';
  channelsStopped: number;
  /**
   * Channels still live at the provider: every stop failed (tried up to 5 times), or no token was
   * left to stop them with. They keep notifying until they expire; the receivers answer them as
   * unknown channels, and the account's data is deleted all the same.
   */
  channelsLeftRunning: Array<{ channelId: string; expiresAt: string | null; error: string }>;
}

/** A stop is tried this many times: afterwards the account's rows (and its token) are gone, so nothing could retry. */
const STOP_TRIES = 5;
const STOP_BACKOFF_MS = 250;
const retriable = (e: unknown) => isHubError(e) && (e.retry === 'backoff' || e.retry === 'delay' || e.retry === 'refresh');

export async function disconnectAccount(hub: Hub, tenantId: string, accountId: string): Promise<DisconnectReport> {
  const t = hub.store.tenant(tenantId);
  const account = await t.accounts.get(accountId);
  if (!account) throw new MissingError('account', accountId, tenantId);
  const calendars = await t.calendars.list({ accountId });
  const calendarIds = calendars.map((c) => c.id);
  const rules = (await t.mirror.list()).filter((r) => calendarIds.includes(r.sourceCalendarId) || calendarIds.includes(r.targetCalendarId));
  await removeRulesOf(hub, tenantId, accountId, calendarIds, rules);
  let channelsStopped = 0;
  const channelsLeftRunning: DisconnectReport['channelsLeftRunning'] = [];
  // The calendars' channels and the account's calendar-list channel (Google). An account that
  // needs reauth is tried too: its access token may still be good, and a refused one is reported.
  for (const key of [...calendars.map((c) => c.id), listChannelKey(accountId)]) {
    const ch = await t.channels.get(key);
    if (!ch) continue;
    const c = calendars.find((x) => x.id === key);
    if (ch.channelId) {
      const sub = { id: ch.channelId, resourceId: ch.resourceId, secret: '', expiresAt: (ch.expiresAt ?? new Date()).toISOString() };
      const error = await stopWithRetries(async () => {
        const { connector, ctx } = await hub.connect(account, c);
        await pushOf(connector)?.unsubscribe(ctx, sub);
      });
      if (error === null) channelsStopped += 1;
      else {
        channelsLeftRunning.push({ channelId: ch.channelId, expiresAt: ch.expiresAt?.toISOString() ?? null, error });
        hub.log.warn({ accountId, calendarId: key, err: error, expiresAt: ch.expiresAt }, 'could not stop a push channel; it runs at the provider until it expires');
      }
    }
    await t.channels.remove(key);
  }
  let revoked: DisconnectReport['revoked'] = 'no-grant';
  if (isOAuthProvider(account.provider) && account.credentials) {
    try {
      const grant = hub.tokens.decrypt(account.credentials);
      const clientId = await hub.tokens.clientIdOf(tenantId, account.provider, grant);
      // A revocation ends the user's grant to this client only: other clients' grants are not touched.
      if ((await hub.tokens.sameClientSignIns(account.provider, account.externalId, clientId, account.id)) > 0) {
        revoked = 'kept';
      } else {
        // Through the client that issued the grant; one no longer configured cannot refresh it, but
        // a revocation takes the token itself (RFC 7009), so it is still tried through the app's current client.
        const provider = (await hub.tokens.issuingClient(tenantId, account.provider, grant.app, grant.clientId ?? null)) ?? (await hub.tokens.providerFor(tenantId, account.provider, grant.app, null));
        revoked = (await revokeToken(provider, grant.refreshToken ?? grant.accessToken)) ? 'yes' : 'not-supported';
      }
    } catch (e) {
      revoked = 'failed';
      hub.log.warn({ accountId, err: describeError(e) }, 'revocation at the provider failed; the grant is deleted here anyway');
    }
  }
  const ruleIds = rules.map((r) => r.id);
  await t.purgeAccount(accountId, calendarIds);
  // The last grant of a replaced client of the tenant's app gone: the client is not kept any more.
  if (isOAuthProvider(account.provider)) await pruneRetiredApps(hub, tenantId, account.provider).catch((e: unknown) => hub.log.warn({ accountId, err: describeError(e) }, 'could not drop unused replaced OAuth clients; the next change of the app does'));
  // Its queued and failed jobs could only fail "not found"; the maintenance reaper removes any left (Redis away now).
  const jobsRemoved = await dropJobsOf(hub, { calendarIds, ruleIds }, `account ${accountId}`);
  hub.log.info({ accountId, revoked, channelsStopped, channelsLeftRunning: channelsLeftRunning.length, jobsRemoved }, 'account disconnected');
  return { id: accountId, revoked, channelsStopped, channelsLeftRunning };
}

/** null when stopped; otherwise why not, after retrying what a retry can mend (5xx, 429, an expired token). */
async function stopWithRetries(stop: () => Promise<void>): Promise<string | null> {
  for (let i = 1; ; i++) {
    try {
      await stop();
      return null;
    } catch (e) {
      if (i >= STOP_TRIES || !retriable(e)) return scrubSecrets(isHubError(e) ? `${e.code}: ${e.message}` : describeError(e));
      const after = isHubError(e) && e.retryAfterMs ? Math.min(e.retryAfterMs, 2_000) : STOP_BACKOFF_MS * 2 ** (i - 1);
      await new Promise((r) => setTimeout(r, after));
    }
  }
}

/**
 * The account's mirror rules go as a rule DELETE goes: the copies they wrote into other accounts'
 * calendars are deleted there through the outbox (left, they blocked time for good as plain busy
 * events). Copies in this account's own calendars are deleted at its provider here, while the grant
 * still works; a calendar another run holds keeps them (logged).
 */
async function removeRulesOf(hub: Hub, tenantId: string, accountId: string, calendarIds: string[], rules: MirrorRuleRow[]): Promise<void> {
  for (const r of rules) {
    try {
      await removeRule(hub.deps, tenantId, r.id);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e; // deleted meanwhile
    }
  }
  const touched = [...new Set(rules.flatMap((r) => [r.sourceCalendarId, r.targetCalendarId]))];
  // Copies live in targets, and in sources of two-way rules: only those of its own are synced here.
  const holding = new Set(rules.flatMap((r) => (parseRuleConfig(r.config).twoWay ? [r.sourceCalendarId, r.targetCalendarId] : [r.targetCalendarId])));
  const own = [...holding].filter((id) => calendarIds.includes(id));
  // Without a worker nothing else pushes the other calendars' deletes (as after a rule DELETE).
  for (const p of await syncFollowUp(hub, tenantId, touched.filter((id) => !calendarIds.includes(id)))) hub.log.warn({ accountId, calendarId: p.calendarId, err: p.error }, 'a calendar the disconnected account\'s rules copied into did not sync');
  if (own.length === 0) return;
  const { errors } = await syncInProcess(hub, tenantId, own);
  for (const [calendarId, error] of errors) hub.log.warn({ accountId, calendarId, err: error }, 'mirror copies in a disconnected account\'s calendar could not be deleted at its provider; they stay there');
}
