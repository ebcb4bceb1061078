/**
 * P1 and P2 over HTTP: the real app on a port, driven at a steady offered rate (open loop, see
 * api-load.ts) from a child process. Latency is reported as the server spent it (request parsed to
 * last byte written, the measure P1 names) and as the client saw it (from when the request was due).
 * P1: POST /v1/freebusy, 30-day window over 10 calendars of 5,000 events each (a fifth recurring),
 * at 500 req/s for 10 s, on PGlite (in-process) and on PostgreSQL (own schema, dropped after),
 * whose hub is opened as `calhub serve` opens it: with free/busy's calendar memo.
 * P2: POST /v1/availability, 5 participants in 5 zones, 2 weeks, working hours, buffers.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../api/index.ts';
import { openHub, type Hub } from '../hub/index.ts';
import { loadConfig } from '../shared/config/index.ts';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { parseEvent, type CanonicalEventInput } from '../shared/model/index.ts';
import { Store, type IncomingChange } from '../shared/store/index.ts';
import { legacyLayout, LEGACY_UP_TO } from './legacy-busy-layout.ts';
import type { BenchRow } from './bench-row.ts';
import { fmtMs, percentile } from './stats.ts';
import { seededRandom as rng } from '../shared/random.ts';

const PG_URL = process.env.CALHUB_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
/** CALHUB_BENCH_MEMO=off: the PostgreSQL rows without the calendar memo (every request reads its calendars from the store). */
const MEMO = process.env.CALHUB_BENCH_MEMO !== 'off';
const CALENDARS = 10;
const EVENTS_PER_CALENDAR = Number(process.env.CALHUB_BENCH_EVENTS ?? 5000);
const NOW = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400_000;
/** Events spread over 4.5 years, like a calendar with history; the busy index holds the horizon's 3. */
const SPREAD_START = NOW - 550 * DAY;
const SPREAD_DAYS = 1640;
const ZONES = ['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata', 'America/Sao_Paulo', 'Africa/Nairobi'];
const RULES = ['FREQ=WEEKLY;COUNT=8', 'FREQ=DAILY;COUNT=5', 'FREQ=MONTHLY;COUNT=6', 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=8', 'FREQ=WEEKLY;INTERVAL=2;COUNT=6'];

function eventsFor(cal: number, zone: string): IncomingChange[] {
  const r = rng(cal + 1);
  const out: IncomingChange[] = [];
  for (let i = 0; i < EVENTS_PER_CALENDAR; i++) {
    const dayMs = SPREAD_START + Math.floor(r() * SPREAD_DAYS) * DAY;
    const startMs = dayMs + (7 * 60 + Math.floor(r() * 44) * 15) * 60_000;
    const endMs = startMs + (r() < 0.5 ? 30 : 60) * 60_000;
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    const recurring = i % 5 === 0;
    const allDay = !recurring && i % 20 === 1;
    const input: CanonicalEventInput = {
      uid: `bench-${cal}-${i}`,
      title: `Event ${i}`,
      start: allDay ? { date: iso(dayMs).slice(0, 10) } : { dateTime: iso(startMs), timeZone: recurring ? zone : 'UTC' },
      end: allDay ? { date: iso(dayMs + DAY).slice(0, 10) } : { dateTime: iso(endMs), timeZone: recurring ? zone : 'UTC' },
      recurrence: recurring ? { rrules: [RULES[i % RULES.length]!] } : null,
      status: i % 17 === 0 ? 'tentative' : 'confirmed',
      availability: i % 13 === 0 ? 'free' : 'busy',
      attendees: [{ email: `owner${cal}@example.com`, self: true, response: i % 11 === 0 ? 'declined' : 'accepted' }],
    };
    out.push({ kind: 'upsert', remoteId: `r-${cal}-${i}`, version: '"1"', events: [parseEvent(input)] });
  }
  return out;
}

async function seed(store: Store): Promise<{ key: string; calendarIds: string[]; seedMs: number; busyRows: number }> {
  await store.migrate(store.busyLayout === legacyLayout ? { upTo: LEGACY_UP_TO } : {});
  const { tenant, apiKey } = await store.tenants.create('bench');
  const t = store.tenant(tenant.id);
  const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'bench@example.com' });
  const cals = await t.calendars.upsertMany(
    acc.id,
    ZONES.slice(0, CALENDARS).map((z, i) => ({ providerCalendarId: `c${i}`, name: `Calendar ${i}`, timeZone: z, color: null, readOnly: false })),
  );
  const started = performance.now();
  let busyRows = 0;
  for (const [i, c] of cals.entries()) {
    const changes = eventsFor(i, c.timeZone);
    for (let k = 0; k < changes.length; k += 1000) busyRows += (await t.events.applyRemoteChanges(c.id, changes.slice(k, k + 1000))).busyRows;
  }
  return { key: apiKey, calendarIds: cals.map((c) => c.id), seedMs: performance.now() - started, busyRows };
}

