/**
 * A webhook delivery worker in its own process, for the crash test: the dispatcher's compose loop,
 * sweep and drain jobs on a PostgreSQL schema and a given Redis. Prints `ready`; exits when its
 * stdin closes, so a crashed test leaves no worker behind.
 */
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { WebhookDispatcher } from '../../hub/index.ts';
import { KeyRing } from '../../oauth/index.ts';
import { createLogger } from '../../shared/logger.ts';
import { Store } from '../../shared/store/index.ts';

const env = process.env;
const store = await Store.open({ databaseUrl: env.WH_DATABASE_URL!, schema: env.WH_SCHEMA! });
const connection = new Redis(env.WH_REDIS_URL!, { maxRetriesPerRequest: null });
connection.on('error', () => {}); // the test restarts Redis under it; ioredis reconnects
const dispatcher = new WebhookDispatcher({
  connection,
  store,
  keyring: KeyRing.parse(env.WH_KEYS!),
  log: createLogger({ level: 'silent' }),
  allowPrivateNetworks: true,
  prefix: env.WH_PREFIX!,
  composeIntervalMs: 50,
  sweepIntervalMs: 500,
});
dispatcher.startWorker();
createInterface({ input: process.stdin }).once('close', () => process.exit(0));
process.stdout.write('ready\n');
