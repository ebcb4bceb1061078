/**
 * Discovery, protocol corners and server quirks against real Radicale and Xandikos: well-known +
 * principal + home discovery from several entry URLs, rejected credentials, a 404 inside a
 * multiget, exact-UID lookup, the ctag/etag fallback for servers without sync-collection, and
 * refused writes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { drain } from '../conformance/suite.ts';
import { GrantRevokedError, PreconditionFailedError, UnsupportedError } from '../errors.ts';
import { parseEvent } from '../../shared/model/index.ts';
import { createCaldavConnector, discoverCaldav, serializeCalendarObject } from './index.ts';
import { DavClient } from './dav-client.ts';
import { multiget, putRaw } from './objects.ts';
import { authHeader, makeCalendar, startRadicale, startXandikos, type DavServer } from '../../test/support/dav-servers.ts';
import { davContext, davFetch } from '../../test/support/caldav-harness.ts';

const ics = (uid: string, title = 'x') =>
  serializeCalendarObject([parseEvent({ uid, title, start: { dateTime: '2026-11-02T10:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-02T11:00:00Z', timeZone: 'UTC' } })]);

/** A server without RFC 6578: every sync-collection REPORT is refused as an unsupported report. */
const withoutSyncCollection: typeof fetch = async (input, init) => {
  if (init?.method === 'REPORT' && String(init.body ?? '').includes('sync-collection')) {
    return new Response('<D:error xmlns:D="DAV:"><D:supported-report/></D:error>', { status: 403, headers: { 'content-type': 'application/xml' } });
  }
  return fetch(input, init);
};

