/**
 * createCalendar for CalDAV: MKCALENDAR (RFC 4791 §5.3.1) of a new collection in the account's
 * first calendar home, for events, with its name (displayname) and its zone (calendar-timezone: a
 * VCALENDAR holding the zone's VTIMEZONE, §5.2.2). The collection's name is the display name made
 * URL-safe plus a random tail, so two calendars of the same name do not meet. A server that answers
 * 405 has something at that URL already (the resource-must-be-null precondition). A zone the server
 * does not keep (Xandikos refuses calendar-timezone) is refused with the collection removed: the
 * calendar would be in UTC, not in the zone asked for.
 */
import { randomBytes } from 'node:crypto';
import type { RemoteCalendar } from '../connector.ts';
import { ValidationError } from '../../shared/errors.ts';
import { PreconditionFailedError, UnsupportedError } from '../errors.ts';
import type { DavClient } from './dav-client.ts';
import { listCalendarsIn } from './discovery.ts';
import { isKnownZone, vtimezoneLines } from './ical/zones.ts';
import { escapeXml, NS, propertyUpdateBody, refusedProperties } from './xml.ts';

const slug = (name: string) => name.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().toLowerCase().replace(/[\s_]+/g, '-').slice(0, 40) || 'calendar';

const zoneProp = (timeZone: string, year: number) =>
  `<C:calendar-timezone>${escapeXml(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//calhub//EN', ...vtimezoneLines(timeZone, year), 'END:VCALENDAR', ''].join('\r\n'))}</C:calendar-timezone>`;

function body(name: string, timeZone: string | null, year: number): string {
  const zone = timeZone && isKnownZone(timeZone) ? zoneProp(timeZone, year) : '';
  return `<?xml version="1.0" encoding="utf-8"?><C:mkcalendar ${NS}><D:set><D:prop><D:displayname>${escapeXml(name)}</D:displayname>` +
    `<C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>${zone}</D:prop></D:set></C:mkcalendar>`;
}

export async function makeCalendar(dav: DavClient, homes: string[], req: { name: string; timeZone: string | null }, now: Date): Promise<RemoteCalendar> {
  const home = homes[0];
  if (!home) throw new UnsupportedError('the CalDAV account has no calendar home to create a calendar in', { provider: 'caldav' });
  const url = new URL(`${slug(req.name)}-${randomBytes(3).toString('hex')}/`, home.endsWith('/') ? home : `${home}/`).toString();
  const zone = req.timeZone && isKnownZone(req.timeZone) ? req.timeZone : null;
  const res = await dav.request({ method: 'MKCALENDAR', url, body: body(req.name, zone, now.getUTCFullYear()), contentType: 'application/xml; charset=utf-8', accept: [405] }).catch(async (e: unknown) => {
    // Xandikos makes the collection before it reads the body it then refuses with 400: left, one
    // orphan calendar per attempt. The URL is new (random tail), so nothing else is there.
    if (e instanceof UnsupportedError && e.httpStatus === 400) await dav.request({ method: 'DELETE', url, accept: [404] }).catch(() => undefined);
    throw e;
  });
  if (res.status === 405) throw new PreconditionFailedError(`a resource exists at ${url} already (MKCALENDAR → 405)`, { provider: 'caldav', httpStatus: 405 });
  // The collection is made even when a property was not set (Xandikos answers 201 with
  // calendar-timezone 404): those are asked for once more on their own.
  const refused = refusedProperties(res.text);
  const again = [refused.has('displayname') ? `<D:displayname>${escapeXml(req.name)}</D:displayname>` : '', zone && refused.has('calendar-timezone') ? zoneProp(zone, now.getUTCFullYear()) : ''].join('');
  const stillRefused = again ? await setAgain(dav, url, again) : new Map<string, number>();
  const made = (await listCalendarsIn(dav, [home])).find((c) => c.providerCalendarId === url);
  // A calendar silently in another zone places all-day and floating events on the wrong days for
  // the product that asked (as Microsoft 365 refuses a zone other than the mailbox's): nothing is made.
  const kept = made ? made.timeZone : stillRefused.has('calendar-timezone') ? 'UTC' : zone;
  if (zone && kept !== null && kept !== zone) {
    await dav.request({ method: 'DELETE', url, accept: [404] }).catch(() => undefined);
    const why = refused.has('calendar-timezone') ? `calendar-timezone answered ${refused.get('calendar-timezone')}${stillRefused.has('calendar-timezone') ? `, and ${stillRefused.get('calendar-timezone')} when set again` : ''}` : 'calendar-timezone not kept';
    throw new ValidationError(`invalid calendar: timeZone: the CalDAV server does not keep a zone for a new calendar (${why}); it would be in ${kept}, not ${zone}: leave timeZone out`);
  }
  // Listed under another spelling of its URL (a server that rewrites paths): the one asked for stands.
  return { ...(made ?? { providerCalendarId: url, name: req.name, timeZone: kept, color: null, readOnly: false, supportsEvents: true }), primary: false };
}

/** PROPPATCH of properties MKCALENDAR did not set; the ones still not set, with their status. */
async function setAgain(dav: DavClient, url: string, props: string): Promise<Map<string, number>> {
  const res = await dav.request({ method: 'PROPPATCH', url, body: propertyUpdateBody(props), accept: [400, 403, 409, 422] });
  if (res.status >= 400) return new Map(childNamesOf(props).map((n) => [n, res.status]));
  return refusedProperties(res.text);
}

const childNamesOf = (props: string) => [...props.matchAll(/<[A-Z]+:([\w-]+)>/g)].map((m) => m[1]!);
