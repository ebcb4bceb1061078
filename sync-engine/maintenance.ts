/**
 * Periodic upkeep as a BullMQ job scheduler on its own queue: free calendars whose sync run died,
 * pull calendars that have not synced for a while (CalDAV polling, the backstop for missed push),
 * and move the busy index horizon forward. The scheduler makes one tick per interval for the whole
 * deployment, whichever worker takes it, instead of one per worker process: with many workers the
 * sweeps neither multiply nor line up. Every step is idempotent, so a tick run twice is harmless.
 */
import { Queue, Worker } from 'bullmq';
import { DEFAULT_REDIS_PREFIX, type RedisConnection } from '../shared/redis-keys.ts';
import type { Logger } from '../shared/logger.ts';
import { outageLog, quietInStoreOutage } from '../shared/outage-log.ts';
import { syncRepo, type Store } from '../shared/store/index.ts';

export const MAINTENANCE_QUEUE = 'calhub-maintenance';
/** No tick finished for this many intervals before a worker started: the deployment was down. */
const DOWN_AFTER_TICKS = 3;
/** A catch-up after downtime is handed to the queue in this many steps over this long: no herd of pulls at once. */
const CATCH_UP_STEPS = 12;
const CATCH_UP_SPREAD_MS = 60_000;
/** A timed poll starts this long after its slot, so that its listing (read on the database's clock) begins after it. */
const POLL_AFTER_SLOT_MS = 100;

export interface MaintenanceOptions {
  connection: RedisConnection;
  /** The sync queue's prefix (REDIS_PREFIX). */
  prefix?: string;
  store: Store;
  log: Logger;
  staleRunMs: number;
  pollIntervalMs: number;
  /** Schedules a pull (through the sync queue) for a calendar due for polling. */
  requestPull(tenantId: string, calendarId: string): Promise<unknown>;
  /**
   * More upkeep from outer layers (the webhooks channel supervisor), run after the built-in
   * steps. Handed in rather than imported, so dependencies keep pointing inward.
   */
  steps?: MaintenanceStep[];
  /** How often the tick runs (default a minute). */
  everyMs?: number;
  /** How often each worker puts the scheduler back should Redis have lost it (default a minute). */
  reassertMs?: number;
  /** How long the catch-up after downtime is spread over (default a minute, at most half the poll interval). */
  catchUpSpreadMs?: number;
}

export interface MaintenanceStep {
  name: string;
  run(): Promise<unknown>;
}

/**
 * Polls set to start at their calendar's slot (sync-repo.ts pollsComing) within `withinMs`, as
 * timers of the worker that ran the tick: at a tick per half interval (at most a minute) a poll
 * started up to that long after its slot, so a change waited up to one and a half intervals.
 */
export interface PollAhead {
  withinMs: number;
  at(tenantId: string, calendarId: string, inMs: number): void;
}

export interface TickResult {
  reaped: string[];
  polled: number;
  /** Polls set to start at their slot before the next tick. */
  scheduled: number;
  horizonsMoved: number;
  /** Each extra step's result, or `{ error }` when it failed. */
  steps: Record<string, unknown>;
}

export async function maintenanceTick(o: Omit<MaintenanceOptions, 'connection' | 'prefix'>, ahead?: PollAhead): Promise<TickResult> {
  const reaped = await o.store.reapStaleSyncs(o.staleRunMs);
  if (reaped.length) o.log.warn({ calendars: reaped }, 'reaped stale sync runs');
  const due = await syncRepo.dueForPoll(o.store.db, o.pollIntervalMs);
  for (const d of due) await o.requestPull(d.tenantId, d.calendarId);
  const coming = ahead ? await syncRepo.pollsComing(o.store.db, o.pollIntervalMs, ahead.withinMs) : [];
  for (const c of coming) ahead!.at(c.tenantId, c.calendarId, c.inMs);
  const horizonsMoved = await o.store.extendHorizons();
  if (horizonsMoved) o.log.info({ calendars: horizonsMoved }, 'extended busy horizons');
  const steps: Record<string, unknown> = {};
  for (const step of o.steps ?? []) {
    // One failing step must not starve the others; the next tick runs it again.
    try {
      steps[step.name] = await step.run();
    } catch (e) {
      if (!quietInStoreOutage(e, `maintenance ${step.name}`)) o.log.error({ err: e instanceof Error ? e : new Error(String(e)), step: step.name }, 'maintenance step failed');
      steps[step.name] = { error: e instanceof Error ? e.message : String(e) };
    }
  }
  return { reaped, polled: due.length, scheduled: coming.length, horizonsMoved, steps };
}

export class Maintenance {
  readonly queue: Queue;
  private worker: Worker | null = null;
  private readonly connections: RedisConnection[] = [];
  private reassert: NodeJS.Timeout | null = null;
  private readonly onReady = () => void this.keepScheduled();
  private scheduleFailing = false;
  private catchUpTimer: NodeJS.Timeout | null = null;
  /** Polls waiting for their slot, by calendar: a tick overlapping the last one sets none twice. */
  private readonly pollTimers = new Map<string, NodeJS.Timeout>();
  private readonly ahead: PollAhead = {
    withinMs: 0, // set by startWorker
    at: (tenantId, calendarId, inMs) => {
      if (this.pollTimers.has(calendarId)) return;
      // Just past the slot: the pull's listing must begin at or after it to count as its poll.
      const timer = setTimeout(() => {
        this.pollTimers.delete(calendarId);
        void this.o.requestPull(tenantId, calendarId).catch((e: unknown) => quietInStoreOutage(e, 'poll') || this.o.log.warn({ err: e, calendarId }, 'queueing a poll failed; the next tick will'));
      }, inMs + POLL_AFTER_SLOT_MS);
      timer.unref();
      this.pollTimers.set(calendarId, timer);
    },
  };

