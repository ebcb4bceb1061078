/**
 * Every shared iCalendar fixture, uploaded to a real Radicale and a real Xandikos, syncs through
 * the connector and expands to exactly the busy instances in `expected/NAME.json`; a malformed
 * item is quarantined (`invalid`) while the rest syncs; out-of-band edits arrive incrementally.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { drain } from '../conformance/suite.ts';
import type { CalendarConnector, ConnectorContext, RemoteCalendarRef, RemoteChange } from '../connector.ts';
import { busyStatusOf, type CanonicalEvent } from '../../shared/model/index.ts';
import { expandSeries } from '../../shared/time/index.ts';
import { createCaldavConnector } from './index.ts';
import { authHeader, makeCalendar, startRadicale, startXandikos, type DavServer } from '../../test/support/dav-servers.ts';
import { davContext, davFetch } from '../../test/support/caldav-harness.ts';

const DIR = new URL('../../test/fixtures/ics/', import.meta.url);
const WINDOW = { start: new Date('2026-10-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') };
const names = readdirSync(DIR).filter((f) => f.endsWith('.ics') && f !== 'malformed-line.ics').map((f) => f.slice(0, -4));
const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** A resource with several UIDs (allowed by Xandikos, refused by Radicale) is split the way a client would. */
function splitByUid(ics: string): Map<string, string> {
  const lines = crlf(ics).split('\r\n');
  const head: string[] = [];
  const byUid = new Map<string, string[]>();
  let cur: string[] | null = null;
  for (const l of lines) {
    if (l === 'BEGIN:VEVENT') cur = [l];
    else if (cur) {
      cur.push(l);
      if (l === 'END:VEVENT') {
        const uid = cur.find((x) => x.startsWith('UID:'))!.slice(4);
        byUid.set(uid, [...(byUid.get(uid) ?? []), ...cur]);
        cur = null;
      }
    } else if (l !== 'END:VCALENDAR' && l !== '') head.push(l);
  }
  return new Map([...byUid].map(([uid, comps]) => [uid, [...head, ...comps, 'END:VCALENDAR', ''].join('\r\n')]));
}

function busyOf(events: CanonicalEvent[]) {
  const byUid = new Map<string, CanonicalEvent[]>();
  for (const e of events) byUid.set(e.uid, [...(byUid.get(e.uid) ?? []), e]);
  const out: Array<{ start: string; end: string; uid: string; status: string }> = [];
  for (const [uid, list] of byUid) {
    const master = list.find((e) => e.originalStart === null) ?? null;
    const overrides = list.filter((e) => e.originalStart !== null);
    for (const o of expandSeries({ master, overrides, calendarTimeZone: 'UTC', window: WINDOW })) {
      const status = busyStatusOf(o.event);
      if (status) out.push({ start: iso(o.startMs), end: iso(o.endMs), uid, status });
    }
  }
  return out.sort((a, b) => a.start.localeCompare(b.start) || a.uid.localeCompare(b.uid));
}

