/**
 * The control API (in-process; the same actions over HTTP under /_emulator/<action>, see README):
 * seed users, calendars and events, change them out of band, inject faults, read what arrived.
 */
import { randomUUID } from 'node:crypto';
import type { Prefs } from './http.ts';
import type { MeetingMessage } from './meeting-messages.ts';
import { newChangeKey, newId, newMailbox, type EventData } from './model.ts';
import type { EmulatorState, Fault, LoggedRequest } from './state.ts';
import type { NotificationSettings } from './subscriptions.ts';
import { setSwitches, type GraphSwitches } from './switches.ts';
import { deleteCalendar } from './calendar-delete.ts';
import { itemOfTarget, resolveOr404 } from './graph-events.ts';
import { calendarView, renderItem } from './views.ts';

const PREFS: Prefs = { timeZone: null, immutableIds: false, maxPageSize: null, bodyText: true };

export class MicrosoftEmulatorControl {
  constructor(private readonly s: EmulatorState) {}

  private mb(userId: string) {
    const mb = this.s.mailboxByAny(userId);
    if (!mb) throw new Error(`no such user ${userId}`);
    return mb;
  }

  /** `mail: null`: /me answers `mail: null` and the email as userPrincipalName only. */
  createUser(o: { email: string; displayName?: string; timeZone?: string; id?: string; mail?: null }): { id: string; email: string; calendarId: string } {
    const mb = newMailbox(o.id ?? randomUUID(), o.email, o.displayName ?? o.email.split('@')[0]!, o.timeZone ?? 'UTC');
    if (o.mail === null) mb.mail = null;
    this.s.mailboxes.set(mb.id, mb);
    const calendarId = newId('AAMkCA');
    mb.calendars.set(calendarId, { id: calendarId, name: 'Calendar', color: 'auto', isDefault: true, canEdit: true });
    return { id: mb.id, email: mb.email, calendarId };
  }

  createCalendar(o: { userId: string; name: string; color?: string; canEdit?: boolean }): { id: string } {
    const id = newId('AAMkCA');
    this.mb(o.userId).calendars.set(id, { id, name: o.name, color: o.color ?? 'auto', isDefault: false, canEdit: o.canEdit ?? true });
    return { id };
  }

  /**
   * The user picks a colour for a calendar in Outlook: `color` takes the theme and, when the
   * colour is one of its own (`hexColor`), `hexColor` the shade, else empty; the changeKey changes.
   */
  pickCalendarColor(o: { userId: string; calendarId: string; color: string; hexColor?: string }): void {
    const cal = this.mb(o.userId).calendars.get(o.calendarId);
    if (!cal) throw new Error(`no calendar ${o.calendarId}`);
    cal.color = o.color;
    // A theme picked without a shade of its own leaves no explicit shade (calendar.md hexColor).
    cal.hexColor = o.hexColor ?? '';
    cal.changeKey = newChangeKey();
  }

  /** As DELETE /me/calendars/{id} does it (calendar-delete.ts); the default calendar is refused. */
  deleteCalendar(o: { userId: string; calendarId: string }): void {
    deleteCalendar(this.s, this.mb(o.userId), o.calendarId);
  }

  registerApp(o: { clientId: string; clientSecret?: string; redirectUris: string[]; name?: string }): void {
    this.s.idp.apps.set(o.clientId, { clientId: o.clientId, clientSecret: o.clientSecret ?? null, redirectUris: o.redirectUris, name: o.name ?? o.clientId });
  }

  /** Tokens without the consent dance (tests). Default scopes include offline_access. */
  issueToken(o: { userId: string; clientId?: string; scopes?: string[] }): { accessToken: string; refreshToken: string | null } {
    const scope = o.scopes ?? ['Calendars.ReadWrite', 'User.Read', 'offline_access'];
    const t = this.s.idp.issueTokens({ userId: this.mb(o.userId).id, clientId: o.clientId ?? 'calhub-tests', scope, revoked: false });
    return { accessToken: t.access_token as string, refreshToken: (t.refresh_token as string | undefined) ?? null };
  }

  createEvent(o: { userId: string; calendarId?: string; event: Partial<EventData>; extended?: Array<{ id: string; value: string }> }) {
    const mb = this.mb(o.userId);
    const calId = o.calendarId ?? [...mb.calendars.values()].find((c) => c.isDefault)!.id;
    const ev = this.s.store.create(mb, calId, o.event);
    this.s.store.setExtended(mb, ev, o.extended ?? []);
    return { id: ev.restId, immutableId: ev.key, changeKey: ev.changeKey };
  }

  /** Works on singles, masters, exceptions and occurrences (which become exceptions). */
  updateEvent(o: { userId: string; id: string; patch: Partial<EventData> }) {
    const mb = this.mb(o.userId);
    const t = resolveOr404(this.s, mb, o.id);
    itemOfTarget(mb, t);
    const ev = this.s.store.update(mb, t, o.patch);
    return { changeKey: ev.changeKey };
  }

  deleteEvent(o: { userId: string; id: string }): void {
    const mb = this.mb(o.userId);
    const t = resolveOr404(this.s, mb, o.id);
    itemOfTarget(mb, t);
    this.s.store.delete(mb, t);
  }

  moveEvent(o: { userId: string; id: string; calendarId: string }): { id: string; immutableId: string } {
    const mb = this.mb(o.userId);
    const t = resolveOr404(this.s, mb, o.id);
    if (t.kind !== 'event') throw new Error('occurrences cannot be moved');
    const ev = this.s.store.move(mb, t.ev, o.calendarId);
    return { id: ev.restId, immutableId: ev.key };
  }

