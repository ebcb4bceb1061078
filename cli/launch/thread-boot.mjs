// The first module of each thread of `calhub start` (cli/launch/threads.ts): a thread does not
// inherit the TypeScript loader bin/calhub.mjs registered, so it registers its own, then runs
// the thread's body. Registering again where the loader came from --import (tests) is harmless.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
