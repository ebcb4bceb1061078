/**
 * Issue 15, streaming with bounded memory: the initial sync of a large Radicale calendar (default
 * 10,000 and 30,000 events; CALHUB_BENCH_SIZES=10000,100000 for more), each measurement in its own
 * process (caldav-scale-child.ts) so peak RSS is that run's alone: the connector-only listing, then
 * end to end through the sync engine into PGlite and PostgreSQL, reported as a ratio to the listing
 * (goal ≤ 1.5 PGlite, ≤ 1.2 PostgreSQL) with each run's peak RSS: a flat RSS across sizes means
 * pages flow through. For the sizes in CALHUB_BENCH_USER_PATH (default 1,000 and 10,000) the
 * user's path (bench/user-path.ts: `calhub start`, `accounts connect caldav`, `resync --wait`) is
 * timed right after the engine-only run on the same store kind and printed as a ratio to it.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { hasBinary, startRadicale } from '../test/support/dav-servers.ts';
import type { BenchRow } from './bench-row.ts';
import { childFailure } from './child-error.ts';
import { eventIcs } from './caldav-sync.bench.ts';
import { BINS, buildCheckout, checkoutName, IDLE_AFTER_MS, userPath } from './user-path.ts';

const run = promisify(execFile);
const PAGE = 500;

type Result = { ms: number; events: number; peakRssMb: number };

async function child(mode: string, args: string[], env: Record<string, string>): Promise<Result> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'caldav-scale-child.ts'), mode, ...args], {
      maxBuffer: 1 << 20, timeout: 60 * 60_000, env: { ...process.env, ...env },
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as Result;
  } catch (e) {
    throw new Error(childFailure(mode, e));
  }
}

type WarmUp = { bytes: number; firstByteMs: number; ms: number };

/** One sync-collection from the empty token, no timeout: the answer's size, and when its first byte and its end came. */
export function warmUp(url: string, username: string, password: string): Promise<WarmUp> {
  const body = '<sync-collection xmlns="DAV:"><sync-token/><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>';
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'REPORT',
      headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`, 'content-type': 'application/xml', depth: '0' },
    }, (res) => {
      let bytes = 0;
      let firstByteMs = performance.now() - t0;
      res.on('data', (c: Buffer) => {
        if (bytes === 0) firstByteMs = performance.now() - t0;
        bytes += c.length;
      });
      res.on('end', () => (res.statusCode === 207 ? resolve({ bytes, firstByteMs, ms: performance.now() - t0 }) : reject(new Error(`warm-up sync-collection → ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const secs = (ms: number) => (ms / 1000).toFixed(1);

/** Each row on stderr as it is measured: a 100,000-event size runs for an hour, and what ran must outlive a stop. */
function shown(row: BenchRow): BenchRow {
  console.error(`[caldav-scale ${new Date().toISOString()}] ${row.name}: ${JSON.stringify(row.metrics)}`);
  return row;
}

async function size(events: number): Promise<BenchRow[]> {
  // Storage in memory: Radicale's first read writes and fsyncs a cache file and its folder per item,
  // which made that untimed warm-up of 100,000 items take over half an hour here. The timed runs
  // read a warm cache either way.
  const server = await startRadicale({
    memoryDisk: true,
    seed: async (collections, user) => {
      const dir = path.join(collections, 'collection-root', user, 'bench');
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, '.Radicale.props'), JSON.stringify({ tag: 'VCALENDAR', 'D:displayname': 'bench' }));
      for (let i = 0; i < events; i += 500) {
        await Promise.all(Array.from({ length: Math.min(500, events - i) }, (_, k) => writeFile(path.join(dir, `ev-${i + k}.ics`), eventIcs(i + k))));
      }
    },
  });
  try {
    const calendarUrl = `${server.homeUrl}bench/`;
    const args = [calendarUrl, server.url, String(PAGE)];
    const env = { BENCH_DAV_USER: server.username, BENCH_DAV_PASSWORD: server.password };
    // Radicale parses every item on its first read (minutes for many items, past the connector's
    // deadline): warm it with one plain request and a long timeout, not timed.
    // node:http, not fetch: fetch gives up after 300 s without response headers, and Radicale
    // sends none until it has read every item.
    const cold = await warmUp(calendarUrl, server.username, server.password);
    console.error(`[caldav-scale ${new Date().toISOString()}] ${events} events: Radicale's first read: first byte after ${secs(cold.firstByteMs)} s, all ${cold.bytes} bytes after ${secs(cold.ms)} s`);
    // Warm, once more: how long Radicale makes a client wait for the first byte of the listing
    // the connector is about to ask for (it builds the whole answer first).
    const warmRead = await warmUp(calendarUrl, server.username, server.password);
    const listingBytes = warmRead.bytes;
    const warm = await child('connector', args, env);
    if (warm.events !== events) throw new Error(`listed ${warm.events} events, expected ${events}`);
    const listing = await child('connector', args, env);
    const rows: BenchRow[] = [];
    const add = (row: BenchRow) => rows.push(shown(row));
    add({
      name: `caldav-scale connector-only listing (radicale, ${events} events, page ${PAGE})`,
      target: 'the base of the ratios',
      metrics: { s: (listing.ms / 1000).toFixed(2), 'peak RSS': `${listing.peakRssMb} MB`, 'sync-collection bytes': listingBytes, 'bytes/event': Math.round(listingBytes / events),
        'radicale first byte cold/warm': `${secs(cold.firstByteMs)}/${secs(warmRead.firstByteMs)} s`, 'radicale whole answer warm': `${secs(warmRead.ms)} s` },
    });
    const userSizes = (process.env.CALHUB_BENCH_USER_PATH ?? '1000,10000').split(',').map(Number);
    // PGlite twice: in the sync's own thread (the history of this row), and in a store thread of its own as `calhub start` runs it.
    for (const [mode, label, goal] of [['pglite', 'PGlite', 1.5], ['pglite-thread', 'PGlite store thread', 1.5], ['postgres', 'PostgreSQL', 1.2]] as const) {
      let engineMs: number | null = null;
      try {
        const r = await child(mode, args, env);
        if (r.events !== events) throw new Error(`pulled ${r.events} events, expected ${events}`);
        engineMs = r.ms;
        add({
          name: `caldav-scale end to end (${label}, ${events} events)`,
          target: `≤ ${goal} × listing; RSS flat across sizes`,
          metrics: { s: (r.ms / 1000).toFixed(2), ratio: `${(r.ms / listing.ms).toFixed(2)}×`, 'events/s': Math.round(events / (r.ms / 1000)), 'peak RSS': `${r.peakRssMb} MB` },
        });
      } catch (e) {
        add({ name: `caldav-scale end to end (${label}, ${events} events)`, target: '-', metrics: { skipped: (e as Error).message.split('\n')[0]! } });
      }
      // The user's path runs calhub start, whose PGlite is in a store thread: it follows that row.
      if (!userSizes.includes(events) || mode === 'pglite') continue;
      const store = mode === 'pglite-thread' ? 'pglite' : mode;
      // The user's path beside the engine-only figure just measured (same Radicale, warm); with
      // several checkouts (CALHUB_BENCH_CLI), each in turn.
      for (const bin of BINS) {
        const of = BINS.length > 1 ? `, ${checkoutName(bin)}` : '';
        try {
          const u = await userPath(server, events, store, bin);
          add({
            name: `caldav-scale user path (${label}, ${events} events${of}): accounts connect + resync --wait through calhub start`,
            target: `≤ 1.15 × engine-only${events <= 1000 ? '; ≤ 1.5 s' : ''}`,
            metrics: {
              s: (u.totalMs / 1000).toFixed(2), 'of it connect': (u.connectMs / 1000).toFixed(2), 'resync --wait': (u.resyncMs / 1000).toFixed(2),
              'again, nothing changed': (u.againMs / 1000).toFixed(2),
              'engine-only': engineMs === null ? '-' : (engineMs / 1000).toFixed(2), ratio: engineMs === null ? '-' : `${(u.totalMs / engineMs).toFixed(2)}×`,
              [`hub RSS at 3 s/idle at ${IDLE_AFTER_MS / 1000} s/peak`]: `${u.hubEarlyRssMb}/${u.hubIdleRssMb}/${u.hubPeakRssMb} MB`,
            },
          });
        } catch (e) {
          add({ name: `caldav-scale user path (${label}, ${events} events${of})`, target: '-', metrics: { failed: (e as Error).message.split('\n')[0]! } });
        }
      }
    }
    return rows;
  } finally {
    await server.stop();
  }
}

export async function benchCaldavScale(): Promise<BenchRow[]> {
  if (!hasBinary('radicale')) throw new Error('radicale is not installed (apt-get install radicale); caldav-scale skipped');
  for (const bin of BINS) buildCheckout(bin);
  const sizes = (process.env.CALHUB_BENCH_SIZES ?? '10000,30000').split(',').map(Number);
  const rows: BenchRow[] = [];
  for (const n of sizes) {
    try {
      rows.push(...(await size(n)));
    } catch (e) {
      rows.push(shown({ name: `caldav-scale (radicale, ${n} events)`, target: '-', metrics: { failed: (e as Error).message.split('\n')[0]! } }));
    }
  }
  return rows;
}
