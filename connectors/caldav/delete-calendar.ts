/**
 * deleteCalendar for CalDAV: DELETE on the collection URL (RFC 4918 §9.6.1: it acts as
 * `Depth: infinity`, so no Depth header is sent; every member goes with it).
 *
 * A DELETE on the wrong collection takes everything below it, so the URL is first confirmed to be
 * a calendar (PROPFIND Depth 0, resourcetype) and never a calendar home or principal. CalDAV has no
 * primary flag of its own: listCalendars marks the one the server names its default (RFC 6638
 * schedule-default-calendar-URL), and nothing is refused here on that account. A server that keeps a default calendar
 * refuses by itself (CalendarServer: 403 with `CALDAV:default-calendar-delete-allowed`), and the
 * error mapper names that `primary-calendar`.
 */
import { RemoteNotFoundError, TransientError, UnsupportedError } from '../errors.ts';
import type { DavClient } from './dav-client.ts';
import { mapCaldavStatus } from './map-caldav-error.ts';
import { childNames, parseMultistatus, propfindBody, type XmlNode } from './xml.ts';

const parse = (xml: string, what: string) => {
  try {
    return parseMultistatus(xml).responses;
  } catch (e) {
    throw new TransientError(`${what}: ${(e as Error).message}`, { provider: 'caldav', reason: 'malformed-response' });
  }
};

/**
 * PROPFIND Depth 0 of a URL that should be a calendar collection: RemoteNotFoundError when nothing
 * is there, UnsupportedError `not-a-calendar` for a home, principal or other collection. Returns
 * the URL that answered and the properties asked for.
 */
export async function confirmCalendar(dav: DavClient, calendarUrl: string, props: string[] = []): Promise<{ url: string; props: XmlNode }> {
  const where = new URL(calendarUrl).pathname;
  const gone = (status: number) => new RemoteNotFoundError(`no calendar at ${where} (PROPFIND → ${status})`, { provider: 'caldav', httpStatus: status });
  const probe = await dav.request({ method: 'PROPFIND', url: calendarUrl, depth: '0', body: propfindBody(['D:resourcetype', ...props]), accept: [404, 410] });
  if (probe.status === 404 || probe.status === 410) throw gone(probe.status);
  const self = parse(probe.text, `PROPFIND ${where}`)[0];
  // Xandikos answers a missing URL with 207 and a response-level 404.
  if (self?.status === 404 || self?.status === 410) throw gone(self.status);
  if (!self || !childNames(self.props['resourcetype']).includes('calendar')) {
    throw new UnsupportedError(`${where} is not a calendar collection; calhub changes nothing else`, { provider: 'caldav', reason: 'not-a-calendar' });
  }
  return { url: probe.url, props: self.props };
}

export async function deleteCalendarCollection(dav: DavClient, calendarUrl: string): Promise<void> {
  const where = new URL(calendarUrl).pathname;
  const probe = await confirmCalendar(dav, calendarUrl);
  const res = await dav.request({ method: 'DELETE', url: probe.url, accept: [207] });
  if (res.status !== 207) return;
  // 207: some member could not be deleted, so the collection stays (RFC 4918 §9.6.1). A member
  // refused for want of permission is mapped as such; anything else (a lock, a server fault) is
  // worth another try, and never "not found": the calendar is still there.
  const failed = parse(res.text, `DELETE ${where}`).find((r) => r.status !== null && r.status >= 300);
  if (failed?.status === 403) throw mapCaldavStatus({ status: 403, method: 'DELETE', url: new URL(failed.href, res.url).toString(), body: res.text });
  throw new TransientError(`DELETE ${where}: the server kept part of the calendar (207${failed ? `, a member answered ${failed.status}` : ''})`, { provider: 'caldav' });
}
