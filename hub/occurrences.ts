/**
 * One occurrence of a series changed or cancelled on its own ("this event only") by an API client.
 * Finding the occurrence and writing it are the sync engine's (sync-engine/occurrence.ts); here
 * the client's body is read and checked as every event write's is, and charged to the write budget.
 * An occurrence that already has an override is that override's update or delete.
 */
import { parseEvent, validateForWrite, type CanonicalEvent } from '../shared/model/index.ts';
import { canonicalTimes, expandSeries, refuseCollapsedByGap } from '../shared/time/index.ts';
import { cancelRegular, etagOf, findOccurrence, rereadOnChange, withExdate, writeOccurrence } from '../sync-engine/index.ts';
import { admittedOnce, calendarOf, checkProviderFit, deleteEvent, instance, keepResponses, keepSelf, PATCH_KEEPS, quarantinedRows, rejectReadOnly, slotCheck, updateEvent, writable, type EventInstance, type WriteOptions, type WrittenEvent } from './events.ts';
import type { Hub } from './open-hub.ts';

const ALL_TIME = { start: new Date(-8.64e15), end: new Date(8.64e15) };

/**
 * One occurrence as the instance listing shows it, and the etag a change or cancellation of it
 * sends as If-Match (the override's, or the master's for an occurrence without one). A cancelled
 * override is shown too, with status cancelled, since it is still there to bring back.
 */
export async function getOccurrence(hub: Hub, tenantId: string, eventId: string, key: string): Promise<{ item: EventInstance; etag: string }> {
  const at = await findOccurrence(hub.store, tenantId, eventId, key);
  const row = at.override ?? at.master;
  const cal = await calendarOf(hub, tenantId, row.calendarId);
  const recurring = at.series.some((s) => s.event.originalStart === null && s.event.recurrence !== null);
  const quarantined = (await quarantinedRows(hub, tenantId, [row])).has(row.id);
  if (!at.override) {
    const o = at.occurrence;
    return { item: instance(row, o.event, at.key, o.startMs, o.endMs, false, recurring, cal.timeZone, quarantined), etag: etagOf(row) };
  }
  const e = at.override.event;
  // The override's own times, wherever it was moved; expanded as standing, since a cancelled one is not listed.
  const [o] = expandSeries({ master: null, overrides: [{ ...e, status: 'confirmed' }], calendarTimeZone: cal.timeZone, window: ALL_TIME });
  return { item: instance(row, e, at.key, o!.startMs, o!.endMs, true, recurring, cal.timeZone, quarantined), etag: etagOf(row) };
}

/**
 * Changes one occurrence: its override when it has one, else a new override made from the master
 * at that occurrence with `input` applied (so is a cancelled one brought back). If-Match is the
 * override's etag, or the master's for a regular occurrence (what the occurrence was read from).
 * Made again from the new rows when a pull stored a provider change of the series meanwhile.
 */
export async function updateOccurrence(hub: Hub, tenantId: string, eventId: string, key: string, input: Record<string, unknown>, ifMatch?: string, opts: WriteOptions = {}): Promise<WrittenEvent> {
  const once = admittedOnce(opts);
  return rereadOnChange(() => updateOnce(hub, tenantId, eventId, key, input, ifMatch, once));
}

async function updateOnce(hub: Hub, tenantId: string, eventId: string, key: string, input: Record<string, unknown>, ifMatch: string | undefined, opts: WriteOptions): Promise<WrittenEvent> {
  const at = await findOccurrence(hub.store, tenantId, eventId, key);
  // A cancelled occurrence brought back (a status other than cancelled) starts again from its
  // master, as a regular occurrence's first change does; any other change is the override's own.
  let base: CanonicalEvent;
  if (at.override) {
    const bringsBack = typeof input.status === 'string' && input.status !== 'cancelled';
    if (!at.restore || !bringsBack) return updateEvent(hub, tenantId, at.override.id, input, ifMatch, opts);
    base = at.restore;
  } else base = at.base;
  const cal = await writable(hub, tenantId, (at.override ?? at.master).calendarId);
  rejectReadOnly(input, PATCH_KEEPS.occurrence);
  const { body: patch, notes } = canonicalTimes(input, cal.timeZone);
  const merged = keepSelf(base, parseEvent({ ...base, ...keepResponses(base, patch) }));
  refuseCollapsedByGap(merged, notes);
  validateForWrite(merged);
  const next = await checkProviderFit(hub, tenantId, cal, base, merged);
  await opts.admit?.(at.override?.event ?? null, next);
  const slot = await slotCheck(hub, tenantId, cal.id, opts.ifFree, {});
  return { ...(await writeOccurrence(hub.deps, tenantId, at, next, ifMatch, opts.sendUpdates, slot)), timeNotes: notes };
}

/** Cancels one occurrence: its override when it has one, else with an EXDATE on the master. If-Match as for updateOccurrence. */
export async function deleteOccurrence(hub: Hub, tenantId: string, eventId: string, key: string, ifMatch?: string, opts: WriteOptions = {}): Promise<void> {
  const once = admittedOnce(opts);
  await rereadOnChange(async () => {
    const at = await findOccurrence(hub.store, tenantId, eventId, key);
    if (at.override) return deleteEvent(hub, tenantId, at.override.id, ifMatch, once);
    await writable(hub, tenantId, at.master.calendarId);
    await once.admit?.(at.master.event, withExdate(at));
    await cancelRegular(hub.deps, tenantId, at, ifMatch, opts.sendUpdates);
  });
}
