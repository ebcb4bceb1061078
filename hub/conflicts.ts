/** Conflicts: list them, resolve a parked one by keeping the hub's side or the provider's. */
import { syncRepo, type ConflictRow, type StoredEvent } from '../shared/store/index.ts';
import { contentHash, type CanonicalEvent, type SendUpdates } from '../shared/model/index.ts';
import { allOf, isDeleteField, merge3, rereadOnChange, unchangedSince, writeUid, type SlotCheck, type WriteCheck } from '../sync-engine/index.ts';
import { HubError } from '../shared/errors.ts';
import { MissingError } from './errors.ts';
import { slotCheck, type WriteOptions } from './events.ts';
import type { Hub } from './open-hub.ts';
import { syncFollowUp, type Problem } from './sync-here.ts';

/**
 * The events a resolution leaves (null when what is stored already is that) and the stored rows it
 * was made from. Only the fields in conflict take the chosen side: a parked conflict left the
 * provider's version standing, and each side's other changes are merged as the engine would have
 * (writing the hub's whole version back undid the provider's changes to other fields). A delete
 * against an edit is the chosen side whole.
 */
async function resolved(hub: Hub, tenantId: string, c: ConflictRow, take: 'local' | 'remote'): Promise<{ read: StoredEvent[]; next: CanonicalEvent[] | null }> {
  const read = await hub.store.tenant(tenantId).events.byUid(c.calendarId, c.uid);
  if (c.fields.some(isDeleteField)) return { read, next: take === 'local' ? (c.local ?? []) : null };
  const stored = read.map((r) => r.event);
  const m = merge3({ base: c.base, local: c.local ?? [], remote: stored, policy: take === 'local' ? 'hub-wins' : 'provider-wins', deletePolicy: 'modify-wins', localIsNewer: take === 'local' });
  const hashes = (events: CanonicalEvent[]) => events.map(contentHash).sort().join();
  const same = hashes(m.events) === hashes(stored);
  return { read, next: same ? null : m.events };
}

/** 409 CONFLICT_ALREADY_RESOLVED: a state of the conflict, not a malformed request (it was 400 INVALID_REQUEST). */
const alreadyResolved = (id: string, outcome: string) => new HubError('CONFLICT_ALREADY_RESOLVED', 'never', `conflict ${id} was already resolved (${outcome})`);

/** One conflict of the tenant (404 NOT_FOUND for another tenant's, as for every resource). */
export async function getConflict(hub: Hub, tenantId: string, id: string): Promise<ConflictRow> {
  const c = await syncRepo.conflictGet(hub.store.db, tenantId, id);
  if (!c) throw new MissingError('conflict', id, tenantId);
  return c;
}

/**
 * The tenant a conflict is in, for the operator's CLI, which names conflicts by id alone as it did
 * before --tenant existed (ids are unique across tenants). NOT_FOUND when there is no such conflict.
 */
export async function conflictTenant(hub: Hub, id: string): Promise<string> {
  const [row] = await hub.store.db.query<{ tenant_id: string }>('SELECT tenant_id FROM conflicts WHERE id = $1', [id]);
  if (!row) throw new MissingError('conflict', id);
  return row.tenant_id;
}

/**
 * Marks the conflict resolved inside the resolution's write, so that of two resolutions of one
 * conflict only one writes: the other finds it resolved and its write rolls back.
 */
const marksResolved = (tenantId: string, id: string, take: 'local' | 'remote'): WriteCheck => async (t) => {
  if (await t.conflicts.resolve(id, take)) return;
  const now = await t.conflicts.get(id);
  // Gone with its calendar meanwhile (purged): as if it had never been there.
  throw now ? alreadyResolved(id, now.outcome) : new MissingError('conflict', id, tenantId);
};

export function listConflicts(hub: Hub, tenantId: string, opts: { open?: boolean } = {}): Promise<ConflictRow[]> {
  return syncRepo.conflictsList(hub.store.db, tenantId, { unresolvedOnly: Boolean(opts.open) });
}

