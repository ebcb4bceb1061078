/** Conflicts: list them, resolve a parked one by keeping the hub's side or the provider's. */
import { syncRepo, type ConflictRow } from '../shared/store/index.ts';
import { contentHash, type CanonicalEvent } from '../shared/model/index.ts';
import { merge3, writeUid } from '../sync-engine/index.ts';
import { MissingError, RefusedError } from './errors.ts';
import type { Hub } from './open-hub.ts';
import { syncFollowUp, type Problem } from './sync-here.ts';

/**
 * The events a resolution leaves, or null when what is stored already is that. Only the fields in
 * conflict take the chosen side: a parked conflict left the provider's version standing, and each
 * side's other changes are merged as the engine would have (writing the hub's whole version back
 * undid the provider's changes to other fields). A delete against an edit is the chosen side whole.
 */
async function resolved(hub: Hub, tenantId: string, c: ConflictRow, take: 'local' | 'remote'): Promise<CanonicalEvent[] | null> {
  if (c.fields.some((f) => f.endsWith(':deleted'))) return take === 'local' ? (c.local ?? []) : null;
  const stored = (await hub.store.tenant(tenantId).events.byUid(c.calendarId, c.uid)).map((r) => r.event);
  const m = merge3({ base: c.base, local: c.local ?? [], remote: stored, policy: take === 'local' ? 'hub-wins' : 'provider-wins', deletePolicy: 'modify-wins', localIsNewer: take === 'local' });
  const hashes = (events: CanonicalEvent[]) => events.map(contentHash).sort().join();
  const same = hashes(m.events) === hashes(stored);
  return same ? null : m.events;
}

export function listConflicts(hub: Hub, tenantId: string, opts: { open?: boolean } = {}): Promise<ConflictRow[]> {
  return syncRepo.conflictsList(hub.store.db, tenantId, { unresolvedOnly: Boolean(opts.open) });
}

/**
 * `local` takes the hub's side of the fields in conflict, `remote` the provider's; what either side
 * changed besides is kept, as the engine's hub-wins and provider-wins policies would have, and
 * written to the provider (through the outbox) when that differs from what it holds. Returns the
 * resolved row and, when the work ran here, calendars left with a problem.
 */
export async function resolveConflict(hub: Hub, tenantId: string, id: string, take: 'local' | 'remote'): Promise<{ conflict: ConflictRow; problems: Problem[] }> {
  const c = await syncRepo.conflictGet(hub.store.db, tenantId, id);
  if (!c) throw new MissingError('conflict', id, tenantId);
  if (c.resolvedAt) throw new RefusedError(`conflict ${id} was already resolved (${c.outcome})`);
  let problems: Problem[] = [];
  const next = await resolved(hub, tenantId, c, take);
  if (next) {
    await writeUid(hub.deps, tenantId, c.calendarId, c.uid, next);
    problems = await syncFollowUp(hub, tenantId, [c.calendarId]);
  }
  await syncRepo.conflictResolve(hub.store.db, tenantId, id, take);
  return { conflict: (await syncRepo.conflictGet(hub.store.db, tenantId, id))!, problems };
}
