/** Sync runs that wrote to providers (the write journal), and undoing one. */
import { syncRepo } from '../shared/store/index.ts';
import { revertRun as revert } from '../sync-engine/index.ts';
import { RefusedError } from './errors.ts';
import type { Hub } from './open-hub.ts';

export function listRuns(hub: Hub, tenantId: string) {
  return syncRepo.journalRuns(hub.store.db, tenantId);
}

/** Every event the run wrote goes back to its state before the run, through the outbox. Returns how many. */
export async function revertRun(hub: Hub, tenantId: string, runId: string): Promise<number> {
  const n = await revert(hub.deps, tenantId, runId);
  if (n === 0) throw new RefusedError(`run ${runId} made no provider writes in tenant ${tenantId}`);
  return n;
}
