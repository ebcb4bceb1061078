/** Which Redis the queue lives in, and a connection that survives Redis restarts. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '../shared/config/index.ts';
import { ConfigError } from '../shared/errors.ts';

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
