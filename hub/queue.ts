/** The sync queue's jobs, for operators: list them by state, replay failed ones. Jobs live in Redis. */
import { Queue, type Job } from 'bullmq';
import type { Config } from '../shared/config/index.ts';
import { scrubSecrets } from '../shared/logger.ts';
import { QUEUE_NAME, type JobData, type SyncEngine } from '../sync-engine/index.ts';
import { connectRedis, redisAnswers, redisUrlFor } from './redis.ts';
import { RefusedError } from './errors.ts';
import type { Hub } from './open-hub.ts';

export const JOB_STATES = ['failed', 'waiting', 'active', 'delayed', 'completed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobView {
  id: string | null;
  name: string;
  state: JobState;
  tenantId: string;
  calendarId: string | null;
  ruleId: string | null;
  attemptsMade: number;
  failedReason: string | null;
  finishedOn: string | null;
  /**
   * Why the job was last put back to wait (a provider's rate limit, its run budget, a taken slot),
   * until when, and how often: a delay spends no attempt and sets no failedReason, so a throttled
   * job looked idle. Null for a job never delayed, and for completed and failed ones.
   */
  delayReason: string | null;
  delayedUntil: string | null;
  delays: number;
}

const view = (j: Job<JobData>, state: JobState): JobView => ({
  id: j.id ?? null,
  name: j.name,
  state,
  tenantId: j.data.tenantId,
  calendarId: j.data.calendarId ?? null,
  ruleId: j.data.ruleId ?? null,
  attemptsMade: j.attemptsMade,
  failedReason: j.failedReason ? scrubSecrets(j.failedReason) : null,
  finishedOn: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
  ...delayOf(j, state),
});

function delayOf(j: Job<JobData>, state: JobState): Pick<JobView, 'delayReason' | 'delayedUntil' | 'delays'> {
  const d = state === 'completed' || state === 'failed' ? undefined : j.data.delay;
  return { delayReason: d ? scrubSecrets(d.reason) : null, delayedUntil: d?.until ?? null, delays: j.data.delay?.count ?? 0 };
}

function queueOf(hub: Hub): SyncEngine {
  if (!hub.engine) throw new Error('this hub has no queue: open it with queue "required"');
  return hub.engine;
}

/** The most jobs of a state `calhub queue list` reads (the most recent first, as BullMQ lists them). */
export const JOBS_LISTED = 1000;

/** The jobs listed, and `capped`: more of that state are in the queue than were read (JOBS_LISTED). */
export interface JobsListed {
  jobs: JobView[];
  capped: boolean;
}

export async function listJobs(hub: Hub, state: JobState, tenantId?: string): Promise<JobsListed> {
  return jobsIn(queueOf(hub).queue, state, tenantId);
}

async function jobsIn(queue: Pick<Queue<JobData>, 'getJobs'>, state: JobState, tenantId?: string): Promise<JobsListed> {
  if (!JOB_STATES.includes(state)) throw new RefusedError(`--state must be one of ${JOB_STATES.join(', ')}, not "${state}"`);
  // Sync jobs carry a priority (tenant turns), and BullMQ keeps prioritized waiting jobs in a state of their own.
  const states = state === 'waiting' ? (['waiting', 'prioritized'] as const) : ([state] as const);
  // One more than listed: a list cut at exactly 1,000 rows said nothing of being cut.
  const read = await queue.getJobs([...states], 0, JOBS_LISTED);
  return { jobs: read.slice(0, JOBS_LISTED).filter((j) => !tenantId || j.data.tenantId === tenantId).map((j) => view(j, state)), capped: read.length > JOBS_LISTED };
}

/**
 * The queue's jobs read from Redis alone, for when the store cannot be reached: the queue lives in
 * Redis, and `calhub queue list` failed with the store during a PostgreSQL outage although nothing
 * it prints comes from the store (a --tenant is then not checked against it).
 */
export async function listJobsFromRedis(config: Config, state: JobState, tenantId: string | undefined, answerWithinMs: number): Promise<JobsListed> {
  const redis = connectRedis(redisUrlFor(config));
  const queue = new Queue<JobData>(QUEUE_NAME, { connection: redis, prefix: config.redisPrefix });
  queue.on('error', () => {});
  try {
    await redisAnswers(redis, answerWithinMs);
    return await jobsIn(queue, state, tenantId);
  } finally {
    await queue.close().catch(() => {});
    redis.disconnect();
  }
}

/** Replays the named failed jobs, or every failed one; they re-read their state when they run. Returns the ids. */
export async function retryJobs(hub: Hub, pick: { ids: string[] } | { allFailed: true }, tenantId?: string): Promise<string[]> {
  const failed = await queueOf(hub).queue.getJobs(['failed'], 0, 9999);
  const byId = new Map(failed.map((j) => [j.id, j]));
  const ids = 'ids' in pick ? pick.ids : [];
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length) throw new RefusedError(`not failed jobs (or unknown): ${missing.join(', ')}`);
  const picked = ('allFailed' in pick ? failed : ids.map((id) => byId.get(id)!)).filter((j) => !tenantId || j.data.tenantId === tenantId);
  for (const j of picked) await j.retry('failed');
  return picked.map((j) => j.id ?? '');
}
