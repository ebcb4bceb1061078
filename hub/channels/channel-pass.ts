/**
 * One supervisor pass over one calendar's channel row: create, renew or replace, retire, or fall
 * back to polling. Every outcome writes the row's next check, so a pass that dies half-way is
 * simply retried when its lease runs out. An account's calendar-list row has its own pass (list-pass.ts).
 */
import type { RemoteCalendarRef } from '../../connectors/connector.ts';
import { isHubError } from '../../shared/errors.ts';
import type { PushChannel } from '../../shared/store/index.ts';
import { hashSecret, newSecret } from '../../shared/channel-secret.ts';
import { runListPass } from './list-pass.ts';
import { asError, asSubscription, fail, message, pushOf, RECHECK_INACTIVE_MS, RECHECK_NO_PUSH_MS, retire, save, type PassDeps, type PassOutcome } from './pass-steps.ts';

export { asError, pushOf, renewAt, type PassDeps, type PassOutcome, type RequestPull } from './pass-steps.ts';

export async function runPass(d: PassDeps, row: PushChannel): Promise<PassOutcome> {
  if (row.kind === 'calendar-list') return runListPass(d, row);
  const t = d.store.tenant(row.tenantId);
  const [calendar, account] = await Promise.all([t.calendars.get(row.calendarId), t.accounts.get(row.accountId)]);
  const log = d.log.child({ calendarId: row.calendarId, provider: row.provider });
  try {
    if (!calendar || !calendar.syncEnabled) return await retire(d, row, account);
    if (!account || account.status !== 'active') {
      await t.channels.setPolling(row.calendarId, `account is ${account?.status ?? 'gone'}`, new Date(d.now().getTime() + RECHECK_INACTIVE_MS));
      return 'polling';
    }
    const { connector, ctx } = await d.connect(account, calendar);
    const push = pushOf(connector);
    if (!push) {
      if (connector.capabilities.push) log.error('the connector says it supports push but exposes no subscriber; polling');
      await t.channels.setPolling(row.calendarId, 'provider has no push channels', new Date(d.now().getTime() + RECHECK_NO_PUSH_MS));
      return 'polling';
    }
    const ref: RemoteCalendarRef = { providerCalendarId: calendar.providerCalendarId, timeZone: calendar.timeZone };
    const address = d.addressFor(row.provider);
    const ttlSeconds = d.ttlSecondsFor(row.provider, push);
    const live = row.channelId !== null && row.status !== 'removed' && row.address === address && (row.expiresAt?.getTime() ?? 0) > d.now().getTime();
    if (live) {
      try {
        // Google replaces (new id, so a new secret is used); Graph renews in place (same id, same clientState).
        const fresh = newSecret();
        const next = await push.renew(ctx, ref, asSubscription(row, fresh), { address, ttlSeconds });
        const replaced = next.id !== row.channelId;
        await save(d, row, next, replaced ? hashSecret(fresh) : row.secretHash!, address);
        // Between the old channel's stop and the new row, a notification could go unrecognized.
        if (replaced) await d.requestPull(row.tenantId, row.calendarId);
        return replaced ? 'replaced' : 'renewed';
      } catch (e) {
        // Gone at the provider (expired early, removed): create a new one below.
        if (!(isHubError(e) && e.code === 'CONNECTOR_NOT_FOUND')) throw e;
      }
    }
    const secret = newSecret();
    const sub = await push.subscribe(ctx, ref, { address, secret, ttlSeconds });
    await save(d, row, sub, hashSecret(secret), address, true);
    if (row.channelId && row.channelId !== sub.id) {
      await push.unsubscribe(ctx, asSubscription(row, '')).catch((e: unknown) => log.warn({ err: asError(e) }, 'stopping the previous channel failed; it expires on its own'));
    }
    // Changes made before the channel existed are caught up by one pull.
    await d.requestPull(row.tenantId, row.calendarId);
    return 'created';
  } catch (e) {
    // The provider will not take a channel for this calendar (Graph refusing a per-calendar
    // resource): poll it, say why on the row, and ask again a day later.
    if (isHubError(e) && e.code === 'CONNECTOR_UNSUPPORTED') {
      log.warn({ err: asError(e) }, 'the provider refused a push channel for this calendar; polling it');
      await t.channels.setPolling(row.calendarId, message(e), new Date(d.now().getTime() + RECHECK_NO_PUSH_MS));
      return 'polling';
    }
    return fail(d, row, e);
  }
}

