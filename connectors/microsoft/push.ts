/**
 * Graph change-notification subscriptions (provider-facts B.6, §E): create = POST /subscriptions
 * (Graph runs the validation handshake against `address` before answering), renew = PATCH with a
 * new expirationDateTime, unsubscribe = DELETE. The lifecycle URL is the same address and cannot
 * be added later.
 *
 * Each calendar gets a `me/calendars/{id}/events` subscription. That resource is undocumented
 * (§E B.6; FIELD: it works). Where Graph refuses it, the default calendar falls back to
 * `me/events` (documented; FIELD: it covers only the default calendar, so it suits that calendar
 * under both readings) and any other calendar is left to polling: subscribe throws
 * UnsupportedError and the supervisor records the calendar as polled, with the reason.
 */
import { NO_PUSH_FOR_CALENDAR, type ConnectorContext, type PushLifetime, type PushSubscriber, type PushSubscription, type RemoteCalendarRef } from '../connector.ts';
import { UnsupportedError } from '../errors.ts';
import type { GraphApi } from './graph-client.ts';

/**
 * Outlook `event` subscriptions live at most 10,080 minutes (7 days), 1,440 with resource data;
 * 4,230 is the older figure for other resources.
 */
export const GRAPH_EVENT_SUBSCRIPTION_LIFETIME: PushLifetime = {
  seconds: 10_080 * 60,
  source: 'provider-facts §E B.6: learn.microsoft.com/graph/change-notifications-overview (2026-04), subscription resource page',
};
/** Graph raises an expirationDateTime under 45 minutes ahead to 45 minutes (§E B.6). */
export const MIN_SUBSCRIPTION_MINUTES = 45;
const MAX_MINUTES = GRAPH_EVENT_SUBSCRIPTION_LIFETIME.seconds / 60;

interface GraphSubscription { id: string; resource: string; expirationDateTime: string; clientState?: string | null; notificationUrl?: string }

