import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DavClient } from './dav-client.ts';
import { discover, listCalendarsIn } from './discovery.ts';

const ms = (href: string, props: string) => `<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:cal="urn:ietf:params:xml:ns:caldav"><d:response><d:href>${href}</d:href><d:propstat><d:prop>${props}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`;

/** A scheduling server (RFC 6638): the principal names its inbox, the inbox the default calendar. */
function scheduling(defaultHref: string | null, url: string): string {
  if (url === '/' || url.startsWith('/.well-known')) return ms(url, '<d:current-user-principal><d:href>/principal/</d:href></d:current-user-principal>');
  if (url === '/principal/') {
    return ms(url, '<cal:calendar-home-set><d:href>/home/</d:href></cal:calendar-home-set><cal:calendar-user-address-set><d:href>/principal/</d:href><d:href>mailto:alice@example.com</d:href></cal:calendar-user-address-set><cal:schedule-inbox-URL><d:href>/inbox/</d:href></cal:schedule-inbox-URL>');
  }
  if (url === '/inbox/') return ms(url, defaultHref ? `<cal:schedule-default-calendar-URL><d:href>${defaultHref}</d:href></cal:schedule-default-calendar-URL>` : '<cal:schedule-default-calendar-URL/>');
  return HOME;
}

/** A calendar home as iCloud/Nextcloud-style servers describe it: prefixed namespaces, Apple colours. */
const HOME = `<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:cal="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/" xmlns:x1="http://apple.com/ns/ical/">
 <d:response><d:href>/home/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
 <d:response><d:href>/home/work/</d:href><d:propstat><d:prop>
   <d:resourcetype><d:collection/><cal:calendar/></d:resourcetype><d:displayname>Work &amp; more</d:displayname>
   <x1:calendar-color>#FF2968FF</x1:calendar-color>
   <cal:calendar-timezone>BEGIN:VCALENDAR&#13;
BEGIN:VTIMEZONE&#13;
TZID:W. Europe Standard Time&#13;
END:VTIMEZONE&#13;
END:VCALENDAR</cal:calendar-timezone>
   <cal:supported-calendar-component-set><cal:comp name="VEVENT"/><cal:comp name="VTODO"/></cal:supported-calendar-component-set>
   <d:current-user-privilege-set><d:privilege><d:read/></d:privilege><d:privilege><d:write-content/></d:privilege></d:current-user-privilege-set>
   <cs:getctag>12345</cs:getctag><d:sync-token>0001</d:sync-token>
 </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
 <d:response><d:href>/home/shared/</d:href><d:propstat><d:prop>
   <d:resourcetype><d:collection/><cal:calendar/></d:resourcetype><d:displayname>Shared</d:displayname>
   <d:current-user-privilege-set><d:privilege><d:read/></d:privilege><d:privilege><cal:read-free-busy/></d:privilege></d:current-user-privilege-set>
 </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
 <d:propstat><d:prop><x1:calendar-color/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>
 <d:response><d:href>/home/tasks/</d:href><d:propstat><d:prop>
   <d:resourcetype><d:collection/><cal:calendar/></d:resourcetype>
   <cal:supported-calendar-component-set><cal:comp name="VTODO"/></cal:supported-calendar-component-set>
 </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
 <d:response><d:href>/home/personal/</d:href><d:propstat><d:prop>
   <d:resourcetype><d:collection/><cal:calendar/></d:resourcetype><d:displayname>Personal</d:displayname>
 </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
 <d:response><d:href>/home/contacts/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
</d:multistatus>`;

describe('listCalendarsIn', () => {
  let server: http.Server;
  let base = '';
  let defaultHref: string | null = null;
  const ctx = { credentials: { kind: 'none' as const }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() };
  before(async () => {
    server = http.createServer((req, res) => res.writeHead(207, { 'content-type': 'application/xml' }).end(scheduling(defaultHref, req.url ?? '/')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('reads name, colour, zone, read-only and VEVENT support; skips non-calendars; without a default calendar named none is primary', async () => {
    const cals = await listCalendarsIn(new DavClient(fetch, ctx), [`${base}/home/`]);
    assert.deepEqual(cals, [
      { providerCalendarId: `${base}/home/work/`, name: 'Work & more', timeZone: 'Europe/Berlin', color: '#FF2968', readOnly: false, supportsEvents: true, primary: false },
      { providerCalendarId: `${base}/home/shared/`, name: 'Shared', timeZone: 'UTC', color: null, readOnly: true, supportsEvents: true, primary: false },
      { providerCalendarId: `${base}/home/tasks/`, name: 'tasks', timeZone: 'UTC', color: null, readOnly: false, supportsEvents: false, primary: false },
      { providerCalendarId: `${base}/home/personal/`, name: 'Personal', timeZone: 'UTC', color: null, readOnly: false, supportsEvents: true, primary: false },
    ]);
  });

  it("discovery: the calendar the inbox's schedule-default-calendar-URL names is primary (RFC 6638 §9.2); an empty one names none", async () => {
    defaultHref = '/home/personal/';
    const d = await discover(new DavClient(fetch, ctx), ctx, `${base}/`);
    assert.deepEqual(d.calendars.filter((c) => c.primary).map((c) => c.providerCalendarId), [`${base}/home/personal/`]);
    assert.deepEqual(d.userAddresses, ['/principal/', 'alice@example.com']);
    defaultHref = null;
    const none = await discover(new DavClient(fetch, ctx), ctx, `${base}/`);
    assert.deepEqual(none.calendars.filter((c) => c.primary), []);
  });
});
