/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The end-to-end scenario of issue 5: Outlook-made series with exceptions and cancellations,
 * all-day events and Windows zones → delta sync into a replica → edits through the control API →
 * delta sync → the replica equals a fresh full listing and the emulator's own item list, and the
 * busy time derived from the replica equals getSchedule's availabilityView. Throttling and revoked
 * grants map to the right errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { busyStatusOf, contentHash, type CanonicalEvent } from '../../shared/model/index.ts';
import { expandSeries } from '../../shared/time/index.ts';
import { drain } from '../conformance/suite.ts';
import { GrantRevokedError, RateLimitedError } from '../errors.ts';
import { startMicrosoftTestbed, type MicrosoftTestbed } from './test-support.ts';

type Replica = Map<string, { version: string | null; events: CanonicalEvent[] }>;
const W = 'W. Europe Standard Time';
const NOW = '2026-11-15T12:00:00Z';
const t = (dateTime: string, timeZone = W) => ({ dateTime, timeZone });
const RANK: Record<string, number> = { free: 0, workingElsewhere: 1, tentative: 2, busy: 3, oof: 4 };
const DIGIT: Record<string, string> = { free: '0', tentative: '1', busy: '2', oof: '3', workingElsewhere: '4' };

/** availabilityView computed from the replica: expandSeries + busyStatusOf, strongest status per slot. */
function replicaView(replica: Replica, zone: string, startMs: number, endMs: number, slotMin: number): string {
  const byUid = new Map<string, { master: CanonicalEvent | null; overrides: CanonicalEvent[] }>();
  for (const { events } of replica.values()) {
    for (const e of events) {
      const g = byUid.get(e.uid) ?? { master: null, overrides: [] };
      if (e.originalStart) g.overrides.push(e);
      else g.master = e;
      byUid.set(e.uid, g);
    }
  }
  const spans: Array<{ s: number; e: number; status: string }> = [];
  for (const g of byUid.values()) {
    for (const o of expandSeries({ ...g, calendarTimeZone: zone, window: { start: new Date(startMs), end: new Date(endMs) } })) {
      const status = busyStatusOf(o.event);
      if (status) spans.push({ s: o.startMs, e: o.endMs, status });
    }
  }
  let view = '';
  for (let a = startMs; a < endMs; a += slotMin * 60_000) {
    const b = Math.min(a + slotMin * 60_000, endMs);
    let best = 'free';
    for (const x of spans) if (x.s < b && x.e > a && RANK[x.status]! > RANK[best]!) best = x.status;
    view += DIGIT[best];
  }
  return view;
}

