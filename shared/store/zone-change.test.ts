/**
 * A calendar's zone changed at the provider: busy time the zone places (all-day, floating, series)
 * moves with it. The index was built when the events were stored and only an event's new content
 * rebuilt it, so free/busy kept the old zone's midnights.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent, type CanonicalEventInput } from '../model/index.ts';
import { Store } from './store.ts';
import { zoneBoundUids } from './zone-change.ts';
import type { StoreChange } from './write-watch.ts';

const up = (remoteId: string, e: CanonicalEventInput) => ({ kind: 'upsert' as const, remoteId, version: '"1"', events: [parseEvent(e)] });
const cal = (providerCalendarId: string, timeZone: string) => ({ providerCalendarId, name: providerCalendarId, timeZone, color: null, readOnly: false });
const WINDOW = [new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z')] as const;

describe('busy time follows a calendar zone change', () => {
  let store: Store;
  let tenantId: string;
  let accountId: string;
  const changes: StoreChange[] = [];
  const spans = async (calendarId: string) =>
    (await store.tenant(tenantId).busy([calendarId], ...WINDOW)).map((s) => `${s.uid} ${s.start.toISOString()}/${s.end.toISOString()}`);

  before(async () => {
    store = await Store.open({ dataDir: null, onChange: (c) => changes.push(c) });
    await store.migrate();
    tenantId = (await store.tenants.create('zones')).tenant.id;
    accountId = (await store.tenant(tenantId).accounts.upsert({ provider: 'memory', externalId: 'z@example.com' })).id;
  });
  after(async () => store?.close());

  const berlinCalendar = async (name: string): Promise<string> => {
    const t = store.tenant(tenantId);
    const [c] = await t.calendars.upsertMany(accountId, [cal(name, 'Europe/Berlin')]);
    await t.events.applyRemoteChanges(c!.id, [
      up('day', { uid: 'day', title: 'off', start: { date: '2026-11-10' }, end: { date: '2026-11-11' } }),
      up('float', { uid: 'float', title: 'f', start: { local: '2026-11-12T09:00:00' }, end: { local: '2026-11-12T10:00:00' } }),
      up('zoned', { uid: 'zoned', title: 'z', start: { dateTime: '2026-11-13T09:00:00Z', timeZone: 'Asia/Tokyo' }, end: { dateTime: '2026-11-13T10:00:00Z', timeZone: 'Asia/Tokyo' } }),
    ]);
    assert.deepEqual(await spans(c!.id), [
      'day 2026-11-09T23:00:00.000Z/2026-11-10T23:00:00.000Z',
      'float 2026-11-12T08:00:00.000Z/2026-11-12T09:00:00.000Z',
      'zoned 2026-11-13T09:00:00.000Z/2026-11-13T10:00:00.000Z',
    ]);
    return c!.id;
  };
  const losAngeles = [
    'day 2026-11-10T08:00:00.000Z/2026-11-11T08:00:00.000Z',
    'float 2026-11-12T17:00:00.000Z/2026-11-12T18:00:00.000Z',
    'zoned 2026-11-13T09:00:00.000Z/2026-11-13T10:00:00.000Z',
  ];

  it('a calendar-list reading that brings a new zone (applyListing) moves all-day and floating spans, not zoned ones', async () => {
    const id = await berlinCalendar('listed');
    const [v0] = await store.db.query<{ v: string }>('SELECT busy_version::text AS v FROM calendars WHERE id = $1', [id]);
    changes.length = 0;
    const listed = await store.tenant(tenantId).calendars.applyListing(accountId, [cal('listed', 'America/Los_Angeles')]);
    assert.deepEqual(listed.updated.map((c) => c.timeZone), ['America/Los_Angeles']);
    assert.deepEqual(await spans(id), losAngeles);
    // Free/busy caches key spans by busy_version (freebusy/busy-cache.ts): a rebuild that kept it would serve the old spans.
    const [v1] = await store.db.query<{ v: string }>('SELECT busy_version::text AS v FROM calendars WHERE id = $1', [id]);
    assert.notEqual(v1!.v, v0!.v);
    // The calendar memo (zone, busy_version) drops what the write watch reports.
    assert.ok(changes.some((c) => c.scope === 'all' || (c.tenantId === tenantId && (c.scope === 'tenant' || c.calendarId === id))));
  });

  it('a discovery that upserts a known calendar with a new zone (upsertMany) moves them too', async () => {
    const id = await berlinCalendar('upserted');
    await store.tenant(tenantId).calendars.upsertMany(accountId, [cal('upserted', 'America/Los_Angeles')]);
    assert.deepEqual(await spans(id), losAngeles);
  });

  it('inside a unit of work the zone and the spans commit together, or neither does', async () => {
    const id = await berlinCalendar('rolled-back');
    const before = await spans(id);
    await assert.rejects(
      store.tenant(tenantId).transaction(async (tx) => {
        await tx.calendars.applyListing(accountId, [cal('rolled-back', 'America/Los_Angeles')]);
        throw new Error('stop');
      }),
      /stop/,
    );
    assert.equal((await store.tenant(tenantId).calendars.get(id))?.timeZone, 'Europe/Berlin');
    assert.deepEqual(await spans(id), before);
  });

  it('a weekly all-day series moves to the new zone at every occurrence', async () => {
    const t = store.tenant(tenantId);
    const [c] = await t.calendars.upsertMany(accountId, [cal('series', 'Europe/Berlin')]);
    await t.events.applyRemoteChanges(c!.id, [up('s', { uid: 's', title: 's', start: { date: '2026-11-02' }, end: { date: '2026-11-03' }, recurrence: { rrules: ['FREQ=WEEKLY;COUNT=2'] } })]);
    await t.calendars.applyListing(accountId, [cal('series', 'America/Los_Angeles')]);
    assert.deepEqual(await spans(c!.id), ['s 2026-11-02T08:00:00.000Z/2026-11-03T08:00:00.000Z', 's 2026-11-09T08:00:00.000Z/2026-11-10T08:00:00.000Z']);
  });

  it('only series with a date or floating time are expanded again; timed ones in their own zone keep their spans, and all are right after', async () => {
    const t = store.tenant(tenantId);
    const [c] = await t.calendars.upsertMany(accountId, [cal('mixed', 'Europe/Berlin')]);
    const at = (d: string, h: number) => ({ dateTime: `2026-11-${d}T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'Asia/Tokyo' });
    const weekly = { rrules: ['FREQ=WEEKLY;COUNT=2'], exdates: [], rdates: [] };
    const events = [
      // Timed in Tokyo, with a floating EXDATE and a date UNTIL: read in the series' own zone.
      up('tokyo', { uid: 'tokyo', title: 't', start: at('03', 1), end: at('03', 2), recurrence: { rrules: ['FREQ=DAILY;UNTIL=20261106'], exdates: [{ local: '2026-11-04T10:00:00' }], rdates: [] } }),
      // Timed, but one occurrence moved to an all-day override: the calendar's zone places that one.
      { kind: 'upsert' as const, remoteId: 'mixed', version: '"1"', events: [
        parseEvent({ uid: 'mixed', title: 'm', start: at('02', 9), end: at('02', 10), recurrence: weekly }),
        parseEvent({ uid: 'mixed', title: 'm', originalStart: at('09', 9), start: { date: '2026-11-10' }, end: { date: '2026-11-11' } }),
      ] },
      up('float-series', { uid: 'float-series', title: 'f', start: { local: '2026-11-05T09:00:00' }, end: { local: '2026-11-05T10:00:00' }, recurrence: weekly }),
    ];
    await t.events.applyRemoteChanges(c!.id, events);
    assert.deepEqual((await zoneBoundUids(store.db, c!.id)).sort(), ['float-series', 'mixed']);
    await t.calendars.applyListing(accountId, [cal('mixed', 'America/Los_Angeles')]);
    const expected = [
      'mixed 2026-11-02T09:00:00.000Z/2026-11-02T10:00:00.000Z',
      'tokyo 2026-11-03T01:00:00.000Z/2026-11-03T02:00:00.000Z',
      'tokyo 2026-11-05T01:00:00.000Z/2026-11-05T02:00:00.000Z',
      'float-series 2026-11-05T17:00:00.000Z/2026-11-05T18:00:00.000Z',
      'tokyo 2026-11-06T01:00:00.000Z/2026-11-06T02:00:00.000Z',
      'mixed 2026-11-10T08:00:00.000Z/2026-11-11T08:00:00.000Z',
      'float-series 2026-11-12T17:00:00.000Z/2026-11-12T18:00:00.000Z',
    ];
    assert.deepEqual(await spans(c!.id), expected);
    // The same events stored in a calendar that was in Los Angeles from the start: the same spans.
    const [la] = await t.calendars.upsertMany(accountId, [cal('mixed-la', 'America/Los_Angeles')]);
    await t.events.applyRemoteChanges(la!.id, events);
    assert.deepEqual(await spans(la!.id), expected);
  });
});