/** Server-side latency: from the request's headers being parsed to the last byte handed to the socket. */
type ServerTimes = { samples: number[] };

const quietLogger = () => createLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

async function startApp(hub: Hub): Promise<{ app: FastifyInstance; url: string; times: ServerTimes }> {
  const app = await buildApp({
    hub,
    probes: [],
    rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
    // The store's clock: availability offers no slot before now, and the windows are NOW + days.
    now: () => new Date(NOW),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const times: ServerTimes = { samples: [] };
  app.server.prependListener('request', (_req, res) => {
    const t = performance.now();
    res.on('finish', () => times.samples.push(performance.now() - t));
  });
  const addr = app.server.address();
  return { app, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, times };
}

type Load = { count: number; non2xx: number; errors: number; rps: number; p50: number; p99: number; max: number; meanBytes: number; server?: { p50: number; p99: number } };

/** Offered load at `rate` req/s; latency both as the client saw it and as the server spent it. */
async function drive(url: string, key: string, body: unknown, rate: number, seconds: number, times?: ServerTimes): Promise<Load> {
  if (times) times.samples = [];
  const load = await driveClient(url, key, body, rate, seconds);
  if (times) load.server = { p50: percentile(times.samples, 50), p99: percentile(times.samples, 99) };
  return load;
}

async function driveClient(url: string, key: string, body: unknown, rate: number, seconds: number): Promise<Load> {
  const job = { url: `${url}${'participants' in (body as object) ? '/v1/availability' : '/v1/freebusy'}`, body: JSON.stringify(body), headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, rate, seconds, connections: 32 };
  const script = new URL('./api-load.ts', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, JSON.stringify(job)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Load;
}

const freebusyBody = (calendarIds: string[]) => ({ calendarIds, timeMin: new Date(NOW + 7 * DAY).toISOString(), timeMax: new Date(NOW + 37 * DAY).toISOString() });

function availabilityBody(calendarIds: string[]) {
  const hours = (timeZone: string) => ({ timeZone, days: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '08:00', end: '18:00' }]])) });
  return {
    participants: calendarIds.slice(0, 5).map((id, i) => ({ id: `p${i}`, calendarIds: [id], workingHours: hours(ZONES[i % 3]!), optional: i >= 3 })),
    minimumOptional: 1,
    durationMinutes: 30,
    stepMinutes: 15,
    bufferBeforeMinutes: 10,
    bufferAfterMinutes: 10,
    timeMin: new Date(NOW + 7 * DAY).toISOString(),
    timeMax: new Date(NOW + 21 * DAY).toISOString(),
    freeStatuses: ['tentative'],
  };
}

async function sequential(url: string, path: string, key: string, body: unknown, n: number): Promise<Load> {
  const init = { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const samples: number[] = [];
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    bytes += (await (await fetch(`${url}${path}`, init)).text()).length;
    samples.push(performance.now() - t);
  }
  const rps = n / ((performance.now() - started) / 1000);
  return { count: n, non2xx: 0, errors: 0, rps, p50: percentile(samples, 50), p99: percentile(samples, 99), max: percentile(samples, 100), meanBytes: Math.round(bytes / n) };
}

