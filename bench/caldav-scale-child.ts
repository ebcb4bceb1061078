/**
 * One measurement of caldav-scale.bench.ts in its own process, so its peak RSS is its own:
 * `connector` pages through the listing and drops each page; `pglite` / `postgres` pull it with
 * the sync engine into a fresh store. `pglite-thread` is the embedded store as `calhub start`
 * runs it: PGlite in a store thread of its own, served on the data dir's socket, so a page is
 * written there while the next one is read and parsed here (`pglite` runs both on one thread).
 * Prints one JSON line: { ms, events, peakRssMb } (and liveHeapMb with BENCH_LIVE_HEAP=1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { applyHeapGrowth } from '../cli/launch/heap-growth.ts';
import { startThread, type HubThread } from '../cli/launch/threads.ts';
import { createCaldavConnector } from '../connectors/caldav/index.ts';
import { caldavRequestDeadlineMs, heapGrowthPercent } from '../shared/config/index.ts';
import type { ConnectorContext } from '../connectors/index.ts';
import { createLogger } from '../shared/logger.ts';
import { Store } from '../shared/store/index.ts';
import { pullCalendar, type EngineDeps } from '../sync-engine/index.ts';
import { childErrorLine } from './child-error.ts';

// The heaps grow as the hub lets them (CALHUB_HEAP_GROWTH_PERCENT, set by launchHub there).
applyHeapGrowth(heapGrowthPercent());
const [mode, calendarUrl, serverUrl, pageSize] = process.argv.slice(2) as [string, string, string, string];
// Credentials come by environment, never argv (visible in ps and in a failed command's message).
const username = process.env.BENCH_DAV_USER ?? '';
const password = process.env.BENCH_DAV_PASSWORD ?? '';
// The connector as the hub makes it: the guarded transport, CALDAV_REQUEST_DEADLINE_MS from the environment.
const connector = createCaldavConnector({ serverUrl, allowPrivateNetworks: true, limits: { requestDeadlineMs: caldavRequestDeadlineMs() } }, { pageSize: Number(pageSize) });
const quiet = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const ctx: ConnectorContext = { credentials: { kind: 'basic', username, password }, signal: new AbortController().signal, log: quiet, now: () => new Date() };
const cal = { providerCalendarId: calendarUrl, timeZone: 'UTC' };

async function listOnly(): Promise<number> {
  let cursor: string | null = null;
  let events = 0;
  for (;;) {
    const page = await connector.listChanges(ctx, cal, cursor);
    for (const c of page.changes) if (c.kind === 'upsert') events += c.events.length;
    cursor = page.nextCursor;
    if (!page.hasMore) return events;
  }
}

/** Timed from the pull's start: opening and migrating the store is not part of a sync. */
async function pull(store: Store): Promise<number> {
  await store.migrate();
  const deps: EngineDeps = { store, log: quiet, connect: async () => ({ connector, ctx }), guard: { maxDeleteShare: 1, minObjects: Number.MAX_SAFE_INTEGER } };
  const { tenant } = await store.tenants.create('bench-scale');
  const t = store.tenant(tenant.id);
  const account = await t.accounts.upsert({ provider: 'caldav', externalId: 'bench' });
  const [c] = await t.calendars.upsertMany(account.id, [{ providerCalendarId: calendarUrl, name: 'bench', timeZone: 'Europe/Berlin', color: null, readOnly: false }]);
  t0 = performance.now();
  return (await pullCalendar(deps, tenant.id, c!.id)).applied;
}

let t0 = performance.now();
// BENCH_LIVE_HEAP=1 (with --expose-gc): the live heap after a full collection every 250 ms, at
// its largest: what the run keeps alive, apart from how far V8 lets garbage pile up between collections.
let liveHeapMb = 0;
const gc = (globalThis as { gc?: () => void }).gc;
if (process.env.BENCH_LIVE_HEAP === '1' && gc) {
  setInterval(() => {
    gc();
    liveHeapMb = Math.max(liveHeapMb, Math.round(process.memoryUsage().heapUsed / 1e6));
  }, 250).unref();
}
let events: number;
try {
  if (mode === 'connector') events = await listOnly();
  else if (mode === 'pglite-thread') {
    const dataDir = mkdtempSync(join(tmpdir(), 'calhub-bench-scale-'));
    let thread: HubThread | null = null;
    try {
      thread = await startThread({ entry: new URL('../cli/launch/store-thread.ts', import.meta.url), data: { name: 'store', pretty: false, colorize: false, logLevel: 'silent', dataDir }, env: process.env, log: quiet });
      const store = await Store.open({ dataDir, shareEmbedded: true, embeddedClient: true });
      try {
        events = await pull(store);
      } finally {
        await store.close();
      }
    } finally {
      await thread?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  } else {
    const schema = `bench_scale_${process.pid}`;
    const store = mode === 'pglite' ? await Store.open({ dataDir: null }) : await Store.open({ databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', schema });
    try {
      events = await pull(store);
    } finally {
      if (mode === 'postgres') await store.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await store.close();
    }
  }
} catch (e) {
  // One line the parent reads (child-error.ts): what failed, not a stack.
  console.log(childErrorLine(e));
  process.exit(1);
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, events, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ...(liveHeapMb ? { liveHeapMb } : {}) }));
