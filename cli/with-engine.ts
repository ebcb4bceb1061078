import type { SyncEngine } from '../sync-engine/index.ts';
import { openEngine } from './engine-runtime.ts';
import { connectRedis, redisUrlFor, type Runtime } from './runtime.ts';

/** Runs fn with the queue when a worker is listening; with null when work must happen in-process. */
export async function withEngine<T>(rt: Runtime, fn: (engine: SyncEngine | null) => Promise<T>): Promise<T> {
  let url: string | null = null;
  try {
    url = redisUrlFor(rt.config);
  } catch {
    return fn(null);
  }
  const redis = connectRedis(url);
  const engine = openEngine(rt, redis);
  try {
    const workers = await engine.queue.getWorkersCount();
    return await fn(workers > 0 ? engine : null);
  } finally {
    await engine.close();
    redis.disconnect();
  }
}
