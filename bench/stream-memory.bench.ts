/**
 * Issue 15, streaming with bounded memory, at sizes Radicale takes too long to serve here (its
 * first read of 100,000 items took 11 minutes): the initial sync of a calendar of N events from a
 * synthetic CalDAV server in a process of its own (test/support/hostile-dav.ts, `normal` items:
 * one plain event each, answered as fast as asked) through the sync engine into PostgreSQL and
 * into PGlite in a store thread (`calhub start`'s shape), each measurement in its own process
 * (caldav-scale-child.ts). Per size and store: the time, the peak RSS, and in a second run the live
 * heap at its largest (a full collection every 250 ms): what the run keeps alive. A flat live heap
 * across sizes means nothing is held per event; the peak RSS adds how far V8 lets garbage pile up.
 * CALHUB_BENCH_STREAM_SIZES (default 10000,100000), CALHUB_BENCH_STREAM_STORES (postgres,pglite-thread).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startHostileDavProcess } from '../test/support/hostile-dav-process.ts';
import type { BenchRow } from './bench-row.ts';
import { childFailure } from './child-error.ts';

const run = promisify(execFile);
const PAGE = 500;

type Result = { ms: number; events: number; peakRssMb: number; liveHeapMb?: number };

async function child(mode: string, args: string[], live: boolean): Promise<Result> {
  try {
    // CALHUB_BENCH_STREAM_NODE_ARGS: node flags for the timed runs (V8 heap settings, say).
    const flags = live ? ['--expose-gc'] : (process.env.CALHUB_BENCH_STREAM_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const { stdout } = await run(process.execPath, [...flags, '--import', 'tsx', path.join(import.meta.dirname, 'caldav-scale-child.ts'), mode, ...args], {
      maxBuffer: 1 << 20, timeout: 30 * 60_000,
      env: { ...process.env, CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', CALDAV_REQUEST_DEADLINE_MS: '3600000', BENCH_LIVE_HEAP: live ? '1' : '0' },
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as Result;
  } catch (e) {
    throw new Error(childFailure(mode, e));
  }
}

export async function benchStreamMemory(): Promise<BenchRow[]> {
  const sizes = (process.env.CALHUB_BENCH_STREAM_SIZES ?? '10000,100000').split(',').map(Number);
  const stores = (process.env.CALHUB_BENCH_STREAM_STORES ?? 'postgres,pglite-thread').split(',');
  const server = await startHostileDavProcess(sizes.map((count, i) => ({ [`cal${i}`]: { kind: 'normal', count } })));
  const rows: BenchRow[] = [];
  const first = new Map<string, Result>();
  try {
    for (const [i, events] of sizes.entries()) {
      const s = server.servers[i]!;
      const args = [s.calendarUrl(`cal${i}`), s.url, String(PAGE)];
      for (const mode of ['connector', ...stores]) {
        const timed = await child(mode, args, false);
        if (timed.events !== events) throw new Error(`${mode}: synced ${timed.events} events, expected ${events}`);
        const live = await child(mode, args, true);
        const base = first.get(mode);
        if (!base) first.set(mode, { ...timed, liveHeapMb: live.liveHeapMb ?? 0 });
        const per = (a: number, b: number) => (base && events > base.events ? `${Math.round(((a - b) * 1e6) / (events - base.events))} B/event` : '-');
        const row: BenchRow = {
          name: `stream-memory ${mode} (synthetic CalDAV, ${events} events, page ${PAGE})`,
          target: 'RSS flat across sizes (issue 15)',
          metrics: {
            s: (timed.ms / 1000).toFixed(2), 'events/s': Math.round(events / (timed.ms / 1000)), 'peak RSS': `${timed.peakRssMb} MB`, 'live heap max': `${live.liveHeapMb ?? '?'} MB`,
            'RSS growth': base ? per(timed.peakRssMb, base.peakRssMb) : '-', 'live growth': base ? per(live.liveHeapMb ?? 0, base.liveHeapMb ?? 0) : '-',
          },
        };
        console.error(`[stream-memory ${new Date().toISOString()}] ${row.name}: ${JSON.stringify(row.metrics)}`);
        rows.push(row);
      }
    }
  } finally {
    await server.stop();
  }
  return rows;
}
