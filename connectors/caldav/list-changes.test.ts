/**
 * Cursor handling against a scripted DAV server: a truncated (507) sync-collection is continued
 * with the partial token within the same full listing, and a broken cursor is cursor-invalid.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SyncCursorInvalidError } from '../errors.ts';
import { createCaldavConnector } from './connector.ts';

const ev = (uid: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261102T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const member = (name: string) => `<response><href>/cal/${name}</href><propstat><prop><getetag>"${name}"</getetag></prop><status>HTTP/1.1 200 OK</status></propstat></response>`;

describe('listChanges cursor', () => {
  let server: http.Server;
  let base = '';
  const tokensSeen: string[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const xml = (s: string) => res.writeHead(207, { 'content-type': 'application/xml' }).end(`<?xml version="1.0"?><multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">${s}</multistatus>`);
        if (body.includes('sync-collection')) {
          const token = /<D:sync-token>([^<]*)</.exec(body)?.[1] ?? '';
          tokensSeen.push(token);
          // RFC 6578 §3.6: a truncated answer carries a 507 for the request-URI and a partial token.
          if (token === '') return xml(`${member('a.ics')}${member('b')}<response><href>/cal/</href><status>HTTP/1.1 507 Insufficient Storage</status></response><sync-token>t1</sync-token>`);
          if (token === 't1') return xml(`${member('c.ics')}<sync-token>t2</sync-token>`);
          return res.writeHead(403).end('<error xmlns="DAV:"><valid-sync-token/></error>');
        }
        if (body.includes('calendar-multiget')) {
          const hrefs = [...body.matchAll(/<D:href>([^<]+)<\/D:href>/g)].map((m) => m[1]!);
          return xml(hrefs.map((h) => `<response><href>${h}</href><propstat><prop><getetag>"${h}"</getetag><C:calendar-data>${ev(h.split('/').pop()!)}</C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat></response>`).join(''));
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const ctx = { credentials: { kind: 'none' as const }, signal: new AbortController().signal, log: { debug() {}, info() {}, warn() {}, error() {} }, now: () => new Date() };

  it('a truncated sync-collection is continued with the partial token, all pages full', async () => {
    const connector = createCaldavConnector({ fetch }, { pageSize: 1 });
    const cal = { providerCalendarId: `${base}/cal/`, timeZone: 'UTC' };
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await connector.listChanges(ctx, cal, cursor);
      pages += 1;
      assert.equal(page.mode, 'full');
      ids.push(...page.changes.map((c) => c.remoteId));
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    assert.deepEqual(ids, ['/cal/a.ics', '/cal/b', '/cal/c.ics']);
    assert.equal(pages, 3);
    assert.deepEqual(tokensSeen, ['', 't1']);
    assert.equal(JSON.parse(cursor).base.token, 't2');
    await assert.rejects(connector.listChanges(ctx, cal, cursor), SyncCursorInvalidError);
  });

  it('an unreadable cursor is cursor-invalid', async () => {
    const connector = createCaldavConnector({ fetch });
    await assert.rejects(connector.listChanges(ctx, { providerCalendarId: `${base}/cal/`, timeZone: 'UTC' }, 'not json'), SyncCursorInvalidError);
  });
});
