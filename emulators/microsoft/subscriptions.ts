/**
 * Change notifications (provider-facts B.6): validation handshake on create, clientState on every
 * notification, https only, the 10,080-minute cap and 45-minute floor for events (§E), PATCH renew,
 * reauthorize (204), DELETE, and the lifecycle events Graph sends by
 * itself (change-notifications-lifecycle-events.md): `reauthorizationRequired` before expiry and
 * when the grant behind a subscription is revoked, `subscriptionRemoved` when a revoked
 * subscription is not reauthorized in time, `missed` when notifications were dropped.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { seededRandom } from '../../shared/random.ts';
import { Delivery } from './delivery.ts';
import { GraphHttpError } from './http.ts';
import type { Mailbox, Subscription } from './model.ts';
import type { Grant } from './oauth.ts';
import type { GraphSwitches } from './switches.ts';

/**
 * Outlook `event` subscriptions live at most 10,080 minutes (7 days); 4,230 is the older figure for
 * other resources (provider-facts §E B.6, learn.microsoft.com/graph/change-notifications-overview).
 */
export const MAX_EXPIRY_MINUTES = 10_080;
/** An expirationDateTime less than 45 minutes ahead is raised to 45 minutes (§E B.6). */
export const MIN_EXPIRY_MINUTES = 45;
/** Outlook: at most 1000 active subscriptions per mailbox, all applications together. */
export const MAX_PER_MAILBOX = 1000;
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export interface NotificationSettings {
  validationTimeoutMs: number;
  deliveryTimeoutMs: number;
  retries: number;
  retryDelayMs: number;
  /** Share of notifications silently dropped (0..1); which ones follows from `dropSeed`. */
  dropRate: number;
  /** Seed of the PRNG behind `dropRate`; setting it restarts the sequence. */
  dropSeed: number;
  /** `reauthorizationRequired` goes out this long before a subscription expires (Graph's lead time UNCONFIRMED). */
  reauthorizeBeforeExpiryMs: number;
  /** After its grant is revoked, a subscription is removed unless reauthorized within this (Graph: "a while"). */
  reauthorizeGraceMs: number;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  validationTimeoutMs: 10_000, deliveryTimeoutMs: 3_000, retries: 3, retryDelayMs: 1_000,
  dropRate: 0, dropSeed: 1, reauthorizeBeforeExpiryMs: 15 * 60_000, reauthorizeGraceMs: 3_000,
};