/** One request by hand first, so a broken request fails loudly instead of timing errors. Returns the span count. */
async function check(url: string, path: string, key: string, body: unknown): Promise<number> {
  const r = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${path} answered ${r.status}: ${text.slice(0, 200)}`);
  const j = JSON.parse(text) as { calendars?: Array<{ busy?: unknown[] }> };
  return (j.calendars ?? []).reduce((n, c) => n + (c.busy?.length ?? 0), 0); // availability lists calendars without spans
}

function row(name: string, target: string, l: Load, extra: Record<string, string | number> = {}): BenchRow {
  const server: Record<string, string> = l.server ? { 'server p50': fmtMs(l.server.p50), 'server p99': fmtMs(l.server.p99) } : {};
  return {
    name,
    target,
    metrics: { ...server, 'client p50': fmtMs(l.p50), 'client p99': fmtMs(l.p99), 'req/s': l.rps.toFixed(0), non2xx: l.non2xx, errors: l.errors, bytes: l.meanBytes, ...extra },
  };
}

async function runOn(label: string, hub: Hub): Promise<BenchRow[]> {
  const store = hub.store;
  const s = await seed(store);
  const { app, url, times } = await startApp(hub);
  try {
    const fb = freebusyBody(s.calendarIds);
    const av = availabilityBody(s.calendarIds);
    const fbSpans = await check(url, '/v1/freebusy', s.key, fb);
    // What a write costs readers: after a busy_version bump the cache reloads a calendar's horizon.
    const tenantId = (await store.db.query<{ tenant_id: string }>('SELECT tenant_id FROM calendars WHERE id = $1', [s.calendarIds[0]]))[0]!.tenant_id;
    const reload: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await store.busyLayout.horizonSpans(store.db, tenantId, [s.calendarIds[i % CALENDARS]!]);
      reload.push(performance.now() - t);
    }
    await check(url, '/v1/availability', s.key, av);
    await drive(url, s.key, fb, 200, 2); // warm-up: JIT, caches, connection pool
    const p1 = await drive(url, s.key, fb, 500, 10, times);
    // One request at a time: the service time without queueing (robust on a shared, busy box).
    const light = await sequential(url, '/v1/freebusy', s.key, fb, 300);
    await drive(url, s.key, av, 50, 2);
    const p2 = await drive(url, s.key, av, 100, 10, times);
    const p2seq = await sequential(url, '/v1/availability', s.key, av, 300);
    return [
      row(`api-freebusy (${label})`, 'P1 p50 ≤ 2 ms, p99 ≤ 10 ms @ 500 req/s', p1, {
        spans: fbSpans, busyRows: s.busyRows, seed: `${(s.seedMs / 1000).toFixed(1)} s`, 'reload 1 calendar p50': fmtMs(percentile(reload, 50)), 'reload p99': fmtMs(percentile(reload, 99)),
      }),
      row(`api-freebusy 1-at-a-time (${label})`, 'service time, no queueing', light),
      row(`api-availability (${label})`, 'P2 p99 ≤ 25 ms @ 100 req/s', p2),
      row(`api-availability 1-at-a-time (${label})`, 'P2 p99 ≤ 25 ms', p2seq),
    ];
  } finally {
    await app.close();
  }
}

/**
 * Each driver twice: the current busy index layout, then the per-occurrence one it replaced
 * (bench/legacy-busy-layout.ts on a schema migrated up to it), so P1/P2 before and after the
 * layout change come from one run on the same machine. CALHUB_BENCH_LAYOUTS=current skips the old.
 */
export async function benchApi(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const layouts = process.env.CALHUB_BENCH_LAYOUTS === 'current' ? [null] : [null, legacyLayout];
  for (const layout of layouts) {
    const tag = layout ? ', old layout' : '';
    const lite = await Store.open({ dataDir: null, now: () => new Date(NOW), ...(layout ? { busyLayout: layout } : {}) });
    const hub = await openHub({ store: lite, metrics: createMetrics(), logger: quietLogger() });
    try {
      rows.push(...(await runOn(`PGlite${tag}`, hub)));
    } finally {
      await hub.close();
      await lite.close();
    }
  }
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (e) {
    rows.push({ name: 'api-freebusy (PostgreSQL)', target: 'P1', metrics: { skipped: `PostgreSQL not reachable: ${(e as Error).message}` } });
    return rows;
  }
  try {
    for (const [i, layout] of layouts.entries()) {
      const schema = `bench_api_${process.pid}_${i}`;
      try {
        await admin.query(`CREATE SCHEMA ${schema}`);
        // As `calhub serve` opens it: its own store, and free/busy's calendar memo told of other processes' writes.
        const dataDir = await mkdtemp(join(tmpdir(), 'calhub-bench-api-'));
        const config = loadConfig({ ...process.env, DATABASE_URL: PG_URL, CALHUB_DATA_DIR: dataDir, CALHUB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`, REDIS_URL: '' });
        const hub = await openHub({
          config,
          metrics: createMetrics(),
          logger: quietLogger(),
          storeOptions: { schema, now: () => new Date(NOW), ...(layout ? { busyLayout: layout, migrateUpTo: LEGACY_UP_TO } : {}) },
          ...(MEMO ? { changes: { memo: {} } } : {}),
        });
        try {
          rows.push(...(await runOn(`PostgreSQL, calhub serve${MEMO ? '' : ' without its memo'}${layout ? ', old layout' : ''}`, hub)));
        } finally {
          await hub.close();
          await rm(dataDir, { recursive: true, force: true });
        }
      } finally {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
    }
  } finally {
    await admin.end();
  }
  return rows;
}
