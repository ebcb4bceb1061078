/**
 * P3 (CalDAV part): the initial sync of a 10,000-event calendar from a real Radicale through the
 * CalDAV connector — sync-collection, calendar-multiget in pages, iCalendar parsing — measured
 * from a null cursor to the last page; then end to end, the same listing pulled by the sync engine
 * into a fresh store (ledger, events, busy index with recurrence expanded), on PGlite and on
 * PostgreSQL when one is reachable. Seeding writes the .ics files into Radicale's storage before it starts (10,000 PUTs would take
 * minutes); Radicale's own first read of them is warmed up and reported separately.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchRow } from './bench-row.ts';
import { percentile } from './stats.ts';
import { createCaldavConnector, createGuardedFetch } from '../connectors/caldav/index.ts';
import { hasBinary, startRadicale } from '../test/support/dav-servers.ts';
import { davContext } from '../test/support/caldav-harness.ts';
import { createLogger } from '../shared/logger.ts';
import { Store } from '../shared/store/index.ts';
import { pullCalendar, type EngineDeps } from '../sync-engine/index.ts';
import type { CalendarConnector, ConnectorContext, RemoteCalendarRef } from '../connectors/index.ts';

const EVENTS = 10_000;
const RUNS = 3;
const PAGE_SIZES = [100, 200, 500];

const BERLIN =
  'BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n' +
  'TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n' +
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n';

export function eventIcs(i: number): string {
  const day = new Date(Date.UTC(2026, 0, 1) + (i % 365) * 86400000).toISOString().slice(0, 10).replace(/-/g, '');
  const hour = String(8 + (i % 9)).padStart(2, '0');
  const recurring = i % 5 === 0;
  const when = recurring
    ? `DTSTART;TZID=Europe/Berlin:${day}T${hour}0000\r\nDTEND;TZID=Europe/Berlin:${day}T${hour}3000\r\nRRULE:FREQ=WEEKLY;COUNT=20\r\n`
    : `DTSTART:${day}T${hour}0000Z\r\nDTEND:${day}T${hour}4500Z\r\n`;
  return (
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//calhub bench//EN\r\n${recurring ? BERLIN : ''}BEGIN:VEVENT\r\nUID:bench-${i}@calhub.test\r\n` +
    `DTSTAMP:20260101T000000Z\r\n${when}SUMMARY:Bench event ${i}\r\nLOCATION:Room ${i % 40}\r\n` +
    `ORGANIZER;CN=Alice:mailto:alice@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:bob${i % 50}@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`
  );
}

export async function benchCaldavSync(): Promise<BenchRow[]> {
  if (!hasBinary('radicale')) throw new Error('radicale is not installed (apt-get install radicale); CalDAV sync benchmark skipped');
  const server = await startRadicale({
    seed: async (collections, user) => {
      const dir = path.join(collections, 'collection-root', user, 'bench');
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, '.Radicale.props'), JSON.stringify({ tag: 'VCALENDAR', 'D:displayname': 'bench' }));
      for (let i = 0; i < EVENTS; i += 500) {
        await Promise.all(Array.from({ length: Math.min(500, EVENTS - i) }, (_, k) => writeFile(path.join(dir, `ev-${i + k}.ics`), eventIcs(i + k))));
      }
    },
  });
  try {
    const ctx = davContext(server);
    const cal = { providerCalendarId: `${server.homeUrl}bench/`, timeZone: 'UTC' };
    // The connector's own transport, timed from request to last body byte: the rest is ours.
    const transport = createGuardedFetch({ allowPrivateNetworks: true });
    let waitMs = 0;
    const timed = (async (input: string | URL | Request, init?: RequestInit) => {
      const t0 = performance.now();
      const res = await transport(input, init);
      const body = await res.arrayBuffer();
      waitMs += performance.now() - t0;
      return new Response(body.byteLength > 0 ? body : null, { status: res.status, headers: res.headers });
    }) as typeof fetch;
    let connector = createCaldavConnector({ serverUrl: server.url, fetch: timed }, { pageSize: 200 });
    const sync = async () => {
      let cursor: string | null = null;
      let events = 0;
      let pages = 0;
      for (;;) {
        const page = await connector.listChanges(ctx, cal, cursor);
        pages += 1;
        for (const c of page.changes) {
          if (c.kind !== 'upsert') throw new Error(`unexpected ${c.kind} for ${c.remoteId}`);
          events += c.events.length;
        }
        cursor = page.nextCursor;
        if (!page.hasMore) return { events, pages };
      }
    };
    // Radicale parses and caches every item on its first read (minutes for 10k items on a cold
    // cache); that server-side cost is warmed up with plain requests and reported on its own.
    const warm0 = performance.now();
    const auth = { authorization: `Basic ${Buffer.from(`${server.username}:${server.password}`).toString('base64')}`, 'content-type': 'application/xml' };
    const warm = await fetch(cal.providerCalendarId, {
      method: 'REPORT', headers: { ...auth, depth: '0' },
      body: '<sync-collection xmlns="DAV:"><sync-token/><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>',
      signal: AbortSignal.timeout(30 * 60_000),
    });
    if (warm.status !== 207) throw new Error(`warm-up sync-collection → ${warm.status}`);
    await warm.text();
    const warmMs = performance.now() - warm0;
    await sync();
    const rows: BenchRow[] = [];
    for (const pageSize of PAGE_SIZES) {
      connector = createCaldavConnector({ serverUrl: server.url, fetch: timed }, { pageSize });
      const times: number[] = [];
      const waits: number[] = [];
      let last = { events: 0, pages: 0 };
      for (let r = 0; r < RUNS; r++) {
        waitMs = 0;
        const t0 = performance.now();
        last = await sync();
        times.push(performance.now() - t0);
        waits.push(waitMs);
      }
      if (last.events !== EVENTS) throw new Error(`synced ${last.events} events, expected ${EVENTS}`);
      const median = percentile(times, 50);
      rows.push({
        name: `caldav-sync (radicale, 10k events, 1/5 recurring, page ${pageSize})`,
        target: 'P3 ≤ 5 s initial sync',
        metrics: {
          median_s: (median / 1000).toFixed(2),
          max_s: (Math.max(...times) / 1000).toFixed(2),
          events_per_s: Math.round(EVENTS / (median / 1000)),
          waiting_on_radicale_s: (percentile(waits, 50) / 1000).toFixed(2),
          pages: last.pages,
          runs: RUNS,
        },
      });
    }
    rows.push(await endToEnd('PGlite', () => Store.open({ dataDir: null }), connector, ctx, cal));
    const pg = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const probe = await Store.open({ databaseUrl: pg, schema: `bench_caldav_${process.pid}` }).catch(() => null);
    if (probe) {
      await probe.close();
      const schema = `bench_caldav_${process.pid}`;
      try {
        rows.push(await endToEnd('PostgreSQL', () => Store.open({ databaseUrl: pg, schema }), connector, ctx, cal));
      } finally {
        const admin = await Store.open({ databaseUrl: pg, schema });
        await admin.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.close();
      }
    }
    rows.push({ name: 'caldav-sync (radicale cold: first read of 10k files)', target: '-', metrics: { s: (warmMs / 1000).toFixed(1) } });
    return rows;
  } finally {
    await server.stop();
  }
}

/** The engine's own pull from a null cursor into an empty calendar: what a user waits for after connecting. */
async function endToEnd(driver: string, open: () => Promise<Store>, connector: CalendarConnector, ctx: ConnectorContext, cal: RemoteCalendarRef): Promise<BenchRow> {
  const store = await open();
  try {
    await store.migrate();
    const deps: EngineDeps = { store, log: createLogger({ level: 'silent' }), connect: async () => ({ connector, ctx }), guard: { maxDeleteShare: 1, minObjects: Number.MAX_SAFE_INTEGER } };
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const { tenant } = await store.tenants.create(`bench-caldav-${r}-${Date.now()}`);
      const t = store.tenant(tenant.id);
      const account = await t.accounts.upsert({ provider: 'caldav', externalId: `bench-${r}` });
      const [c] = await t.calendars.upsertMany(account.id, [{ providerCalendarId: cal.providerCalendarId, name: 'bench', timeZone: 'Europe/Berlin', color: null, readOnly: false }]);
      const t0 = performance.now();
      const pulled = await pullCalendar(deps, tenant.id, c!.id);
      times.push(performance.now() - t0);
      if (pulled.applied !== EVENTS) throw new Error(`${driver}: pulled ${pulled.applied} events, expected ${EVENTS}`);
    }
    const median = percentile(times, 50);
    return {
      name: `caldav-sync end to end into the store (${driver}, radicale, 10k events)`,
      target: 'P3 ≤ 5 s initial sync',
      metrics: { median_s: (median / 1000).toFixed(2), max_s: (Math.max(...times) / 1000).toFixed(2), events_per_s: Math.round(EVENTS / (median / 1000)), runs: RUNS },
    };
  } finally {
    await store.close();
  }
}
