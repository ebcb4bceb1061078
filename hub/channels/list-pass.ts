/**
 * One supervisor pass over a Google account's calendar-list channel (calendarList.watch, migration
 * 0022): created, replaced before it expires, stopped when the account goes, or polling (the hourly
 * listing) when the account is not active or the connector has no such channel. A notification on
 * it reads the account's calendar list again (webhooks/google-receiver.ts).
 */
import { hashSecret, newSecret } from '../../shared/channel-secret.ts';
import { isHubError } from '../../shared/errors.ts';
import type { PushChannel } from '../../shared/store/index.ts';
import { asSubscription, fail, pushOf, RECHECK_INACTIVE_MS, RECHECK_NO_PUSH_MS, retire, save, type PassDeps, type PassOutcome } from './pass-steps.ts';

export async function runListPass(d: PassDeps, row: PushChannel): Promise<PassOutcome> {
  const t = d.store.tenant(row.tenantId);
  const account = await t.accounts.get(row.accountId);
  try {
    if (!account) return await retire(d, row, null);
    if (account.status !== 'active') {
      await t.channels.setPolling(row.calendarId, `account is ${account.status}`, new Date(d.now().getTime() + RECHECK_INACTIVE_MS));
      return 'polling';
    }
    const { connector, ctx } = await d.connect(account);
    const list = pushOf(connector)?.calendarList;
    if (!list) {
      await t.channels.setPolling(row.calendarId, 'provider has no calendar-list channels', new Date(d.now().getTime() + RECHECK_NO_PUSH_MS));
      return 'polling';
    }
    const address = d.addressFor(row.provider);
    const ttlSeconds = d.ttlSecondsFor(row.provider, pushOf(connector)!);
    const live = row.channelId !== null && row.status !== 'removed' && row.address === address && (row.expiresAt?.getTime() ?? 0) > d.now().getTime();
    if (live) {
      try {
        const fresh = newSecret();
        const next = await list.renew(ctx, asSubscription(row, fresh), { address, ttlSeconds });
        await save(d, row, next, next.id !== row.channelId ? hashSecret(fresh) : row.secretHash!, address);
        return next.id !== row.channelId ? 'replaced' : 'renewed';
      } catch (e) {
        if (!(isHubError(e) && e.code === 'CONNECTOR_NOT_FOUND')) throw e;
      }
    }
    const secret = newSecret();
    const sub = await list.subscribe(ctx, { address, secret, ttlSeconds });
    await save(d, row, sub, hashSecret(secret), address, true);
    if (row.channelId && row.channelId !== sub.id) await pushOf(connector)!.unsubscribe(ctx, asSubscription(row, '')).catch(() => undefined);
    return 'created';
  } catch (e) {
    return fail(d, row, e);
  }
}
