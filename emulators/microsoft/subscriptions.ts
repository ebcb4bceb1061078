/**
 * Change notifications (provider-facts B.6): validation handshake on create, clientState on every
 * notification, 4,230-minute cap, PATCH renew, DELETE, lifecycle events, retries for slow or
 * failing receivers (the 4-hour retry horizon is scaled down to `retries` attempts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { GraphHttpError } from './http.ts';
import type { Mailbox, Subscription } from './model.ts';

export const MAX_EXPIRY_MINUTES = 4230;
/** Outlook: at most 1000 active subscriptions per mailbox, all applications together. */
export const MAX_PER_MAILBOX = 1000;
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export interface NotificationSettings {
  validationTimeoutMs: number;
  deliveryTimeoutMs: number;
  retries: number;
  retryDelayMs: number;
  /** Share of notifications silently dropped (0..1). */
  dropRate: number;
}

export class Subscriptions {
  readonly byId = new Map<string, Subscription>();
  private pending = new Map<string, Array<Record<string, unknown>>>();
  private inFlight = new Set<Promise<void>>();
  dropped = 0;
  constructor(readonly settings: NotificationSettings, private readonly now: () => number = Date.now) {}

  async create(mb: Mailbox, appId: string, body: Record<string, unknown>, immutableIds: boolean): Promise<Subscription> {
    const { changeType, notificationUrl, lifecycleNotificationUrl, resource, expirationDateTime, clientState } = body as Record<string, string | undefined>;
    if (!changeType || !changeType.split(',').every((c) => ['created', 'updated', 'deleted'].includes(c.trim()))) {
      throw new GraphHttpError(400, 'InvalidRequest', 'changeType must be a comma-separated list of created, updated, deleted.');
    }
    if (!notificationUrl || !/^https?:\/\//.test(notificationUrl)) throw new GraphHttpError(400, 'InvalidRequest', 'notificationUrl is required and must be an absolute URL.');
    if (!resource || !this.calendarOf(mb, resource)) throw new GraphHttpError(400, 'InvalidRequest', `Resource '${resource ?? ''}' is not supported.`);
    if (clientState && clientState.length > 128) throw new GraphHttpError(400, 'InvalidRequest', 'clientState must be at most 128 characters.');
    const expirationMs = this.checkExpiry(expirationDateTime);
    const active = [...this.byId.values()].filter((x) => x.mailboxId === mb.id && x.expirationMs > this.now()).length;
    if (active >= MAX_PER_MAILBOX) throw new GraphHttpError(403, 'ExtensionError', 'Operation: Create; Exception: [Status Code: Forbidden; Reason: The maximum number of subscriptions for this mailbox has been reached.]');
    for (const url of [notificationUrl, lifecycleNotificationUrl].filter((u): u is string => !!u)) {
      if (!(await this.validate(url))) {
        throw new GraphHttpError(400, 'InvalidRequest', 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
      }
    }
    const sub: Subscription = {
      id: randomUUID(), resource, changeType, notificationUrl, lifecycleNotificationUrl: lifecycleNotificationUrl ?? null,
      clientState: clientState ?? null, expirationMs, immutableIds, mailboxId: mb.id, applicationId: appId,
    };
    this.byId.set(sub.id, sub);
    return sub;
  }

  checkExpiry(value: string | undefined): number {
    const ms = value ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) throw new GraphHttpError(400, 'InvalidRequest', 'expirationDateTime is required.');
    const now = this.now();
    if (ms <= now) throw new GraphHttpError(400, 'InvalidRequest', 'Subscription expiration can only be in the future.');
    if (ms > now + MAX_EXPIRY_MINUTES * 60_000) {
      throw new GraphHttpError(400, 'InvalidRequest', `Subscription expiration can only be ${MAX_EXPIRY_MINUTES} minutes in the future.`);
    }
    return ms;
  }

  get(id: string, mb: Mailbox): Subscription {
    const sub = this.byId.get(id);
    if (!sub || sub.mailboxId !== mb.id || sub.expirationMs <= this.now()) {
      throw new GraphHttpError(404, 'ResourceNotFound', `The object was not found. Subscription '${id}'.`);
    }
    return sub;
  }

  /** `me/events`, `me/calendar/events`, `me/calendars/{id}/events`, `users/{id}/…`: null = not supported. */
  calendarOf(mb: Mailbox, resource: string): 'all' | string | null {
    const r = resource.replace(/^\//, '').replace(/^users\/[^/]+\//i, 'me/');
    if (/^me\/events$/i.test(r)) return 'all';
    if (/^me\/calendar\/events$/i.test(r)) return [...mb.calendars.values()].find((c) => c.isDefault)?.id ?? null;
    const m = /^me\/calendars\/([^/]+)\/events$/i.exec(r);
    return m && mb.calendars.has(decodeURIComponent(m[1]!)) ? decodeURIComponent(m[1]!) : null;
  }

  private async validate(url: string): Promise<boolean> {
    const tokenValue = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(tokenValue)}`;
    try {
      const res = await fetch(target, {
        method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal: AbortSignal.timeout(this.settings.validationTimeoutMs),
      });
      const text = await res.text();
      return res.status === 200 && (res.headers.get('content-type') ?? '').startsWith('text/plain') && text === tokenValue;
    } catch {
      return false;
    }
  }

  notify(mb: Mailbox, calendarId: string, ids: { key: string; restId: string }, change: 'created' | 'updated' | 'deleted', etag: string): void {
    for (const sub of this.byId.values()) {
      if (sub.mailboxId !== mb.id || sub.expirationMs <= this.now()) continue;
      if (!sub.changeType.split(',').map((c) => c.trim()).includes(change)) continue;
      const cal = this.calendarOf(mb, sub.resource);
      if (cal !== 'all' && cal !== calendarId) continue;
      if (Math.random() < this.settings.dropRate) {
        this.dropped += 1;
        continue;
      }
      const id = sub.immutableIds ? ids.key : ids.restId;
      const resource = `Users/${mb.id}/Events/${id}`;
      this.enqueue(sub.notificationUrl, {
        id: randomBytes(8).toString('hex'), subscriptionId: sub.id,
        subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(), clientState: sub.clientState,
        changeType: change, resource, tenantId: TENANT_ID,
        resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': resource, '@odata.etag': etag, id },
      });
    }
  }

  lifecycle(subId: string, event: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed'): void {
    const sub = this.byId.get(subId);
    if (!sub) throw new GraphHttpError(404, 'ResourceNotFound', `Subscription '${subId}' not found.`);
    if (event === 'subscriptionRemoved') this.byId.delete(subId);
    const url = sub.lifecycleNotificationUrl;
    if (!url) return;
    this.track(this.deliver(url, {
      value: [{
        subscriptionId: sub.id, subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(),
        tenantId: TENANT_ID, clientState: sub.clientState, lifecycleEvent: event,
      }],
    }, 0));
  }

  /** One POST may batch notifications for several subscriptions that share a URL. */
  private enqueue(url: string, item: Record<string, unknown>): void {
    const batch = this.pending.get(url);
    if (batch) return void batch.push(item);
    this.pending.set(url, [item]);
    setImmediate(() => {
      const value = this.pending.get(url) ?? [];
      this.pending.delete(url);
      this.track(this.deliver(url, { value }, 0));
    });
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async deliver(url: string, body: unknown, attempt: number): Promise<void> {
    try {
      const res = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.deliveryTimeoutMs),
      });
      await res.arrayBuffer();
      if (res.status >= 200 && res.status < 300) return;
    } catch { /* retried below */ }
    if (attempt >= this.settings.retries) return;
    await new Promise((r) => setTimeout(r, this.settings.retryDelayMs * (attempt + 1)));
    return this.deliver(url, body, attempt + 1);
  }

  /** Waits for deliveries in progress (tests and shutdown). */
  async settle(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
