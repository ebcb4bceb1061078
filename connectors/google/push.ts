/**
 * Push channels (A.7): subscribe = events.watch, renew = replace (Google has no renewal: a new
 * channel first, then stop the old one, accepting a short overlap), unsubscribe = channels.stop.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectorContext, PushLifetime, PushSubscriber, PushSubscription, RemoteCalendarRef } from '../connector.ts';
import { RemoteNotFoundError } from '../errors.ts';
import type { GoogleClient } from './client.ts';

/** Google documents no maximum for Calendar channels, only the default ttl, which is what calhub asks for. */
export const GOOGLE_CHANNEL_LIFETIME: PushLifetime = {
  seconds: 604_800,
  source: 'provider-facts A.7: events.watch params.ttl "Default is 604800 seconds" (no documented maximum)',
};

export function createGooglePush(client: GoogleClient): PushSubscriber {
  const subscribe = async (ctx: ConnectorContext, cal: RemoteCalendarRef, req: { address: string; secret: string; ttlSeconds: number }): Promise<PushSubscription> => {
    const id = randomUUID();
    const ch = await client.call(ctx, (o) =>
      client.api.events.watch(
        { calendarId: cal.providerCalendarId, requestBody: { id, type: 'web_hook', address: req.address, token: req.secret, params: { ttl: String(req.ttlSeconds) } } },
        o,
      ),
    );
    const expiration = Number(ch.expiration ?? ctx.now().getTime() + req.ttlSeconds * 1000);
    return { id: ch.id ?? id, resourceId: ch.resourceId ?? null, secret: req.secret, expiresAt: new Date(expiration).toISOString() };
  };
  const unsubscribe = async (ctx: ConnectorContext, sub: PushSubscription): Promise<void> => {
    try {
      await client.call(ctx, (o) => client.api.channels.stop({ requestBody: { id: sub.id, ...(sub.resourceId ? { resourceId: sub.resourceId } : {}) } }, o));
    } catch (e) {
      // Already stopped or expired: the goal is reached.
      if (!(e instanceof RemoteNotFoundError)) throw e;
    }
  };
  return {
    lifetime: GOOGLE_CHANNEL_LIFETIME,
    subscribe,
    async renew(ctx, cal, sub, req) {
      const next = await subscribe(ctx, cal, { address: req.address, secret: sub.secret, ttlSeconds: req.ttlSeconds });
      await unsubscribe(ctx, sub);
      return next;
    },
    unsubscribe,
  };
}
