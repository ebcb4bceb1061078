/**
 * P3 (store side): normalize (parseEvent, as a connector's mapper calls it) + batched
 * applyRemoteChanges, busy index included, of a 10,000-object calendar on PGlite and PostgreSQL.
 * Pages come in the sizes connectors produce (Google 250, a large CalDAV multiget 2,500); each page
 * is timed from raw input to commit. A second pass re-reads the same objects with new titles and
 * etags (times unchanged), as an incremental sync after bulk edits sees them.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { parseEvent, type CanonicalEventInput } from '../shared/model/index.ts';
import { Store, type IncomingChange, type PreparedPage, type TenantStore } from '../shared/store/index.ts';
import type { BenchRow } from './bench-row.ts';
import { legacyLayout, LEGACY_UP_TO } from './legacy-busy-layout.ts';
import { fmtMs, percentile } from './stats.ts';
import { seededRandom as random } from '../shared/random.ts';

const OBJECTS = 10_000;
const PAGES = [250, 2500];
const DAY = 86_400_000;
const ZONES = ['Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Sydney', 'Europe/London', 'UTC'];
const RULES = ['FREQ=WEEKLY;UNTIL=%U', 'FREQ=WEEKLY;INTERVAL=2', 'FREQ=DAILY;COUNT=10', 'FREQ=MONTHLY;COUNT=12', 'FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=30'];

type RawObject = { remoteId: string; version: string; events: CanonicalEventInput[] };

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * A fifth are series in a TZID (one in four weekly ones with an EXDATE and a moved instance), the
 * rest singles across a year, one in 25 of them all-day.
 */
export function calendar(now: number, tag: string): RawObject[] {
  const r = random(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: OBJECTS }, (_, i) => {
    const zone = pick(ZONES);
    const recurring = i % 5 === 0;
    // Series began in the past year; singles lie from six months back to six months ahead.
    const start = Math.floor((now - (recurring ? 365 : 180) * DAY + r() * 365 * DAY) / 900_000) * 900_000;
    const end = start + pick([30, 60, 60, 90]) * 60_000;
    const self = { email: 'me@example.com', self: true, response: pick(['accepted', 'accepted', 'tentative', 'needsAction'] as const) };
    const base: CanonicalEventInput = {
      uid: `bench-${i}@calhub.bench`,
      providerEventId: `r-${i}`,
      start: { dateTime: iso(start), timeZone: zone },
      end: { dateTime: iso(end), timeZone: zone },
      title: `${tag} meeting ${i}`,
      description: i % 3 === 0 ? 'Quarterly planning with the whole team.\nAgenda: https://docs.example.com/agenda' : null,
      location: i % 4 === 0 ? 'Room 4.12' : null,
      availability: i % 10 === 7 ? 'free' : 'busy',
      organizer: { email: `o${i % 40}@example.com`, name: null },
      attendees: [self, ...Array.from({ length: i % 5 }, (_, k) => ({ email: `a${(i + k) % 90}@example.com`, response: 'accepted' as const }))],
      providerUpdatedAt: iso(now - DAY),
      providerVersion: `"${tag}-${i}"`,
    };
    const events: CanonicalEventInput[] = [base];
    if (i % 25 === 3) {
      base.start = { date: iso(start).slice(0, 10) };
      base.end = { date: iso(start + DAY).slice(0, 10) };
    } else if (recurring) {
      const rule = RULES[(i / 5) % RULES.length]!;
      base.recurrence = { rrules: [rule.replace('%U', iso(start + 180 * DAY).replace(/[-:]/g, ''))] };
      if (i % 20 === 0 && rule.startsWith('FREQ=WEEKLY;')) {
        base.recurrence.exdates = [{ dateTime: iso(start + 14 * DAY), timeZone: zone }];
        const moved = start + 7 * DAY + 2 * 3_600_000;
        events.push({ ...base, recurrence: null, originalStart: { dateTime: iso(start + 7 * DAY), timeZone: zone }, start: { dateTime: iso(moved), timeZone: zone }, end: { dateTime: iso(moved + end - start), timeZone: zone } });
      }
    }
    return { remoteId: `r-${i}`, version: `"${tag}-${i}"`, events };
  });
}

type Run = { ms: number[]; cpuMs: number; events: number };
const APP = `calhub-bench-${process.pid}`;

/**
 * CPU time of this benchmark's PostgreSQL backends, from /proc when the server is local (USER_HZ
 * 100), so the per-core figure counts the server's work too; null when it cannot be read.
 */
async function serverCpuMs(store: Store): Promise<number | null> {
  if (store.driver !== 'postgres') return 0;
  const backends = await store.db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [APP]);
  let ticks = 0;
  for (const { pid } of backends) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      return null;
    }
  }
  return ticks * 10;
}

const normalize = (objects: RawObject[]): IncomingChange[] =>
  objects.map((o) => ({ kind: 'upsert', remoteId: o.remoteId, version: o.version, events: o.events.map((e) => parseEvent(e)) }));

/**
 * Feeds the calendar page by page as the engine's pull does (sync-engine/pull.ts): the next page
 * is normalized (a connector's mapper, as its response arrives) and prepared while this one is
 * written. Each page's wall time runs from the end of the one before (the first from its own
 * normalizing) until it is committed and the next is ready, so they add up to the whole sync.
 */