  constructor(private readonly o: MaintenanceOptions) {
    this.queue = new Queue(MAINTENANCE_QUEUE, { connection: o.connection, prefix: o.prefix ?? DEFAULT_REDIS_PREFIX });
    this.queue.on('error', () => {}); // heard on the connection (hub/redis.ts), as the engine's queue
  }

  /**
   * A minute, or half the poll interval when that is shorter: a calendar is polled at a tick, so
   * with a 30 s SYNC_POLL_INTERVAL_MS and a tick a minute its pulls came 60 s apart.
   */
  private get everyMs(): number {
    return this.o.everyMs ?? Math.min(60_000, Math.max(1_000, Math.floor(this.o.pollIntervalMs / 2)));
  }

  /** Idempotent: every worker may call it; the scheduler exists once. */
  async schedule(everyMs = this.everyMs): Promise<void> {
    await this.queue.upsertJobScheduler('tick', { every: everyMs }, { name: 'tick', opts: { removeOnComplete: 100, removeOnFail: 100, attempts: 1 } });
  }

  /**
   * The worker runs the ticks and, while it runs, keeps the scheduler in Redis. The scheduler lives
   * only there: a Redis that lost its data (flushed, restarted empty, a new REDIS_PREFIX) had none,
   * the workers reconnected, and polling, the reaper, horizons and channel renewal stopped for good.
   */
  startWorker(): Worker {
    void this.catchUpAfterDowntime(new Date()).catch((e: unknown) => this.o.log.warn({ err: e }, 'catching up push calendars after downtime failed; the polls will'));
    const connection = this.o.connection.duplicate();
    this.connections.push(connection);
    // A little past the next tick: the scheduler's ticks come a few ms late, and a slot between two
    // windows would wait for the tick after it.
    this.ahead.withinMs = this.everyMs + Math.min(5_000, Math.floor(this.everyMs / 4));
    this.worker = new Worker(MAINTENANCE_QUEUE, () => maintenanceTick(this.o, this.ahead), { connection, prefix: this.o.prefix ?? DEFAULT_REDIS_PREFIX, concurrency: 1 });
    this.worker.on('failed', (_job, e) => quietInStoreOutage(e, 'maintenance tick') || this.o.log.error({ err: e }, 'maintenance tick failed'));
    this.worker.on('error', outageLog(this.o.log, 'maintenance worker', connection));
    this.reassert = setInterval(this.onReady, this.o.reassertMs ?? 60_000);
    this.reassert.unref();
    // A reconnect is when an emptied Redis is likeliest: put it back then, not up to a minute later.
    this.o.connection.on('ready', this.onReady);
    return this.worker;
  }

  /**
   * Push notifications sent while no hub listened are lost (Google never sends them again; Graph
   * gives up after hours), so calendars that rely on push would wait for their next poll — up to
   * SYNC_POLL_INTERVAL_MS and a half. When no maintenance tick finished for a few intervals before
   * this worker started, the deployment was down: those calendars are pulled now, in steps over a
   * minute in their poll-phase order. A worker joining a running deployment (ticks recent) pulls
   * nothing. Returns how many were queued for the catch-up.
   */
  async catchUpAfterDowntime(startedAt: Date): Promise<number> {
    const every = this.everyMs;
    const ticks = await this.queue.getJobs(['completed', 'failed'], 0, 9, false);
    const last = Math.max(0, ...ticks.map((j) => j.finishedOn ?? 0).filter((t) => t < startedAt.getTime()));
    if (last > startedAt.getTime() - DOWN_AFTER_TICKS * every) return 0;
    const behind = await syncRepo.pushCalendarsBehind(this.o.store.db, startedAt);
    if (behind.length === 0) return 0;
    this.o.log.info({ calendars: behind.length, lastTickAt: last ? new Date(last).toISOString() : null }, 'the hub was down: pulling calendars that rely on push, whose notifications meanwhile were lost');
    const size = Math.ceil(behind.length / CATCH_UP_STEPS);
    const stepMs = Math.min(this.o.catchUpSpreadMs ?? CATCH_UP_SPREAD_MS, this.o.pollIntervalMs / 2) / CATCH_UP_STEPS;
    const step = async (): Promise<void> => {
      this.catchUpTimer = null;
      for (const c of behind.splice(0, size)) await this.o.requestPull(c.tenantId, c.calendarId);
      if (behind.length > 0) this.catchUpTimer = setTimeout(() => void step().catch((e: unknown) => this.o.log.warn({ err: e }, 'catch-up pull failed; the polls will')), stepMs).unref();
    };
    const total = behind.length;
    await step();
    return total;
  }

  private async keepScheduled(): Promise<void> {
    try {
      await this.schedule();
      if (this.scheduleFailing) this.o.log.info('maintenance scheduler asserted again');
      this.scheduleFailing = false;
    } catch (e) {
      // Once per outage: the interval tries again, and Redis being down is logged elsewhere.
      if (!this.scheduleFailing) this.o.log.warn({ err: e }, 'maintenance scheduler could not be asserted; retrying every interval');
      this.scheduleFailing = true;
    }
  }

  async close(): Promise<void> {
    if (this.reassert) clearInterval(this.reassert);
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
    for (const t of this.pollTimers.values()) clearTimeout(t);
    this.pollTimers.clear();
    this.o.connection.off('ready', this.onReady);
    await this.worker?.close();
    await this.queue.close();
    for (const c of this.connections) c.disconnect();
  }
}
