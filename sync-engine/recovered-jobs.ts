/**
 * A calendar's (or rule's) failed jobs stay in BullMQ's failed set for inspection and replay. Once
 * a later run of the same key succeeds they describe nothing current: `calhub status` kept reporting
 * "1 failed sync job(s)" and calhub_queue_depth{state="failed"} 1 after `sync.recovered` was sent.
 * So each failure is noted under its key, and a success removes the ones noted.
 */
import { Job, type Queue } from 'bullmq';
import type { RedisConnection } from '../shared/redis-keys.ts';

const noted = (prefix: string, key: string) => `${prefix}:failed-of:${key}`;
// A key that never succeeds again keeps its note until its jobs are reaped; a week bounds that.
const NOTE_TTL_S = 7 * 86_400;

export async function noteFailure(redis: RedisConnection, prefix: string, key: string, jobId: string): Promise<void> {
  await redis.multi().sadd(noted(prefix, key), jobId).expire(noted(prefix, key), NOTE_TTL_S).exec();
}

/** Removes the key's failed jobs (not the one that just succeeded, nor retried ones now running). Returns how many. */
export async function clearFailures<D>(redis: RedisConnection, prefix: string, queue: Queue<D>, key: string, except: string | undefined): Promise<number> {
  const ids = (await redis.smembers(noted(prefix, key))).filter((id) => id !== except);
  let removed = 0;
  for (const id of ids) {
    const job = await Job.fromId<D>(queue, id);
    if (job && (await job.getState()) === 'failed') {
      // Taken up by a replay meanwhile: its own run decides.
      removed += await job.remove().then(() => 1, () => 0);
    }
    await redis.srem(noted(prefix, key), id);
  }
  return removed;
}
