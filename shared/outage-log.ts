/**
 * A queue connection's errors while Redis is down come several times a second per worker: logged
 * each, with its stack, a 70 s outage wrote ~330 lines per worker. So an outage is one line when it
 * starts, one "still unreachable" a minute while it goes on, and one when it is over, per process:
 * every worker and the shared rate limits report to the same tracker (they logged one line each).
 *
 * Only connection errors are an outage. Anything else a worker reports (a Lua script error, OOM
 * command not allowed) is logged as itself, once a minute per distinct message, so a loop cannot
 * flood the log and the next different error is still heard. A job Redis no longer holds (its lock
 * or its key gone: Redis restarted empty, or the process stalled past the lock) is a warning that
 * says the work is not lost, once a minute: after a wipe every running job says it, and as errors
 * they sent operators looking for lost writes that the store still held.
 */
export interface OutageLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** BullMQ's words for a job whose lock or key Redis no longer holds. */
const LOST_JOB = /^(?:could not renew lock for job|Missing (?:key|lock) for job) (\S+?)\.?(?:\s|$)/;

/** The job id when the error says Redis lost the job, else null. */
export function lostJobId(e: unknown): string | null {
  return LOST_JOB.exec(messageOf(e))?.[1] ?? null;
}

/** Something that says when its connection is up again: an ioredis client's `ready` event. */
export interface ReadySource {
  on(event: 'ready', fn: () => void): unknown;
}

export const STILL_DOWN_EVERY_MS = 60_000;
/** While a dependency is known hung: the pause between the end of one check and the next. */
export const CHECK_EVERY_MS = 1000;
/** Without a `ready` event to listen to: no error for this long after the last one means back. */
export const QUIET_MS = 10_000;
const MAX_DISTINCT = 200;

/** Errors a client gives when it has no connection (ioredis's own, and the socket's). */
const UNREACHABLE = /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|ETIMEDOUT|EAI_AGAIN|MaxRetriesPerRequest|Reached the max retries per request/;