/** A minute short of the cap: Graph checks the cap against its own clock, which may run ahead of ours. */
function expiry(now: Date, ttlSeconds: number): string {
  const minutes = Math.min(Math.max(MIN_SUBSCRIPTION_MINUTES, Math.floor(ttlSeconds / 60)), MAX_MINUTES - 1);
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

/**
 * A 400 about the resource, not about the handshake, URL or expiry: Graph does not take this
 * resource. The exact wording of Graph's refusal is UNCONFIRMED, hence the loose match.
 */
function refused(e: unknown): boolean {
  return e instanceof UnsupportedError && /resource|not supported/i.test(e.message) && !/validation|https/i.test(e.message);
}

async function remove(api: GraphApi, id: string): Promise<void> {
  try {
    await api.delete(`/subscriptions/${encodeURIComponent(id)}`);
  } catch (e) {
    // Already gone (expired or removed) is what a delete wants.
    if ((e as { code?: string }).code !== 'CONNECTOR_NOT_FOUND') throw e;
  }
}

export function createPushSubscriber(apiFor: (ctx: ConnectorContext) => GraphApi): PushSubscriber {
  const create = (api: GraphApi, ctx: ConnectorContext, resource: string, req: { address: string; secret: string; ttlSeconds: number }) =>
    api.post<GraphSubscription>('/subscriptions', {
      changeType: 'created,updated,deleted', notificationUrl: req.address, lifecycleNotificationUrl: req.address,
      resource, expirationDateTime: expiry(ctx.now(), req.ttlSeconds), clientState: req.secret, latestSupportedTlsVersion: 'v1_2',
    }, { Prefer: 'IdType="ImmutableId"' });
  return {
    lifetime: GRAPH_EVENT_SUBSCRIPTION_LIFETIME,
    async subscribe(ctx: ConnectorContext, cal: RemoteCalendarRef, req: { address: string; secret: string; ttlSeconds: number }): Promise<PushSubscription> {
      const api = apiFor(ctx);
      let sub: GraphSubscription;
      try {
        sub = await create(api, ctx, `me/calendars/${cal.providerCalendarId}/events`, req);
      } catch (e) {
        if (!refused(e)) throw e;
        const def = await api.get<{ id: string }>('/me/calendar?$select=id');
        if (def.id !== cal.providerCalendarId) {
          throw new UnsupportedError(`Graph refused a per-calendar subscription, so this calendar is polled (${(e as Error).message})`, { provider: 'microsoft', reason: NO_PUSH_FOR_CALENDAR, cause: e });
        }
        sub = await create(api, ctx, 'me/events', req);
      }
      return { id: sub.id, resourceId: sub.resource, secret: req.secret, expiresAt: sub.expirationDateTime };
    },
    async renew(ctx: ConnectorContext, _cal: RemoteCalendarRef, sub: PushSubscription, req: { address: string; ttlSeconds: number }): Promise<PushSubscription> {
      const r = await apiFor(ctx).patch<GraphSubscription>(`/subscriptions/${encodeURIComponent(sub.id)}`, { expirationDateTime: expiry(ctx.now(), req.ttlSeconds) });
      return { ...sub, expiresAt: r.expirationDateTime };
    },
    async unsubscribe(ctx: ConnectorContext, sub: PushSubscription): Promise<void> {
      await remove(apiFor(ctx), sub.id);
    },
    async exists(ctx: ConnectorContext, sub: PushSubscription): Promise<boolean> {
      try {
        await apiFor(ctx).get(`/subscriptions/${encodeURIComponent(sub.id)}`);
        return true;
      } catch (e) {
        if ((e as { code?: string }).code === 'CONNECTOR_NOT_FOUND') return false;
        throw e;
      }
    },
    /**
     * A POST /subscriptions whose answer was lost may have made a subscription that notifies
     * until it expires (up to 7 days). GET /subscriptions lists what this app made for the user
     * but hides clientState (subscription-list.md), so they are told apart by notificationUrl and
     * resource (either resource subscribe uses), and by the ids calhub holds.
     */
    async sweepOrphans(ctx, cal, req) {
      const api = apiFor(ctx);
      const resources = new Set([`me/calendars/${cal.providerCalendarId}/events`, 'me/events'].map((r) => r.toLowerCase()));
      const ours: string[] = [];
      for (let link: string | undefined = '/subscriptions'; link; ) {
        const page: { value: GraphSubscription[]; '@odata.nextLink'?: string } = await api.get(link);
        for (const sub of page.value) if (sub.notificationUrl === req.address && resources.has(sub.resource.toLowerCase())) ours.push(sub.id);
        link = page['@odata.nextLink'];
      }
      const kept = await req.recorded(ours);
      const orphans = ours.filter((id) => !kept.has(id));
      for (const id of orphans) await remove(api, id);
      return orphans;
    },
  };
}

export interface GraphNotification {
  subscriptionId: string;
  clientState?: string | null;
  changeType?: string;
  lifecycleEvent?: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';
  resourceData?: { id?: string };
}

/**
 * Splits a notification POST body into items whose clientState matches their subscription's
 * secret and items to reject (forged or stale). `secretOf` returns null for unknown subscriptions.
 */
export function verifyMicrosoftNotifications(body: unknown, secretOf: (subscriptionId: string) => string | null): { accepted: GraphNotification[]; rejected: GraphNotification[] } {
  const value = (body as { value?: unknown })?.value;
  const items = Array.isArray(value) ? (value as GraphNotification[]) : [];
  const accepted: GraphNotification[] = [];
  const rejected: GraphNotification[] = [];
  for (const n of items) {
    const secret = typeof n?.subscriptionId === 'string' ? secretOf(n.subscriptionId) : null;
    if (secret !== null && typeof n.clientState === 'string' && timingSafeEqualText(secret, n.clientState)) accepted.push(n);
    else rejected.push(n);
  }
  return { accepted, rejected };
}

function timingSafeEqualText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}
