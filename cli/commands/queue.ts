import type { JobState, JobView, JobsListed } from '../../hub/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { isStoreUnreachable } from '../../shared/outage-log.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { print, table } from '../output.ts';
import { REDIS_ANSWER_WITHIN_MS, withHub } from '../with-hub.ts';
import { summaryOf } from './summaries.ts';

// Loaded by a command that runs, not by its --help (~0.7 s of CPU: the hub and every package it uses).
const hubApi = () => import('../../hub/index.ts');
/** As hub/queue.ts JOBS_LISTED (not imported: --help would load the hub). */
const JOBS_LISTED = 1000;

/** Delays spend no attempt; they are counted apart, so a throttled job does not read as never tried. */
const attempts = (j: JobView) => (j.delays ? `${j.attemptsMade} (delayed ${j.delays}x)` : String(j.attemptsMade));
const reason = (j: JobView) => j.failedReason ?? (j.delayReason ? `${j.delayReason}; waits until ${j.delayedUntil}` : '');

export const queueList: Command = {
  name: 'queue list',
  usage: 'calhub queue list [--state failed|waiting|active|delayed|completed] [--tenant <id>] [--json]',
  summary: summaryOf('queue list'),
  options: { state: { type: 'string' }, tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    const state = (values.state ?? 'failed') as JobState;
    if (!(await hubApi()).JOB_STATES.includes(state)) throw new ValidationError(`--state must be one of ${(await hubApi()).JOB_STATES.join(', ')}, not "${values.state}"`);
    // The sync queue of the hub this data dir or REDIS_URL points at; jobs live in Redis, not the store.
    const tenant = values.tenant ? String(values.tenant) : undefined;
    const show = ({ jobs, capped }: JobsListed) => {
      const cut = capped ? `only the first ${JOBS_LISTED} ${state} jobs were read${tenant ? ` (${jobs.length} of them of tenant ${tenant})` : ''}; there are more (calhub status counts them all)` : '';
      print(Boolean(values.json), jobs, () =>
        jobs.length === 0
          ? `no ${state} jobs${cut ? ` among the first ${JOBS_LISTED}` : ''}`
          : [table([['JOB', 'NAME', 'TENANT', 'CALENDAR/RULE', 'ATTEMPTS', 'REASON'], ...jobs.map((j) => [j.id ?? '', j.name, j.tenantId, j.calendarId ?? j.ruleId ?? '', attempts(j), reason(j)])]), ...(cut ? [cut] : [])].join('\n'),
      );
      // With --json, on stderr: stdout stays the array scripts read.
      if (cut && values.json) process.stderr.write(`calhub queue list: ${cut}\n`);
    };
    try {
      return await withHub({ queue: 'required' }, async (hub) => {
        show(await (await hubApi()).listJobs(hub, state, tenant));
        return EXIT.OK;
      });
    } catch (e) {
      // The store is down (an outage) but the queue is Redis's: list it, and say what was not checked.
      if (!isStoreUnreachable(e)) throw e;
      const jobs = await (await hubApi()).listJobsFromRedis(loadConfig(), state, tenant, REDIS_ANSWER_WITHIN_MS);
      process.stderr.write(`calhub queue list: the store is unavailable (${e instanceof Error ? e.message : String(e)}); the jobs are listed from Redis${tenant ? `, --tenant ${tenant} not checked against the store` : ''}\n`);
      show(jobs);
      return EXIT.OK;
    }
  },
};

export const queueRetry: Command = {
  name: 'queue retry',
  usage: 'calhub queue retry <jobId>… | --all-failed [--tenant <id>] [--json]',
  summary: summaryOf('queue retry'),
  options: { 'all-failed': { type: 'boolean' }, tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    if (!values['all-failed'] && positionals.length === 0) throw new ValidationError('name the job ids to retry, or pass --all-failed');
    return withHub({ queue: 'required' }, async (hub) => {
      const ids = await (await hubApi()).retryJobs(hub, values['all-failed'] ? { allFailed: true } : { ids: positionals }, values.tenant ? String(values.tenant) : undefined);
      print(Boolean(values.json), { retried: ids }, () => (ids.length ? `retried ${ids.length} job(s): ${ids.join(', ')}` : 'no failed jobs to retry'));
      return EXIT.OK;
    });
  },
};
