/**
 * Runs pulls, mirror passes and pushes in-process until nothing changes: what the queue does over
 * time, in one call. Used by `calhub resync` without a worker and by the model-based tests. The
 * whole settle is one sync run per calendar (sync-run.ts): it holds their slots, fences every
 * commit, and records each calendar's outcome where the API and `accounts list` see it.
 */
import { randomBytes } from 'node:crypto';
import { SyncBusyError, type EngineDeps } from './deps.ts';
import { reconcileRule } from './mirror.ts';
import { pullCalendar } from './pull.ts';
import { pushCalendar } from './push.ts';
import { runLogDeps } from './run-log.ts';
import { claimRun, runOwner, type SyncRun } from './sync-run.ts';

export interface SettleResult {
  rounds: number;
  applied: number;
  written: number;
  mirrored: number;
  conflicts: number;
  /** With `isolate`: the calendars that failed, and why (a failed mirror pass counts against its target). */
  failures: Map<string, unknown>;
  /** Calendars whose first pull was a full listing (asked for, or no cursor yet). */
  fullListings: string[];
}

export async function settle(
  deps: EngineDeps,
  tenantId: string,
  calendarIds: string[],
  opts: { full?: boolean; maxRounds?: number; runId?: string; isolate?: boolean; staleRunMs?: number } = {},
): Promise<SettleResult> {
  const total: SettleResult = { rounds: 0, applied: 0, written: 0, mirrored: 0, conflicts: 0, failures: new Map(), fullListings: [] };
  const live = new Set(calendarIds);
  // Without isolate the first error ends the run, as a queue job would; with it, one broken
  // calendar is set aside and the others still settle (an operator's resync of a whole account).
  const fail = (id: string, e: unknown) => {
    if (!opts.isolate) throw e;
    if (!total.failures.has(id)) total.failures.set(id, e);
    live.delete(id);
  };
  const runs = new Map<string, SyncRun>();
  const owner = runOwner('settle');
  let thrown: { e: unknown } | null = null;
  try {
    for (const id of calendarIds) {
      const run = await claimRun(deps.store, tenantId, id, { owner, staleRunMs: opts.staleRunMs });
      if (run) runs.set(id, run);
      else fail(id, new SyncBusyError(id));
    }
    await rounds(deps, tenantId, calendarIds, live, runs, fail, total, opts);
    return total;
  } catch (e) {
    thrown = { e };
    throw e;
  } finally {
    // Each calendar records its own outcome; when settle itself threw, nothing is known to have worked.
    for (const run of runs.values()) await run.release(thrown ? thrown.e : total.failures.get(run.calendarId));
  }
}

async function rounds(
  deps: EngineDeps,
  tenantId: string,
  calendarIds: string[],
  live: Set<string>,
  runs: Map<string, SyncRun>,
  fail: (id: string, e: unknown) => void,
  total: SettleResult,
  opts: { full?: boolean; maxRounds?: number; runId?: string },
): Promise<void> {
  const rules = (await deps.store.tenant(tenantId).mirror.list()).filter(
    (r) => calendarIds.includes(r.sourceCalendarId) || calendarIds.includes(r.targetCalendarId),
  );
  const runId = opts.runId ?? `run-${randomBytes(6).toString('hex')}`;
  // Each calendar's pulls and pushes log with its ids and the run's (sync-engine/run-log.ts).
  const scoped = new Map<string, EngineDeps>();
  for (const id of calendarIds) scoped.set(id, await runLogDeps(deps, { tenantId, calendarId: id, runId }));
  const ruleDeps = new Map<string, EngineDeps>();
  for (const r of rules) ruleDeps.set(r.id, await runLogDeps(deps, { tenantId, calendarId: r.targetCalendarId, runId, ruleId: r.id }));
  let full = opts.full ?? false;
  for (let round = 0; round < (opts.maxRounds ?? 10); round++) {
    total.rounds += 1;
    let changed = 0;
    for (const id of calendarIds.filter((c) => live.has(c))) {
      try {
        const r = await pullCalendar(scoped.get(id)!, tenantId, id, { full, fence: runs.get(id)!.fence });
        if (round === 0 && r.fullListing) total.fullListings.push(id);
        changed += r.applied + r.deleted;
        total.applied += r.applied + r.deleted;
        total.conflicts += r.conflicts;
      } catch (e) {
        fail(id, e);
      }
    }
    full = false;
    for (const rule of rules) {
      try {
        const m = await reconcileRule(ruleDeps.get(rule.id)!, tenantId, rule.id);
        changed += m.written + m.removed;
        total.mirrored += m.written + m.removed;
      } catch (e) {
        fail(rule.targetCalendarId, e);
      }
    }
    for (const id of calendarIds.filter((c) => live.has(c))) {
      try {
        const p = await pushCalendar(scoped.get(id)!, tenantId, id, runId, runs.get(id)!.fence);
        changed += p.written;
        total.written += p.written;
        total.conflicts += p.conflicts;
      } catch (e) {
        fail(id, e);
      }
    }
    if (changed === 0) return;
  }
}