export function isConnectionError(e: unknown): boolean {
  if (!(e instanceof Error)) return UNREACHABLE.test(String(e));
  return UNREACHABLE.test(`${(e as NodeJS.ErrnoException).code ?? ''} ${e.name} ${e.message}`);
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

const REASONS: Array<[RegExp, string]> = [
  [/ECONNREFUSED|connection refused/i, 'connection refused'],
  [/ECONNRESET|EPIPE|connection reset/i, 'connection reset'],
  [/ETIMEDOUT|timed out|timeout/i, 'connection timed out'],
  [/did not answer/i, 'not answering'],
  [/ENOTFOUND|EAI_AGAIN|not found/i, 'host not found'],
  [/EHOSTUNREACH|ENETUNREACH/, 'host unreachable'],
  [/Connection terminated/i, 'connection terminated'],
  [/Connection is closed|Stream isn't writeable/i, 'connection closed'],
];

/** A few words safe for an unauthenticated answer: never an address, a URL or a password. */
function shortReason(e: unknown): string {
  const text = `${(e as { code?: unknown })?.code ?? ''} ${messageOf(e)}`;
  return REASONS.find(([re]) => re.test(text))?.[1] ?? 'unreachable';
}

/**
 * One process's view of whether a dependency (Redis, the store) is reachable; `redisOutage` and
 * `storeOutage` are the process's ones.
 */
export class DependencyOutage {
  private since: number | null = null;
  private lastSaid = 0;
  private repeats = 0;
  private readonly noticedBy = new Set<string>();
  private quiet: NodeJS.Timeout | undefined;
  private log: OutageLogger | undefined;
  private reason: string | null = null;
  /** While hung: how to ask the dependency whether it answers again (see `unanswered`). */
  private check: (() => Promise<unknown>) | null = null;
  private checkTimer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(readonly name = 'Redis') {}

  /** The logger for reports made where none is at hand (the store driver): the process's own. */
  useLog(log: OutageLogger): void {
    this.log = log;
  }

  get down(): boolean {
    return this.since !== null;
  }

  /** Why, in a few words (`connection refused`), while down: for readiness answers. */
  get lastError(): string | null {
    return this.since === null ? null : this.reason;
  }

  /** A connection error seen by `what`. Without `hasReady`, QUIET_MS without errors counts as back. */
  report(log: OutageLogger | undefined, what: string, e: unknown, hasReady: boolean): void {
    const now = Date.now();
    if (log) this.log = log;
    log = this.log;
    this.noticedBy.add(what);
    this.reason = shortReason(e);
    if (this.since === null) {
      this.since = this.lastSaid = now;
      log?.error({ error: messageOf(e), noticedBy: what }, `${this.name} unreachable`);
    } else if (now - this.lastSaid >= STILL_DOWN_EVERY_MS) {
      this.lastSaid = now;
      log?.error({ error: messageOf(e), downForS: Math.round((now - this.since) / 1000), repeats: this.repeats, affected: [...this.noticedBy] }, `${this.name} still unreachable`);
      this.repeats = 0;
    } else this.repeats += 1;
    clearTimeout(this.quiet);
    if (hasReady) return;
    this.quiet = setTimeout(() => this.back(), QUIET_MS);
    this.quiet.unref?.();
  }

  /**
   * Down because it stopped answering: a deadline passed (a query unanswered, a connection not
   * made), not a refusal. Until `back()`, `hung` is true and callers fail at once instead of each
   * waiting out its own deadline (30 s each piled up requests and connections); `check` (a cheap
   * query on a connection of its own, with a short deadline) is tried now and then one at a time,
   * CHECK_EVERY_MS after the last ended, and its answer is `back()`: one probe per process, not
   * every caller, finds the dependency answering again within a few seconds.
   */
  unanswered(what: string, e: unknown, check: () => Promise<unknown>): void {
    this.report(undefined, what, e, true);
    const first = this.check === null;
    this.check = check;
    if (first) this.nextCheck(0);
  }

  get hung(): boolean {
    return this.check !== null;
  }

  /** The check `unanswered` was given goes (its connection settings closed): nothing checks with it, and callers try again themselves. */
  withdraw(check: () => Promise<unknown>): void {
    if (this.check !== check) return;
    this.check = null;
    clearTimeout(this.checkTimer);
  }

  private nextCheck(ms: number): void {
    clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => void this.runCheck(), ms);
    this.checkTimer.unref?.();
  }

  private async runCheck(): Promise<void> {
    const check = this.check;
    if (!check || this.checking) return;
    this.checking = true;
    let answered = false;
    try {
      await check();
      answered = true;
    } catch {
      // still not answering (or refusing): checked again after the pause
    } finally {
      this.checking = false;
    }
    if (answered && this.check === check) this.back();
    else if (this.check) this.nextCheck(CHECK_EVERY_MS);
  }

  /** A connection is ready again (or a command went through): the outage, if any, is over. */
  back(): void {
    clearTimeout(this.quiet);
    clearTimeout(this.checkTimer);
    this.check = null;
    if (this.since === null) return;
    this.log?.info({ downForS: Math.round((Date.now() - this.since) / 1000), affected: [...this.noticedBy] }, `${this.name} reachable again`);
    this.since = null;
    this.repeats = 0;
    this.noticedBy.clear();
  }
}

/** Kept by its old name: the Redis tracker. */
export class RedisOutage extends DependencyOutage {
  constructor() {
    super('Redis');
  }
}

export const redisOutage = new RedisOutage();

/**
 * The store's: the PostgreSQL driver reports each connection failure (refused, terminated, timed
 * out) here and each query that goes through ends the outage. A PostgreSQL outage used to write a
 * line per loop round (~10/s from the webhook sweep) and a stack per API request.
 */
export const storeOutage = new DependencyOutage('store');

/** The code of a store error whose cause is that the store cannot be reached (shared/store/pg-driver.ts). */
export const STORE_UNAVAILABLE = 'STORE_UNAVAILABLE';

/** A store failure because the store cannot be reached (not a query's own error). */
export function isStoreUnreachable(e: unknown): boolean {
  for (let x = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    if ((x as { code?: unknown }).code === STORE_UNAVAILABLE) return true;
  }
  return false;
}

/**
 * For a loop's or a request's error handler: true when `e` is the store being unreachable, which
 * the store's outage lines already say (counted in its "still unreachable" line); the caller then
 * logs nothing of its own.
 */
export function quietInStoreOutage(e: unknown, what: string, outage: DependencyOutage = storeOutage): boolean {
  if (!isStoreUnreachable(e)) return false;
  outage.report(undefined, what, e, true);
  return true;
}

/**
 * The handler for a worker's `error` event. `ready` (the worker's own connection) says when Redis
 * is back; `outage` is for tests.
 */
export function outageLog(log: OutageLogger, what: string, ready?: ReadySource, outage: DependencyOutage = redisOutage): (e: unknown) => void {
  ready?.on('ready', () => outage.back());
  const others = new Map<string, { lastSaid: number; repeats: number }>();
  return (e: unknown) => {
    if (isConnectionError(e)) return outage.report(log, what, e, ready !== undefined);
    const now = Date.now();
    const jobId = lostJobId(e);
    // Each lost job has its own id: one line a minute for all of them, with how many since.
    const text = jobId === null ? messageOf(e) : 'lost job';
    const seen = others.get(text);
    if (seen && now - seen.lastSaid < STILL_DOWN_EVERY_MS) {
      seen.repeats += 1;
      return;
    }
    if (!seen && others.size >= MAX_DISTINCT) others.clear();
    const repeats = seen ? { repeatsSinceLast: seen.repeats } : {};
    if (jobId !== null) {
      log.warn(
        { jobId, reason: messageOf(e), ...repeats },
        `${what}: Redis no longer holds job ${jobId} (expected after Redis restarted without its data, or a process stalled past its lock); nothing is lost: the store holds the work and it is queued again`,
      );
    } else log.error({ err: e, ...repeats }, `${what}: ${text}`);
    others.set(text, { lastSaid: now, repeats: 0 });
  };
}

/**
 * A readiness probe's answer for a dependency the process has not yet connected to for the first
 * time, and has not failed to: `starting`, not `unavailable` (api/health.ts).
 */
export class StartingError extends Error {
  override name = 'StartingError';
}
