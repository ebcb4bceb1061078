/**
 * The sync engine on BullMQ: jobs carry ids only and re-read state; one sync per calendar is
 * enforced by the store's sync slot; the queue is the only retry layer (jittered backoff), a
 * rate-limited error delays just its job, permanent errors fail without retries and stay
 * inspectable and replayable.
 */
import { randomBytes } from 'node:crypto';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { assertClusterSafe, DEFAULT_REDIS_PREFIX, type RedisConnection } from '../shared/redis-keys.ts';
import { GrantRevokedError } from '../connectors/index.ts';
import { isHubError } from '../shared/errors.ts';
import { clearPushWait, inChangeScope, opsQueries } from '../shared/store/index.ts';
import { SyncBusyError, type EngineDeps } from './deps.ts';
import { RequestBudget } from './budget.ts';
import { instrument } from './instrument.ts';
import { calendarNote, clearFailures, noteFailure } from './recovered-jobs.ts';
import { summarizeFailed, type FailedJobsSummary } from './failed-jobs.ts';
import { outageLog, quietInStoreOutage } from '../shared/outage-log.ts';
import { jobsIn, nextCursor, orphaned, removeJobs } from './gone-jobs.ts';
import { reconcileRule, ruleReads } from './mirror.ts';
import { pullCalendar } from './pull.ts';
import { PullAsks } from './pull-asks.ts';
import { pushCalendar } from './push.ts';
import type { Fence } from './fence.ts';
import { DEFAULT_FAIR_SHARE, FairShare, hostOf, type FairShareOptions, type Lease } from './fair-share.ts';
import { newRunId, runIdOf } from './run-id.ts';
import { BudgetSpent, inRunScope, ShuttingDown } from './run-scope.ts';
import { inSyncRun } from './sync-run.ts';
import { delayJob, notePushFailure, summarizeDelayed, type DelayedJobsSummary, type JobDelay } from './job-delay.ts';
import { TenantPace } from './tenant-pace.ts';
import { TenantTurns } from './tenant-turns.ts';
import { keepsWaiting } from './coalesced-wait.ts';
import { isProviderFailure, ProviderHealth, RECOVERY_SPREAD_MS, type RecoveredCalendar } from './provider-health.ts';

export const QUEUE_NAME = 'calhub-sync';
/** How long close() waits for enqueues still under way. */
const ENQUEUE_DRAIN_MS = 10_000;


/**
 * `key`: the coalescing key the job was queued under (its tenant's turn is counted by it);
 * `hurriedAt`: its attemptsMade when new work last cut its wait short (coalesced-wait.ts).
 */
export type JobData = { tenantId: string; calendarId?: string; ruleId?: string; full?: boolean; key?: string; runId?: string; delay?: JobDelay; hurriedAt?: number };

export interface EngineOptions {
  connection: RedisConnection;
  /** Redis key prefix (REDIS_PREFIX, default `{calhub}`): tests and deployments sharing a Redis keep apart with it; a cluster needs a hash tag in it. */
  prefix?: string;
  deps: Omit<EngineDeps, 'onOutbox' | 'onCalendarChanged' | 'onRuleWrote'>;
  staleRunMs?: number;
  attempts?: number;
  /** How long a dead worker's job stays locked before another worker takes it (BullMQ lockDuration). */
  lockDurationMs?: number;
  /**
   * Longest a sync run may take: then its provider requests are aborted, it ends keeping what it
   * committed, and it is rescheduled with backoff (without spending an attempt).
   */
  runBudgetMs?: number;
  /** How often a running sync proves it is alive (its slot is stale after staleRunMs without). */
  heartbeatMs?: number;
  /** Concurrent runs per provider host and per account, across workers. */
  fairShare?: FairShareOptions;
}

export const DEFAULT_RUN_BUDGET_MS = 300_000;

/** Where a calendar's run goes: `shareHost` its fair-share host (CalDAV only), `host` its health key. */
interface Where {
  calendarId: string;
  accountId: string;
  shareHost: string | null;
  host: string;
}

/** What a job of a flagged calendar returns: skipped, not failed (metrics outcome `flagged`). */
const FLAGGED_SKIP = Object.freeze({ skipped: 'calendar is flagged' });

const jitter = (ms: number) => Math.round(ms * (0.5 + Math.random()));

