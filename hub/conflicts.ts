/** Conflicts: list them, resolve a parked one by keeping the hub's side or the provider's. */
import { syncRepo, type ConflictRow } from '../shared/store/index.ts';
import { writeUid } from '../sync-engine/index.ts';
import { MissingError, RefusedError } from './errors.ts';
import type { Hub } from './open-hub.ts';
import { syncFollowUp, type Problem } from './sync-here.ts';

export function listConflicts(hub: Hub, tenantId: string, opts: { open?: boolean } = {}): Promise<ConflictRow[]> {
  return syncRepo.conflictsList(hub.store.db, tenantId, { unresolvedOnly: Boolean(opts.open) });
}

/**
 * `local` writes the hub's side back to the provider (through the outbox); `remote` keeps what
 * the provider holds. Returns the resolved row and, when the work ran here, calendars left with a problem.
 */
export async function resolveConflict(hub: Hub, tenantId: string, id: string, take: 'local' | 'remote'): Promise<{ conflict: ConflictRow; problems: Problem[] }> {
  const c = await syncRepo.conflictGet(hub.store.db, tenantId, id);
  if (!c) throw new MissingError('conflict', id, tenantId);
  if (c.resolvedAt) throw new RefusedError(`conflict ${id} was already resolved (${c.outcome})`);
  let problems: Problem[] = [];
  if (take === 'local') {
    await writeUid(hub.deps, tenantId, c.calendarId, c.uid, c.local ?? []);
    problems = await syncFollowUp(hub, tenantId, [c.calendarId]);
  }
  await syncRepo.conflictResolve(hub.store.db, tenantId, id, take);
  return { conflict: (await syncRepo.conflictGet(hub.store.db, tenantId, id))!, problems };
}
