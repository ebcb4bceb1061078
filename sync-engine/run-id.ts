/**
 * Run ids, as the write journal and `calhub runs revert` know them. BullMQ's job ids count from 1
 * again once Redis loses its data (a flush, a restart without persistence, a new REDIS_PREFIX), so
 * a job id alone named an old run and an unrelated new one at once, and reverting it undid both.
 */
import { randomBytes } from 'node:crypto';

/**
 * A new run id: the time in base 36 (so ids sort by when they were made) and 40 random bits, e.g.
 * `mjc3k1a0-9f3a2c71b4`. Never a number, so it cannot collide with the job ids of older journal rows.
 */
export function newRunId(now = Date.now()): string {
  return `${now.toString(36)}-${randomBytes(5).toString('hex')}`;
}

/**
 * The run id of a job: the one it was queued with; a job queued by an older version has none, and
 * gets its id plus its creation time, which a later job reusing the id does not share.
 */
export function runIdOf(job: { id?: string; timestamp: number; data: { runId?: string } }): string {
  return job.data.runId ?? `${job.id ?? 'job'}-${job.timestamp.toString(36)}`;
}
