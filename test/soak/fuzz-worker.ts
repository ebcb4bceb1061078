/**
 * The soak's fuzzing thread: runs batches of test/soak/ical-fuzz.ts cases from `seed + batch` and
 * reports each batch's tally. Before every case it writes the case's number into shared memory, so
 * the watchdog on the other side (fuzz-child.ts) can tell a case that never returns from slow
 * progress and name it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { emptyTally, fuzzBatch } from './ical-fuzz.ts';

const { seed, firstBatch, batchSize, batches, progress } = workerData as { seed: number; firstBatch: number; batchSize: number; batches: number; progress: SharedArrayBuffer };
const at = new Int32Array(progress);
// CALHUB_FUZZ_INJECT_HANG=<batch>:<case> spins for ever there: proves the watchdog stops a thread
// stuck in a synchronous loop and carries on.
const inject = process.env['CALHUB_FUZZ_INJECT_HANG']?.split(':').map(Number) ?? null;
for (let b = firstBatch; b < batches; b++) {
  const tally = emptyTally();
  Atomics.store(at, 0, b);
  fuzzBatch(seed + b, batchSize, tally, (i) => {
    Atomics.store(at, 1, i);
    if (inject && inject[0] === b && inject[1] === i) for (;;);
  });
  parentPort!.postMessage({ batch: b, tally });
}
parentPort!.postMessage({ done: true });
