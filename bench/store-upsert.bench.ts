/**
 * P3 (store side): normalize + batched upsert of 10,000 events (a fifth recurring) into the store,
 * busy index included, on PGlite and on a PostgreSQL server.
 */
import pg from 'pg';
import { parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import { Store, type IncomingChange } from '../shared/store/index.ts';
import type { BenchRow } from './bench-row.ts';

const N = 10_000;
const BATCH = 500;

function events(): CanonicalEvent[] {
  return Array.from({ length: N }, (_, i) => {
    const day = new Date(Date.UTC(2026, 10, 1) + (i % 180) * 86_400_000);
    const start = new Date(day.getTime() + (8 + (i % 9)) * 3_600_000);
    const iso = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;
    return parseEvent({
      uid: `bench-${i}@calhub.bench`,
      start: { dateTime: iso(start), timeZone: 'Europe/Berlin' },
      end: { dateTime: iso(new Date(start.getTime() + 3_600_000)), timeZone: 'Europe/Berlin' },
      title: `Meeting ${i}`,
      description: 'Quarterly planning with the whole team',
      attendees: [{ email: `a${i % 50}@example.com` }, { email: 'me@example.com', self: true, response: 'accepted' }],
      recurrence: i % 5 === 0 ? { rrules: ['FREQ=WEEKLY;BYDAY=MO,WE;COUNT=20'] } : null,
    });
  });
}

async function measure(label: string, store: Store): Promise<BenchRow> {
  await store.migrate();
  const tenantId = (await store.tenants.create('bench')).tenant.id;
  const t = store.tenant(tenantId);
  const acc = await t.accounts.upsert({ provider: 'caldav', externalId: `bench-${Date.now()}` });
  const [cal] = await t.calendars.upsertMany(acc.id, [{ providerCalendarId: 'bench', name: 'bench', timeZone: 'Europe/Berlin', color: null, readOnly: false }]);
  const all = events();
  const started = performance.now();
  for (let i = 0; i < all.length; i += BATCH) {
    const page: IncomingChange[] = all.slice(i, i + BATCH).map((e, j) => ({ kind: 'upsert', remoteId: `r-${i + j}`, version: '"1"', events: [e] }));
    await t.events.applyRemoteChanges(cal!.id, page, { cursor: `c-${i}` });
  }
  const seconds = (performance.now() - started) / 1000;
  const busy = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM busy_intervals WHERE calendar_id = $1', [cal!.id]);
  return {
    name: `store upsert (${label})`,
    target: label === 'PGlite' ? 'P3 ≥ 5,000 events/s' : 'P3 ≥ 20,000 events/s',
    metrics: { events: N, seconds: seconds.toFixed(2), 'events/s': Math.round(N / seconds), 'busy rows': busy[0]!.n },
  };
}

export async function benchStoreUpsert(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const lite = await Store.open({ dataDir: null });
  try {
    rows.push(await measure('PGlite', lite));
  } finally {
    await lite.close();
  }
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${process.pid}`;
  try {
    const server = await Store.open({ databaseUrl: url, schema });
    try {
      rows.push(await measure('PostgreSQL', server));
    } finally {
      await server.close();
    }
  } catch (e) {
    rows.push({ name: 'store upsert (PostgreSQL)', target: 'P3 ≥ 20,000 events/s', metrics: { skipped: (e as Error).message } });
  } finally {
    const c = new pg.Client({ connectionString: url });
    await c.connect().then(() => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).catch(() => {});
    await c.end().catch(() => {});
  }
  return rows;
}
