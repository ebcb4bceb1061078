/**
 * createCalendar for CalDAV: MKCALENDAR (RFC 4791 §5.3.1) of a new collection in the account's
 * first calendar home, for events, with its name (displayname) and its zone (calendar-timezone: a
 * VCALENDAR holding the zone's VTIMEZONE, §5.2.2). The collection's name is the display name made
 * URL-safe plus a random tail, so two calendars of the same name do not meet. A server that answers
 * 405 has something at that URL already (the resource-must-be-null precondition).
 */
import { randomBytes } from 'node:crypto';
import type { RemoteCalendar } from '../connector.ts';
import { PreconditionFailedError, UnsupportedError } from '../errors.ts';
import type { DavClient } from './dav-client.ts';
import { listCalendarsIn } from './discovery.ts';
import { isKnownZone, vtimezoneLines } from './ical/zones.ts';
import { escapeXml, NS } from './xml.ts';

const slug = (name: string) => name.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().toLowerCase().replace(/[\s_]+/g, '-').slice(0, 40) || 'calendar';

function body(name: string, timeZone: string | null, year: number): string {
  const zone = timeZone && isKnownZone(timeZone)
    ? `<C:calendar-timezone>${escapeXml(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//calhub//EN', ...vtimezoneLines(timeZone, year), 'END:VCALENDAR', ''].join('\r\n'))}</C:calendar-timezone>`
    : '';
  return `<?xml version="1.0" encoding="utf-8"?><C:mkcalendar ${NS}><D:set><D:prop><D:displayname>${escapeXml(name)}</D:displayname>` +
    `<C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>${zone}</D:prop></D:set></C:mkcalendar>`;
}

export async function makeCalendar(dav: DavClient, homes: string[], req: { name: string; timeZone: string | null }, now: Date): Promise<RemoteCalendar> {
  const home = homes[0];
  if (!home) throw new UnsupportedError('the CalDAV account has no calendar home to create a calendar in', { provider: 'caldav' });
  const url = new URL(`${slug(req.name)}-${randomBytes(3).toString('hex')}/`, home.endsWith('/') ? home : `${home}/`).toString();
  const res = await dav.request({ method: 'MKCALENDAR', url, body: body(req.name, req.timeZone, now.getUTCFullYear()), contentType: 'application/xml; charset=utf-8', accept: [405] });
  if (res.status === 405) throw new PreconditionFailedError(`a resource exists at ${url} already (MKCALENDAR → 405)`, { provider: 'caldav', httpStatus: 405 });
  const made = (await listCalendarsIn(dav, [home])).find((c) => c.providerCalendarId === url);
  // Listed under another spelling of its URL (a server that rewrites paths): the one asked for stands.
  return { ...(made ?? { providerCalendarId: url, name: req.name, timeZone: req.timeZone, color: null, readOnly: false, supportsEvents: true }), primary: false };
}