async function sync(store: Store, t: TenantStore, calendarId: string, objects: RawObject[], page: number): Promise<Run> {
  const ms: number[] = [];
  let events = 0;
  const server = await serverCpuMs(store);
  const cpu = process.cpuUsage();
  let started = performance.now();
  let changes = normalize(objects.slice(0, page));
  let prepared: PreparedPage | null = null;
  for (let i = 0; i < objects.length; i += page) {
    const next =
      i + page < objects.length
        ? new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
            const c = normalize(objects.slice(i + page, i + 2 * page));
            return { c, p: await t.events.prepare(calendarId, c) };
          })
        : null;
    await t.events.applyRemoteChanges(calendarId, changes, { cursor: `c-${i}`, prepared });
    events += changes.reduce((n, c) => n + (c.kind === 'upsert' ? c.events.length : 0), 0);
    if (next) ({ c: changes, p: prepared } = await next);
    const now = performance.now();
    ms.push(now - started);
    started = now;
  }
  const used = process.cpuUsage(cpu);
  const serverAfter = await serverCpuMs(store);
  const serverMs = server === null || serverAfter === null ? NaN : serverAfter - server;
  return { ms, cpuMs: (used.user + used.system) / 1000 + serverMs, events };
}

/**
 * events/s is wall clock; events/cpu-s divides by the CPU time of this process plus (PostgreSQL)
 * its server backends: on a shared, loaded machine that is the steadier per-core figure.
 */
function row(label: string, pass: string, page: number, run: Run, busy: { rows: number; ranges: number }): BenchRow {
  const seconds = run.ms.reduce((a, b) => a + b, 0) / 1000;
  return {
    name: `store upsert ${label}, ${pass}, pages of ${page}`,
    target: label.startsWith('PGlite') ? 'P3 ≥ 5,000 events/s' : 'P3 ≥ 20,000 events/s',
    metrics: {
      events: run.events,
      'busy rows': busy.rows,
      'busy ranges': busy.ranges,
      'events/s': Math.round(run.events / seconds),
      'events/cpu-s': Number.isNaN(run.cpuMs) ? 'n/a' : Math.round(run.events / (run.cpuMs / 1000)),
      'p50/page': fmtMs(percentile(run.ms, 50)),
      'p99/page': fmtMs(percentile(run.ms, 99)),
      // Peak so far for the whole process: the current layout runs first, so its figure is its own.
      'peak RSS': `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    },
  };
}

/** Rows and ranges the calendar's busy index holds, in either layout. */
async function busyCount(store: Store, cal: string): Promise<{ rows: number; ranges: number }> {
  const sql =
    store.busyLayout === legacyLayout
      ? 'SELECT count(*)::int AS rows, count(*)::int AS ranges FROM busy_intervals WHERE calendar_id = $1'
      : 'SELECT count(*)::int AS rows, coalesce(sum((SELECT count(*) FROM unnest(spans))), 0)::int AS ranges FROM busy_spans WHERE calendar_id = $1';
  return (await store.db.query<{ rows: number; ranges: number }>(sql, [cal]))[0]!;
}

async function measure(label: string, store: Store): Promise<BenchRow[]> {
  await store.migrate(store.busyLayout === legacyLayout ? { upTo: LEGACY_UP_TO } : {});
  const t = store.tenant((await store.tenants.create('bench')).tenant.id);
  const acc = await t.accounts.upsert({ provider: 'caldav', externalId: `bench-${Date.now()}` });
  const calendarFor = async (name: string) =>
    (await t.calendars.upsertMany(acc.id, [{ providerCalendarId: name, name, timeZone: 'Europe/Berlin', color: null, readOnly: false }]))[0]!.id;
  const now = Date.now();
  const first = calendar(now, 'v1');
  const second = calendar(now, 'v2');
  // A worker that has synced before: JIT, query plans and the zone-offset cache warm, not timed.
  await sync(store, t, await calendarFor('warm-up'), calendar(now, 'w'), 250);
  const rows: BenchRow[] = [];
  for (const page of PAGES) {
    const cal = await calendarFor(`bench-${page}`);
    const initial = await sync(store, t, cal, first, page);
    const n = await busyCount(store, cal);
    rows.push(row(label, 'initial', page, initial, n));
    if (page === PAGES[0]) rows.push(row(label, 'titles edited', page, await sync(store, t, cal, second, page), n));
  }
  return rows;
}

/**
 * Each driver with the current busy index layout, then with the per-occurrence layout it replaced
 * (bench/legacy-busy-layout.ts, schema migrated up to it): before and after in one run.
 * CALHUB_BENCH_LAYOUTS=current skips the old one. Then bytes stored per event (bench/store-bytes.ts;
 * CALHUB_BENCH_BYTES=0 skips it).
 */
export async function benchStoreUpsert(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const layouts = process.env.CALHUB_BENCH_LAYOUTS === 'current' ? [null] : [null, legacyLayout];
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  for (const layout of layouts) {
    const tag = layout ? ', old layout' : '';
    const opts = layout ? { busyLayout: layout } : {};
    const lite = await Store.open({ dataDir: null, ...opts });
    try {
      rows.push(...(await measure(`PGlite${tag}`, lite)));
    } finally {
      await lite.close();
    }
    const schema = `bench_${process.pid}`;
    try {
      const server = await Store.open({ databaseUrl: `${url}${url.includes('?') ? '&' : '?'}application_name=${APP}`, schema, ...opts });
      try {
        rows.push(...(await measure(`PostgreSQL${tag}`, server)));
      } finally {
        await server.close();
      }
    } catch (e) {
      rows.push({ name: `store upsert (PostgreSQL${tag})`, target: 'P3 ≥ 20,000 events/s', metrics: { skipped: (e as Error).message } });
    } finally {
      const c = new pg.Client({ connectionString: url });
      await c.connect().then(() => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).catch(() => {});
      await c.end().catch(() => {});
    }
  }
  if (process.env.CALHUB_BENCH_BYTES !== '0') rows.push(...(await (await import('./store-bytes.ts')).benchStoreBytes()));
  return rows;
}
