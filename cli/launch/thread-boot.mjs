// The first module of each thread of `calhub start` (cli/launch/threads.ts): the thread's bundle
// when dist/ is fresh (bin/dist.mjs), else its TypeScript source. A thread does not inherit the
// TypeScript loader bin/calhub.mjs registered, so from sources it registers its own.
// Registering again where the loader came from --import (tests) is harmless.
import { workerData } from 'node:worker_threads';
import { builtEntry } from '../../bin/dist.mjs';

const built = builtEntry(workerData.entry);
if (!built) (await import('tsx/esm/api')).register();
await import(built ?? workerData.entry);
