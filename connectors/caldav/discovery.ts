/**
 * Discovery (RFC 6764 well-known, RFC 5397 current-user-principal, RFC 4791 §6.2.1
 * calendar-home-set) and the calendar listing of each home.
 */
import type { ConnectorContext, RemoteCalendar } from '../connector.ts';
import { resolveZone } from '../../shared/time/index.ts';
import type { DavClient } from './dav-client.ts';
import { childNames, hrefsOf, parseMultistatus, propfindBody, textOf, type XmlNode } from './xml.ts';
import { TransientError, UnsupportedError } from '../errors.ts';

export interface CaldavDiscovery {
  /** The principal URL (Radicale: /<user>/; Xandikos: /user/), or null when the server has none. */
  principalUrl: string | null;
  homeUrls: string[];
  /** calendar-user-address-set, as plain addresses (mailto: stripped). */
  userAddresses: string[];
  calendars: RemoteCalendar[];
}

/** Statuses that mean "not here, try the next candidate" during discovery. */
const MISS = [301, 302, 307, 308, 400, 403, 404, 405, 501];

async function propfind0(dav: DavClient, url: string, props: string[]): Promise<{ props: XmlNode; url: string } | null> {
  const res = await dav.request({ method: 'PROPFIND', url, depth: '0', body: propfindBody(props), accept: MISS });
  if (res.status !== 207) return null;
  let first;
  try {
    first = parseMultistatus(res.text).responses[0];
  } catch {
    return null;
  }
  return first ? { props: first.props, url: res.url } : null;
}

export async function findPrincipal(dav: DavClient, serverUrl: string): Promise<string | null> {
  const base = new URL(serverUrl);
  const wellKnown = new URL('/.well-known/caldav', base).toString();
  const candidates = base.pathname === '/' || base.pathname === '' ? [wellKnown, base.toString()] : [base.toString(), wellKnown];
  for (const url of candidates) {
    const r = await propfind0(dav, url, ['D:current-user-principal']);
    const href = r ? hrefsOf(r.props['current-user-principal'])[0] : undefined;
    if (href && r) return new URL(href, r.url).toString();
  }
  return null;
}

export interface CaldavHomes {
  homes: string[];
  addresses: string[];
  /** The calendar the server names the user's default (RFC 6638 schedule-default-calendar-URL); null when it names none. */
  defaultCalendar: string | null;
}

export async function findHomes(dav: DavClient, principalUrl: string | null, serverUrl: string): Promise<CaldavHomes> {
  if (principalUrl) {
    const r = await propfind0(dav, principalUrl, ['C:calendar-home-set', 'C:calendar-user-address-set', 'C:schedule-inbox-URL', 'C:schedule-default-calendar-URL']);
    const homes = r ? hrefsOf(r.props['calendar-home-set']).map((h) => new URL(h, r.url).toString()) : [];
    const addresses = r ? hrefsOf(r.props['calendar-user-address-set']).map((a) => a.replace(/^mailto:/i, '')) : [];
    if (homes.length > 0) return { homes, addresses, defaultCalendar: r ? await defaultCalendarOf(dav, r) : null };
  }
  // No principal (or no home set): the URL given is the calendar home, or a calendar itself.
  return { homes: [serverUrl], addresses: [], defaultCalendar: null };
}

/**
 * RFC 6638 §9.2 defines schedule-default-calendar-URL on the scheduling inbox (the principal's
 * schedule-inbox-URL); some servers also answer it on the principal, which is asked first. Radicale
 * has no inbox; Xandikos has one and answers the property empty: neither names a default.
 */
async function defaultCalendarOf(dav: DavClient, principal: { props: XmlNode; url: string }): Promise<string | null> {
  const onPrincipal = hrefsOf(principal.props['schedule-default-calendar-URL'])[0];
  if (onPrincipal) return new URL(onPrincipal, principal.url).toString();
  const inbox = hrefsOf(principal.props['schedule-inbox-URL'])[0];
  if (!inbox) return null;
  const r = await propfind0(dav, new URL(inbox, principal.url).toString(), ['C:schedule-default-calendar-URL']);
  const href = r ? hrefsOf(r.props['schedule-default-calendar-URL'])[0] : undefined;
  return href && r ? new URL(href, r.url).toString() : null;
}

// No getctag or sync-token here: nothing reads them from discovery, and Radicale computes both by
// reading every item of every calendar (a fresh 1,000-item calendar: tens of seconds at connect).
const CALENDAR_PROPS = [
  'D:resourcetype', 'D:displayname', 'I:calendar-color', 'C:calendar-timezone', 'C:supported-calendar-component-set',
  'D:current-user-privilege-set',
];

