/**
 * renameCalendarCollection against a scripted DAV server on loopback, for the answers Radicale and
 * Xandikos never give (the conformance run covers those two): a calendar shared read-only, a
 * displayname refused in its propstat (403, 409), an answer that says nothing of displayname.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { InsufficientScopeError, PreconditionFailedError, RemoteNotFoundError, TransientError, UnsupportedError } from '../errors.ts';
import { DavClient } from './dav-client.ts';
import { renameCalendarCollection } from './rename-calendar.ts';

const ms = (body: string) => `<?xml version="1.0"?><D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">${body}</D:multistatus>`;
const privs = (names: string[]) => `<D:current-user-privilege-set>${names.map((n) => `<D:privilege><D:${n}/></D:privilege>`).join('')}</D:current-user-privilege-set>`;
const calendar = (href: string, granted: string[]) =>
  ms(`<D:response><D:href>${href}</D:href><D:propstat><D:prop><D:resourcetype><D:collection/><C:calendar/></D:resourcetype>${privs(granted)}</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`);
const patched = (href: string, status: string) =>
  ms(`<D:response><D:href>${href}</D:href><D:propstat><D:prop><D:displayname/></D:prop><D:status>HTTP/1.1 ${status}</D:status></D:propstat></D:response>`);

/** What the scripted server answers a PROPPATCH on each path; PROPFIND finds a calendar everywhere but /gone/. */
const proppatches: Record<string, { status: number; body?: string }> = {
  '/cal/ok/': { status: 207, body: patched('/cal/ok/', '200 OK') },
  '/cal/plain-200/': { status: 200 },
  '/cal/protected/': { status: 207, body: patched('/cal/protected/', '403 Forbidden') },
  '/cal/conflict/': { status: 207, body: patched('/cal/conflict/', '409 Conflict') },
  '/cal/mute/': { status: 207, body: ms('<D:response><D:href>/cal/mute/</D:href></D:response>') },
};

describe('renameCalendarCollection', () => {
  let server: http.Server;
  let base = '';
  const seen: string[] = [];
  const bodies: string[] = [];
  before(async () => {
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      seen.push(`${req.method} ${req.url}`);
      if (req.method === 'PROPFIND') {
        if (req.url === '/gone/') return void res.writeHead(404).end();
        const granted = req.url === '/cal/read-only/' ? ['read', 'read-current-user-privilege-set'] : ['read', 'write'];
        return void res.writeHead(207, { 'content-type': 'application/xml' }).end(calendar(req.url!, granted));
      }
      bodies.push(Buffer.concat(chunks).toString());
      const p = proppatches[req.url!] ?? { status: 404 };
      res.writeHead(p.status, p.body ? { 'content-type': 'application/xml' } : {}).end(p.body ?? '');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const dav = () => new DavClient(fetch, {
    credentials: { kind: 'basic', username: 'u', password: 'p' }, signal: new AbortController().signal,
    log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date(),
  });

  it('sets DAV:displayname with PROPPATCH (escaped) after confirming a calendar; a 207 propstat 200 or a plain 200 is success', async () => {
    seen.length = 0;
    bodies.length = 0;
    assert.equal(await renameCalendarCollection(dav(), `${base}/cal/ok/`, 'Work & <Play>'), `${base}/cal/ok/`);
    assert.deepEqual(seen, ['PROPFIND /cal/ok/', 'PROPPATCH /cal/ok/']);
    assert.match(bodies[0]!, /<D:propertyupdate [^>]*><D:set><D:prop><D:displayname>Work &amp; &lt;Play&gt;<\/D:displayname><\/D:prop><\/D:set><\/D:propertyupdate>/);
    await renameCalendarCollection(dav(), `${base}/cal/plain-200/`, 'x');
  });

  it('a calendar the user may only read is someone else\u2019s: not-calendar-owner, nothing sent', async () => {
    seen.length = 0;
    await assert.rejects(renameCalendarCollection(dav(), `${base}/cal/read-only/`, 'x'), (e: unknown) => e instanceof UnsupportedError && e.reason === 'not-calendar-owner');
    assert.deepEqual(seen, ['PROPFIND /cal/read-only/']);
  });

  it('a refused displayname is mapped as the server\u2019s refusals are: 403 permission, 409 conflict', async () => {
    await assert.rejects(renameCalendarCollection(dav(), `${base}/cal/protected/`, 'x'), InsufficientScopeError);
    await assert.rejects(renameCalendarCollection(dav(), `${base}/cal/conflict/`, 'x'), PreconditionFailedError);
  });

  it('a missing calendar is RemoteNotFoundError; an answer silent on displayname is a malformed response', async () => {
    await assert.rejects(renameCalendarCollection(dav(), `${base}/gone/`, 'x'), RemoteNotFoundError);
    await assert.rejects(renameCalendarCollection(dav(), `${base}/cal/mute/`, 'x'), (e: unknown) => e instanceof TransientError && e.reason === 'malformed-response');
  });
});
