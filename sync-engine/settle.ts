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
}

export async function settle(
  deps: EngineDeps,
  tenantId: string,
  calendarIds: string[],
  opts: { full?: boolean; maxRounds?: number; runId?: string } = {},
): Promise<SettleResult> {
  const total: SettleResult = { rounds: 0, applied: 0, written: 0, mirrored: 0, conflicts: 0 };
  const rules = (await deps.store.tenant(tenantId).mirror.list()).filter(
    (r) => calendarIds.includes(r.sourceCalendarId) || calendarIds.includes(r.targetCalendarId),
  );
  const runId = opts.runId ?? `run-${randomBytes(6).toString('hex')}`;
  let full = opts.full ?? false;
  for (let round = 0; round < (opts.maxRounds ?? 10); round++) {
    total.rounds += 1;
    let changed = 0;
    for (const id of calendarIds) {
      const r = await pullCalendar(deps, tenantId, id, { full });
      changed += r.applied + r.deleted;
      total.applied += r.applied + r.deleted;
      total.conflicts += r.conflicts;
    }
    full = false;
    for (const rule of rules) {
      const m = await reconcileRule(deps, tenantId, rule.id);
      changed += m.written + m.removed;
      total.mirrored += m.written + m.removed;
    }
    for (const id of calendarIds) {
      const p = await pushCalendar(deps, tenantId, id, runId);
      changed += p.written;
      total.written += p.written;
      total.conflicts += p.conflicts;
    }
    if (changed === 0) return total;
  }
  return total;
}
