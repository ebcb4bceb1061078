/** Sync runs that wrote to providers (the write journal), and undoing one. */
import { syncRepo, type JournalRun } from '../shared/store/index.ts';
import { revertRun as revert, type RevertResult } from '../sync-engine/index.ts';
import { RefusedError } from './errors.ts';
import type { Hub } from './open-hub.ts';

/** A run that wrote to providers, with the calendars it wrote to by name (a calendar removed since: its id, name null). */
export interface RunSummary extends Omit<JournalRun, 'calendarIds'> {
  calendars: Array<{ id: string; name: string | null }>;
}

/** Runs that wrote to providers, newest first: writes by kind and the calendars written to. */
export async function listRuns(hub: Hub, tenantId: string): Promise<RunSummary[]> {
  const runs = await syncRepo.journalRuns(hub.store.db, tenantId);
  const ids = [...new Set(runs.flatMap((r) => r.calendarIds))];
  const names = new Map((ids.length ? await hub.store.tenant(tenantId).calendars.list({ ids }) : []).map((c) => [c.id, c.name]));
  return runs.map(({ calendarIds, ...r }) => ({ ...r, calendars: calendarIds.map((id) => ({ id, name: names.get(id) ?? null })) }));
}

/** A revert's result, each event with its calendar's name. */
export interface RevertReport extends RevertResult {
  calendars: Record<string, string>;
}

/**
 * Undoes the run's writes where they still stand, through the outbox (sync-engine/revert.ts): what
 * was queued and what was skipped, event by event. A run that made no provider writes is refused.
 */
export async function revertRun(hub: Hub, tenantId: string, runId: string): Promise<RevertReport> {
  const result = await revert(hub.deps, tenantId, runId);
  if (result.writes === 0) throw new RefusedError(`run ${runId} made no provider writes in tenant ${tenantId}`);
  const ids = [...new Set([...result.queued, ...result.skipped].map((e) => e.calendarId))];
  const calendars = ids.length ? await hub.store.tenant(tenantId).calendars.list({ ids }) : [];
  return { ...result, calendars: Object.fromEntries(calendars.map((c) => [c.id, c.name])) };
}
