/**
 * The soak's fuzzing process (kept apart so the hub's RSS is the hub's): `node --import tsx
 * fuzz-child.ts <iterations> [seed]`. A worker thread runs the cases; this thread is the watchdog.
 * A case that makes no progress for HANG_MS is a hang: the thread is terminated (a worker can be
 * stopped inside a synchronous loop, which a time budget inside the parser cannot do), the case is
 * recorded with its seed and number for replay, and a new thread carries on with the next batch.
 * Prints one JSON line per PROGRESS_MS and a final `{"final": …}` line.
 */
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import type { FuzzTally } from './ical-fuzz.ts';

const ITERATIONS = Number(process.argv[2] ?? 1_000_000);
const SEED = Number(process.argv[3] ?? randomBytes(4).readUInt32LE() & 0x3fffffff);
const BATCH = 1000;
const BATCHES = Math.ceil(ITERATIONS / BATCH);
const HANG_MS = Number(process.env['CALHUB_FUZZ_HANG_MS'] ?? 15_000);
const PROGRESS_MS = 10_000;

const total = { iterations: 0, ok: 0, quarantined: 0, crashes: [] as FuzzTally['crashes'], slow: [] as FuzzTally['slow'], hangs: [] as Array<{ seed: number; index: number }>, maxMs: 0 };
const started = Date.now();
const line = (extra: Record<string, unknown> = {}) => JSON.stringify({
  seed: SEED, iterations: total.iterations, ok: total.ok, quarantined: total.quarantined, crashes: total.crashes.length,
  slow: total.slow.length, hangs: total.hangs.length, maxMs: Math.round(total.maxMs), seconds: Math.round((Date.now() - started) / 1000), ...extra,
});

function run(firstBatch: number): Promise<number | null> {
  const progress = new SharedArrayBuffer(8);
  const at = new Int32Array(progress);
  Atomics.store(at, 0, firstBatch);
  const worker = new Worker(new URL('./fuzz-worker.mjs', import.meta.url), {
    workerData: { seed: SEED, firstBatch, batchSize: BATCH, batches: BATCHES, progress },
  });
  return new Promise((resolve, reject) => {
    let seen = `${firstBatch}:-1`;
    let since = Date.now();
    const watch = setInterval(() => {
      const now = `${Atomics.load(at, 0)}:${Atomics.load(at, 1)}`;
      if (now !== seen) {
        seen = now;
        since = Date.now();
        return;
      }
      if (Date.now() - since < HANG_MS) return;
      clearInterval(watch);
      const batch = Atomics.load(at, 0);
      const index = Atomics.load(at, 1);
      total.hangs.push({ seed: SEED + batch, index });
      total.iterations += index + 1; // the cases of the batch before the hang ran; their tally is lost with the thread
      void worker.terminate().then(() => resolve(batch + 1));
    }, 1000);
    worker.on('message', (m: { batch?: number; tally?: FuzzTally; done?: boolean }) => {
      if (m.done) {
        clearInterval(watch);
        void worker.terminate().then(() => resolve(null));
        return;
      }
      const t = m.tally!;
      total.iterations += t.iterations;
      total.ok += t.ok;
      total.quarantined += t.quarantined;
      total.crashes.push(...t.crashes.slice(0, 20 - total.crashes.length));
      total.slow.push(...t.slow.slice(0, 20 - total.slow.length));
      total.maxMs = Math.max(total.maxMs, t.maxMs);
    });
    worker.on('error', (e) => {
      clearInterval(watch);
      reject(e);
    });
  });
}

const ticker = setInterval(() => console.log(line()), PROGRESS_MS);
let next: number | null = 0;
while (next !== null && next < BATCHES) next = await run(next);
clearInterval(ticker);
console.log(JSON.stringify({ final: JSON.parse(line()), crashes: total.crashes.slice(0, 5), slow: total.slow.slice(0, 5), hangs: total.hangs }));
