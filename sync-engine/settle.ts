/**
 * Runs pulls, mirror passes and pushes in-process until nothing changes: what the queue does over
 * time, in one call. Used by `calhub resync` without a worker and by the model-based tests.
 */
import { randomBytes } from 'node:crypto';
import type { EngineDeps } from './deps.ts';
import { reconcileRule } from './mirror.ts';
import { pullCalendar } from './pull.ts';
import { pushCalendar } from './push.ts';

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
  opts: { full?: boolean; maxRounds?: number; runId?: string; isolate?: boolean } = {},
): Promise<SettleResult> {
  const total: SettleResult = { rounds: 0, applied: 0, written: 0, mirrored: 0, conflicts: 0, failures: new Map(), fullListings: [] };
  const rules = (await deps.store.tenant(tenantId).mirror.list()).filter(
    (r) => calendarIds.includes(r.sourceCalendarId) || calendarIds.includes(r.targetCalendarId),
  );
  const runId = opts.runId ?? `run-${randomBytes(6).toString('hex')}`;
  const live = new Set(calendarIds);
  // Without isolate the first error ends the run, as a queue job would; with it, one broken
  // calendar is set aside and the others still settle (an operator's resync of a whole account).
  const fail = (id: string, e: unknown) => {
    if (!opts.isolate) throw e;
    if (!total.failures.has(id)) total.failures.set(id, e);
    live.delete(id);
  };
  let full = opts.full ?? false;
  for (let round = 0; round < (opts.maxRounds ?? 10); round++) {
    total.rounds += 1;
    let changed = 0;
    for (const id of calendarIds.filter((c) => live.has(c))) {
      try {
        const r = await pullCalendar(deps, tenantId, id, { full });
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
        const m = await reconcileRule(deps, tenantId, rule.id);
        changed += m.written + m.removed;
        total.mirrored += m.written + m.removed;
      } catch (e) {
        fail(rule.targetCalendarId, e);
      }
    }
    for (const id of calendarIds.filter((c) => live.has(c))) {
      try {
        const p = await pushCalendar(deps, tenantId, id, runId);
        changed += p.written;
        total.written += p.written;
        total.conflicts += p.conflicts;
      } catch (e) {
        fail(id, e);
      }
    }
    if (changed === 0) return total;
  }
  return total;
}
