/**
 * One supervisor pass over a Google account's calendar-list channel (calendarList.watch, migration
 * 0022): created, replaced before it expires, stopped when the account goes, or polling (the hourly
 * listing) when the account is not active or the connector has no such channel. A notification on
 * it reads the account's calendar list again (webhooks/google-receiver.ts).
 */
import type { PushChannel } from '../../shared/store/index.ts';
import { fail, keepChannel, pushOf, RECHECK_INACTIVE_MS, RECHECK_NO_PUSH_MS, retire, type PassDeps, type PassOutcome } from './pass-steps.ts';

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
    const push = pushOf(connector);
    const list = push?.calendarList;
    if (!push || !list) {
      await t.channels.setPolling(row.calendarId, 'provider has no calendar-list channels', new Date(d.now().getTime() + RECHECK_NO_PUSH_MS));
      return 'polling';
    }
    return await keepChannel(d, row, {
      namesChannels: push.namesChannels === true,
      subscribe: (req) => list.subscribe(ctx, req),
      renew: (sub, req) => list.renew(ctx, sub, req),
      unsubscribe: (sub) => push.unsubscribe(ctx, sub),
    }, d.ttlSecondsFor(row.provider, push), d.log.child({ accountId: row.accountId, provider: row.provider }));
  } catch (e) {
    return fail(d, row, e);
  }
}
