/** Wiring shared by the commands: configuration, logger, store and Redis, opened once. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../shared/config/index.ts';
import { ConfigError } from '../shared/errors.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { Store } from '../shared/store/index.ts';

export interface Runtime {
  config: Config;
  logger: Logger;
  store: Store;
  close(): Promise<void>;
}

export async function openRuntime(opts: { shareEmbedded?: boolean; quiet?: boolean } = {}): Promise<Runtime> {
  const config = loadConfig();
  // A command's stdout is its result (often --json for a script): its log lines go to stderr.
  const logger = opts.quiet ? createLogger({ level: 'warn', destination: process.stderr }) : createLogger({ level: config.logLevel });
  const store = await Store.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    shareEmbedded: opts.shareEmbedded ?? false,
    horizon: config.horizon,
  });
  await store.migrate();
  return { config, logger, store, close: () => store.close() };
}

/** REDIS_URL, else the redis-server a running `calhub start` manages in the same data dir. */
export function redisUrlFor(config: Config): string {
  if (config.redisUrl) return config.redisUrl;
  const portFile = join(config.dataDir, 'run', 'redis.port');
  if (existsSync(portFile)) return `redis://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
  throw new ConfigError('REDIS_URL', 'a Redis URL (or a running `calhub start` in the same CALHUB_DATA_DIR)');
}

export function connectRedis(url: string): Redis {
  // BullMQ needs maxRetriesPerRequest null; reconnects stay on so workers survive Redis restarts.
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', () => {});
  return redis;
}
