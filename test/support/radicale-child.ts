/**
 * Starts a Radicale (in /dev/shm where there is one), prints `{"pid":…,"dir":…}`, then either waits
 * to be killed (`wait`) or fails with an uncaught error (`throw`): the two ways a run ends without
 * its stop() for dav-leftovers.int.test.ts.
 */
import path from 'node:path';
import { startRadicale } from './dav-servers.ts';

const server = await startRadicale({ memoryDisk: true });
process.stdout.write(`${JSON.stringify({ pid: server.pid, dir: path.dirname(server.storageDir) })}\n`);
if (process.argv[2] === 'throw') throw new Error('the run failed before it stopped its server');
setInterval(() => undefined, 60_000);
