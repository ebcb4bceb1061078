/** Which Redis the queue lives in, and a connection that survives Redis restarts. */
import { Cluster, Redis } from 'ioredis';
import type { Config } from '../shared/config/index.ts';
import { ConfigError } from '../shared/errors.ts';
import { managedRedisUrl } from '../shared/managed-redis.ts';
import type { RedisConnection } from '../shared/redis-keys.ts';
import { QueueUnreachableError } from './errors.ts';

/** One Redis by URL, or the seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES). */
export type RedisTarget = string | { cluster: string[] };

/**
 * REDIS_CLUSTER_NODES or REDIS_URL, else the redis-server a running `calhub start` manages in the
 * same data dir (its unix socket and password).
 */
export function redisUrlFor(config: Config): RedisTarget {
  if (config.redisClusterNodes) return { cluster: config.redisClusterNodes };
  if (config.redisUrl) return config.redisUrl;
  const managed = managedRedisUrl(config.dataDir, config.secretsDir);
  if (managed) return managed;
  throw new ConfigError('REDIS_URL', 'a Redis URL (or a running `calhub start` in the same CALHUB_DATA_DIR)');
}

export function connectRedis(target: RedisTarget): RedisConnection {
  // BullMQ needs maxRetriesPerRequest null; reconnects stay on so workers survive Redis restarts.
  const redis = typeof target === 'string' ? new Redis(target, { maxRetriesPerRequest: null, lazyConnect: false }) : connectCluster(target.cluster);
  redis.on('error', () => {});
  return redis;
}

/**
 * A Redis Cluster from its seed nodes; the client learns the rest (and failovers) from them. The
 * first URL's credentials and scheme apply to every node, as a cluster shares them.
 */
function connectCluster(nodes: string[]): Cluster {
  const urls = nodes.map((n) => new URL(n));
  const first = urls[0]!;
  return new Cluster(
    urls.map((u) => ({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) })),
    {
      redisOptions: {
        maxRetriesPerRequest: null,
        ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
        ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
        ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
      },
      // Keep retrying the seed nodes forever, like the single-node connection (workers survive restarts).
      clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
    },
  );
}

/** Where a connection points, for messages: host and port only, never a password. */
export function redisWhere(redis: RedisConnection): string {
  if (redis instanceof Cluster) {
    const known = redis.nodes('all').map((n) => `${n.options.host ?? '?'}:${n.options.port ?? '?'}`);
    return `the Redis Cluster${known.length ? ` at ${known.join(', ')}` : ' (REDIS_CLUSTER_NODES)'}`;
  }
  return redis.options.path ? `Redis at ${redis.options.path}` : `Redis at ${redis.options.host ?? '?'}:${redis.options.port ?? '?'}`;
}

/**
 * Resolves once Redis answers a PING; throws QueueUnreachableError after `ms`. The connection
 * retries forever (workers must survive a Redis restart), so without this a command run while
 * Redis is down would hang. The message names the host, never the URL's password.
 */
export async function redisAnswers(redis: RedisConnection, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Stop the endless reconnects, so closing the hub (QUIT) does not wait for Redis either.
      redis.disconnect();
      reject(new QueueUnreachableError(`${redisWhere(redis)} did not answer within ${ms / 1000} s (REDIS_URL or REDIS_CLUSTER_NODES, or the redis-server of a running calhub start)`));
    }, ms);
  });
  const ping = redis.ping();
  // Once `late` has won, the disconnect fails the ping too: heard here, not as an unhandled rejection.
  ping.catch(() => undefined);
  try {
    await Promise.race([ping, late]);
  } finally {
    clearTimeout(timer);
  }
}
