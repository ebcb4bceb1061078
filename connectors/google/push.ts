/**
 * Push channels (A.7): subscribe = events.watch, renew = replace (Google has no renewal: a new
 * channel first, then stop the old one, accepting a short overlap), unsubscribe = channels.stop.
 * The calendar list has its own channels (calendarList.watch, `users/me/calendarList/watch` in
 * A.7), renewed and stopped the same way.
 */
import { randomUUID } from 'node:crypto';
import type { calendar_v3 } from '@googleapis/calendar';
import { NO_PUSH_FOR_CALENDAR, type ConnectorContext, type PushLifetime, type PushSubscriber, type PushSubscription, type RemoteCalendarRef, type SubscribeRequest } from '../connector.ts';
import { RemoteNotFoundError, UnsupportedError } from '../errors.ts';
import type { CallOptions, GoogleClient } from './client.ts';

/** Google documents no maximum for Calendar channels, only the default ttl, which is what calhub asks for. */
export const GOOGLE_CHANNEL_LIFETIME: PushLifetime = {
  seconds: 604_800,
  source: 'provider-facts A.7: events.watch params.ttl "Default is 604800 seconds" (no documented maximum)',
};

/** One watch call (events.watch or calendarList.watch) with the channel to open. */
type Watch = (requestBody: calendar_v3.Schema$Channel, o: CallOptions) => Promise<{ data: calendar_v3.Schema$Channel }>;

export function createGooglePush(client: GoogleClient): PushSubscriber {
  const open = async (ctx: ConnectorContext, req: SubscribeRequest, watch: Watch): Promise<PushSubscription> => {
    const id = req.channelId ?? randomUUID();
    const ch = await client.call(ctx, (o) => watch({ id, type: 'web_hook', address: req.address, token: req.secret, params: { ttl: String(req.ttlSeconds) } }, o));
    const expiration = Number(ch.expiration ?? ctx.now().getTime() + req.ttlSeconds * 1000);
    return { id: ch.id ?? id, resourceId: ch.resourceId ?? null, secret: req.secret, expiresAt: new Date(expiration).toISOString() };
  };
  const subscribe = (ctx: ConnectorContext, cal: RemoteCalendarRef, req: SubscribeRequest): Promise<PushSubscription> =>
    open(ctx, req, (requestBody, o) => client.api.events.watch({ calendarId: cal.providerCalendarId, requestBody }, o)).catch((e: unknown) => {
      // Calendars without push (holidays, birthdays: FIELD reason) are polled; any other refusal
      // (an unauthorized or unreachable webhook URL) is the deployment's to fix, so it is retried.
      if (e instanceof UnsupportedError && e.reason === 'pushNotSupportedForRequestedResource') {
        throw new UnsupportedError(e.message, { provider: 'google', reason: NO_PUSH_FOR_CALENDAR, cause: e });
      }
      throw e;
    });
  const subscribeList = (ctx: ConnectorContext, req: SubscribeRequest): Promise<PushSubscription> =>
    open(ctx, req, (requestBody, o) => client.api.calendarList.watch({ requestBody }, o));
  const unsubscribe = async (ctx: ConnectorContext, sub: PushSubscription): Promise<void> => {
    try {
      await client.call(ctx, (o) => client.api.channels.stop({ requestBody: { id: sub.id, ...(sub.resourceId ? { resourceId: sub.resourceId } : {}) } }, o));
    } catch (e) {
      // Already stopped or expired: the goal is reached.
      if (!(e instanceof RemoteNotFoundError)) throw e;
    }
  };
  /** Replace: the new channel first (same secret), then the old one stopped. */
  const replace = async (ctx: ConnectorContext, sub: PushSubscription, next: Promise<PushSubscription>): Promise<PushSubscription> => {
    const opened = await next;
    await unsubscribe(ctx, sub);
    return opened;
  };
  return {
    lifetime: GOOGLE_CHANNEL_LIFETIME,
    namesChannels: true,
    subscribe,
    renew: (ctx, cal, sub, req) => replace(ctx, sub, subscribe(ctx, cal, { ...req, secret: sub.secret })),
    unsubscribe,
    calendarList: {
      subscribe: subscribeList,
      renew: (ctx, sub, req) => replace(ctx, sub, subscribeList(ctx, { ...req, secret: sub.secret })),
    },
  };
}