export class SyncEngine {
  readonly queue: Queue<JobData>;
  readonly deps: EngineDeps;
  private readonly workerId = `w-${process.pid}-${randomBytes(4).toString('hex')}`;
  private workers: Worker<JobData>[] = [];
  /** The aborts of the runs this process has going: a shutdown stops them (close). */
  private readonly active = new Set<AbortController>();
  /** Enqueues started by store writes and not yet answered by Redis (track). */
  private readonly pending = new Set<Promise<void>>();
  private closing = false;
  private readonly turns: TenantTurns;
  private readonly asks: PullAsks;
  private readonly shares: FairShare;
  private ownConnections: RedisConnection[] = [];
  private readonly prefix: string;
  /** Failure streaks per calendar and host: retry pacing and logging during a provider outage (provider-health.ts). */
  readonly health: ProviderHealth;

  constructor(private readonly opts: EngineOptions) {
    this.prefix = opts.prefix ?? DEFAULT_REDIS_PREFIX;
    assertClusterSafe(opts.connection, this.prefix);
    this.queue = new Queue<JobData>(QUEUE_NAME, {
      connection: opts.connection,
      prefix: this.prefix,
      defaultJobOptions: {
        attempts: opts.attempts ?? 8,
        backoff: { type: 'jittered' },
        removeOnComplete: { count: 1000, age: 86_400 },
        removeOnFail: false,
      },
    });
    // The connection's errors are heard where it is made (hub/redis.ts); unheard here, BullMQ
    // printed each one to stderr as a raw, multi-line stack while Redis was down.
    this.queue.on('error', () => {});
    const metrics = opts.deps.metrics;
    if (metrics) {
      // Queue depth is read from Redis when Prometheus scrapes.
      metrics.queueSource.read = () => this.queueGauges();
    }
    const budget = new RequestBudget(opts.connection, this.prefix, metrics);
    this.shares = new FairShare(opts.connection, this.prefix, opts.fairShare ?? DEFAULT_FAIR_SHARE);
    this.turns = new TenantTurns(opts.connection, this.prefix);
    this.asks = new PullAsks(opts.connection, this.prefix);
    this.deps = {
      ...opts.deps,
      connect: async (account, calendar) => instrument(budget.wrap(await opts.deps.connect(account, calendar), account.id, account.provider), metrics),
      onOutbox: (tenantId, calendarId) => this.track(this.requestPush(tenantId, calendarId), 'enqueue push failed'),
      onCalendarChanged: (tenantId, calendarId) => this.track(this.mirrorsFor(tenantId, calendarId), 'enqueue mirror failed'),
      onRuleWrote: (tenantId, calendarId, ruleId) => this.track(this.mirrorsReading(tenantId, calendarId, ruleId), 'enqueue mirror failed'),
      pace: opts.deps.pace ?? new TenantPace(),
    };
    // On the embedded database a heavy tenant's transactions also wait for lighter tenants' statements.
    const pace = this.deps.pace!;
    if (opts.deps.store.sessionTurns) opts.deps.store.sessionTurns.policy = (tenantId, other) => pace.yieldsTo(tenantId, other);
    this.health = new ProviderHealth(this.deps.log, (_host, calendars) => this.retryRecovered(calendars));
  }

  /**
   * A host answers again: its failing calendars' waiting jobs run within RECOVERY_SPREAD_MS, and a
   * calendar whose jobs used up their attempts is pulled (a fallen-back Graph calendar kept showing
   * the outage's error until its next poll, up to 6 minutes later). A pull that succeeds pushes
   * what waits and clears the calendar's error.
   */
  private retryRecovered(calendars: RecoveredCalendar[]): void {
    for (const c of calendars) {
      const timer = setTimeout(() => {
        if (!this.closing) this.track(this.retryCalendar(c), 'retrying a calendar after its provider recovered failed');
      }, Math.round(Math.random() * RECOVERY_SPREAD_MS));
      timer.unref?.();
    }
  }

  private async retryCalendar(c: RecoveredCalendar): Promise<void> {
    for (const id of c.jobIds) {
      const job = await this.queue.getJob(id);
      if (job && (await job.isDelayed())) await job.changeDelay(0).catch(() => undefined);
    }
    // Coalesced: a no-op when a job of the calendar still waits.
    await this.requestPull(c.tenantId, c.calendarId);
  }

