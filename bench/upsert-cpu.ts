/**
 * CPU per 1,000 events of the initial upsert (bench/store-upsert.bench.ts' calendar), Node side
 * and PostgreSQL backend side apart: `node --import tsx bench/upsert-cpu.ts [pglite|postgres] [runs] [page]`.
 * Normalizing (parseEvent) happens before the clock starts; prepare runs as the engine's pull
 * runs it (overlapped with the write before), so it is counted on the Node side.
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import pg from 'pg';
import { parseEvent } from '../shared/model/index.ts';
import { Store, type IncomingChange, type PreparedPage } from '../shared/store/index.ts';
import { calendar } from './store-upsert.bench.ts';

const [driver = 'postgres', runsArg = '5', pageArg = '250'] = process.argv.slice(2);
const runs = Number(runsArg);
const page = Number(pageArg);
const APP = `calhub-cpu-${process.pid}`;

function backendMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * 10;
}

let gcMs = 0;
new PerformanceObserver((l) => { for (const e of l.getEntries()) gcMs += e.duration; }).observe({ entryTypes: ['gc'] });
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `cpu_${process.pid}`;
const store =
  driver === 'pglite' ? await Store.open({ dataDir: null }) : await Store.open({ databaseUrl: `${url}?application_name=${APP}`, schema });
try {
  await store.migrate();
  const t = store.tenant((await store.tenants.create('bench')).tenant.id);
  const acc = await t.accounts.upsert({ provider: 'caldav', externalId: `cpu-${Date.now()}` });
  const now = Date.now();
  const out: Array<{ node: number; pg: number; wall: number }> = [];
  for (let run = -1; run < runs; run++) {
    const cal = (await t.calendars.upsertMany(acc.id, [{ providerCalendarId: `c${run}`, name: 'c', timeZone: 'Europe/Berlin', color: null, readOnly: false }]))[0]!.id;
    const objects = calendar(now, `v${run}`);
    const pages: IncomingChange[][] = [];
    for (let i = 0; i < objects.length; i += page)
      pages.push(objects.slice(i, i + page).map((o) => ({ kind: 'upsert', remoteId: o.remoteId, version: o.version, events: o.events.map((e) => parseEvent(e)) })));
    const events = pages.flat().reduce((n, c) => n + (c.kind === 'upsert' ? c.events.length : 0), 0);
    const pids = driver === 'pglite' ? [] : (await store.db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [APP])).map((r) => r.pid);
    (globalThis as { gc?: () => void }).gc?.();
    const pg0 = backendMs(pids);
    const gc0 = gcMs;
    const cpu = process.cpuUsage();
    const w0 = performance.now();
    let prepared: PreparedPage | null = null;
    for (let i = 0; i < pages.length; i++) {
      const next = i + 1 < pages.length ? new Promise<void>((r) => setImmediate(r)).then(() => t.events.prepare(cal, pages[i + 1]!)) : null;
      await t.events.applyRemoteChanges(cal, pages[i]!, { cursor: `c-${i}`, prepared });
      if (next) prepared = await next;
    }
    const wall = performance.now() - w0;
    const used = process.cpuUsage(cpu);
    const pgMs = backendMs(pids) - pg0;
    const k = events / 1000;
    if (run >= 0) out.push({ node: (used.user + used.system) / 1000 / k, pg: pgMs / k, wall });
    console.log(`${run < 0 ? 'warm-up' : `run ${run}`}: ${events} events, node ${((used.user + used.system) / 1000 / k).toFixed(1)} ms/1k, pg ${(pgMs / k).toFixed(1)} ms/1k, wall ${wall.toFixed(0)} ms, gc pauses ${((gcMs - gc0) / k).toFixed(1)} ms/1k (${Math.round(events / (wall / 1000))} ev/s)`);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `${driver} page ${page}: median node ${med(out.map((o) => o.node)).toFixed(1)} ms/1k (min ${Math.min(...out.map((o) => o.node)).toFixed(1)}), pg ${med(out.map((o) => o.pg)).toFixed(1)} ms/1k (min ${Math.min(...out.map((o) => o.pg)).toFixed(1)}), wall median ${med(out.map((o) => o.wall)).toFixed(0)} ms`,
  );
} finally {
  await store.close();
  if (driver !== 'pglite') {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  }
}
