/**
 * An object with RECURRENCE-ID;RANGE=THISANDFUTURE overrides, PUT on a real Radicale and Xandikos
 * as another client wrote it (both store it as given): after a sync calhub's listing and free/busy
 * show every later occurrence moved and changed (RFC 5545 §3.2.13, §3.8.4.4), as hand-computed in
 * connectors/caldav/ical/fixtures/weekly-range-thisandfuture-berlin.json. calhub's own writes of
 * the series keep the range on the server: a retitle of the range override, and a change of one
 * later occurrence (a RECURRENCE-ID of its own, no RANGE).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { settle } from '../../sync-engine/index.ts';
import type { ModelEnv } from '../../sync-engine/test-support/model.ts';
import { apiOver } from '../support/api-over.ts';
import { describeOnDavServers } from '../support/caldav-harness.ts';
import { davModelEnv } from '../support/dav-model-env.ts';
import { authHeader, type DavServer } from '../support/dav-servers.ts';

const FIXTURES = new URL('../../connectors/caldav/ical/fixtures/', import.meta.url);
const ICS = readFileSync(new URL('weekly-range-thisandfuture-berlin.ics', FIXTURES), 'utf8').replace(/\r?\n/g, '\r\n');
const EXPECTED = JSON.parse(readFileSync(new URL('weekly-range-thisandfuture-berlin.json', FIXTURES), 'utf8')) as { busy: Array<{ start: string; end: string }> };
const FROM = '2026-10-01T00:00:00Z';
const TO = '2027-01-01T00:00:00Z';

type Item = { eventId: string; uid: string; originalStartKey: string; isOverride: boolean; start: string; end: string; title: string | null; location: string | null };
type Reply = { id: string; title: string | null; items: Item[]; calendars: Array<{ busy: Array<{ start: string; end: string }> }> };

const iso = (s: string) => new Date(s).toISOString().replace('.000Z', 'Z');
const times = (xs: Array<{ start: string; end: string }>) => xs.map((x) => `${iso(x.start)}/${iso(x.end)}`);

async function scenario(dav: DavServer, env: ModelEnv): Promise<void> {
  const cal = env.calendars[0]!;
  const t = env.store.tenant(env.tenantId);
  const calendar = await t.calendars.get(cal);
  const href = new URL('range-1.ics', new URL(calendar!.providerCalendarId, dav.url));
  const put = await fetch(href, { method: 'PUT', body: ICS, headers: { ...authHeader(dav), 'content-type': 'text/calendar; charset=utf-8' } });
  assert.ok(put.status === 201 || put.status === 204, `${dav.kind} took the object: ${put.status} ${await put.text()}`);
  const stored = async () => (await (await fetch(href, { headers: authHeader(dav) })).text()).replace(/\r\n[ \t]/g, '');
  assert.match(await stored(), /RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe\/Berlin:20261019T090000/, `${dav.kind} stores RANGE as given`);
  const sync = async () => assert.deepEqual([...(await settle(env.deps, env.tenantId, [cal])).failures.values()], []);
  await sync();

  const { app, call } = await apiOver<Reply>(env);
  const listed = async () => {
    const r = await call('GET', `/v1/calendars/${cal}/events?timeMin=${FROM}&timeMax=${TO}&limit=100`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return r.json.items;
  };
  const busy = async () => {
    const r = await call('POST', '/v1/freebusy', { calendarIds: [cal], timeMin: FROM, timeMax: TO });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return r.json.calendars[0]!.busy;
  };
  try {
    let items = await listed();
    assert.deepEqual(times(items), times(EXPECTED.busy), 'listed at the moved times');
    assert.deepEqual(items.map((i) => i.title), [
      'Standup', 'Standup', 'Standup (later)', 'Standup (later)', 'Standup (later)', 'Standup (one-off)', 'Standup (later)', 'Standup (tentative)', 'Standup (tentative)',
    ]);
    assert.deepEqual(items.map((i) => i.location), ['Room A', 'Room A', 'Room B', 'Room B', 'Room B', null, 'Room B', null, null]);
    assert.deepEqual(times(await busy()), times(EXPECTED.busy), 'busy at the moved times');
    const warnings = await env.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM read_warnings WHERE calendar_id = $1', [cal]);
    assert.equal(warnings[0]!.n, 0, 'read as it is meant: nothing to warn about');

    // The range override retitled through the API: written back with its RANGE, so every later occurrence is renamed for other clients too.
    const range = items[2]!;
    assert.ok(range.isOverride);
    const retitled = await call('PATCH', `/v1/events/${range.eventId}`, { title: 'Standup (late)' });
    assert.equal(retitled.status, 200, JSON.stringify(retitled.json));
    await sync();
    const text = await stored();
    assert.match(text, /RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe\/Berlin:20261019T090000/, `the range stays on ${dav.kind}:\n${text}`);
    assert.match(text, /SUMMARY:Standup \(late\)/);

    // One later occurrence changed on its own: an override of its own (no RANGE), from the range's content and time.
    const oct26 = (await listed())[3]!;
    const occUrl = `/v1/events/${oct26.eventId}/occurrences/${oct26.originalStartKey}`;
    const one = await call('PATCH', occUrl, { title: 'Standup (Oct 26)' });
    assert.equal(one.status, 200, JSON.stringify(one.json));
    await sync();
    assert.match(await stored(), /RECURRENCE-ID;TZID=Europe\/Berlin:20261026T090000/);
    await sync(); // the server's copy read back changes nothing
    items = await listed();
    assert.deepEqual(times(items), times(EXPECTED.busy), 'still at the moved times after calhub\'s writes and their read-back');
    assert.deepEqual(items.map((i) => i.title), [
      'Standup', 'Standup', 'Standup (late)', 'Standup (Oct 26)', 'Standup (late)', 'Standup (one-off)', 'Standup (late)', 'Standup (tentative)', 'Standup (tentative)',
    ]);
    assert.deepEqual(times(await busy()), times(EXPECTED.busy));
  } finally {
    await app.close();
  }
}

describeOnDavServers((name) => `RECURRENCE-ID;RANGE=THISANDFUTURE on ${name}`, (s) => {
  it('synced, listed, counted as busy and written back with its range', async () => scenario(s.dav, await davModelEnv(s.dav, s.store)));
});
