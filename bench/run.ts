/**
 * `npm run bench`: runs every benchmark and prints one table. Each benchmark module exports an async
 * function returning BenchRow[]; a benchmark that cannot run here (a missing server) prints why
 * instead of failing the others. `npm run bench -- recurrence` runs only the matching ones.
 */
import os from 'node:os';
import type { BenchRow } from './bench-row.ts';

/** `onlyByName`: runs only when named (it takes minutes). */
type Bench = { name: string; load: () => Promise<() => Promise<BenchRow[]>>; onlyByName?: boolean };

const benches: Bench[] = [
  { name: 'recurrence', load: async () => (await import('./recurrence.bench.ts')).benchRecurrence },
  { name: 'store-upsert', load: async () => (await import('./store-upsert.bench.ts')).benchStoreUpsert },
  { name: 'api', load: async () => (await import('./api.bench.ts')).benchApi },
  { name: 'caldav-sync', load: async () => (await import('./caldav-sync.bench.ts')).benchCaldavSync },
  { name: 'caldav-scale', load: async () => (await import('./caldav-scale.bench.ts')).benchCaldavScale },
  { name: 'stream-memory', load: async () => (await import('./stream-memory.bench.ts')).benchStreamMemory },
  { name: 'push', load: async () => (await import('./push.bench.ts')).benchPush },
  { name: 'fairness', load: async () => (await import('./fairness.bench.ts')).benchFairness },
  { name: 'webhooks', load: async () => (await import('./webhooks.bench.ts')).benchWebhooks },
  // Not in a plain `npm run bench`: it runs for minutes (`npm run bench -- accounts`, BENCH_ACCOUNTS=N).
  { name: 'accounts', load: async () => (await import('./accounts.bench.ts')).benchAccounts, onlyByName: true },
  // Also by name only: the channel supervisor over simulated weeks (`npm run bench -- renewals`, BENCH_CHANNELS=N).
  { name: 'renewals', load: async () => (await import('./renewals.bench.ts')).benchRenewals, onlyByName: true },
];

function printTable(rows: BenchRow[]): void {
  const lines = rows.map((r) => [r.name, r.target, Object.entries(r.metrics).map(([k, v]) => `${k}=${v}`).join('  ')]);
  const widths = [0, 1].map((i) => Math.max(...lines.map((l) => l[i]!.length), i === 0 ? 9 : 6));
  const head = ['benchmark'.padEnd(widths[0]!), 'target'.padEnd(widths[1]!), 'measured'].join(' | ');
  console.log(head);
  console.log('-'.repeat(head.length + 30));
  for (const l of lines) console.log([l[0]!.padEnd(widths[0]!), l[1]!.padEnd(widths[1]!), l[2]].join(' | '));
}

const only = process.argv.slice(2);
const rows: BenchRow[] = [];
console.log(`calhub benchmarks — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString()}`);
for (const b of benches.filter((x) => (only.length === 0 ? !x.onlyByName : only.some((o) => x.name.includes(o))))) {
  try {
    const run = await b.load();
    const got = await run();
    rows.push(...got);
  } catch (e) {
    rows.push({ name: b.name, target: '-', metrics: { skipped: (e as Error).message.split('\n')[0] ?? 'error' } });
  }
}
printTable(rows);