for (const kind of ['radicale', 'xandikos'] as const) {
  describe(`caldav fixtures on ${kind}`, () => {
    let server: DavServer;
    let connector: CalendarConnector;
    let ctx: ConnectorContext;
    let cal: RemoteCalendarRef;
    const owner = new Map<string, string>(); // remoteId → fixture name
    const replica = new Map<string, { version: string | null; events: CanonicalEvent[] }>();
    let changes: RemoteChange[] = [];
    let cursor = '';

    const put = async (name: string, body: string) => {
      const res = await fetch(new URL(name, cal.providerCalendarId), { method: 'PUT', body, headers: { ...authHeader(server), 'content-type': 'text/calendar' } });
      return { status: res.status, remoteId: new URL(name, cal.providerCalendarId).pathname };
    };

    before(async () => {
      server = kind === 'radicale' ? await startRadicale() : await startXandikos();
      cal = { providerCalendarId: await makeCalendar(server, 'fixtures'), timeZone: 'UTC' };
      connector = createCaldavConnector({ serverUrl: server.url, allowPrivateNetworks: true }, { pageSize: 3 });
      ctx = davContext(server);
      for (const name of names) {
        const body = crlf(readFileSync(new URL(`${name}.ics`, DIR), 'utf8'));
        const r = await put(`${name}.ics`, body);
        if (r.status < 300) owner.set(r.remoteId, name);
        else {
          assert.equal(r.status, 400, `${kind} refused ${name} with ${r.status}`);
          for (const [uid, part] of splitByUid(body)) {
            const p = await put(`${name}-${uid}.ics`, part);
            assert.ok(p.status < 300, `${kind} refused ${name}/${uid}`);
            owner.set(p.remoteId, name);
          }
        }
      }
    });
    after(async () => server?.stop());

    it('a malformed item is quarantined as invalid while every other item syncs', async () => {
      const malformed = crlf(readFileSync(new URL('malformed-line.ics', DIR), 'utf8'));
      const stored = await put('malformed-line.ics', malformed);
      // Radicale validates on PUT (400) and fails the whole collection (500) when such a file is
      // on disk, so it never serves one; an item only we reject stands in for it there.
      if (kind === 'radicale') assert.equal(stored.status, 400);
      const ours = await put('bad-provenance.ics', crlf(malformed.replace('DTSTART:2026111XT100000Z', 'DTSTART:20261112T100000Z').replace('UID:broken-1', 'UID:broken-2').replace('END:VEVENT', 'X-CALHUB-PROVENANCE:{not json\r\nEND:VEVENT')));
      assert.ok(ours.status < 300);
      const r = await drain(connector, ctx, cal, null, replica);
      cursor = r.cursor;
      changes = r.pages.flatMap((p) => p.changes);
      const invalid = changes.filter((c) => c.kind === 'invalid');
      const expectInvalid = kind === 'radicale' ? ['bad-provenance.ics'] : ['bad-provenance.ics', 'malformed-line.ics'];
      assert.deepEqual(invalid.map((c) => c.remoteId.split('/').pop()).sort(), expectInvalid);
      for (const c of invalid) {
        assert.ok(c.kind === 'invalid' && c.raw && c.error.length > 0);
        if (c.remoteId.endsWith('malformed-line.ics')) assert.match(c.kind === 'invalid' ? c.error : '', /DTSTART/);
      }
      assert.deepEqual([...replica.keys()].sort(), [...owner.keys()].sort());
    });

    for (const name of names) {
      it(`${name}: synced events give exactly the expected busy instances`, () => {
        const expected = JSON.parse(readFileSync(new URL(`expected/${name}.json`, DIR), 'utf8')) as { busy: unknown[] };
        const events = [...replica].filter(([id]) => owner.get(id) === name).flatMap(([, o]) => o.events);
        assert.ok(events.length > 0, `${name} did not sync`);
        assert.deepEqual(busyOf(events), expected.busy);
      });
    }

    it('out-of-band PUT and DELETE arrive in the next incremental sync', async () => {
      const gone = [...owner].find(([, n]) => n === 'all-day-multi-day')![0];
      await davFetch(server, new URL(gone, cal.providerCalendarId).toString(), { method: 'DELETE' });
      const added = await put('added-later', crlf('BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:t\nBEGIN:VEVENT\nUID:later-1\nDTSTAMP:20261101T000000Z\nDTSTART:20261201T100000Z\nDURATION:PT30M\nEND:VEVENT\nEND:VCALENDAR\n'));
      const r = await drain(connector, ctx, cal, cursor, replica);
      const got = r.pages.flatMap((p) => p.changes);
      assert.ok(r.pages.every((p) => p.mode === 'incremental'));
      assert.deepEqual(got.filter((c) => c.kind === 'delete').map((c) => c.remoteId), [gone]);
      assert.deepEqual(got.filter((c) => c.kind === 'upsert').map((c) => c.remoteId), [added.remoteId]);
      assert.deepEqual(busyOf(replica.get(added.remoteId)!.events), [{ start: '2026-12-01T10:00:00Z', end: '2026-12-01T10:30:00Z', uid: 'later-1', status: 'busy' }]);
    });
  });
}