  getEvent(o: { userId: string; id: string; immutableIds?: boolean }): Record<string, unknown> {
    const mb = this.mb(o.userId);
    return renderItem(mb, itemOfTarget(mb, resolveOr404(this.s, mb, o.id)), { ...PREFS, immutableIds: o.immutableIds ?? false });
  }

  /** calendarView as Graph would return it (UTC, REST ids, text bodies). */
  calendarView(o: { userId: string; calendarId: string; start: string; end: string }): Array<Record<string, unknown>> {
    const mb = this.mb(o.userId);
    return calendarView(mb, o.calendarId, Date.parse(o.start), Date.parse(o.end)).map((i) => renderItem(mb, i, PREFS));
  }

  injectFault(o: Partial<Fault> & { status: number }): void {
    this.s.faults.push({ count: 1, ...o });
  }
  /** Moves the emulator's subscription clock forward (subscriptions expire, renewals are judged on it). */
  advanceClock(ms: number): void {
    this.s.clockOffsetMs += ms;
  }
  setLatency(o: { ms: number }): void {
    this.s.latencyMs = o.ms;
  }
  setLimits(o: { concurrency?: number; requestsPer10Min?: number }): void {
    if (o.concurrency !== undefined) this.s.concurrencyLimit = o.concurrency;
    if (o.requestsPer10Min !== undefined) this.s.requestLimit = o.requestsPer10Min;
  }
  clearFaults(): void {
    this.s.faults = [];
    this.s.latencyMs = 0;
    this.s.deltaFaults.emptyPages = 0;
    this.s.deltaFaults.emptyEvery = 0;
    this.s.deltaFaults.replays = 0;
  }

  /** Every delta token issued so far fails: 410 + Location (`gone`) or 400 `syncStateNotFound`. */
  invalidateDeltaTokens(o: { userId?: string; mode?: 'gone' | 'notFound' } = {}): number {
    let n = 0;
    for (const mb of this.s.mailboxes.values()) {
      if (o.userId && mb.id !== o.userId && mb.email !== o.userId) continue;
      for (const t of mb.deltaTokens.keys()) {
        this.s.deltaFaults.invalidated.set(t, o.mode ?? 'gone');
        n += 1;
      }
      mb.pages.clear();
    }
    return n;
  }
  /** The next `count` delta pages are empty (with a nextLink); `every` N makes it periodic. */
  emptyPages(o: { count?: number; every?: number }): void {
    const count = o.count ?? 0;
    const every = o.every ?? 0;
    if (!Number.isInteger(count) || count < 0) throw new Error(`emptyPages: count must be an integer >= 0, got ${String(o.count)}`);
    // every: 1 would empty every page, so no round could ever reach its deltaLink.
    if (!Number.isInteger(every) || every < 0 || every === 1) {
      throw new Error(`emptyPages: every must be 0 (off) or an integer >= 2 (pages 1, N+1, 2N+1 … empty), got ${String(o.every)}`);
    }
    this.s.deltaFaults.emptyPages = count;
    this.s.deltaFaults.emptyEvery = every;
  }
  replayNext(o: { count: number }): void {
    this.s.deltaFaults.replays = o.count;
  }

  /** Also challenges the grants' subscriptions (reauthorizationRequired, then removal after the grace). */
  revokeGrants(o: { userId: string }): number {
    const n = this.s.idp.revoke(this.mb(o.userId).id);
    this.s.subs.grantsRevoked();
    return n;
  }
  failNextRefresh(o: { count?: number } = {}): void {
    this.s.idp.failNextRefresh = o.count ?? 1;
  }
  expireAccessTokens(o: { userId: string }): void {
    this.s.idp.expireAccessTokens(this.mb(o.userId).id);
  }

  /** Field readings instead of documented behaviour, and http push for tests (see switches.ts). */
  setSwitches(o: Partial<GraphSwitches>): GraphSwitches {
    setSwitches(this.s.switches, o);
    return { ...this.s.switches };
  }

  setNotificationSettings(o: Partial<NotificationSettings>): void {
    this.s.subs.configure(o);
  }
  sendLifecycle(o: { subscriptionId: string; event: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed' }): void {
    this.s.subs.lifecycle(o.subscriptionId, o.event);
  }
  subscriptions(): Array<{ id: string; resource: string; expirationDateTime: string; notificationUrl: string }> {
    return [...this.s.subs.byId.values()].map((x) => ({ id: x.id, resource: x.resource, expirationDateTime: new Date(x.expirationMs).toISOString(), notificationUrl: x.notificationUrl }));
  }
  droppedNotifications(): number {
    return this.s.subs.dropped;
  }
  /** Resolves once queued notifications have been delivered or given up and pending removals are done. */
  settle(): Promise<void> {
    return this.s.subs.settle();
  }

  /** Grant types of every token-endpoint call so far (`authorization_code`, `refresh_token`). */
  tokenRequests(): string[] {
    return [...this.s.idp.tokenRequests];
  }
  /** The last 2,000 Graph requests. */
  requests(): LoggedRequest[] {
    return [...this.s.log];
  }
  /** Graph requests answered since start, and how many of them were not GETs; never capped. */
  requestCounts(): { requests: number; writes: number } {
    return { ...this.s.counts };
  }
  clearRequests(): void {
    this.s.log.length = 0;
  }
  /** The meeting messages Exchange would have sent for the Graph writes so far (meeting-messages.ts), oldest first. */
  meetingMessages(): MeetingMessage[] {
    return structuredClone(this.s.meetingMessages);
  }
  clearMeetingMessages(): void {
    this.s.meetingMessages.length = 0;
  }
}
