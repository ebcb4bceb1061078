/**
 * The one CalDAV error mapper: HTTP statuses, DAV precondition elements and network failures →
 * connectors/errors.ts. Quirks of particular servers are named where they matter.
 */
import type { HubError } from '../../shared/errors.ts';
import {
  AccessTokenExpiredError,
  GrantRevokedError,
  InsufficientScopeError,
  PreconditionFailedError,
  RateLimitedError,
  RemoteNotFoundError,
  SyncCursorInvalidError,
  TransientError,
  UnsupportedError,
  parseRetryAfter,
} from '../errors.ts';
import { SsrfBlockedError } from '../../shared/net/index.ts';

export interface DavFailure {
  status: number;
  method: string;
  url: string;
  body?: string;
  retryAfter?: string | null;
  /** The credentials are a bearer token (refreshable) rather than a password. */
  oauth?: boolean;
  now?: Date;
}

const DEFAULT_RATE_LIMIT_MS = 60_000;
const opts = (f: DavFailure, reason?: string) => ({ provider: 'caldav', httpStatus: f.status, ...(reason ? { reason } : {}) });

/** DAV/CalDAV precondition element named in an error body (`<D:error><C:no-uid-conflict/>…`). */
export function davCondition(body: string | undefined): string | null {
  if (!body) return null;
  const m = /<(?:[\w-]+:)?(valid-sync-token|default-calendar-delete-allowed|no-uid-conflict|valid-calendar-data|valid-calendar-object-resource|supported-calendar-component|supported-calendar-data|max-resource-size|supported-report|need-privileges|number-of-matches-within-limits)\b/.exec(body);
  return m ? m[1]! : null;
}

export function mapCaldavStatus(f: DavFailure): HubError {
  const where = `${f.method} ${safeUrl(f.url)} → ${f.status}`;
  const cond = davCondition(f.body);
  if (cond === 'valid-sync-token') return new SyncCursorInvalidError(`the server rejected the sync token (${where})`, opts(f, cond));
  // A password has no refresh: a 401 means it was changed or revoked, and only the user can fix it.
  if (f.status === 401) {
    return f.oauth
      ? new AccessTokenExpiredError(`CalDAV server rejected the access token (${where})`, opts(f))
      : new GrantRevokedError(`CalDAV server rejected the credentials (${where}); reconnect the account`, opts(f, 'credentials-rejected'));
  }
  if (f.status === 429 || (f.status === 503 && f.retryAfter)) {
    return new RateLimitedError(`rate limited (${where})`, parseRetryAfter(f.retryAfter, f.now) ?? DEFAULT_RATE_LIMIT_MS, opts(f));
  }
  // Xandikos 0.2 sends these data conditions with 412: checked before the status, or a refused
  // write would look like a lost race and be retried for ever.
  if (cond === 'valid-calendar-data' || cond === 'valid-calendar-object-resource' || cond === 'supported-calendar-component' ||
      cond === 'supported-calendar-data' || cond === 'max-resource-size' || f.status === 415 ||
      // Radicale answers unparsable or unacceptable iCalendar on PUT with a bare 400.
      (f.status === 400 && f.method === 'PUT')) {
    return new UnsupportedError(`the server refused the calendar data${cond ? ` (${cond})` : ''} (${where})`, opts(f, cond ?? undefined));
  }
  // A bare 400 to MKCALENDAR or PROPPATCH is the request itself refused (Xandikos: "Unable to parse
  // body."): sent again unchanged it is refused again, so it is not "try again".
  if (f.status === 400 && (f.method === 'MKCALENDAR' || f.method === 'PROPPATCH')) {
    return new UnsupportedError(`the server refused the request as malformed (${where})`, opts(f, 'bad-request'));
  }
  if (f.status === 412 || cond === 'no-uid-conflict') return new PreconditionFailedError(`precondition failed${cond ? ` (${cond})` : ''} (${where})`, opts(f, cond ?? undefined));
  if (f.status === 404 || f.status === 410) return new RemoteNotFoundError(`not found (${where})`, opts(f));
  // A server that keeps a default calendar refuses its DELETE so (CalendarServer,
  // apple/ccs-calendarserver twistedcaldav/storebridge.py); no permission changes that.
  if (cond === 'default-calendar-delete-allowed') return new UnsupportedError(`the server does not delete its default calendar (${where})`, opts(f, 'primary-calendar'));
  if (f.status === 403) return new InsufficientScopeError(`permission denied${cond ? ` (${cond})` : ''} (${where})`, opts(f, cond ?? undefined));
  if (f.status === 409) return new PreconditionFailedError(`conflict (${where})`, opts(f));
  // The server does not implement the DAV method at all (a plain web server answers PROPFIND so):
  // no retry makes it a CalDAV server.
  if ((f.status === 501 || f.status === 405) && (f.method === 'PROPFIND' || f.method === 'REPORT')) {
    return new UnsupportedError(`the server does not implement ${f.method}: not a CalDAV server, or not its CalDAV address (${where})`, opts(f, 'not-dav'));
  }
  // 5xx, 408 and anything unfamiliar: retried with backoff, bounded by the calendar's failure count.
  return new TransientError(`CalDAV request failed (${where})`, opts(f));
}

/** fetch() rejections: the SSRF guard refuses for good, everything else is the network. */
export function mapCaldavNetworkError(e: unknown, method: string, url: string): HubError {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  if (cause instanceof SsrfBlockedError) {
    return new UnsupportedError(cause.message, { provider: 'caldav', reason: 'ssrf-blocked', cause });
  }
  const msg = e instanceof Error ? e.message : String(e);
  const code = (cause as { code?: unknown } | null)?.code;
  const host = hostOf(url);
  // Said in words (the resolver's and OpenSSL's texts named neither the host nor the likely
  // mistake) and marked, so that a connect, with its user waiting, refuses rather than "try again".
  // A sync keeps retrying them: a name that fails to resolve or a certificate being replaced can
  // be a passing state of a server that worked.
  if (code === 'ENOTFOUND') {
    return new TransientError(`${method} ${safeUrl(url)} failed: the host name ${host} does not resolve (ENOTFOUND)`, { provider: 'caldav', reason: 'host-unknown', cause: e });
  }
  const causeMsg = cause instanceof Error ? cause.message : '';
  if (new URL(url).protocol === 'https:' && (code === 'EPROTO' || (typeof code === 'string' && code.startsWith('ERR_SSL_')) || /wrong version number|before secure TLS connection/i.test(causeMsg))) {
    return new TransientError(`${method} ${safeUrl(url)} failed: no TLS (https) answer from ${host}; if the server speaks plain http on that port, use an http:// URL`, { provider: 'caldav', reason: 'tls-failed', cause: e });
  }
  return new TransientError(`${method} ${safeUrl(url)} failed: ${msg}${causeMsg && causeMsg !== msg ? ` (${causeMsg})` : ''}`, { provider: 'caldav', cause: e });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid url)';
  }
}

/** URLs in messages lose any user-info. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}
