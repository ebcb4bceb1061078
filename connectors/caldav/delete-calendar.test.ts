/**
 * deleteCalendarCollection against a scripted DAV server on loopback, for the answers Radicale and
 * Xandikos never give (caldav.int.test.ts covers those two): a URL that is not a calendar, a server
 * that keeps its default calendar (CalendarServer), a DELETE that leaves members behind (207).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { InsufficientScopeError, TransientError, UnsupportedError } from '../errors.ts';
import { DavClient } from './dav-client.ts';
import { deleteCalendarCollection } from './delete-calendar.ts';

const ms = (body: string) => `<?xml version="1.0"?><D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">${body}</D:multistatus>`;
const typed = (href: string, type: string) => ms(`<D:response><D:href>${href}</D:href><D:propstat><D:prop><D:resourcetype>${type}</D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`);

/** What the scripted server answers a DELETE on each path. */
const deletes: Record<string, { status: number; body?: string }> = {
  '/cal/ok/': { status: 204 },
  '/cal/default/': { status: 403, body: '<?xml version="1.0"?><D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><C:default-calendar-delete-allowed/></D:error>' },
  '/cal/locked/': { status: 207, body: ms('<D:response><D:href>/cal/locked/a.ics</D:href><D:status>HTTP/1.1 423 Locked</D:status></D:response>') },
  '/cal/forbidden-member/': { status: 207, body: ms('<D:response><D:href>/cal/forbidden-member/a.ics</D:href><D:status>HTTP/1.1 403 Forbidden</D:status></D:response>') },
};

describe('deleteCalendarCollection', () => {
  let server: http.Server;
  let base = '';
  const seen: string[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} depth=${req.headers.depth ?? '-'}`);
      req.resume();
      if (req.method === 'PROPFIND') {
        const type = req.url === '/home/' ? '<D:collection/>' : '<D:collection/><C:calendar/>';
        res.writeHead(207, { 'content-type': 'application/xml' }).end(typed(req.url!, type));
        return;
      }
      const d = deletes[req.url!] ?? { status: 404 };
      res.writeHead(d.status, d.body ? { 'content-type': 'application/xml' } : {}).end(d.body ?? '');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const dav = () => new DavClient(fetch, {
    credentials: { kind: 'basic', username: 'u', password: 'p' }, signal: new AbortController().signal,
    log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date(),
  });

  it('deletes a calendar collection without a Depth header (RFC 4918 §9.6.1)', async () => {
    seen.length = 0;
    await deleteCalendarCollection(dav(), `${base}/cal/ok/`);
    assert.deepEqual(seen, ['PROPFIND /cal/ok/ depth=0', 'DELETE /cal/ok/ depth=-']);
  });

  it('never sends DELETE to a collection that is not a calendar (a home, a principal)', async () => {
    seen.length = 0;
    await assert.rejects(deleteCalendarCollection(dav(), `${base}/home/`), (e: unknown) => e instanceof UnsupportedError && e.reason === 'not-a-calendar');
    assert.deepEqual(seen, ['PROPFIND /home/ depth=0']);
  });

  it('a server that keeps its default calendar: UnsupportedError primary-calendar', async () => {
    await assert.rejects(deleteCalendarCollection(dav(), `${base}/cal/default/`), (e: unknown) => e instanceof UnsupportedError && e.reason === 'primary-calendar');
  });

  it('207: a member left behind is never "not found"; a member refused is a permission error', async () => {
    await assert.rejects(deleteCalendarCollection(dav(), `${base}/cal/locked/`), (e: unknown) => e instanceof TransientError && /423/.test(e.message));
    await assert.rejects(deleteCalendarCollection(dav(), `${base}/cal/forbidden-member/`), InsufficientScopeError);
  });
});
