/**
 * renameCalendar for CalDAV: PROPPATCH of DAV:displayname on the collection (RFC 4918 §9.2).
 *
 * The URL is first confirmed to be a calendar (as for a delete), which also tells a missing
 * calendar apart from a refused change on every server (Xandikos answers a missing URL with 207).
 * DAV has no owner as such: a calendar whose privileges (RFC 3744 current-user-privilege-set) do
 * not let the user change its properties is someone else's to rename (`not-calendar-owner`).
 * PROPPATCH answers 207 with one propstat per property; a displayname answered 403 or 409 is a
 * refusal, mapped as the server's refusals are everywhere (map-caldav-error.ts).
 */
import { TransientError, UnsupportedError } from '../errors.ts';
import type { DavClient } from './dav-client.ts';
import { confirmCalendar } from './delete-calendar.ts';
import { mapCaldavStatus } from './map-caldav-error.ts';
import { childNames, displaynameUpdateBody, parseMultistatus, type XmlNode } from './xml.ts';

const CHANGES_PROPERTIES = ['all', 'write', 'write-properties'];

function privileges(props: XmlNode): string[] | null {
  const set = props['current-user-privilege-set'];
  if (!set || typeof set !== 'object') return null;
  return (((set as XmlNode)['privilege'] as XmlNode[] | undefined) ?? []).flatMap((p) => childNames(p));
}

/** Sets the calendar's displayname; returns the URL that answered. */
export async function renameCalendarCollection(dav: DavClient, calendarUrl: string, name: string): Promise<string> {
  const where = new URL(calendarUrl).pathname;
  const found = await confirmCalendar(dav, calendarUrl, ['D:current-user-privilege-set']);
  const granted = privileges(found.props);
  if (granted !== null && !granted.some((p) => CHANGES_PROPERTIES.includes(p))) {
    throw new UnsupportedError(`${where} is shared with this account without the right to change it; only its owner can rename it`, { provider: 'caldav', reason: 'not-calendar-owner' });
  }
  const res = await dav.request({ method: 'PROPPATCH', url: found.url, body: displaynameUpdateBody(name) });
  // A 2xx other than 207 has no per-property answer: the change was made.
  if (res.status !== 207) return found.url;
  let status: number | undefined;
  try {
    status = parseMultistatus(res.text).responses[0]?.propStatus?.['displayname'];
  } catch (e) {
    throw new TransientError(`PROPPATCH ${where}: ${(e as Error).message}`, { provider: 'caldav', reason: 'malformed-response' });
  }
  if (status === undefined) throw new TransientError(`PROPPATCH ${where}: the answer says nothing of displayname`, { provider: 'caldav', reason: 'malformed-response' });
  if (status >= 300) throw mapCaldavStatus({ status, method: 'PROPPATCH', url: res.url, body: res.text });
  return found.url;
}
