import type { Job } from 'bullmq';
import { ValidationError } from '../../shared/errors.ts';
import { scrubSecrets } from '../../shared/logger.ts';
import type { JobData, SyncEngine } from '../../sync-engine/index.ts';
import type { Command } from '../command.ts';
import { openEngine } from '../engine-runtime.ts';
import { print, table } from '../output.ts';
import { connectRedis, openRuntime, redisUrlFor } from '../runtime.ts';

const STATES = ['failed', 'waiting', 'active', 'delayed', 'completed'] as const;
type State = (typeof STATES)[number];

/** The sync queue of the hub this data dir or REDIS_URL points at; jobs live in Redis, not the store. */
async function withQueue<T>(fn: (engine: SyncEngine) => Promise<T>): Promise<T> {
  const rt = await openRuntime({ quiet: true });
  const redis = connectRedis(redisUrlFor(rt.config));
  const engine = openEngine(rt, redis);
  try {
    return await fn(engine);
  } finally {
    await engine.close();
    redis.disconnect();
    await rt.close();
  }
}

const view = (j: Job<JobData>, state: State) => ({
  id: j.id ?? null,
  name: j.name,
  state,
  tenantId: j.data.tenantId,
  calendarId: j.data.calendarId ?? null,
  ruleId: j.data.ruleId ?? null,
  attemptsMade: j.attemptsMade,
  failedReason: j.failedReason ? scrubSecrets(j.failedReason) : null,
  finishedOn: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
});

export const queueList: Command = {
  name: 'queue list',
  usage: 'calhub queue list [--state failed|waiting|active|delayed|completed] [--tenant <id>] [--json]',
  summary: 'Sync jobs by state (default: failed), with why each failed; needs REDIS_URL or a running start',
  options: { state: { type: 'string' }, tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    const state = (values.state ?? 'failed') as State;
    if (!STATES.includes(state)) throw new ValidationError(`--state must be one of ${STATES.join(', ')}, not "${values.state}"`);
    return withQueue(async (engine) => {
      const jobs = (await engine.queue.getJobs([state], 0, 999)).filter((j) => !values.tenant || j.data.tenantId === values.tenant).map((j) => view(j, state));
      print(Boolean(values.json), jobs, () =>
        jobs.length === 0
          ? `no ${state} jobs`
          : table([['JOB', 'NAME', 'TENANT', 'CALENDAR/RULE', 'ATTEMPTS', 'REASON'], ...jobs.map((j) => [j.id ?? '', j.name, j.tenantId, j.calendarId ?? j.ruleId ?? '', String(j.attemptsMade), j.failedReason ?? ''])]),
      );
      return 0;
    });
  },
};

export const queueRetry: Command = {
  name: 'queue retry',
  usage: 'calhub queue retry <jobId>… | --all-failed [--tenant <id>] [--json]',
  summary: 'Replay failed sync jobs (after fixing what failed them, e.g. a reconnected account); they re-read their state when they run',
  options: { 'all-failed': { type: 'boolean' }, tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    if (!values['all-failed'] && positionals.length === 0) throw new ValidationError('name the job ids to retry, or pass --all-failed');
    return withQueue(async (engine) => {
      const failed = await engine.queue.getJobs(['failed'], 0, 9999);
      const byId = new Map(failed.map((j) => [j.id, j]));
      const missing = positionals.filter((id) => !byId.has(id));
      if (missing.length) throw new ValidationError(`not failed jobs (or unknown): ${missing.join(', ')}`);
      const picked = (values['all-failed'] ? failed : positionals.map((id) => byId.get(id)!)).filter((j) => !values.tenant || j.data.tenantId === values.tenant);
      for (const j of picked) await j.retry('failed');
      const ids = picked.map((j) => j.id ?? '');
      print(Boolean(values.json), { retried: ids }, () => (ids.length ? `retried ${ids.length} job(s): ${ids.join(', ')}` : 'no failed jobs to retry'));
      return 0;
    });
  },
};
