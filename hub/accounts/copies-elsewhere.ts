/**
 * The deletes of a disconnecting account's copies in other accounts' calendars, sent by the
 * disconnect itself: a push of each such calendar, in its sync slot, before the command answers.
 *
 * Left to the worker's queued push, they waited behind whatever held the queue up: during a
 * Radicale outage a user's Google calendar kept the busy blocks of a removed Microsoft account for
 * two minutes, and `copiesElsewhereLeft: []` (which then meant "no sync of this command failed",
 * not "none left") said nothing was left. Now what is still in a calendar's outbox after the push
 * is named, with why, whether a worker runs or not.
 */
import { describeError, inSyncRun, pushCalendar, runOwner, SyncBusyError } from '../../sync-engine/index.ts';
import type { Hub } from '../open-hub.ts';
import { calendarHealth } from '../calendar-health.ts';
import { syncFollowUp } from '../sync-here.ts';

export interface CopiesElsewhereLeft {
  calendarId: string;
  /** Copy deletes still in that calendar's outbox, not yet at its provider. */
  copies: number;
  error: string;
  /** True: a worker runs and sends them (its push is queued); false: no worker, the calendar's next sync sends them. */
  queued: boolean;
}

/** `copies`: the copies deleted in calhub, by calendar (not the account's own). */
export async function sendCopyDeletes(hub: Hub, tenantId: string, copies: Map<string, Set<string>>): Promise<CopiesElsewhereLeft[]> {
  const t = hub.store.tenant(tenantId);
  const calendarIds = [...copies.keys()];
  const errors = new Map<string, string>();
  if (hub.syncHere) {
    // No worker: a whole sync of each, as after a rule DELETE.
    for (const p of await syncFollowUp(hub, tenantId, calendarIds)) errors.set(p.calendarId, p.error);
  } else {
    const owner = runOwner('disconnect');
    // At once: one provider's slow answers must not hold another's deletes.
    await Promise.all(calendarIds.map(async (calendarId) => {
      try {
        await inSyncRun(hub.store, tenantId, calendarId, { owner, staleRunMs: hub.config.syncStaleRunMs }, (fence) => pushCalendar(hub.deps, tenantId, calendarId, owner, fence));
      } catch (e) {
        errors.set(calendarId, e instanceof SyncBusyError ? await busyWhy(hub, tenantId, calendarId) : describeError(e));
      }
    }));
  }
  const left: CopiesElsewhereLeft[] = [];
  for (const calendarId of calendarIds) {
    const waiting = (await t.outbox.editedAt(calendarId, [...copies.get(calendarId)!])).size;
    if (!waiting) continue;
    // A push that got through but left some (the provider refused them) names them in the log and `calhub calendars writes`.
    const error = errors.get(calendarId) ?? 'the provider refused a delete: calhub calendars writes says why';
    hub.log.warn({ tenantId, calendarId, err: error, copiesWaiting: waiting }, "copies of a disconnected account's events are not yet deleted at a calendar's provider");
    left.push({ calendarId, copies: waiting, error, queued: !hub.syncHere });
  }
  return left;
}

/** A worker's run holds the calendar: what stops it, when its last sync failed (the outage an operator can act on). */
async function busyWhy(hub: Hub, tenantId: string, calendarId: string): Promise<string> {
  const [h] = await calendarHealth(hub, tenantId, [calendarId]);
  const busy = 'SYNC_BUSY: a sync run of this calendar holds its slot; the worker sends them after it';
  return h?.lastError ? `${busy}; its last sync failed: ${h.lastError}` : busy;
}