/**
 * A collection without calendar-timezone is in UTC (what a fresh connection records), so a zone
 * removed at the server is read as UTC, not left at the old one; one calhub cannot read is null
 * (the zone recorded stays).
 */
function zoneFromCalendarTimezone(vcal: string | null): string | null {
  if (!vcal?.trim()) return 'UTC';
  const m = /^TZID:(.+)$/m.exec(vcal.replace(/\r\n[ \t]/g, ''));
  return m ? resolveZone(m[1]!.trim()) : null;
}

function toRemoteCalendar(href: string, base: string, props: XmlNode): RemoteCalendar | null {
  if (!childNames(props['resourcetype']).includes('calendar')) return null;
  const url = new URL(href, base).toString();
  const comps = props['supported-calendar-component-set'];
  const compNames = comps && typeof comps === 'object'
    ? (((comps as XmlNode)['comp'] as XmlNode[] | undefined) ?? []).map((c) => String(c['@_name'] ?? '').toUpperCase())
    : null;
  const privs = props['current-user-privilege-set'];
  const granted = privs && typeof privs === 'object'
    ? (((privs as XmlNode)['privilege'] as XmlNode[] | undefined) ?? []).flatMap((p) => childNames(p))
    : null;
  const color = textOf(props['calendar-color'])?.trim() || null;
  const name = textOf(props['displayname'])?.trim() || decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? url);
  return {
    providerCalendarId: url,
    name,
    timeZone: zoneFromCalendarTimezone(textOf(props['calendar-timezone'])),
    // #RRGGBBAA (Apple) → #RRGGBB
    color: color && /^#[0-9a-f]{8}$/i.test(color) ? color.slice(0, 7) : color,
    readOnly: granted === null ? false : !granted.some((p) => p === 'all' || p === 'write' || p === 'write-content'),
    // An absent component set means every component type is allowed (RFC 4791 §5.2.3).
    supportsEvents: compNames === null || compNames.length === 0 || compNames.includes('VEVENT'),
    primary: false,
  };
}

/**
 * `defaultCalendar`: the one the server names the user's default (findHomes), marked primary;
 * CalDAV has no other primary flag, so without it none is.
 */
export async function listCalendarsIn(dav: DavClient, homes: string[], defaultCalendar: string | null = null): Promise<RemoteCalendar[]> {
  const out: RemoteCalendar[] = [];
  for (const home of homes) {
    const res = await dav.request({ method: 'PROPFIND', url: home, depth: '1', body: propfindBody(CALENDAR_PROPS) });
    // A DAV server answers PROPFIND with 207 (RFC 4918 §9.1); a plain web server's 200 page is no
    // passing state to retry: nothing calhub can use is at that address.
    if (res.status !== 207) {
      throw new UnsupportedError(`PROPFIND ${home} answered ${res.status}, not a DAV multistatus: not a CalDAV server, or not its CalDAV address`, { provider: 'caldav', reason: 'not-dav' });
    }
    let parsed;
    try {
      parsed = parseMultistatus(res.text);
    } catch (e) {
      throw new TransientError(`PROPFIND ${home}: ${(e as Error).message}`, { provider: 'caldav' });
    }
    for (const r of parsed.responses) {
      const cal = toRemoteCalendar(r.href, res.url, r.props);
      if (cal && !out.some((c) => c.providerCalendarId === cal.providerCalendarId)) out.push(cal);
    }
  }
  const primary = defaultCalendar ? out.find((c) => sameCollection(c.providerCalendarId, defaultCalendar)) : undefined;
  if (primary) primary.primary = true;
  return out;
}

/** One collection whether or not its URL ends in a slash or escapes a character the other does not. */
const sameCollection = (a: string, b: string): boolean => {
  const norm = (u: string) => decodeURIComponent(new URL(u).toString()).replace(/\/$/, '');
  return norm(a) === norm(b);
};

export async function discover(dav: DavClient, _ctx: ConnectorContext, serverUrl: string): Promise<CaldavDiscovery> {
  const principalUrl = await findPrincipal(dav, serverUrl);
  const { homes, addresses, defaultCalendar } = await findHomes(dav, principalUrl, serverUrl);
  const calendars = await listCalendarsIn(dav, homes, defaultCalendar);
  return { principalUrl, homeUrls: homes, userAddresses: addresses, calendars };
}
