/**
 * A calendar's (or rule's) failed jobs stay in BullMQ's failed set for inspection and replay. Once
 * a later run of the same key succeeds they describe nothing current: `calhub status` kept reporting
 * "1 failed sync job(s)" and calhub_queue_depth{state="failed"} 1 after `sync.recovered` was sent.
 * So each failure is noted under its key, and a success removes the ones noted.
 *
 * A calendar's jobs have three keys (`pull-`, `resync-`, `push-` and its id): a failed resync or
 * push stayed in the failed set after the calendar's pulls succeeded again. So a calendar's failures
 * are also noted under the calendar, and a successful pull (or resync) removes those too: one set
 * per calendar, read by id, never a scan of the whole failed set.
 */
import { Job, type Queue } from 'bullmq';
import type { RedisConnection } from '../shared/redis-keys.ts';

const noted = (prefix: string, key: string) => `${prefix}:failed-of:${key}`;
// A key that never succeeds again keeps its note until its jobs are reaped; a week bounds that.
const NOTE_TTL_S = 7 * 86_400;

/** The note of every failed job of a calendar, whatever its kind (job keys never start `calendar:`). */
export const calendarNote = (calendarId: string) => `calendar:${calendarId}`;

/** Notes a failed job under each of `keys` (its job key, and its calendar's). */
export async function noteFailure(redis: RedisConnection, prefix: string, keys: string[], jobId: string): Promise<void> {
  const m = redis.multi();
  for (const key of keys) m.sadd(noted(prefix, key), jobId).expire(noted(prefix, key), NOTE_TTL_S);
  await m.exec();
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
