import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent } from '../shared/model/index.ts';
import { resolveCalendars, Store } from '../shared/store/index.ts';
import { BusyCache, busyInWindow, busyJson, CalendarLookups, union } from '../freebusy/index.ts';
import { busyJsonMerged } from '../freebusy/busy-window.ts';
import { at, call, ev, json, PG_ENV, seed, startTestApi, type TestApi } from './test-support.ts';
import { seededRandom as rng } from '../shared/random.ts';

type Span = { start: string; end: string; status: string; events?: Array<{ uid: string }> };
type FreeBusy = { calendars: Array<{ calendarId: string; busy: Span[] }>; merged: Array<{ start: string; end: string }> };

const DAY = 86_400_000;
const BASE = Date.parse('2026-11-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('free/busy cache', () => {
  let api: TestApi;
  let cals: string[];

  before(async () => {
    api = await startTestApi();
    const more = await api.store.tenant(api.a.id).calendars.upsertMany(api.a.accountId, [
      { providerCalendarId: 'x1', name: 'X1', timeZone: 'America/New_York', color: null, readOnly: false },
      { providerCalendarId: 'x2', name: 'X2', timeZone: 'Asia/Tokyo', color: null, readOnly: false },
    ]);
    cals = [api.a.calendarId, ...more.map((c) => c.id)];
    // Overlapping, touching and long spans of mixed statuses, some recurring, so edges get clipped.
    const r = rng(7);
    const statuses = [{}, { status: 'tentative' as const }, { availability: 'oof' as const }, { availability: 'workingElsewhere' as const }];
    for (const [ci, cal] of cals.entries()) {
      const groups = Array.from({ length: 120 }, (_, i) => {
        const s = BASE + Math.floor(r() * 40) * DAY + Math.floor(r() * 96) * 15 * 60_000;
        const len = r() < 0.1 ? Math.floor(r() * 3 * DAY) : (1 + Math.floor(r() * 8)) * 15 * 60_000;
        return ev({ uid: `c${ci}-e${i}`, start: at(iso(s)), end: at(iso(s + len)), ...statuses[Math.floor(r() * 4)]!, recurrence: i % 7 === 0 ? { rrules: ['FREQ=DAILY;COUNT=4'] } : null });
      });
      await seed(api.store, api.a.id, cal, ...groups);
    }
  });
  after(() => api.close());

  const fb = async (body: Record<string, unknown>, key?: string) => {
    const r = await call(api, 'POST', '/v1/freebusy', { body, key });
    assert.equal(r.statusCode, 200, r.body);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    return json<FreeBusy>(r);
  };

  /** The answer computed the way the route did before the cache: straight from the busy index. */
  async function reference(ids: string[], timeMin: string, timeMax: string): Promise<FreeBusy> {
    const ws = Date.parse(timeMin);
    const we = Date.parse(timeMax);
    const rows = await api.store.tenant(api.a.id).busy(ids, new Date(ws), new Date(we));
    const per = ids.map((id) =>
      busyInWindow(
        rows.filter((x) => x.calendarId === id).map((x) => ({ start: x.start.getTime(), end: x.end.getTime(), status: x.status })),
        ws,
        we,
        false,
      ),
    );
    return {
      calendars: ids.map((id, i) => ({ calendarId: id, busy: per[i]!.map((s) => ({ start: iso(s.start), end: iso(s.end), status: s.status })) })),
      merged: union(per.flat()).map((s) => ({ start: iso(s.start), end: iso(s.end) })),
    };
  }
  const bySpan = (a: Span, b: Span) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end) || a.status.localeCompare(b.status);
  const norm = (f: FreeBusy) => ({ calendars: f.calendars.map((c) => ({ calendarId: c.calendarId, busy: [...c.busy].sort(bySpan) })), merged: f.merged });

  it('answers exactly what the busy index holds, for random windows, with and without explain', async () => {
    const r = rng(99);
    for (let n = 0; n < 60; n++) {
      // Half the windows on the 15-minute grid of the spans, so edges coincide with span ends.
      const grid = r() < 0.5 ? 15 * 60_000 : 60_000;
      const ws = BASE - DAY + Math.floor((r() * 40 * DAY) / grid) * grid;
      const we = ws + 60_000 + Math.floor(r() * 10 * DAY / 60_000) * 60_000;
      const ids = cals.filter(() => r() < 0.7);
      if (ids.length === 0) continue;
      const body = { calendarIds: ids, timeMin: iso(ws), timeMax: iso(we) };
      const got = await fb(body);
      const want = await reference(ids, body.timeMin, body.timeMax);
      assert.deepEqual(norm(got), norm(want), `window ${body.timeMin}..${body.timeMax}`);
      for (const c of got.calendars) {
        for (let i = 1; i < c.busy.length; i++) assert.ok(c.busy[i - 1]!.start <= c.busy[i]!.start, 'spans not sorted by start');
      }
      const explained = await fb({ ...body, explain: true });
      assert.deepEqual(norm({ ...explained, calendars: explained.calendars.map((c) => ({ ...c, busy: c.busy.map(({ events: _e, ...s }) => s) })) }), norm(want));
    }
  });

  it('slices the preformatted text exactly as the span-by-span merge formats it', async () => {
    const resolved = (await resolveCalendars(api.store.db, api.a.id, cals, [])).calendars;
    const cached = [...(await new BusyCache(api.store.db).get(api.a.id, resolved)).values()];
    const r = rng(5);
    for (let n = 0; n < 3000; n++) {
      const grid = r() < 0.5 ? 15 * 60_000 : 60_000;
      const ws = BASE - 2 * DAY + Math.floor((r() * 45 * DAY) / grid) * grid;
      const we = ws + grid * (1 + Math.floor((r() * 10 * DAY) / grid));
      for (const c of cached) assert.equal(busyJson(c, ws, we), busyJsonMerged(c, ws, we), `${iso(ws)}..${iso(we)}`);
    }
  });

  it('shows a change to a calendar in the very next answer', async () => {
    const body = { calendarIds: [cals[1]!], timeMin: '2027-03-01T00:00:00Z', timeMax: '2027-03-02T00:00:00Z' };
    assert.deepEqual((await fb(body)).calendars[0]!.busy, []);
    const e = api.store.tenant(api.a.id).events;
    await e.applyRemoteChanges(cals[1]!, [{ kind: 'upsert', remoteId: 'late', version: '"1"', events: [parseEvent(ev({ uid: 'late', start: at('2027-03-01T10:00:00Z'), end: at('2027-03-01T11:00:00Z') }))] }]);
    assert.deepEqual((await fb(body)).calendars[0]!.busy, [{ start: '2027-03-01T10:00:00.000Z', end: '2027-03-01T11:00:00.000Z', status: 'busy' }]);
    await e.writeLocal(cals[1]!, 'late', [parseEvent(ev({ uid: 'late', start: at('2027-03-01T12:00:00Z'), end: at('2027-03-01T12:30:00Z'), status: 'tentative' }))]);
    assert.deepEqual((await fb(body)).calendars[0]!.busy, [{ start: '2027-03-01T12:00:00.000Z', end: '2027-03-01T12:30:00.000Z', status: 'tentative' }]);
    assert.deepEqual((await fb({ ...body, explain: true })).calendars[0]!.busy[0]!.events!.map((x) => x.uid), ['late']);
    await e.writeLocal(cals[1]!, 'late', []);
    assert.deepEqual((await fb(body)).calendars[0]!.busy, []);
    assert.deepEqual((await fb(body)).merged, []);
  });

  it('does not serve one tenant cached calendars to another', async () => {
    const body = { calendarIds: [api.a.calendarId], timeMin: '2026-11-01T00:00:00Z', timeMax: '2026-11-30T00:00:00Z' };
    assert.ok((await fb(body)).calendars[0]!.busy.length > 0);
    for (const b of [body, { ...body, explain: true }, { accountIds: [api.a.accountId], timeMin: body.timeMin, timeMax: body.timeMax }]) {
      const r = await call(api, 'POST', '/v1/freebusy', { body: b, key: api.b.key });
      assert.equal(r.statusCode, 404, r.body);
      assert.doesNotMatch(r.body, /busy"/);
    }
    const avail = await call(api, 'POST', '/v1/availability', {
      key: api.b.key,
      body: { participants: [{ calendarIds: [api.a.calendarId] }], durationMinutes: 30, timeMin: body.timeMin, timeMax: '2026-11-05T00:00:00Z' },
    });
    assert.equal(avail.statusCode, 404, avail.body);
    const own = await fb({ calendarIds: [api.b.calendarId], timeMin: body.timeMin, timeMax: body.timeMax }, api.b.key);
    assert.deepEqual(own.calendars, [{ calendarId: api.b.calendarId, busy: [] }]);
  });

  it('evicts the least recently used calendars beyond its span budget and reloads them correctly', async () => {
    const resolved = (await resolveCalendars(api.store.db, api.a.id, cals, [])).calendars;
    const sizes = new Map<string, number>();
    const full = new BusyCache(api.store.db);
    for (const [id, c] of await full.get(api.a.id, resolved)) sizes.set(id, c.start.length);
    const budget = sizes.get(cals[0]!)! + sizes.get(cals[1]!)!;
    const cache = new BusyCache(api.store.db, { maxSpans: budget });
    const one = (id: string) => resolved.filter((c) => c.id === id);
    await cache.get(api.a.id, one(cals[0]!));
    await cache.get(api.a.id, one(cals[1]!));
    assert.deepEqual(cache.size, { calendars: 2, spans: budget });
    await cache.get(api.a.id, one(cals[0]!)); // now cals[1] is the least recently used
    const got = await cache.get(api.a.id, one(cals[2]!));
    assert.ok(cache.size.spans <= budget, `kept ${cache.size.spans} spans over a budget of ${budget}`);
    assert.equal(got.get(cals[2]!)!.start.length, sizes.get(cals[2]!));
    const again = await cache.get(api.a.id, one(cals[1]!));
    assert.equal(again.get(cals[1]!)!.start.length, sizes.get(cals[1]!), 'an evicted calendar reloads whole');
    assert.ok(cache.size.spans <= budget);
    // The wrong tenant gets nothing from the store, whatever the cache holds.
    const stranger = await cache.get(api.b.id, one(cals[1]!));
    assert.equal(stranger.get(cals[1]!)!.start.length, 0);
  });

  it('coalesces concurrent calendar lookups into one query without mixing tenants', async () => {
    let queries = 0;
    const counting = { query: <R,>(sql: string, params?: unknown[]) => (queries++, api.store.db.query<R>(sql, params)) };
    const lookups = new CalendarLookups(counting);
    const both = [api.a.calendarId, api.b.calendarId];
    const [first, a, b, twice] = await Promise.all([
      lookups.lookup(api.a.id, [api.a.calendarId]),
      lookups.lookup(api.a.id, both),
      lookups.lookup(api.b.id, both),
      lookups.lookup(api.a.id, [api.a.calendarId, api.a.calendarId]),
    ]);
    assert.equal(queries, 2, 'the three lookups that arrived during the first should share one query');
    assert.deepEqual([first, a, b, twice].map((l) => l.map((c) => c.id)), [[api.a.calendarId], [api.a.calendarId], [api.b.calendarId], [api.a.calendarId]]);
    assert.match(a[0]!.busyVersion, /^\d+$/);
  });

  it('sees a write made through another process (PostgreSQL: a second store on the same schema)', { skip: !process.env[PG_ENV] && 'needs PostgreSQL' }, async () => {
    const [{ schema }] = (await api.store.db.query<{ schema: string }>('SELECT current_schema() AS schema')) as [{ schema: string }];
    const other = await Store.open({ databaseUrl: process.env[PG_ENV]!, schema, now: () => new Date(BASE) });
    try {
      const body = { calendarIds: [cals[2]!], timeMin: '2027-04-01T00:00:00Z', timeMax: '2027-04-02T00:00:00Z' };
      assert.deepEqual((await fb(body)).calendars[0]!.busy, []);
      await seed(other, api.a.id, cals[2]!, ev({ uid: 'elsewhere', start: at('2027-04-01T09:00:00Z'), end: at('2027-04-01T10:00:00Z') }));
      assert.equal((await fb(body)).calendars[0]!.busy.length, 1);
    } finally {
      await other.close();
    }
  });
});
