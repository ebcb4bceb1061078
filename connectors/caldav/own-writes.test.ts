/**
 * listChanges with the names calhub wrote (`written`), against a scripted server whose sync token
 * is a hash of the collection's content, as Xandikos' git tree id: a write deleted again brings the
 * old token back, and sync-collection from it reports nothing. What the listing leaves unsaid of
 * calhub's writes is read with one multiget; a poll whose writes the listing reported asks nothing more.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createCaldavConnector } from './connector.ts';

const ev = (uid: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261222T100000Z\r\nDTEND:20261222T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

describe('listChanges: calhub\'s own writes on a server whose token repeats', () => {
  let server: http.Server;
  let base = '';
  /** name → etag; the token is a hash of it, and each token's state is kept to diff from. */
  const items = new Map<string, string>();
  const states = new Map<string, Map<string, string>>();
  const asked: string[] = [];
  const token = () => {
    const t = createHash('sha1').update(JSON.stringify([...items].sort())).digest('hex');
    states.set(t, new Map(items));
    return t;
  };
  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const xml = (s: string) => res.writeHead(207, { 'content-type': 'application/xml' }).end(`<?xml version="1.0"?><multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">${s}</multistatus>`);
        const ok = (name: string, data = '') => `<response><href>/cal/${name}</href><propstat><prop><getetag>"${items.get(name)}"</getetag>${data}</prop><status>HTTP/1.1 200 OK</status></propstat></response>`;
        const gone = (href: string) => `<response><href>${href}</href><status>HTTP/1.1 404 Not Found</status></response>`;
        if (body.includes('sync-collection')) {
          asked.push('sync-collection');
          const from = states.get(/<D:sync-token>([^<]*)</.exec(body)?.[1] ?? '') ?? new Map<string, string>();
          const changed = [...items].filter(([n, e]) => from.get(n) !== e).map(([n]) => ok(n));
          const deleted = [...from.keys()].filter((n) => !items.has(n)).map((n) => gone(`/cal/${n}`));
          return xml(`${changed.join('')}${deleted.join('')}<sync-token>${token()}</sync-token>`);
        }
        if (body.includes('calendar-multiget')) {
          const hrefs = [...body.matchAll(/<D:href>([^<]+)<\/D:href>/g)].map((m) => m[1]!);
          asked.push(`multiget ${hrefs.join(' ')}`);
          return xml(hrefs.map((h) => {
            const name = h.split('/').pop()!;
            return items.has(name) ? ok(name, `<C:calendar-data>${ev(name)}</C:calendar-data>`) : gone(h);
          }).join(''));
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    items.clear();
    items.set('other.ics', 'e0');
    asked.length = 0;
  });

  const ctx = { credentials: { kind: 'none' as const }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() };
  const cal = () => ({ providerCalendarId: `${base}/cal/`, timeZone: 'UTC' });
  const cursorAt = (t: string) => JSON.stringify({ v: 2, base: { m: 'sync', token: t } });

  it('an object calhub wrote and someone deleted before the poll is reported deleted', async () => {
    const before = token();
    items.set('booked.ics', 'e1'); // calhub's PUT
    items.delete('booked.ics'); // someone's DELETE: the token is the old one again
    assert.equal(token(), before);
    const page = await createCaldavConnector({ fetch }).listChanges(ctx, cal(), cursorAt(before), ['/cal/booked.ics']);
    assert.deepEqual(page.changes, [{ kind: 'delete', remoteId: '/cal/booked.ics' }]);
    assert.deepEqual(asked, ['sync-collection', 'multiget /cal/booked.ics']);
    // Without the names, the listing says nothing: the case the hub never saw.
    asked.length = 0;
    assert.deepEqual((await createCaldavConnector({ fetch }).listChanges(ctx, cal(), cursorAt(before))).changes, []);
  });

  it('a written object the listing leaves unsaid but the server holds is read as an upsert', async () => {
    const before = token();
    items.set('gone.ics', 'e1');
    items.delete('gone.ics');
    items.set('kept.ics', 'e2'); // written before the stored token was taken: the listing does not name it
    const at = token();
    const page = await createCaldavConnector({ fetch }).listChanges(ctx, cal(), cursorAt(at), ['/cal/kept.ics', '/cal/gone.ics']);
    assert.deepEqual(page.changes.map((c) => [c.kind, c.remoteId]), [['delete', '/cal/gone.ics'], ['upsert', '/cal/kept.ics']]);
    assert.notEqual(before, at);
  });

  it('writes the listing reported cost nothing more than the listing', async () => {
    const before = token();
    items.set('booked.ics', 'e1');
    const page = await createCaldavConnector({ fetch }).listChanges(ctx, cal(), cursorAt(before), ['/cal/booked.ics']);
    assert.deepEqual(page.changes.map((c) => [c.kind, c.remoteId]), [['upsert', '/cal/booked.ics']]);
    assert.deepEqual(asked, ['sync-collection', 'multiget /cal/booked.ics'], 'the listing\'s own multiget only');
    asked.length = 0;
    const quiet = await createCaldavConnector({ fetch }).listChanges(ctx, cal(), page.nextCursor);
    assert.deepEqual([quiet.changes, asked], [[], ['sync-collection']]);
  });
});