for (const kind of ['radicale', 'xandikos'] as const) {
  describe(`caldav protocol on ${kind}`, () => {
    let server: DavServer;
    let calUrl = '';
    before(async () => {
      server = kind === 'radicale' ? await startRadicale() : await startXandikos();
      calUrl = await makeCalendar(server, 'work');
    });
    after(async () => server?.stop());

    it('discovers principal, home and calendars from the root, the home and the calendar URL', async () => {
      const ctx = davContext(server);
      for (const entry of [server.url, server.homeUrl, calUrl]) {
        const d = await discoverCaldav(ctx, entry, { allowPrivateNetworks: true });
        const cal = d.calendars.find((c) => c.providerCalendarId === calUrl);
        assert.ok(cal, `${entry}: calendar not found in ${JSON.stringify(d.calendars.map((c) => c.providerCalendarId))}`);
        assert.equal(cal.name, 'work');
        assert.equal(cal.readOnly, false);
        assert.equal(cal.supportsEvents, true);
        if (entry === server.url) {
          assert.equal(d.principalUrl, kind === 'radicale' ? `${server.url}${server.username}/` : `${server.url}user/`);
          assert.deepEqual(d.homeUrls, [server.homeUrl]);
        }
      }
    });

    if (kind === 'radicale') {
      it('a rejected password is GrantRevokedError (Radicale answers 401)', async () => {
        const ctx = { ...davContext(server), credentials: { kind: 'basic' as const, username: server.username, password: 'wrong' } };
        const connector = createCaldavConnector({ serverUrl: server.url, allowPrivateNetworks: true });
        await assert.rejects(connector.listCalendars(ctx), GrantRevokedError);
      });
    }

    it('one 404 inside a multiget does not sink the batch', async () => {
      await davFetch(server, `${calUrl}present.ics`, { method: 'PUT', body: ics('present-1') });
      const base = new URL(calUrl).pathname;
      const got = await multiget({ dav: new DavClient(fetch, davContext(server)), calendarUrl: calUrl, selfAddresses: [] }, [`${base}present.ics`, `${base}missing.ics`]);
      assert.equal(got.get(`${base}missing.ics`), null);
      assert.equal(got.get(`${base}present.ics`)?.kind, 'upsert');
    });

    it('findObjectByUid matches the exact UID only (text-match is a substring match)', async () => {
      const connector = createCaldavConnector({ serverUrl: server.url, allowPrivateNetworks: true });
      const ref = { providerCalendarId: calUrl, timeZone: 'UTC' };
      await davFetch(server, `${calUrl}long.ics`, { method: 'PUT', body: ics('present-1-and-more') });
      assert.equal((await connector.findObjectByUid(davContext(server), ref, 'present-1'))?.remoteId, `${new URL(calUrl).pathname}present.ics`);
      assert.equal(await connector.findObjectByUid(davContext(server), ref, 'present'), null);
    });

    it('without sync-collection the ctag + etag diff gives full and incremental listings', async () => {
      const cal2 = await makeCalendar(server, 'legacy');
      const ref = { providerCalendarId: cal2, timeZone: 'UTC' };
      const ctx = davContext(server);
      const connector = createCaldavConnector({ serverUrl: server.url, fetch: withoutSyncCollection }, { pageSize: 2 });
      for (let i = 0; i < 5; i++) await davFetch(server, `${cal2}e${i}.ics`, { method: 'PUT', body: ics(`legacy-${i}`, `t${i}`) });
      const replica = new Map();
      const full = await drain(connector, ctx, ref, null, replica);
      assert.equal(replica.size, 5);
      assert.ok(full.pages.length >= 3);
      assert.equal(JSON.parse(full.cursor).base.m, 'ctag');
      const same = await drain(connector, ctx, ref, full.cursor, replica);
      assert.equal(same.pages.flatMap((p) => p.changes).length, 0);
      await davFetch(server, `${cal2}e1.ics`, { method: 'DELETE' });
      await davFetch(server, `${cal2}e2.ics`, { method: 'PUT', body: ics('legacy-2', 'renamed') });
      await davFetch(server, `${cal2}e9.ics`, { method: 'PUT', body: ics('legacy-9') });
      const inc = await drain(connector, ctx, ref, full.cursor, replica);
      const changes = inc.pages.flatMap((p) => p.changes).map((c) => `${c.kind}:${c.remoteId.split('/').pop()}`).sort();
      assert.deepEqual(changes, ['delete:e1.ics', 'upsert:e2.ics', 'upsert:e9.ics']);
    });

    it('refused writes map to the taxonomy: existing name, duplicate UID, invalid data', async () => {
      const o = { dav: new DavClient(fetch, davContext(server)), calendarUrl: calUrl, selfAddresses: [] };
      await assert.rejects(putRaw(o, `${calUrl}present.ics`, ics('present-1'), { ifNoneMatch: '*' }), PreconditionFailedError);
      // Radicale: 409 no-uid-conflict; Xandikos: 207 wrapping 412 no-uid-conflict.
      await assert.rejects(putRaw(o, `${calUrl}other-name.ics`, ics('present-1'), { ifNoneMatch: '*' }), PreconditionFailedError);
      const bad = 'BEGIN:VCALENDAR\r\nJUNK';
      // Radicale: bare 400; Xandikos: 207 wrapping 412 valid-calendar-data.
      const r = await fetch(`${calUrl}bad.ics`, { method: 'PUT', headers: { ...authHeader(server), 'content-type': 'text/calendar' }, body: bad });
      assert.equal(r.status, kind === 'xandikos' ? 207 : 400);
      await assert.rejects(putRaw(o, `${calUrl}bad2.ics`, bad, { ifNoneMatch: '*' }), UnsupportedError);
    });

    it("a write's answer is the write, also when someone else writes between its PUT and its read-back", async () => {
      const connector = createCaldavConnector({ serverUrl: server.url, allowPrivateNetworks: true });
      const ref = { providerCalendarId: calUrl, timeZone: 'UTC' };
      const event = parseEvent({ uid: 'answer-1', title: 'calhub title', start: { dateTime: '2026-11-03T10:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-11-03T11:00:00Z', timeZone: 'UTC' } });
      const plain = await connector.putObject(davContext(server), ref, { remoteId: null, events: [event] }, { ifNoneMatch: '*' });
      assert.equal(plain.events[0]!.title, 'calhub title');
      // Another client's PUT lands right after calhub's: the read-back finds theirs.
      let other = '';
      const interleaved: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        if (init?.method === 'PUT' && res.ok && !other) other = (await davFetch(server, String(input), { method: 'PUT', body: ics('answer-1', 'their title') })).headers.get('etag') ?? '';
        return res;
      };
      const racing = createCaldavConnector({ serverUrl: server.url, allowPrivateNetworks: true, fetch: interleaved });
      const answer = await racing.putObject(davContext(server), ref, { remoteId: plain.remoteId, events: [{ ...event, title: 'calhub again' }] }, { ifMatch: plain.version! });
      assert.ok(other, 'the other client wrote');
      assert.equal(answer.events[0]!.title, 'calhub again', 'the answer is what calhub wrote');
      assert.notEqual(answer.version, other, 'under the version its PUT made, so a pull finds the other change');
      const now = await connector.getObject(davContext(server), ref, plain.remoteId);
      assert.deepEqual([now.version, now.events[0]!.title], [other, 'their title']);
    });
  });
}