  /**
   * The callers of onOutbox and onCalendarChanged do not wait for the enqueue (a store write must
   * not fail because Redis is slow), but close() does: `calhub runs revert` closed Redis before its
   * push was queued (`enqueue push failed: Connection is closed`) and the push waited for the next
   * change of its calendar.
   */
  private track(p: Promise<unknown>, failure: string): void {
    const tracked = p.then(
      () => undefined,
      (e: unknown) => this.deps.log.error({ err: e }, failure),
    );
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  /**
   * A burst of triggers becomes one pending pull; a trigger during a running pull gets one
   * follow-up, which ends at once when that run listed again after the trigger (pull-asks.ts).
   */
  async requestPull(tenantId: string, calendarId: string, opts: { full?: boolean } = {}): Promise<string> {
    // Counted before the job is queued: a run that reads the count later serves this trigger.
    if (!opts.full) await this.asks.ask(calendarId);
    return this.addCoalesced('pull', `${opts.full ? 'resync' : 'pull'}-${calendarId}`, { tenantId, calendarId, full: opts.full ?? false });
  }

  requestPush(tenantId: string, calendarId: string): Promise<string> {
    return this.addCoalesced('push', `push-${calendarId}`, { tenantId, calendarId });
  }

  requestMirror(tenantId: string, ruleId: string): Promise<string> {
    return this.addCoalesced('mirror', `mirror-${ruleId}`, { tenantId, ruleId });
  }

  private async mirrorsFor(tenantId: string, calendarId: string): Promise<void> {
    for (const rule of await this.deps.store.tenant(tenantId).mirror.touching(calendarId)) await this.requestMirror(tenantId, rule.id);
  }

  /**
   * After a rule's run wrote into a calendar: the other rules that read it. A rule that only
   * writes there has nothing new to copy, and the writing rule's own copies are never its sources.
   */
  private async mirrorsReading(tenantId: string, calendarId: string, writerRuleId: string): Promise<void> {
    for (const rule of await this.deps.store.tenant(tenantId).mirror.touching(calendarId)) {
      if (rule.id !== writerRuleId && ruleReads(rule, calendarId)) await this.requestMirror(tenantId, rule.id);
    }
  }

  private async addCoalesced(name: string, key: string, data: JobData): Promise<string> {
    // At most one waiting job per key; a trigger while one runs keeps exactly one follow-up, added
    // when the running job ends (BullMQ does both atomically): how a change that arrives during a
    // pull is never lost, and the only mechanism for it.
    // Priority: the tenant's turn (tenant-turns.ts), so one tenant's backlog cannot queue ahead of everyone.
    const priority = await this.turns.enter(data.tenantId, key);
    const job = await this.queue.add(name, { ...data, key, runId: newRunId() }, { priority, deduplication: { id: key, keepLastIfActive: true } });
    // A new job is never added delayed: delayed, it is the key's older job, and the new work waits with it.
    if (job.id && (await this.queue.getJobState(job.id)) === 'delayed') await this.hurry(job.id, priority);
    return job.id ?? key;
  }

  /**
   * New work coalesced into a job waiting delayed: it runs now unless the provider asked for the
   * wait (coalesced-wait.ts), in its tenant's line at the place the trigger was given.
   */
  private async hurry(jobId: string, priority: number): Promise<void> {
    const job = await this.queue.getJob(jobId);
    if (!job) return;
    const why = keepsWaiting(job);
    if (why) {
      this.deps.log.debug({ jobId, job: job.name, calendarId: job.data.calendarId, ruleId: job.data.ruleId, why }, 'new work waits with its delayed job');
      return;
    }
    await job.updateData({ ...job.data, hurriedAt: job.attemptsMade });
    await job.changePriority({ priority });
    // Moved or run meanwhile (no longer delayed): it takes the new work anyway.
    await job.promote().catch(() => undefined);
  }

  /**
   * Removes the waiting, delayed and failed jobs of these calendars and rules (an account being
   * disconnected: its jobs could only fail, and failed ones stayed for good). Returns how many.
   */
  async removeJobsOf(ids: { calendarIds: string[]; ruleIds?: string[] }): Promise<number> {
    const cals = new Set(ids.calendarIds);
    const rules = new Set(ids.ruleIds ?? []);
    const jobs = (await jobsIn(this.queue, ['waiting', 'prioritized', 'delayed', 'failed'])).filter(
      (j) => (j.data.calendarId && cals.has(j.data.calendarId)) || (j.data.ruleId && rules.has(j.data.ruleId)),
    );
    return removeJobs(jobs, (j) => this.leaveTurn(j));
  }

  /**
   * The maintenance reaper's part: failed jobs whose calendar or rule no longer exists, an account
   * disconnected before removeJobsOf ran or while it could not reach Redis. Each tick looks at
   * `limit` of them, from a cursor kept in Redis (shared by the workers, kept across restarts), so
   * that over its ticks it looks at all of them (gone-jobs.ts nextCursor).
   */
  async reapGoneJobs(limit = 1000): Promise<number> {
    const cursorKey = `${this.prefix}:gone-jobs:cursor`;
    const from = Number(await this.opts.connection.get(cursorKey)) || 0;
    const failed = await jobsIn(this.queue, ['failed'], limit, from);
    const removed = await this.reapOrphaned(failed);
    await this.opts.connection.set(cursorKey, String(nextCursor(from, failed.length, removed, limit)));
    return removed;
  }

  private async reapOrphaned(failed: Job<JobData>[]): Promise<number> {
    if (failed.length === 0) return 0;
    const existing = await opsQueries.existingIds(this.deps.store.db, {
      calendarIds: [...new Set(failed.flatMap((j) => (j.data.calendarId ? [j.data.calendarId] : [])))],
      ruleIds: [...new Set(failed.flatMap((j) => (!j.data.calendarId && j.data.ruleId ? [j.data.ruleId] : [])))],
    });
    const removed = await removeJobs(orphaned(failed, existing), (j) => this.leaveTurn(j));
    if (removed) this.deps.log.info({ removed }, 'removed failed jobs of calendars and rules that no longer exist');
    return removed;
  }

  private async leaveTurn(job: Job<JobData>): Promise<void> {
    if (job.data.key) await this.turns.leave(job.data.tenantId, job.data.key);
  }

  startWorker(concurrency = 4): Worker<JobData> {
    const connection = this.opts.connection.duplicate();
    this.ownConnections.push(connection);
    const worker = new Worker<JobData>(QUEUE_NAME, (job, token) => this.process(job, token), {
      connection,
      prefix: this.prefix,
      concurrency,
      // A killed worker's job is taken up again within ~lockDuration + stalledInterval.
      lockDuration: this.opts.lockDurationMs ?? 20_000,
      stalledInterval: Math.min(10_000, this.opts.lockDurationMs ?? 10_000),
      maxStalledCount: 1000,
      // A provider failure waits for its calendar's streak (provider-health.ts), whichever job failed.
      settings: {
        backoffStrategy: (attempts: number, _type?: string, _err?: Error, job?: { data?: JobData }) => {
          const calendarId = job?.data?.calendarId;
          const wait = calendarId ? this.health.waitFor(calendarId) : 0;
          return wait > 0 ? wait : jitter(Math.min(60_000, 500 * 2 ** attempts));
        },
      },
    });
    worker.on('error', outageLog(this.deps.log, 'sync worker', connection));
    this.workers.push(worker);
    return worker;
  }

  /** Depth by state, and how long the oldest waiting job has waited (workers falling behind). */
  /**
   * This deployment's workers. BullMQ finds workers by their client name in CLIENT LIST, which
   * lists the clients of every database on the server: a deployment on another db of the same
   * Redis, with the same prefix, was counted as ours (`calhub status` said WORKERS 1 after our
   * only worker was killed). Its prefix is in the name; the db is filtered here.
   */
  async workersSeen(): Promise<Array<{ [key: string]: string }>> {
    // A Cluster has db 0 only; its options carry no db.
    const db = String((this.opts.connection as { options?: { db?: number } }).options?.db ?? 0);
    return (await this.queue.getWorkers()).filter((w) => w.db === undefined || w.db === db);
  }

  async queueGauges(): Promise<{ counts: Record<string, number>; oldestAge: Record<string, number> }> {
    // Jobs with a priority (tenant turns) wait in BullMQ's `prioritized` state: they are waiting too.
    const { prioritized = 0, ...counts } = await this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
    counts.waiting = (counts.waiting ?? 0) + prioritized;
    const heads = [...(await this.queue.getJobs(['waiting'], 0, 0, true)), ...(await this.queue.getJobs(['prioritized'], 0, 99, true))];
    const oldest = heads.sort((a, b) => a.timestamp - b.timestamp)[0];
    return { counts, oldestAge: { waiting: oldest ? Math.max(0, Date.now() - oldest.timestamp) / 1000 : 0 } };
  }

  /**
   * The delayed jobs (throttled, over budget, failed and retrying) summed up for `calhub status`:
   * their count from the queue's counts, their reasons from the `sample` soonest only (one sorted
   * range read and a read per job sampled), so that it costs the same with 10,000 accounts.
   */
  async delayedSummary(sample = 100, knownTotal?: number): Promise<DelayedJobsSummary> {
    // The count status already read for its DELAYED column, so that the two agree.
    const total = knownTotal ?? (await this.queue.getDelayedCount());
    // The delayed set's score is the next try (ms) times 0x1000, plus a tie-breaker (BullMQ's getDelayedScore).
    const ranked: string[] = await this.opts.connection.zrange(this.queue.keys.delayed!, 0, sample - 1, 'WITHSCORES');
    const ids = ranked.filter((_, i) => i % 2 === 0);
    const jobs = await Promise.all(ids.map((id) => this.queue.getJob(id)));
    const facts = jobs.flatMap((job, i) =>
      // A job promoted or removed meanwhile is left out.
      job ? [{ nextTryAt: Math.floor(Number(ranked[2 * i + 1]) / 0x1000), data: job.data, attemptsMade: job.attemptsMade, failedReason: job.failedReason, processedOn: job.processedOn }] : [],
    );
    return summarizeDelayed(total, facts);
  }

  /** The failed jobs, the `sample` most recent read: which calhub takes up again by itself, which need an operator (failed-jobs.ts). */
  async failedSummary(sample = 1000, knownTotal?: number): Promise<FailedJobsSummary> {
    const total = knownTotal ?? (await this.queue.getFailedCount());
    const jobs = await this.queue.getJobs(['failed'], 0, sample - 1, false);
    return summarizeFailed(total, jobs.map((j) => ({ name: j.name, attemptsMade: j.attemptsMade, attempts: j.opts.attempts ?? 1, failedReason: j.failedReason, data: j.data })));
  }

  process(job: Job<JobData>, token?: string): Promise<unknown> {
    // Its store writes are reported as this calendar's (or tenant's): see shared/store/write-watch.ts.
    const { tenantId, calendarId } = job.data;
    return inChangeScope(calendarId ? { tenantId, calendarId } : { tenantId }, () => this.processJob(job, token));
  }

  private async processJob(job: Job<JobData>, token?: string): Promise<unknown> {
    const started = performance.now();
    if (await this.servedAlready(job)) {
      if (job.data.key) await this.turns.leave(job.data.tenantId, job.data.key).catch(() => undefined);
      this.deps.log.debug({ job: job.name, calendarId: job.data.calendarId, runId: runIdOf(job) }, 'pull already served by the run before it');
      return { served: true };
    }
    // Running from here: its first store reads (calendar, account, the run's claim) are what a
    // lighter tenant's run waited longest for behind a heavy one's transactions (session-turns.ts).
    const endPace = this.deps.pace?.begin(job.data.tenantId);
    try {
      return await this.runJob(job, token, started);
    } finally {
      endPace?.();
    }
  }

  /**
   * A success clears the earlier failures of its own key; a pull's also clears its calendar's failed
   * resyncs and pushes: it reached the provider with the same grant, so they describe nothing current.
   */
  private async clearRecovered(job: Job<JobData>): Promise<number> {
    const keys = [job.data.key!, ...(job.name === 'pull' && job.data.calendarId ? [calendarNote(job.data.calendarId)] : [])];
    let removed = 0;
    for (const key of keys) removed += await clearFailures(this.opts.connection, this.prefix, this.queue, key, job.id).catch(() => 0);
    return removed;
  }

  private async runJob(job: Job<JobData>, token: string | undefined, started: number): Promise<unknown> {
    const run = await this.runScope(job);
    run.deps.log.debug({ job: job.name, attempt: job.attemptsMade + 1 }, 'sync run started');
    const budgetMs = this.opts.runBudgetMs ?? DEFAULT_RUN_BUDGET_MS;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new BudgetSpent(budgetMs)), budgetMs);
    this.active.add(abort);
    const state = { signal: abort.signal, committed: 0 };
    if (this.closing) abort.abort(new ShuttingDown());
    let lease: Lease | null = null;
    let ended = true;
    let host: string | null = null;
    try {
      const where = await this.whereRuns(job);
      host = where?.host ?? null;
      // A calendar in a failure streak waits for its next try, whatever job this is (a poll's, a
      // notification's, a push of a mirror copy): they each restarted the backoff at 1 s.
      const wait = where ? this.health.waitFor(where.calendarId) : 0;
      // New work hurried into this job since its last run (hurry) may go first, once per failure.
      const hurried = job.data.hurriedAt !== undefined && job.data.hurriedAt === job.attemptsMade;
      if (where && wait > 0 && !(hurried && this.health.earlyTry(where.calendarId))) {
        this.health.waiting(where.calendarId, job.id);
        await delayJob(job, token, wait, `its calendar's runs fail at ${where.host}; waiting for the calendar's next try`);
      }
      lease = await this.takeShares(job, token, where);
      // Later arrivals of every tenant queue after this job's place (tenant-turns.ts); a hint only.
      await this.turns.started(job.priority).catch(() => undefined);
      const out = await inRunScope(state, () => this.run(job, token, run));
      const outcome = out === FLAGGED_SKIP ? 'flagged' : 'ok';
      this.observe(job, run.provider, outcome, started);
      run.deps.log.info({ job: job.name, outcome, ms: Math.round(performance.now() - started), result: out }, outcome === 'ok' ? 'sync run finished' : 'sync run skipped: the calendar is flagged by the mass-change guard');
      // Its calendar's writes no longer wait for what the last delay or failure said.
      if (outcome === 'ok' && job.name === 'push' && job.data.calendarId) await clearPushWait(this.deps.store.db, job.data.calendarId).catch(() => undefined);
      if (outcome === 'ok' && host) this.health.succeeded(host, job.data.calendarId);
      // Its provider answers: a push channel that fell back to polling for a provider failure is created again now.
      if (outcome === 'ok' && job.name === 'pull' && job.data.calendarId) await this.deps.store.tenant(job.data.tenantId).channels.retryFellBackSoon(job.data.calendarId, new Date()).catch(() => false);
      if (outcome === 'ok' && job.data.key) {
        const removed = await this.clearRecovered(job);
        if (removed) run.deps.log.info({ job: job.name, removed }, 'removed the failed jobs this successful run recovered from');
      }
      return out;
    } catch (e) {
      if (abort.signal.reason instanceof ShuttingDown && !(e instanceof DelayedError)) {
        // Stopped by close(): what it committed stays, and the next start resumes from the cursor.
        this.observe(job, run.provider, 'shutdown', started);
        run.deps.log.info({ job: job.name }, 'sync run stopped for shutdown; it resumes on the next start');
        ended = false;
        await delayJob(job, token, 1000, 'stopped for a worker shutdown; resumes on the next start');
      }
      if (abort.signal.aborted && !(e instanceof DelayedError)) {
        // Over budget: what the run committed stays (each page commits with its cursor); the rest
        // continues later from the stored cursor, backing off while the provider stays this slow.
        // A run that committed work is busy, not stuck: it goes on at once. Backing off after
        // every budget, a push behind steady API writes spent 3-4 of each 8 minutes waiting (soak).
        this.observe(job, run.provider, 'budget', started);
        const busy = state.committed > 0;
        run.deps.log.warn({ job: job.name, budgetMs, committed: state.committed }, busy ? 'sync run over its budget; it goes on from what it committed' : 'sync run over its budget; rescheduled');
        const backoff = busy ? 1000 : jitter(Math.min(300_000, 15_000 * 2 ** Math.min(5, Math.max(0, (job.attemptsStarted ?? 1) - 1))));
        ended = false;
        await delayJob(job, token, backoff, busy ? `over its run budget (${budgetMs} ms); goes on from what it committed` : `over its run budget (${budgetMs} ms) with nothing committed; backing off`, { db: this.deps.store.db });
      }
      if (e instanceof DelayedError) ended = false;
      else {
        // A permanent failure comes wrapped (onError) so the queue does not retry it: count its code.
        const failure = e instanceof UnrecoverableError && isHubError(e.cause) ? e.cause : e;
        const outcome = isHubError(failure) ? failure.code : 'error';
        this.observe(job, run.provider, outcome, started);
        // A provider failure is logged at the first failure of its calendar's streak; the host's
        // summary line (once a minute) counts the rest (2,559 lines in a 13-minute outage).
        const streak = host && job.data.calendarId && isProviderFailure(failure) ? this.health.failed(host, job.data.tenantId, job.data.calendarId, job.id, failure) : null;
        if (quietInStoreOutage(failure, 'sync run')) {
          // the store's outage lines say it
        } else if (!streak || streak.first) {
          run.deps.log.warn({ job: job.name, outcome, attempt: job.attemptsMade + 1, err: e, ...(streak ? { nextTryInS: Math.round(streak.waitMs / 1000) } : {}) }, 'sync run failed');
        } else run.deps.log.debug({ job: job.name, outcome, attempt: job.attemptsMade + 1, err: e, nextTryInS: Math.round(streak.waitMs / 1000) }, 'sync run failed again');
        if (job.data.key && job.id) {
          const keys = job.data.calendarId ? [job.data.key, calendarNote(job.data.calendarId)] : [job.data.key];
          await noteFailure(this.opts.connection, this.prefix, keys, job.id).catch(() => undefined);
        }
        if (job.name === 'push') await notePushFailure(this.deps.store.db, job.data, failure);
      }
      throw e;
    } finally {
      clearTimeout(timer);
      this.active.delete(abort);
      await lease?.release();
      // A delayed job is still its tenant's pending work. One that fails and is retried stops counting:
      // the count is a fairness hint, and erring low only moves the tenant's next job earlier.
      if (ended && job.data.key) await this.turns.leave(job.data.tenantId, job.data.key).catch(() => undefined);
    }
  }

  /**
   * A plain pull whose every ask a run has listed after (pull-asks.ts): nothing left to ask the
   * provider. A retried or replayed job (an attempt made) always runs: a replay is an ask of its own.
   * So does a job taken up again after its worker died (stalled): that worker may have served the
   * asks and died before it freed the calendar's slot, and only a run of this job takes the dead
   * run's slot over (kill-worker test, KILL_SEED=535649103).
   */
  private async servedAlready(job: Job<JobData>): Promise<boolean> {
    if (job.name !== 'pull' || job.data.full || !job.data.calendarId || job.attemptsMade > 0 || job.stalledCounter > 0) return false;
    return this.asks.allServed(job.data.calendarId).catch(() => false);
  }

  /**
   * The run's shares of the workers (its provider host's and its account's). When they are taken,
   * the job waits delayed, not holding a worker slot, and without spending an attempt, behind the
   * rest of its tenant's line.
   */
  private async takeShares(job: Job<JobData>, token: string | undefined, where: Where | null): Promise<Lease | null> {
    const { tenantId } = job.data;
    if (!where) return null; // no calendar, or the run reports it gone
    const lease = await this.shares.acquire(`${this.workerId}:${job.id}`, { host: where.shareHost, accountId: where.accountId, tenantId });
    if (lease) return lease;
    // Back of the tenant's line: the priority is read again when the delay ends.
    if (job.data.key) await job.changePriority({ priority: await this.turns.toBack(tenantId, job.data.key) });
    return delayJob(job, token, jitter(2000), "waiting for a worker share of its provider host or account");
  }

  /** The calendar's account and host (a CalDAV server's, else its provider's); null for a mirror job or a calendar gone. */
  private async whereRuns(job: Job<JobData>): Promise<Where | null> {
    const { tenantId, calendarId } = job.data;
    if (!calendarId) return null;
    const t = this.deps.store.tenant(tenantId);
    const cal = await t.calendars.get(calendarId);
    const account = cal ? await t.accounts.get(cal.accountId) : null;
    if (!cal || !account) return null;
    const shareHost = hostOf(account.provider, cal.providerCalendarId);
    return { calendarId, accountId: account.id, shareHost, host: shareHost ?? account.provider };
  }

  /**
   * Every log line of a run carries its tenant, account, calendar and run (job) ids, the
   * connector's included; the provider labels its metrics.
   */
  private async runScope(job: Job<JobData>): Promise<{ provider: string; deps: EngineDeps }> {
    const { tenantId, calendarId, ruleId } = job.data;
    const owner = calendarId ? await opsQueries.calendarOwner(this.deps.store.db, calendarId).catch(() => null) : null;
    const log = this.deps.log.child({ tenantId, accountId: owner?.accountId, calendarId, ruleId, runId: runIdOf(job), jobId: job.id });
    const connect: EngineDeps['connect'] = async (account, calendar) => {
      const c = await this.deps.connect(account, calendar);
      return { ...c, ctx: { ...c.ctx, log: log.child({ provider: account.provider, calendarId: calendar?.id }) } };
    };
    return { provider: owner?.provider ?? (job.name === 'mirror' ? 'mirror' : 'unknown'), deps: { ...this.deps, log, connect } };
  }

  private observe(job: Job<JobData>, provider: string, outcome: string, started: number): void {
    const m = this.deps.metrics;
    if (!m) return;
    m.syncRuns.inc({ provider, job: job.name, outcome });
    m.syncDuration.observe({ provider, job: job.name, outcome }, (performance.now() - started) / 1000);
  }

  private async run(job: Job<JobData>, token: string | undefined, scope: { provider: string; deps: EngineDeps }): Promise<unknown> {
    const { tenantId, calendarId, ruleId } = job.data;
    const deps = scope.deps;
    try {
      if (job.name === 'mirror') return await reconcileRule(deps, tenantId, ruleId!);
      return await this.inRun(job, token, calendarId!, async (fence) => {
        if (job.name === 'push') return pushCalendar(deps, tenantId, calendarId!, runIdOf(job), fence);
        // A trigger during this pull is not lost: the queue keeps it as one follow-up job
        // (keepLastIfActive in addCoalesced) that runs when this one ends. When this run listed
        // again after the trigger (pull-asks.ts), that job finds it served and asks nothing.
        let served: number | null = null;
        const r = await pullCalendar(deps, tenantId, calendarId!, {
          full: job.data.full ?? false, fence, asks: () => this.asks.asked(calendarId!), onServed: (n) => (served = n),
        });
        // After the run's pages are committed: only then may a follow-up rely on them.
        if (served !== null) await this.asks.served(calendarId!, served).catch(() => undefined);
        if (await this.deps.store.tenant(tenantId).outbox.any(calendarId!)) await this.requestPush(tenantId, calendarId!);
        return r;
      });
    } catch (e) {
      // Switched off while it waited or ran: nothing to do, and nothing failed (what it committed went with the switch).
      if (isHubError(e) && e.code === 'CALENDAR_NOT_SYNCED') return { skipped: 'sync is off' };
      // Flagged by the mass-change guard: reported once, by the flag, until an operator unflags it.
      // Failing each pull (a webhook's, a resync's) and push kept a failed job per attempt that
      // `calhub status` counted, a failed run in the metrics, and one more failure of the calendar.
      if (isHubError(e) && e.code === 'CALENDAR_FLAGGED') return FLAGGED_SKIP;
      return this.onError(job, token, e, scope);
    }
  }

  /** The job as one sync run of its calendar; while another run holds the slot, it waits without spending an attempt. */
  private async inRun<T>(job: Job<JobData>, token: string | undefined, calendarId: string, fn: (fence: Fence) => Promise<T>): Promise<T> {
    try {
      return await inSyncRun(this.deps.store, job.data.tenantId, calendarId, { owner: `${this.workerId}:${job.id}`, staleRunMs: this.opts.staleRunMs, heartbeatMs: this.opts.heartbeatMs }, fn);
    } catch (e) {
      if (!(e instanceof SyncBusyError)) throw e;
      return delayJob(job, token, jitter(1000), 'another run of this calendar holds its sync slot');
    }
  }

  private async onError(job: Job<JobData>, token: string | undefined, e: unknown, scope: { provider: string; deps: EngineDeps }): Promise<never> {
    const deps = scope.deps;
    if (e instanceof DelayedError) throw e;
    // What the store said stays out of job results and API answers, so it is logged here.
    if (isHubError(e) && e.code === 'STORE_FAILED') deps.log.error({ err: e.cause ?? e, job: job.name }, 'a sync job failed in the store');
    if (e instanceof GrantRevokedError && job.data.calendarId) {
      const t = this.deps.store.tenant(job.data.tenantId);
      const cal = await t.calendars.get(job.data.calendarId);
      // The first refusal's reason stands: a calendar of an account already waiting for its user
      // fails with that reason inside its own message, and recording that nested it once more per run.
      if (cal) await t.accounts.markNeedsReauth(cal.accountId, e.message);
    }
    if (isHubError(e)) {
      if (e.retry === 'delay') {
        const provider = e.provider ?? scope.provider;
        deps.metrics?.rateLimitWaits.inc({ provider, kind: 'delayed' });
        deps.metrics?.rateLimitWaitSeconds.inc({ provider, kind: 'delayed' }, (e.retryAfterMs ?? 30_000) / 1000);
        deps.log.info({ job: job.name, retryAfterMs: e.retryAfterMs ?? 30_000, code: e.code }, 'rate limited: the run is delayed');
        await delayJob(job, token, e.retryAfterMs ?? 30_000, `${e.code}: ${e.message}`, { db: this.deps.store.db });
      }
      if (e.retry === 'never') throw Object.assign(new UnrecoverableError(`${e.code}: ${e.message}`), { cause: e });
    }
    throw e;
  }

  /**
   * Whether the enqueues the store's callbacks started (pushes, mirrors; not awaited by the writes)
   * have all reached Redis, waiting up to `ms` for them: a job's own triggers can land after the
   * job is done.
   */
  async enqueued(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.pending.size && Date.now() < deadline) {
      await Promise.race([Promise.all(this.pending), new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref())]);
    }
    return this.pending.size === 0;
  }

  /**
   * Stops the workers. Runs under way are aborted as an over-budget run is (its provider requests
   * fail, what it committed stays) and wait delayed for the next start: a worker's close waits for
   * its jobs, and a run reading a large or slow calendar held `calhub start`'s shutdown past the
   * 15 s its threads are given.
   */
  async close(): Promise<void> {
    this.closing = true;
    const stop = Promise.all(this.workers.map((w) => w.close()));
    for (const a of this.active) a.abort(new ShuttingDown());
    await stop;
    // Runs stopping above may have queued more; a Redis that does not answer gets a bounded wait.
    if (!(await this.enqueued(ENQUEUE_DRAIN_MS))) this.deps.log.warn({ pending: this.pending.size }, 'closing with enqueues Redis has not answered; their calendars are pushed on their next change or poll');
    await this.queue.close();
    for (const c of this.ownConnections) c.disconnect();
  }
}
