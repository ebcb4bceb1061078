/**
 * The mirror copies calhub wrote into a disconnecting account's own calendars, deleted at its
 * provider while the grant still works (left, they were "Busy" blocks nobody could clean once it
 * is revoked). Deleted directly by the provider ids the hub stored for them, a few at a time: no
 * pull, no outbox, no sync run (one of 30 calendars' full syncs took most of a minute).
 *
 * A sync run may be pushing a copy while the account goes. Each calendar's sync slot is taken
 * first, so no run writes there meanwhile and what a finished run wrote is in the ledger; a copy
 * whose provider id is still unknown (its create's answer was lost) is looked up by its UID. A
 * calendar whose slot stays held is still cleaned of what is known, and every copy not known to
 * be gone is reported with why.
 */
import type { AccountRow, TenantStore } from '../../shared/store/index.ts';
import { claimRun, runOwner, type SyncRun } from '../../sync-engine/index.ts';
import { RemoteNotFoundError, type RemoteCalendarRef } from '../../connectors/index.ts';
import type { Calendar } from '../../shared/model/index.ts';
import type { Hub } from '../open-hub.ts';
import { failureText, withRetries } from './inline-retry.ts';

export interface CopyLeft {
  calendarId: string;
  /** The copy's iCalendar UID. */
  uid: string;
  /** The provider's id for it, where the hub knew one. */
  remoteId: string | null;
  error: string;
}

export interface OwnCopiesOutcome {
  deleted: number;
  left: CopyLeft[];
}

/** One calendar's state, for a progress view (cli/commands/accounts.ts). */
export interface CopyProgress {
  calendarId: string;
  name: string;
  total: number;
  deleted: number;
  failed: number;
  done: boolean;
}

/** Deletes in flight per account: the worker's own per-process job concurrency, well inside every provider's per-user quota. */
export const DELETE_CONCURRENCY = 4;
const TRIES = 4;
const BACKOFF_MS = 250;
/** How long a calendar's slot is waited for when a run holds it (its writes land, or it is presumed dead). */
const SLOT_WAIT_MS = 15_000;

export async function deleteOwnCopies(
  hub: Hub,
  t: TenantStore,
  tenantId: string,
  account: AccountRow,
  copies: Map<string, Set<string>>,
  onProgress?: (p: CopyProgress) => void,
  held?: SyncRun[],
): Promise<OwnCopiesOutcome> {
  const out: OwnCopiesOutcome = { deleted: 0, left: [] };
  const owner = runOwner('disconnect');
  const calendars = await Promise.all([...copies.keys()].map(async (id) => ({ id, cal: await t.calendars.get(id) })));
  const runs = await Promise.all(calendars.map(async ({ id }) => ({ id, run: await waitForSlot(hub, tenantId, id, owner) })));
  try {
    // Plans first (store reads), then the deletes share one pool, so a calendar of 1 copy does not wait on one of 300.
    const jobs: Array<() => Promise<void>> = [];
    for (const { id, cal } of calendars) {
      const uids = [...copies.get(id)!];
      const progress: CopyProgress = { calendarId: id, name: cal?.name ?? id, total: uids.length, deleted: 0, failed: 0, done: uids.length === 0 };
      const busy = runs.find((r) => r.id === id)?.run === null;
      const connected = cal ? hub.connect(account, cal).then((c) => ({ c }), (e: unknown) => ({ e })) : null;
      onProgress?.({ ...progress });
      const settle = (ok: boolean) => {
        if (ok) progress.deleted += 1;
        else progress.failed += 1;
        progress.done = progress.deleted + progress.failed === progress.total;
        onProgress?.({ ...progress });
      };
      for (const uid of uids) {
        jobs.push(async () => {
          const left = cal && connected ? await deleteCopy(t, await connected, cal, uid, busy) : null;
          if (left) out.left.push(left);
          else out.deleted += 1;
          settle(left === null);
        });
      }
    }
    await pool(jobs, DELETE_CONCURRENCY);
  } finally {
    // Kept by the caller until the calendars are gone: a pull let in between (a notification of
    // these very deletes) saw 5 of 7 objects gone and tripped the mass-change guard, a failed
    // MASS_CHANGE_GUARD job of a calendar no longer there. Else no outcome recorded: it goes right after.
    for (const { run } of runs) {
      if (run && held) held.push(run);
      else await run?.stop().catch(() => undefined);
    }
  }
  return out;
}

async function waitForSlot(hub: Hub, tenantId: string, calendarId: string, owner: string): Promise<SyncRun | null> {
  const until = Date.now() + Math.min(SLOT_WAIT_MS, hub.config.syncStaleRunMs ?? SLOT_WAIT_MS);
  for (;;) {
    const run = await claimRun(hub.store, tenantId, calendarId, { owner, staleRunMs: hub.config.syncStaleRunMs });
    if (run || Date.now() >= until) return run;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** null when the copy is gone at the provider; otherwise what is left and why. */
type Connection = { c: Awaited<ReturnType<Hub['connect']>> } | { e: unknown };

async function deleteCopy(t: TenantStore, connection: Connection, cal: Calendar, uid: string, busy: boolean): Promise<CopyLeft | null> {
  const ids = await providerIds(t, cal.id, uid);
  const left = (remoteId: string | null, error: string): CopyLeft => ({ calendarId: cal.id, uid, remoteId, error });
  if ('e' in connection) return left(ids[0] ?? null, failureText(connection.e));
  const { connector, ctx } = connection.c;
  const ref: RemoteCalendarRef = { providerCalendarId: cal.providerCalendarId, timeZone: cal.timeZone };
  if (ids.length === 0) {
    // Its create may have reached the provider with its answer lost, or a run still holding the
    // calendar may be writing it: looked up by UID, as the push does before creating again.
    const found = await withRetries(() => connector.findObjectByUid(ctx, ref, uid), TRIES, BACKOFF_MS);
    if (!found.ok) return left(null, failureText(found.error));
    if (found.value) ids.push(found.value.remoteId);
    else if (busy) return left(null, 'SYNC_BUSY: a sync run held the calendar and may still be writing this copy; not found at the provider yet');
  }
  for (const remoteId of ids) {
    const r = await withRetries(async () => {
      try {
        await connector.deleteObject(ctx, ref, remoteId, null, { sendUpdates: 'none' });
      } catch (e) {
        if (!(e instanceof RemoteNotFoundError)) throw e; // gone already (a series master's delete took its overrides)
      }
    }, TRIES, BACKOFF_MS);
    if (!r.ok) return left(remoteId, failureText(r.error));
  }
  return null;
}

/**
 * The provider ids of a copy: its masters' (deleting a master takes its overrides), or its
 * overrides' where no master is known; from the stored rows and the ledger (what was agreed last).
 */
async function providerIds(t: TenantStore, calendarId: string, uid: string): Promise<string[]> {
  const master = new Set<string>();
  const other = new Set<string>();
  for (const r of await t.events.byUid(calendarId, uid)) if (r.remoteId) (r.event.originalStart === null ? master : other).add(r.remoteId);
  for (const l of await t.ledger.byUid(calendarId, uid)) (l.base.some((e) => e.originalStart === null) ? master : other).add(l.remoteId);
  return master.size ? [...master] : [...other];
}


async function pool(jobs: Array<() => Promise<void>>, size: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(size, jobs.length) }, worker));
}