// Once with the documented delta items, once with the thin ones Graph sends in the field (§E B.2).
for (const thin of [false, true]) describe(`microsoft scenario: Outlook data → delta sync → edits → delta sync${thin ? ' (thin delta items)' : ''}`, () => {
  let tb: MicrosoftTestbed;
  let cursor = '';
  const replica: Replica = new Map();
  const ids = {} as Record<'weekly' | 'daily' | 'monthly' | 'holiday' | 'freeDay' | 'yearly' | 'india' | 'cancelled' | 'added', string>;
  const ctl = () => tb.emu.control;
  const graph = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${tb.emu.url}/v1.0${path}`, {
      method, headers: { authorization: `Bearer ${tb.token()}`, 'content-type': 'application/json', Prefer: 'IdType="ImmutableId"' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    return (await res.json()) as any;
  };
  const instances = async (id: string) => ((await graph('GET', `/me/events/${id}/instances?startDateTime=2026-10-01T00:00:00Z&endDateTime=2027-03-01T00:00:00Z&$top=200`)).value ?? []) as any[];
  const schedule = async (start: string, end: string) => {
    const r = await graph('POST', '/me/calendar/getSchedule', { schedules: [tb.email], startTime: t(start, 'UTC'), endTime: t(end, 'UTC'), availabilityViewInterval: 30 });
    return r.value[0].availabilityView as string;
  };
  const create = (event: Record<string, unknown>) => ctl().createEvent({ userId: tb.userId, calendarId: tb.calendar.providerCalendarId, event: event as never }).immutableId;

  before(async () => {
    // A fixed clock keeps the data inside the connector's sync window whenever the test runs.
    tb = await startMicrosoftTestbed({ pageSize: 7, timeZone: 'Europe/Berlin', defaultCalendar: true, now: () => new Date(NOW), switches: { thinDeltaItems: thin } });
    ctl().emptyPages({ every: 4 });
    ids.weekly = create({ subject: 'team sync', start: t('2026-11-02T09:00:00'), end: t('2026-11-02T10:00:00'), recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'wednesday'], firstDayOfWeek: 'sunday' }, range: { type: 'numbered', startDate: '2026-11-02', numberOfOccurrences: 10 } } });
    ids.daily = create({ subject: 'west coast standup', showAs: 'tentative', start: t('2026-11-09T08:30:00', 'Pacific Standard Time'), end: t('2026-11-09T08:45:00', 'Pacific Standard Time'), recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', startDate: '2026-11-09', endDate: '2026-11-20' } } });
    ids.monthly = create({ subject: 'month end', showAs: 'oof', start: t('2026-11-27T13:00:00', 'Eastern Standard Time'), end: t('2026-11-27T15:00:00', 'Eastern Standard Time'), recurrence: { pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' }, range: { type: 'noEnd', startDate: '2026-11-27' } } });
    ids.holiday = create({ subject: 'offsite', isAllDay: true, start: t('2026-11-12T00:00:00'), end: t('2026-11-14T00:00:00') });
    ids.freeDay = create({ subject: 'reminder', isAllDay: true, showAs: 'free', start: t('2026-11-18T00:00:00'), end: t('2026-11-19T00:00:00') });
    ids.yearly = create({ subject: 'anniversary', isAllDay: true, start: t('2026-11-20T00:00:00'), end: t('2026-11-21T00:00:00'), recurrence: { pattern: { type: 'absoluteYearly', interval: 1, month: 11, dayOfMonth: 20 }, range: { type: 'noEnd', startDate: '2026-11-20' } } });
    ids.india = create({ subject: 'Bangalore review', showAs: 'workingElsewhere', start: t('2026-11-10T15:30:00', 'India Standard Time'), end: t('2026-11-10T16:30:00', 'India Standard Time') });
    ids.cancelled = create({ subject: 'called off', isCancelled: true, start: t('2026-11-11T14:00:00'), end: t('2026-11-11T15:00:00') });
    const weekly = await instances(ids.weekly);
    ctl().updateEvent({ userId: tb.userId, id: weekly[2].id, patch: { subject: 'team sync (moved)', start: t('2026-11-09T13:00:00'), end: t('2026-11-09T14:30:00') } });
    ctl().deleteEvent({ userId: tb.userId, id: weekly[3].id });
    ctl().deleteEvent({ userId: tb.userId, id: (await instances(ids.daily))[4].id });
  });
  after(async () => {
    await tb.emu.close();
  });

  async function assertReplicaMatchesEmulator(allKinds = false) {
    const fresh: Replica = new Map();
    await drain(tb.connector, tb.ctx, tb.calendar, null, fresh);
    const hashes = (r: Replica) => new Map([...r].map(([k, v]) => [k, v.events.map(contentHash).join()]));
    assert.deepEqual(hashes(replica), hashes(fresh), 'incremental replica differs from a fresh full listing');
    // The sync window ends two years from now; items beyond it are not expected in the replica.
    const horizon = Date.parse(NOW) + 700 * 86_400_000;
    const listed = (await graph('GET', `/me/calendars/${tb.calendar.providerCalendarId}/events?$top=500&$select=id,start`)).value
      .filter((e: any) => Date.parse(`${e.start.dateTime.slice(0, 19)}Z`) < horizon).map((e: any) => e.id);
    const exceptions: string[] = [];
    for (const id of listed) exceptions.push(...(await instances(id)).filter((i) => i.type === 'exception').map((i) => i.id));
    assert.deepEqual([...replica.keys()].sort(), [...listed, ...exceptions].sort(), 'replica objects differ from the emulator items');
    for (const [from, to] of [['2026-11-01T00:00:00', '2026-12-31T00:00:00'], ['2026-12-31T00:00:00', '2027-02-28T00:00:00']] as const) {
      const expected = await schedule(from, to);
      if (allKinds && from.startsWith('2026-11')) assert.match(expected, /(?=.*1)(?=.*2)(?=.*3)(?=.*4)/, 'the window should hold every kind of busy');
      assert.equal(replicaView(replica, 'Europe/Berlin', Date.parse(`${from}Z`), Date.parse(`${to}Z`), 30), expected, `busy differs in ${from}…${to}`);
    }
  }

  it('a full delta sync builds canonical masters, overrides and EXDATEs from occurrences', async () => {
    ctl().clearRequests();
    const r = await drain(tb.connector, tb.ctx, tb.calendar, null, replica);
    cursor = r.cursor;
    // Masters and thin items are read in $batch requests: never one GET per item, at most two reads per page.
    const top = ctl().requests().filter((q) => !q.inBatch);
    const deltaPages = top.filter((q) => q.path.endsWith('/calendarView/delta')).length;
    assert.equal(top.filter((q) => q.method === 'GET' && /\/events\/[^/]+$/.test(q.path)).length, 0, 'no single-event reads');
    assert.ok(top.length - deltaPages <= 2 * deltaPages, `${top.length - deltaPages} reads for ${deltaPages} pages`);
    if (thin) assert.ok(ctl().requests().some((q) => q.inBatch && /\/events\/[^/]+$/.test(q.path)), 'thin items were read in full');
    assert.ok(r.pages.some((p) => p.changes.length === 0 && p.hasMore), 'empty pages were part of the round');
    const weekly = replica.get(ids.weekly)!.events[0]!;
    assert.deepEqual(weekly.recurrence?.rrules, ['FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10']);
    assert.deepEqual(weekly.recurrence?.exdates, [{ dateTime: '2026-11-11T08:00:00Z', timeZone: 'Europe/Berlin' }]);
    const override = [...replica.values()].flatMap((o) => o.events).find((e) => e.originalStart && e.uid === weekly.uid)!;
    assert.equal(override.title, 'team sync (moved)');
    assert.deepEqual(override.originalStart, { dateTime: '2026-11-09T08:00:00Z', timeZone: 'Europe/Berlin' });
    assert.deepEqual(replica.get(ids.holiday)!.events[0]!.start, { date: '2026-11-12' });
    assert.deepEqual(replica.get(ids.daily)!.events[0]!.start, { dateTime: '2026-11-09T16:30:00Z', timeZone: 'America/Los_Angeles' });
    assert.deepEqual(replica.get(ids.india)!.events[0]!.start, { dateTime: '2026-11-10T10:00:00Z', timeZone: 'Asia/Kolkata' });
    await assertReplicaMatchesEmulator(true);
  });

  it('edits made in Outlook arrive through delta and the replica still equals the emulator', async () => {
    const weekly = await instances(ids.weekly);
    ctl().updateEvent({ userId: tb.userId, id: ids.weekly, patch: { subject: 'team sync v2' } });
    ctl().deleteEvent({ userId: tb.userId, id: weekly.find((i) => i.type === 'occurrence' && i.start.dateTime.startsWith('2026-11-16'))!.id });
    ctl().updateEvent({ userId: tb.userId, id: weekly.find((i) => i.start.dateTime.startsWith('2026-11-18'))!.id, patch: { showAs: 'free' } });
    ctl().deleteEvent({ userId: tb.userId, id: ids.monthly });
    ctl().deleteEvent({ userId: tb.userId, id: ids.holiday });
    ctl().updateEvent({ userId: tb.userId, id: ids.daily, patch: { showAs: 'busy' } });
    ctl().updateEvent({ userId: tb.userId, id: ids.india, patch: { start: t('2029-06-01T10:00:00'), end: t('2029-06-01T11:00:00') } });
    ids.added = create({ subject: 'new in Outlook', start: t('2026-12-01T10:00:00', 'GMT Standard Time'), end: t('2026-12-01T11:00:00', 'GMT Standard Time') });
    ctl().replayNext({ count: 2 });
    const r = await drain(tb.connector, tb.ctx, tb.calendar, cursor, replica);
    cursor = r.cursor;
    assert.ok(r.pages.every((p) => p.mode === 'incremental'));
    assert.equal(replica.has(ids.monthly), false, 'a deleted series is deleted although delta only named its occurrences');
    assert.equal(replica.has(ids.holiday), false);
    assert.equal(replica.has(ids.india), false, 'an event moved out of the window is removed');
    assert.equal(replica.get(ids.weekly)!.events[0]!.title, 'team sync v2');
    assert.equal(replica.get(ids.weekly)!.events[0]!.recurrence!.exdates.length, 2);
    assert.deepEqual(replica.get(ids.added)!.events[0]!.start, { dateTime: '2026-12-01T10:00:00Z', timeZone: 'Europe/London' });
    await assertReplicaMatchesEmulator();
  });

  it('throttling maps to RateLimitedError with the Retry-After delay, also for the 5th concurrent request', async () => {
    ctl().injectFault({ status: 429, retryAfter: 9 });
    await assert.rejects(tb.connector.listChanges(tb.ctx, tb.calendar, cursor), (e: unknown) => e instanceof RateLimitedError && e.retryAfterMs === 9000);
    // A 429 inside a $batch is that request's own answer and maps the same way.
    ctl().injectFault({ status: 429, retryAfter: 4, pathPrefix: '/me/events/' });
    const walk = async () => {
      for (let c: string | null = null; ;) {
        const page = await tb.connector.listChanges(tb.ctx, tb.calendar, c);
        if (!page.hasMore) return;
        c = page.nextCursor;
      }
    };
    await assert.rejects(walk(), (e: unknown) => e instanceof RateLimitedError && e.retryAfterMs === 4000);
    ctl().clearFaults();
    ctl().setLatency({ ms: 1000 });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => tb.connector.getObject(tb.ctx, tb.calendar, ids.weekly)));
    ctl().setLatency({ ms: 0 });
    assert.ok(results.some((r) => r.status === 'rejected' && r.reason instanceof RateLimitedError), 'no MailboxConcurrency 429 surfaced');
  });

  it('an expired access token is refreshed once inline and the call succeeds', async () => {
    const before = tb.refreshes();
    ctl().expireAccessTokens({ userId: tb.userId });
    const cals = await tb.connector.listCalendars(tb.ctx);
    assert.ok(cals.some((c) => c.providerCalendarId === tb.calendar.providerCalendarId && c.primary));
    assert.equal(tb.refreshes() - before, 1);
  });

  it('a revoked grant surfaces as GrantRevokedError after one refresh attempt', async () => {
    const before = tb.refreshes();
    ctl().revokeGrants({ userId: tb.userId });
    await assert.rejects(tb.connector.listChanges(tb.ctx, tb.calendar, cursor), GrantRevokedError);
    assert.equal(tb.refreshes() - before, 1);
  });
});
