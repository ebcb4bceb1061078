/**
 * The emulator's whole in-memory world: users, calendars and their events, OAuth grants and
 * tokens, push channels, injected faults and the request log. Routes and the control API both
 * work on one EmulatorState.
 */
import { randomBytes } from 'node:crypto';
import type { CalendarState, GuestMail, StoredEvent, UserState } from './types.ts';

export interface Grant {
  id: string;
  email: string;
  clientId: string;
  scope: string;
  refreshToken: string | null;
  revoked: boolean;
}

export interface AccessToken {
  grantId: string;
  expiresAtMs: number;
}

export interface AuthCode {
  email: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  offline: boolean;
  forceConsent: boolean;
  /** include_granted_scopes=true: the new grant also carries what the user granted before. */
  includeGranted: boolean;
  expiresAtMs: number;
}

export interface Channel {
  id: string;
  resourceId: string;
  resourceUri: string;
  /** The calendar an events.watch channel watches; null on a calendarList.watch channel. */
  calendarId: string | null;
  /** The user whose calendar list a calendarList.watch channel watches (the grant's email); absent on an events channel. */
  listOf?: string;
  address: string;
  token: string | null;
  expirationMs: number;
  /** The last message number given (0 before the sync message). */
  messageNumber: number;
  /** Messages given so far; the numbers skip, so this is not messageNumber. */
  messagesSent: number;
  stopped: boolean;
}

export interface Fault {
  status: number;
  reason?: string;
  retryAfter?: string;
  /** How many matching requests fail; Infinity for "until cleared". */
  remaining: number;
  /** Only requests whose path starts with this fail (default: every /calendar/v3 request); `/users/me/calendarList` and `/calendar/v3/users/me/calendarList` are the same. */
  pathPrefix?: string;
  method?: string;
  /** Carry the request out, then cut the connection before answering: a timeout after a write. */
  dropResponse?: boolean;
}

const API_ROOT = '/calendar/v3';

/** A prefix given as the connector's paths are written (without /calendar/v3) used to never fire. */
function matchesPrefix(rawPath: string, rawPrefix: string | undefined): boolean {
  if (rawPrefix === undefined) return rawPath.startsWith(`${API_ROOT}/`);
  // A calendar id as typed (`work@goog.test`) or as it travels (`work%40goog.test`): both match.
  const path = decoded(rawPath);
  const prefix = decoded(rawPrefix);
  return path.startsWith(prefix) || (!prefix.startsWith(`${API_ROOT}/`) && prefix !== API_ROOT && path.startsWith(`${API_ROOT}${prefix}`));
}

function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export interface RecordedRequest {
  at: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Header names lower-cased; Authorization is redacted. */
  headers: Record<string, string>;
  body: unknown;
  status: number;
}

export interface Delivery {
  channelId: string;
  state: 'sync' | 'exists' | 'not_exists';
  messageNumber: number;
  dropped: boolean;
  status: number | null;
  error?: string;
  /** POSTs made for this message: more than 1 when the receiver answered 5xx and Google retried. */
  attempts: number;
}

export interface EmulatorOptions {
  /** Accept http:// watch addresses. Google requires https (§E A.7); local tests and the sandbox have no TLS. */
  allowHttpPush?: boolean;
  /**
   * Bind a refresh token to the client it was issued to, as Google does: a refresh through another
   * client_id is invalid_grant. Off by default: many tests issue grants to one client id
   * (control.issueGrant) and refresh through whatever the hub has configured.
   */
  strictClients?: boolean;
}

