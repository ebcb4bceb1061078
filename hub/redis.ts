/** Which Redis the queue lives in, and a connection that survives Redis restarts. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '../shared/config/index.ts';
import { ConfigError } from '../shared/errors.ts';
import { QueueUnreachableError } from './errors.ts';

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

/**
 * Resolves once Redis answers a PING; throws QueueUnreachableError after `ms`. The connection
 * retries forever (workers must survive a Redis restart), so without this a command run while
 * Redis is down would hang. The message names the host, never the URL's password.
 */
export async function redisAnswers(redis: Redis, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Stop the endless reconnects, so closing the hub (QUIT) does not wait for Redis either.
      redis.disconnect();
      const { host, port } = redis.options;
      reject(new QueueUnreachableError(`Redis at ${host ?? '?'}:${port ?? '?'} did not answer within ${ms / 1000} s (REDIS_URL, or the redis-server of a running calhub start)`));
    }, ms);
  });
  try {
    await Promise.race([redis.ping(), late]);
  } finally {
    clearTimeout(timer);
  }
}
