/**
 * A sync worker in its own process, for the SIGKILL test: PostgreSQL store in a given schema,
 * Redis with a given prefix, short locks so a killed worker's jobs and calendars are taken over fast.
 */
import { Redis } from 'ioredis';
import { makeConnect } from '../../cli/connect.ts';
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
const engine = new SyncEngine({
  connection,
  prefix: env.KILL_PREFIX!,
  deps: { store, log, connect: makeConnect({ store, keyring, config, log }), guard: { maxDeleteShare: 1, minObjects: 1_000_000 } },
  staleRunMs: 1500,
  lockDurationMs: 1500,
});
engine.startWorker(2);
process.stdout.write('ready\n');