export class EmulatorState {
  readonly users = new Map<string, UserState>();
  readonly calendars = new Map<string, CalendarState>();
  readonly grants = new Map<string, Grant>();
  readonly accessTokens = new Map<string, AccessToken>();
  readonly authCodes = new Map<string, AuthCode>();
  readonly channels = new Map<string, Channel>();
  readonly faults: Fault[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly deliveries: Delivery[] = [];
  /** What guests would have been mailed (guest-mail.ts). */
  readonly guestMail: GuestMail[] = [];
  readonly pendingDeliveries = new Set<Promise<void>>();

  seq = 1000;
  ord = 0;
  clockOffsetMs = 0;
  latencyMs = 0;
  /** Cap on every events page (Google may return fewer items than maxResults). */
  maxPageSize = 2500;
  /** Every n-th non-final events page comes back empty but with nextPageToken (0 = never). */
  emptyPageEvery = 0;
  emptyPageCounter = 0;
  /** Share of notifications to drop, deterministically spread (0..1). */
  dropShare = 0;
  /** Retries of a message the receiver answered with 500/502/503/504 (A.7), backoff doubling from baseMs. */
  pushRetry = { attempts: 3, baseMs: 1000 };
  accessTokenLifetimeSec = 3599;
  allowHttpPush: boolean;
  strictClients: boolean;

  constructor(opts: EmulatorOptions = {}) {
    this.allowHttpPush = opts.allowHttpPush ?? false;
    this.strictClients = opts.strictClients ?? false;
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Set by the push module: called after every change to a calendar's events. */
  changeListener: ((calendarId: string) => void) | null = null;

  notifyChange(calendarId: string): void {
    this.changeListener?.(calendarId);
  }

  /** Set by the push module: called with the users whose calendar list changed (calendarList.watch). */
  listChangeListener: ((emails: Iterable<string>) => void) | null = null;

  notifyListChange(emails: Iterable<string>): void {
    this.listChangeListener?.(emails);
  }

  /**
   * The calendar goes for everyone it was shared with, events and all; its channels hear
   * `not_exists`, the calendar-list channels of everyone who had it `exists`.
   */
  removeCalendar(calendarId: string): void {
    const had = [...(this.calendars.get(calendarId)?.acl.keys() ?? [])];
    this.calendars.delete(calendarId);
    this.notifyChange(calendarId);
    this.notifyListChange(had);
  }

  /**
   * The owner retitles the calendar (calendars.patch/update, or Google Calendar's settings); the etag
   * moves with updatedMs, so the entry changes in every list that has the calendar.
   */
  renameCalendar(cal: CalendarState, summary: string): void {
    cal.summary = summary;
    cal.updatedMs = this.now();
    this.notifyListChange(cal.acl.keys());
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** Google etags are quoted decimal strings that change on every change. */
  etagFor(seq: number): string {
    return `"${3_000_000_000_000_000 + seq * 1000}"`;
  }

  touch(cal: CalendarState, ev: StoredEvent): void {
    ev.seq = this.nextSeq();
    ev.res.etag = this.etagFor(ev.seq);
    const now = this.now();
    ev.res.updated = new Date(now).toISOString();
    cal.updatedMs = now;
  }

  userOfToken(token: string): { email: string; scope: string; grant: Grant } | null {
    const t = this.accessTokens.get(token);
    if (!t || t.expiresAtMs <= this.now()) return null;
    const grant = this.grants.get(t.grantId);
    if (!grant || grant.revoked) return null;
    return { email: grant.email, scope: grant.scope, grant };
  }

  issueAccessToken(grantId: string): { token: string; expiresIn: number } {
    const token = `ya29.emu-${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(token, { grantId, expiresAtMs: this.now() + this.accessTokenLifetimeSec * 1000 });
    return { token, expiresIn: this.accessTokenLifetimeSec };
  }

  /** Takes the first fault matching this request, counting it down. */
  takeFault(method: string, path: string): Fault | null {
    const i = this.faults.findIndex(
      (f) => f.remaining > 0 && (f.method === undefined || f.method === method) && matchesPrefix(path, f.pathPrefix),
    );
    if (i < 0) return null;
    const f = this.faults[i]!;
    f.remaining -= 1;
    if (f.remaining <= 0) this.faults.splice(i, 1);
    return f;
  }
}

/** base32hex (a-v, 0-9), the alphabet of Google event ids (A.4). */
export function newEventId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  return [...randomBytes(26)].map((b) => alphabet[b % 32]).join('');
}

export const newOpaqueId = (bytes = 16): string => randomBytes(bytes).toString('base64url');