/** What a resolution asks of its write besides the side taken (POST /v1/conflicts/:id/resolve's query). */
export interface ResolveOptions {
  /** Who the provider write tells the attendees (absent: the provider's default, as before). */
  sendUpdates?: SendUpdates;
  /** Take the hub's side only if its time is free (409 SLOT_TAKEN), as an event write's ifFree; the original write's is honoured anyway. */
  ifFree?: WriteOptions['ifFree'];
}

/**
 * The slot check of a `local` resolution: the one the hub's side was written with (recorded with
 * the conflict, migration 0086) and the one the caller asks for, both. The hub's side was reverted
 * while parked, so its time may have been booked since: re-applied unchecked it double-booked.
 * Only the time it newly takes is checked, against the UID's rows as they stand (all of them).
 */
async function resolveSlot(hub: Hub, tenantId: string, c: ConflictRow, asked: ResolveOptions['ifFree']): Promise<SlotCheck | undefined> {
  const recorded = await hub.store.tenant(tenantId).conflicts.ifFree(c.id);
  if (!asked && !recorded) return undefined;
  // Calendars of the original write that are gone since have no busy time to check.
  const others = (recorded ?? []).filter((x) => x !== c.calendarId);
  const kept = others.length ? (await hub.store.tenant(tenantId).calendars.list({ ids: others })).map((x) => x.id) : [];
  const ifFree = { calendarIds: [...new Set([...(asked?.calendarIds ?? []), ...kept])], accountIds: asked?.accountIds ?? [] };
  // A change of the UID's rows (no eventKey: all of them), checked at the time it newly takes.
  return slotCheck(hub, tenantId, c.calendarId, ifFree, {});
}

/**
 * `local` takes the hub's side of the fields in conflict, `remote` the provider's; what either side
 * changed besides is kept, as the engine's hub-wins and provider-wins policies would have, and
 * written to the provider (through the outbox) when that differs from what it holds. Returns the
 * resolved row and, when the work ran here, calendars left with a problem. `local` is refused with
 * SLOT_TAKEN (the conflict stays parked) when the hub's side was written with ifFree, or `opts`
 * asks it, and its time is no longer free.
 */
export async function resolveConflict(hub: Hub, tenantId: string, id: string, take: 'local' | 'remote', opts: ResolveOptions = {}): Promise<{ conflict: ConflictRow; problems: Problem[] }> {
  // Made from the stored rows: a pull that changes them before the write has it made again from
  // what the pull stored, instead of writing the provider's older fields over its edit.
  const writtenIn = await rereadOnChange(async () => {
    const c = await syncRepo.conflictGet(hub.store.db, tenantId, id);
    if (!c) throw new MissingError('conflict', id, tenantId);
    if (c.resolvedAt) throw alreadyResolved(id, c.outcome);
    const { read, next } = await resolved(hub, tenantId, c, take);
    const check = allOf(unchangedSince(c.calendarId, c.uid, read), marksResolved(tenantId, id, take));
    // Taking the provider's side takes no time it does not hold already.
    const slot = next && take === 'local' ? await resolveSlot(hub, tenantId, c, opts.ifFree) : undefined;
    if (next) await writeUid(hub.deps, tenantId, c.calendarId, c.uid, next, check, { sendUpdates: opts.sendUpdates }, slot);
    // Nothing to write was decided from the read too: checked under the calendar lock all the same.
    else await hub.store.tenant(tenantId).transaction(async (t) => { await t.events.lock(c.calendarId); await check(t); });
    return next ? c.calendarId : null;
  });
  const problems = writtenIn ? await syncFollowUp(hub, tenantId, [writtenIn]) : [];
  return { conflict: (await syncRepo.conflictGet(hub.store.db, tenantId, id))!, problems };
}