type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export class Subscriptions {
  readonly byId = new Map<string, Subscription>();
  readonly settings: NotificationSettings = { ...DEFAULT_NOTIFICATION_SETTINGS };
  private readonly delivery = new Delivery(this.settings);
  private random = seededRandom(this.settings.dropSeed);
  private expiryWarnings = new Map<string, NodeJS.Timeout>();
  private removals = new Map<string, { timer: NodeJS.Timeout; done: () => void }>();
  dropped = 0;
  constructor(private readonly switches: GraphSwitches, private readonly now: () => number = Date.now) {}

  configure(o: Partial<NotificationSettings>): void {
    for (const [k, v] of Object.entries(o)) {
      if (!(k in this.settings) || typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`setNotificationSettings: ${k} must be a number >= 0`);
    }
    if (o.dropRate !== undefined && o.dropRate > 1) throw new Error('setNotificationSettings: dropRate must be within 0..1');
    Object.assign(this.settings, o);
    if (o.dropSeed !== undefined) this.random = seededRandom(o.dropSeed);
  }

  async create(mb: Mailbox, grant: Grant, body: Record<string, unknown>, immutableIds: boolean): Promise<Subscription> {
    const { changeType, notificationUrl, lifecycleNotificationUrl, resource, expirationDateTime, clientState } = body as Record<string, string | undefined>;
    if (!changeType || !changeType.split(',').every((c) => ['created', 'updated', 'deleted'].includes(c.trim()))) {
      throw new GraphHttpError(400, 'InvalidRequest', 'changeType must be a comma-separated list of created, updated, deleted.');
    }
    if (!notificationUrl || !/^https?:\/\//.test(notificationUrl)) throw new GraphHttpError(400, 'InvalidRequest', 'notificationUrl is required and must be an absolute URL.');
    for (const [name, url] of [['notificationUrl', notificationUrl], ['lifecycleNotificationUrl', lifecycleNotificationUrl]] as const) {
      // Graph refuses anything but https (§E B.6; the exact error text is UNCONFIRMED).
      if (url && !url.startsWith('https://') && !this.switches.allowHttpPush) {
        throw new GraphHttpError(400, 'InvalidRequest', `${name} must be an https URL.`);
      }
    }
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
      clientState: clientState ?? null, expirationMs, immutableIds, mailboxId: mb.id, applicationId: grant.clientId,
      grant, paused: false,
    };
    this.byId.set(sub.id, sub);
    this.warnBeforeExpiry(sub);
    return sub;
  }

  /** PATCH renew (new expiry) and POST reauthorize (expiry unchanged) both reauthorize with the caller's grant. */
  reauthorize(sub: Subscription, grant: Grant, expirationMs = sub.expirationMs): void {
    sub.grant = grant;
    sub.paused = false;
    sub.expirationMs = expirationMs;
    this.cancelRemoval(sub.id);
    this.warnBeforeExpiry(sub);
  }

  delete(id: string): void {
    this.byId.delete(id);
    clearTimeout(this.expiryWarnings.get(id));
    this.expiryWarnings.delete(id);
    this.cancelRemoval(id);
  }

  private cancelRemoval(id: string): void {
    const removal = this.removals.get(id);
    if (!removal) return;
    clearTimeout(removal.timer);
    this.removals.delete(id);
    removal.done();
  }

  /**
   * After a grant is revoked Graph challenges each of its subscriptions, pauses their change
   * notifications (changes in the pause are lost) and removes the ones not reauthorized in time.
   */
  grantsRevoked(): void {
    for (const sub of this.byId.values()) {
      if (!sub.grant?.revoked || sub.paused || sub.expirationMs <= this.now()) continue;
      sub.paused = true;
      this.emit(sub, 'reauthorizationRequired');
      let done = () => {};
      const finished = new Promise<void>((r) => { done = r; });
      const timer = setTimeout(() => {
        this.removals.delete(sub.id);
        if (this.byId.get(sub.id) === sub && sub.paused) this.lifecycle(sub.id, 'subscriptionRemoved');
        done();
      }, this.settings.reauthorizeGraceMs);
      this.removals.set(sub.id, { timer, done });
      this.delivery.track(finished);
    }
  }

  private warnBeforeExpiry(sub: Subscription): void {
    clearTimeout(this.expiryWarnings.get(sub.id));
    const delay = sub.expirationMs - this.settings.reauthorizeBeforeExpiryMs - this.now();
    const timer = setTimeout(() => {
      this.expiryWarnings.delete(sub.id);
      if (this.byId.get(sub.id) === sub && sub.expirationMs > this.now()) this.emit(sub, 'reauthorizationRequired');
    }, Math.max(0, delay));
    timer.unref();
    this.expiryWarnings.set(sub.id, timer);
  }

  /** Stops every timer (emulator shutdown). */
  close(): void {
    for (const t of this.expiryWarnings.values()) clearTimeout(t);
    this.expiryWarnings.clear();
    for (const id of [...this.removals.keys()]) this.cancelRemoval(id);
  }

  checkExpiry(value: string | undefined): number {
    const ms = value ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) throw new GraphHttpError(400, 'InvalidRequest', 'expirationDateTime is required.');
    const now = this.now();
    if (ms <= now) throw new GraphHttpError(400, 'InvalidRequest', 'Subscription expiration can only be in the future.');
    if (ms > now + MAX_EXPIRY_MINUTES * 60_000) {
      throw new GraphHttpError(400, 'InvalidRequest', `Subscription expiration can only be ${MAX_EXPIRY_MINUTES} minutes in the future.`);
    }
    return Math.max(ms, now + MIN_EXPIRY_MINUTES * 60_000);
  }

  get(id: string, mb: Mailbox): Subscription {
    const sub = this.byId.get(id);
    if (!sub || sub.mailboxId !== mb.id || sub.expirationMs <= this.now()) {
      throw new GraphHttpError(404, 'ResourceNotFound', `The object was not found. Subscription '${id}'.`);
    }
    return sub;
  }

  /**
   * `me/events`, `me/calendar/events`, `me/calendars/{id}/events`, `users/{id}/…`: null = not
   * supported. Only `me/events` is documented; the switches select the field readings (§E B.6).
   */
  calendarOf(mb: Mailbox, resource: string): 'all' | string | null {
    const r = resource.replace(/^\//, '').replace(/^users\/[^/]+\//i, 'me/');
    const defaultId = [...mb.calendars.values()].find((c) => c.isDefault)?.id ?? null;
    if (/^me\/events$/i.test(r)) return this.switches.meEventsDefaultCalendarOnly ? defaultId : 'all';
    if (this.switches.refuseCalendarSubscriptions) return null;
    if (/^me\/calendar\/events$/i.test(r)) return defaultId;
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
      if (sub.mailboxId !== mb.id || sub.expirationMs <= this.now() || sub.paused) continue;
      if (!sub.changeType.split(',').map((c) => c.trim()).includes(change)) continue;
      const cal = this.calendarOf(mb, sub.resource);
      if (cal !== 'all' && cal !== calendarId) continue;
      // Drawn only while a drop share is set, so the pattern after a reseed depends on nothing earlier.
      if (this.settings.dropRate > 0 && this.random() < this.settings.dropRate) {
        this.dropped += 1;
        this.emit(sub, 'missed');
        continue;
      }
      const id = sub.immutableIds ? ids.key : ids.restId;
      const resource = `Users/${mb.id}/Events/${id}`;
      this.delivery.enqueue(sub.notificationUrl, {
        id: randomBytes(8).toString('hex'), subscriptionId: sub.id,
        subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(), clientState: sub.clientState,
        changeType: change, resource, tenantId: TENANT_ID,
        resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': resource, '@odata.etag': etag, id },
      });
    }
  }

  /** Test hook for the events Graph sends on its own schedule; `subscriptionRemoved` also removes it. */
  lifecycle(subId: string, event: LifecycleEvent): void {
    const sub = this.byId.get(subId);
    if (!sub) throw new GraphHttpError(404, 'ResourceNotFound', `Subscription '${subId}' not found.`);
    if (event === 'subscriptionRemoved') this.delete(subId);
    this.emit(sub, event);
  }

  /** Lifecycle notifications only go to subscriptions created with a lifecycleNotificationUrl. */
  private emit(sub: Subscription, event: LifecycleEvent): void {
    const url = sub.lifecycleNotificationUrl;
    if (!url) return;
    const item = {
      subscriptionId: sub.id, subscriptionExpirationDateTime: new Date(sub.expirationMs).toISOString(),
      tenantId: TENANT_ID, clientState: sub.clientState, lifecycleEvent: event,
    };
    // Own batches: whether Graph mixes lifecycle and change items in one POST is not documented.
    this.delivery.enqueue(url, item, 'lifecycle', (q) => q.subscriptionId === sub.id && q.lifecycleEvent === event);
  }

  /** Waits for deliveries in progress and pending removals (tests and shutdown). */
  settle(): Promise<void> {
    return this.delivery.settle();
  }
}
