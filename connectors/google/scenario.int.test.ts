/**
 * The issue's scenario: series with moved and cancelled instances and all-day events created in
 * the emulator → full sync into a replica → edits, instance cancellations and deletes through
 * the control API → incremental sync → the replica equals the emulator's state exactly, and busy
 * time derived from the replica equals the emulator's own freebusy.query.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { busyStatusOf, contentHash, eventTimeKey, type CanonicalEvent } from '../../shared/model/index.ts';
import { expandSeries } from '../../shared/time/index.ts';
import { drain } from '../conformance/suite.ts';
import { mapGoogleEvent } from './map-google-event.ts';
import { makeGoogleHarness, type GoogleTestSetup } from './test-support.ts';

type Replica = Map<string, { version: string | null; events: CanonicalEvent[] }>;
const WINDOW = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-05-01T00:00:00Z') };
const berlin = (local: string) => ({ dateTime: local, timeZone: 'Europe/Berlin' });

/** What the emulator holds, in the form a faithful sync must reproduce. */
function emulatorView(h: GoogleTestSetup): Map<string, string> {
  const stored = h.control.listStoredEvents(h.calendar.providerCalendarId).filter((s) => !s.deleted);
  const uidOf = new Map(stored.map((s) => [s.event.id, s.event.iCalUID]));
  return new Map(
    stored.map(({ event }) => {
      const e = mapGoogleEvent(event, h.calendar.timeZone, uidOf.get(event.recurringEventId ?? '') ?? undefined);
      // A cancelled instance is only guaranteed to say which occurrence it cancels (A.2).
      const body = e.status === 'cancelled' && e.originalStart ? `cancelled|${e.uid}|${eventTimeKey(e.originalStart)}` : contentHash(e);
      return [event.id, `${event.etag}|${body}`];
    }),
  );
}

function replicaView(replica: Replica): Map<string, string> {
  return new Map(
    [...replica].map(([id, obj]) => {
      const e = obj.events[0]!;
      const body = e.status === 'cancelled' && e.originalStart ? `cancelled|${e.uid}|${eventTimeKey(e.originalStart)}` : contentHash(e);
      return [id, `${obj.version}|${body}`];
    }),
  );
}

