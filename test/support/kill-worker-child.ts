/**
 * A sync worker in its own process, for the SIGKILL test: PostgreSQL store in a given schema,
 * Redis with a given prefix, short locks so a killed worker's jobs and calendars are taken over fast.
 *
 * It prints `ready` once loaded and connected. With KILL_HOLD=1 it then waits for a `go` line on
 * stdin before it starts taking jobs (and prints `started`), so the test can load the next worker
 * while the current one is still syncing and hand over the moment the current one is killed.
 * It exits when its stdin closes, so a crashed test leaves no worker behind.
 */
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { makeConnect } from '../../hub/connect.ts';
import { KeyRing } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';
import { SyncEngine } from '../../sync-engine/index.ts';

const env = process.env;
const store = await Store.open({ databaseUrl: env.KILL_DATABASE_URL!, schema: env.KILL_SCHEMA! });
const config = { ...loadConfig({}), caldavAllowPrivateNetworks: true };
const log = createLogger({ level: 'silent' });
const keyring = KeyRing.parse(env.KILL_KEYS!);
const connection = new Redis(env.KILL_REDIS_URL!, { maxRetriesPerRequest: null });
await connection.ping();
await store.db.query('SELECT 1');
const engine = new SyncEngine({
  connection,
  prefix: env.KILL_PREFIX!,
  deps: { store, log, connect: makeConnect({ store, keyring, config, log }), guard: { maxDeleteShare: 1, minObjects: 1_000_000 } },
  staleRunMs: Number(env.KILL_STALE_RUN_MS ?? 1500),
  lockDurationMs: Number(env.KILL_LOCK_MS ?? 1500),
});
// stdin is a pipe from the test: when it closes the test is gone, and so is this worker.
const lines = createInterface({ input: process.stdin });
lines.once('close', () => process.exit(0));
const start = () => {
  engine.startWorker(2);
  process.stdout.write('started\n');
};
if (env.KILL_HOLD === '1') lines.on('line', (line) => { if (line.trim() === 'go') start(); });
else start();
process.stdout.write('ready\n');
