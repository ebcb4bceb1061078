/**
 * Graph change-notification subscriptions (provider-facts B.6): create = POST /subscriptions (Graph
 * runs the validation handshake against `address` before answering), renew = PATCH with a new
 * expirationDateTime, unsubscribe = DELETE. Event subscriptions live at most 4,230 minutes; the
 * lifecycle URL is the same address and cannot be added later.
 */
import type { ConnectorContext, PushSubscriber, PushSubscription, RemoteCalendarRef } from '../connector.ts';
import type { GraphApi } from './graph-client.ts';

export const MAX_SUBSCRIPTION_MINUTES = 4230;

interface GraphSubscription { id: string; resource: string; expirationDateTime: string; clientState?: string }

function expiry(now: Date, ttlSeconds: number): string {
  const minutes = Math.min(Math.max(1, Math.floor(ttlSeconds / 60)), MAX_SUBSCRIPTION_MINUTES - 1);
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

export function createPushSubscriber(apiFor: (ctx: ConnectorContext) => GraphApi): PushSubscriber {
  return {
    async subscribe(ctx: ConnectorContext, cal: RemoteCalendarRef, req: { address: string; secret: string; ttlSeconds: number }): Promise<PushSubscription> {
      const resource = `me/calendars/${cal.providerCalendarId}/events`;
      const sub = await apiFor(ctx).post<GraphSubscription>('/subscriptions', {
        changeType: 'created,updated,deleted', notificationUrl: req.address, lifecycleNotificationUrl: req.address,
        resource, expirationDateTime: expiry(ctx.now(), req.ttlSeconds), clientState: req.secret, latestSupportedTlsVersion: 'v1_2',
      }, { Prefer: 'IdType="ImmutableId"' });
      return { id: sub.id, resourceId: sub.resource, secret: req.secret, expiresAt: sub.expirationDateTime };
    },
    async renew(ctx: ConnectorContext, _cal: RemoteCalendarRef, sub: PushSubscription, req: { address: string; ttlSeconds: number }): Promise<PushSubscription> {
      const r = await apiFor(ctx).patch<GraphSubscription>(`/subscriptions/${encodeURIComponent(sub.id)}`, { expirationDateTime: expiry(ctx.now(), req.ttlSeconds) });
      return { ...sub, expiresAt: r.expirationDateTime };
    },
    async unsubscribe(ctx: ConnectorContext, sub: PushSubscription): Promise<void> {
      try {
        await apiFor(ctx).delete(`/subscriptions/${encodeURIComponent(sub.id)}`);
      } catch (e) {
        // Already gone (expired or removed) is what unsubscribe wants.
        if ((e as { code?: string }).code !== 'CONNECTOR_NOT_FOUND') throw e;
      }
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
