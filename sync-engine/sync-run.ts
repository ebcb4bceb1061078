/**
 * One sync run of a calendar, for every caller (the queue worker, `settle`, the CLI's in-process
 * sync): claim the calendar's sync slot, fence every commit with it, record the outcome on the
 * calendar (stage, last success, failure count, last error), release the slot. One sync per
 * calendar is enforced here, in the store, never assumed from who is calling.
 */
import { randomBytes } from 'node:crypto';
import { isHubError } from '../shared/errors.ts';
import { scrubSecrets } from '../shared/logger.ts';
import type { Store } from '../shared/store/index.ts';
import { CalendarFlaggedError, SyncBusyError } from './deps.ts';
import { slotFence, type Fence } from './fence.ts';
import { runStoppedNotFailed } from './run-scope.ts';

/**
 * A provider's rate limit that ends a run is no failure (no `sync.failed`, nothing in status) while
 * the calendar synced within this long: the job is delayed by the provider's Retry-After and goes
 * on; a throttle that lasts longer is reported as any failure.
 */
export const RATE_LIMIT_GRACE_MS = 15 * 60_000;

/** A run silent this long (no commit, no heartbeat) is presumed dead (its worker was killed) and its slot may be taken. */
export const DEFAULT_STALE_RUN_MS = 30_000;

/** A claimed slot: pass `fence` to every pull and push of the run, then release it exactly once. */
export interface SyncRun {
  readonly calendarId: string;
  readonly owner: string;
  readonly fence: Fence;
  /** Records the outcome (no error: success) and frees the slot; a slot taken over meanwhile is left alone. */
  release(error?: unknown): Promise<void>;
  /** Frees the slot recording no outcome: the run was stopped and goes on later (run-scope.ts). */
  stop(): Promise<void>;
}

/** One line for the calendar's last error: the stable code, the message, never a credential. */
export function describeError(e: unknown): string {
  const text = isHubError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  return scrubSecrets(text);
}

/** A unique owner name for the runs of one worker, job or command. */
export const runOwner = (prefix: string): string => `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;

export interface RunOptions {
  owner: string;
  staleRunMs?: number;
  /** How often the run proves it is alive between commits (default: a third of staleRunMs, at most 5 s). */
  heartbeatMs?: number;
}

/** Takes a calendar's sync slot; null when another live run holds it. */
export async function claimRun(store: Store, tenantId: string, calendarId: string, opts: RunOptions): Promise<SyncRun | null> {
  const t = store.tenant(tenantId);
  const staleRunMs = opts.staleRunMs ?? DEFAULT_STALE_RUN_MS;
  if (!(await t.calendars.claimSync(calendarId, opts.owner, staleRunMs))) return null;
  // A sign of life between commits, so a killed run's slot is recognised within seconds
  // (staleRunMs) instead of after the longest a live run may stay silent.
  const heartbeat = setInterval(() => {
    void t.calendars.fence(calendarId, opts.owner).catch(() => undefined);
  }, opts.heartbeatMs ?? Math.min(5000, Math.floor(staleRunMs / 3)));
  heartbeat.unref();
  let released = false;
  const end = async (outcome: Parameters<typeof t.calendars.releaseSync>[2]) => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    await t.calendars.releaseSync(calendarId, opts.owner, outcome);
  };
  return {
    calendarId,
    owner: opts.owner,
    fence: slotFence(calendarId, opts.owner),
    release: (error?: unknown) =>
      end(error === undefined ? { ok: true } : { ok: false, error: describeError(error), ...(isHubError(error) && error.code === 'CONNECTOR_RATE_LIMITED' ? { graceMs: RATE_LIMIT_GRACE_MS } : {}) }),
    stop: () => end({ stopped: true }),
  };
}

/**
 * Claim, run `fn` under the fence, record, release: the whole of one run. Throws SyncBusyError
 * (without running fn) when another run holds the slot; fn's error is recorded and passed on.
 */
export async function inSyncRun<T>(store: Store, tenantId: string, calendarId: string, opts: RunOptions, fn: (fence: Fence) => Promise<T>): Promise<T> {
  const run = await claimRun(store, tenantId, calendarId, opts);
  if (!run) throw new SyncBusyError(calendarId);
  let out: T;
  try {
    out = await fn(run.fence);
  } catch (e) {
    // A flagged calendar's run stops before it asks anything: the flag is its state, not a new failure.
    await (runStoppedNotFailed() || e instanceof CalendarFlaggedError ? run.stop() : run.release(e));
    throw e;
  }
  await run.release();
  return out;
}
