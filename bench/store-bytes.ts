/**
 * P8 (bytes per event): what an initial sync leaves in the store, measured after a real pull
 * (sync engine, memory connector, pages of 500) of store-upsert's 10,300-event calendar: events,
 * busy index, ledger, listing state and their indexes. PostgreSQL: pg_total_relation_size of
 * every table of the schema (indexes and TOAST included), after VACUUM so dead tuples of the
 * page-by-page writes do not count. PGlite: the same tables, and the whole data dir on disk (WAL
 * segments and catalogs included, what a user sees in `du`).
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseEvent } from '../shared/model/index.ts';
import { Store } from '../shared/store/index.ts';
import { pullCalendar } from '../sync-engine/index.ts';
import { memoryEnv } from '../sync-engine/test-support/memory-env.ts';
import type { BenchRow } from './bench-row.ts';
import { calendar } from './store-upsert.bench.ts';

type Sizes = { events: number; total: number; tables: Array<[string, number]> };

async function pullInto(store: Store): Promise<number> {
  const env = await memoryEnv({ calendars: 1, store });
  env.backend.pageSize = 500;
  const objects = calendar(Date.now(), 'bytes');
  for (const o of objects) env.backend.put(env.providerIds[0]!, o.remoteId, o.events.map((e) => parseEvent(e)));
  await pullCalendar(env.deps, env.tenantId, env.calendars[0]!);
  const [n] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
  return n!.n;
}

/** Every table of the store's schema with its indexes and TOAST, largest first. */
async function tableSizes(store: Store, schema: string): Promise<Sizes['tables']> {
  const rows = await store.db.query<{ name: string; bytes: string }>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC`,
    [schema],
  );
  return rows.map((r) => [r.name, Number(r.bytes)]);
}

async function dirBytes(dir: string): Promise<number> {
  let sum = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    sum += e.isDirectory() ? await dirBytes(p) : (await stat(p)).size;
  }
  return sum;
}

const top = (tables: Sizes['tables'], events: number) =>
  tables
    .slice(0, 4)
    .map(([name, bytes]) => `${name} ${Math.round(bytes / events)}`)
    .join(', ');

export async function benchStoreBytes(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_bytes_${process.pid}`;
  try {
    const store = await Store.open({ databaseUrl: url, schema });
    try {
      const events = await pullInto(store);
      await store.db.query('VACUUM');
      const tables = await tableSizes(store, schema);
      const total = tables.reduce((a, [, b]) => a + b, 0);
      rows.push({
        name: `stored bytes per event, PostgreSQL (initial pull of ${events} events)`,
        target: 'P8 ≤ 3 KB per event',
        metrics: { 'bytes/event': Math.round(total / events), 'largest (bytes/event)': top(tables, events) },
      });
    } finally {
      await store.close();
    }
  } catch (e) {
    rows.push({ name: 'stored bytes per event, PostgreSQL', target: 'P8 ≤ 3 KB per event', metrics: { skipped: (e as Error).message } });
  } finally {
    const c = new pg.Client({ connectionString: url });
    await c.connect().then(() => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).catch(() => {});
    await c.end().catch(() => {});
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'calhub-bytes-'));
  try {
    const store = await Store.open({ dataDir: dir });
    let events = 0;
    let tables: Sizes['tables'] = [];
    try {
      events = await pullInto(store);
      await store.db.query('VACUUM');
      await store.db.query('CHECKPOINT');
      tables = await tableSizes(store, 'public');
    } finally {
      await store.close();
    }
    const total = tables.reduce((a, [, b]) => a + b, 0);
    rows.push({
      name: `stored bytes per event, PGlite (initial pull of ${events} events)`,
      target: 'P8 (footprint)',
      metrics: { 'tables bytes/event': Math.round(total / events), 'data dir bytes/event': Math.round((await dirBytes(dir)) / events), 'largest (bytes/event)': top(tables, events) },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
