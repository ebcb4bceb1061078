/**
 * One supervisor pass over one calendar's channel row: create, renew or replace, retire, or fall
 * back to polling. Every outcome writes the row's next check, so a pass that dies half-way is
 * simply retried when its lease runs out. An account's calendar-list row has its own pass (list-pass.ts).
 */
import { NO_PUSH_FOR_CALENDAR, type RemoteCalendarRef } from '../../connectors/connector.ts';
import { isHubError } from '../../shared/errors.ts';
import { recordedChannelIds, type PushChannel } from '../../shared/store/index.ts';
import { runListPass } from './list-pass.ts';
import { asError, fail, keepChannel, message, pushOf, RECHECK_INACTIVE_MS, RECHECK_NO_PUSH_MS, retire, type PassDeps, type PassOutcome } from './pass-steps.ts';

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
    const ref: RemoteCalendarRef = { providerCalendarId: calendar.providerCalendarId, timeZone: calendar.timeZone, providerTimeZone: calendar.providerTimeZone };
    const outcome = await keepChannel(d, row, {
      namesChannels: push.namesChannels === true,
      subscribe: (req) => push.subscribe(ctx, ref, req),
      renew: (sub, req) => push.renew(ctx, ref, sub, req),
      unsubscribe: (sub) => push.unsubscribe(ctx, sub),
      ...(push.exists ? { exists: (sub: Parameters<NonNullable<typeof push.exists>>[1]) => push.exists!(ctx, sub) } : {}),
      ...(push.sweepOrphans ? { sweepOrphans: (address: string) => push.sweepOrphans!(ctx, ref, { address, recorded: (ids) => recordedChannelIds(d.store.db, row.provider, ids) }) } : {}),
    }, d.ttlSecondsFor(row.provider, push), log);
    // A new channel misses what changed before it; a replacement, what came between the old one's stop and the new row.
    if (outcome !== 'renewed') await d.requestPull(row.tenantId, row.calendarId);
    return outcome;
  } catch (e) {
    // The provider will not take a channel for this calendar (Graph refusing a per-calendar
    // resource): poll it, say why on the row, and ask again a day later. Any other refusal (a
    // failed validation handshake, a webhook URL the provider would not call) can pass on the
    // next try: fail() retries it with the backoff.
    if (isHubError(e) && e.code === 'CONNECTOR_UNSUPPORTED' && e.reason === NO_PUSH_FOR_CALENDAR) {
      log.warn({ err: asError(e) }, 'the provider refused a push channel for this calendar; polling it');
      await t.channels.setPolling(row.calendarId, message(e), new Date(d.now().getTime() + RECHECK_NO_PUSH_MS));
      return 'polling';
    }
    return fail(d, row, e);
  }
}