function busyFromReplica(replica: Replica, zone: string): Array<{ start: string; end: string }> {
  const byUid = new Map<string, CanonicalEvent[]>();
  for (const { events } of replica.values()) for (const e of events) byUid.set(e.uid, [...(byUid.get(e.uid) ?? []), e]);
  const spans: Array<[number, number]> = [];
  for (const events of byUid.values()) {
    const master = events.find((e) => !e.originalStart) ?? null;
    const overrides = events.filter((e) => e.originalStart);
    for (const o of expandSeries({ master, overrides, calendarTimeZone: zone, window: WINDOW })) {
      if (busyStatusOf(o.event) !== null) spans.push([Math.max(o.startMs, WINDOW.start.getTime()), Math.min(o.endMs, WINDOW.end.getTime())]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
  return merged.map(([s, e]) => ({ start: iso(s), end: iso(e) }));
}

describe('google scenario: full sync, out-of-band edits, incremental sync, busy', () => {
  let h: GoogleTestSetup;
  const replica: Replica = new Map();
  let cursor = '';
  const ids: Record<string, string> = {};
  const cal = () => h.calendar.providerCalendarId;

  async function freeBusy(): Promise<Array<{ start: string; end: string }>> {
    const { accessToken } = h.control.issueGrant({ email: h.email });
    const r = await fetch(`${h.url}/calendar/v3/freeBusy`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ timeMin: WINDOW.start.toISOString(), timeMax: WINDOW.end.toISOString(), items: [{ id: cal() }] }),
    });
    const body = (await r.json()) as { calendars: Record<string, { busy: Array<{ start: string; end: string }> }> };
    return body.calendars[cal()]!.busy;
  }

  before(async () => {
    h = await makeGoogleHarness({ timeZone: 'Europe/Berlin', pageSize: 4, emptyPageEvery: 3 });
    const c = h.control;
    ids.weekly = c.insertEvent(cal(), { summary: 'weekly', start: berlin('2026-03-02T10:00:00'), end: berlin('2026-03-02T11:00:00'), recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8', 'EXDATE;TZID=Europe/Berlin:20260316T100000'] }).id;
    ids.moved = c.patchEvent(cal(), `${ids.weekly}_20260309T090000Z`, { summary: 'weekly (moved)', start: berlin('2026-03-10T14:00:00'), end: berlin('2026-03-10T15:30:00') }).id;
    c.deleteEvent(cal(), `${ids.weekly}_20260323T090000Z`);
    ids.daily = c.insertEvent(cal(), { summary: 'standup', start: berlin('2026-03-30T09:00:00'), end: berlin('2026-03-30T09:15:00'), recurrence: ['RRULE:FREQ=DAILY;UNTIL=20260405T070000Z'] }).id;
    ids.offsite = c.insertEvent(cal(), { summary: 'offsite', start: { date: '2026-03-18' }, end: { date: '2026-03-20' } }).id;
    ids.holidays = c.insertEvent(cal(), { summary: 'holiday', start: { date: '2026-04-06' }, end: { date: '2026-04-07' }, recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'] }).id;
    ids.free = c.insertEvent(cal(), { summary: 'focus (free)', start: berlin('2026-03-04T08:00:00'), end: berlin('2026-03-04T12:00:00'), transparency: 'transparent' }).id;
    ids.declined = c.insertEvent(cal(), { summary: 'declined', start: berlin('2026-03-05T08:00:00'), end: berlin('2026-03-05T09:00:00'), attendees: [{ email: h.email, responseStatus: 'declined' }, { email: 'boss@example.com' }] }).id;
    ids.tentative = c.insertEvent(cal(), { summary: 'maybe', status: 'tentative', start: berlin('2026-03-05T10:00:00'), end: berlin('2026-03-05T11:00:00') }).id;
    ids.doomed = c.insertEvent(cal(), { summary: 'to be deleted', start: berlin('2026-03-06T10:00:00'), end: berlin('2026-03-06T11:00:00') }).id;
  });
  after(() => h?.cleanup());

  it('full sync reproduces the emulator exactly (masters, exceptions, cancelled instances, all-day)', async () => {
    const r = await drain(h.connector, h.ctx, h.calendar, null, replica);
    cursor = r.cursor;
    assert.ok(r.pages.some((p) => p.changes.length === 0 && p.hasMore), 'an empty page was part of the listing');
    assert.equal(replica.size, 10);
    assert.deepEqual(replicaView(replica), emulatorView(h));
    const moved = replica.get(ids.moved!)!.events[0]!;
    assert.deepEqual(moved.originalStart, { dateTime: '2026-03-09T09:00:00Z', timeZone: 'Europe/Berlin' });
    assert.equal(replica.get(`${ids.weekly}_20260323T090000Z`)!.events[0]!.status, 'cancelled');
    assert.deepEqual(replica.get(ids.offsite!)!.events[0]!.start, { date: '2026-03-18' });
  });

  it('busy from the replica equals freebusy.query', async () => {
    const busy = await freeBusy();
    assert.ok(busy.length >= 15, `only ${busy.length} busy periods`);
    assert.deepEqual(busyFromReplica(replica, h.calendar.timeZone), busy);
  });

  it('after edits, cancellations and deletes out of band, incremental sync converges again', async () => {
    const c = h.control;
    c.patchEvent(cal(), ids.weekly!, { summary: 'weekly (renamed)' });
    c.patchEvent(cal(), ids.moved!, { start: berlin('2026-03-11T16:00:00'), end: berlin('2026-03-11T17:00:00') });
    c.deleteEvent(cal(), `${ids.weekly}_20260330T080000Z`);
    c.patchEvent(cal(), `${ids.daily}_20260401T070000Z`, { summary: 'standup (long)', end: berlin('2026-04-01T10:00:00') });
    c.deleteEvent(cal(), `${ids.daily}_20260402T070000Z`);
    c.deleteEvent(cal(), ids.doomed!);
    c.deleteEvent(cal(), ids.holidays!);
    c.patchEvent(cal(), ids.free!, { transparency: 'opaque' });
    ids.added = c.insertEvent(cal(), { summary: 'new all-day', start: { date: '2026-04-20' }, end: { date: '2026-04-21' } }).id;
    const r = await drain(h.connector, h.ctx, h.calendar, cursor, replica);
    cursor = r.cursor;
    assert.ok(r.pages.every((p) => p.mode === 'incremental'));
    assert.deepEqual(replicaView(replica), emulatorView(h));
    assert.equal(replica.has(ids.doomed!), false);
    assert.equal(replica.has(ids.holidays!), false);
    assert.equal(replica.get(`${ids.daily}_20260402T070000Z`)!.events[0]!.status, 'cancelled');
  });

  it('busy still equals freebusy.query after the changes', async () => {
    const busy = await freeBusy();
    assert.deepEqual(busyFromReplica(replica, h.calendar.timeZone), busy);
    assert.ok(busy.some((b) => b.start === '2026-03-04T07:00:00Z'), 'the event made opaque is busy now');
  });

  it('deleting a whole series with exceptions removes every object of it', async () => {
    h.control.deleteEvent(cal(), ids.weekly!);
    await drain(h.connector, h.ctx, h.calendar, cursor, replica);
    assert.ok(![...replica.keys()].some((id) => id.startsWith(ids.weekly!)));
    assert.deepEqual(replicaView(replica), emulatorView(h));
    assert.deepEqual(busyFromReplica(replica, h.calendar.timeZone), await freeBusy());
  });
});
