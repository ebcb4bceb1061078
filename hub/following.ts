/**
 * "This and following events": a series changed or cancelled from one occurrence on, by an API
 * client. The cut itself is the sync engine's (sync-engine/following.ts); here the occurrence is
 * found, the body read and checked as every event write's is, and the write charged to the budget.
 * Cut at the series' first occurrence (none stands before it), it is a change or deletion of
 * "all events", made as those are.
 */
import { randomUUID } from 'node:crypto';
import { HubError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { parseEvent, validateForWrite, type CanonicalEvent } from '../shared/model/index.ts';
import type { StoredEvent } from '../shared/store/index.ts';
import { canonicalTimes, expandSeries, refuseCollapsedByGap } from '../shared/time/index.ts';
import { cutSeries, findOccurrence, followingBase, occurrenceKey, rangedBase, rereadOnChange, toNewSeries, writeCut, type OccurrenceAt } from '../sync-engine/index.ts';
import { carryOverrides } from './carry-overrides.ts';
import { admittedOnce, checkProviderFit, deleteEvent, keepResponses, keepSelf, PATCH_KEEPS, rejectReadOnly, updateEvent, writable, type WriteOptions, type WrittenEvent } from './events.ts';
import type { Hub } from './open-hub.ts';

/** The cut occurrence and its series' master; a key past the series' last occurrence is NO_FOLLOWING_OCCURRENCE. */
async function seriesAt(hub: Hub, tenantId: string, eventId: string, key: string): Promise<{ at: OccurrenceAt; master: StoredEvent; zone: string }> {
  let at: OccurrenceAt;
  try {
    at = await findOccurrence(hub.store, tenantId, eventId, key);
  } catch (e) {
    if (e instanceof NotFoundError) await refuseNoneFollowing(hub, tenantId, eventId, key);
    throw e;
  }
  const master = at.series.find((s) => s.event.originalStart === null);
  if (!master?.event.recurrence) {
    throw new ValidationError(`event ${eventId} is not a series this calendar holds the master of (an occurrence one was invited to alone), so it cannot be changed from one occurrence on: change the occurrence itself`);
  }
  const cal = await writable(hub, tenantId, master.calendarId);
  return { at, master, zone: cal.timeZone };
}

/** 400 NO_FOLLOWING_OCCURRENCE when the series has no occurrence at or after `rawKey` (it ended before). */
async function refuseNoneFollowing(hub: Hub, tenantId: string, eventId: string, rawKey: string): Promise<void> {
  const t = hub.store.tenant(tenantId);
  const given = await t.events.get(eventId);
  if (!given) return;
  const series = await t.events.byUid(given.calendarId, given.event.uid);
  const master = series.find((s) => s.event.originalStart === null);
  if (!master?.event.recurrence) return;
  const key = occurrenceKey(master.event, rawKey);
  const cal = await t.calendars.get(given.calendarId);
  const ms = (k: string) => Date.parse(k.length === 10 ? `${k}T00:00:00Z` : k.endsWith('~floating') ? `${k.slice(0, 19)}Z` : k);
  const from = ms(key);
  const occ = expandSeries({
    master: master.event,
    overrides: series.filter((s) => s !== master).map((s) => ({ ...s.event, status: 'confirmed' as const })),
    calendarTimeZone: cal?.timeZone ?? 'UTC',
    window: { start: new Date(from - 2 * 86_400_000), end: new Date(8.64e15) },
    perRuleLimit: 10,
  });
  if (occ.some((o) => ms(o.originalStartKey) >= from)) return;
  throw new HubError('NO_FOLLOWING_OCCURRENCE', 'never', `the series of event ${eventId} has no occurrence at or after ${key}: there is nothing from there on to change or cancel`);
}

const spanOf = (at: OccurrenceAt): number => (at.override ? 0 : at.occurrence.endMs - at.occurrence.startMs);

const ALL_TIME = { start: new Date(-8.64e15), end: new Date(8.64e15) };
/**
 * The RANGE=THISANDFUTURE override (RFC 5545 §3.2.13) the cut occurrence takes its content and
 * times from, as the listing showed them: the cut's own, or an earlier one's moved to the cut (the
 * expander's occurrence, without any override of the cut's own). Null: the master's.
 */
function governingRange(at: OccurrenceAt, master: StoredEvent, zone: string): CanonicalEvent | null {
  if (at.override?.event.thisAndFuture) return at.override.event;
  const others = at.series.filter((s) => s !== master && s !== at.override).map((s) => s.event);
  if (!others.some((o) => o.thisAndFuture)) return null;
  let occurrence = at.override ? undefined : at.occurrence;
  if (at.override) {
    expandSeries({ master: master.event, overrides: others, calendarTimeZone: zone, window: ALL_TIME, sink: (o) => (o.originalStartKey === at.key ? ((occurrence = o), false) : true) });
  }
  return occurrence?.rangeKey !== undefined ? occurrence.event : null;
}


/**
 * Changes the series from the occurrence `key` on. The old series ends before it; a new series
 * (new UID and ids) starts at it with `input` applied to the master's content there, the rest of
 * the rules (or the body's `recurrence`), and the later overrides and EXDATEs carried as a change
 * to "all events" carries them. Answers the new series' master. If-Match: the master's etag.
 */
export async function updateFollowing(hub: Hub, tenantId: string, eventId: string, key: string, input: Record<string, unknown>, ifMatch?: string, opts: WriteOptions = {}): Promise<WrittenEvent> {
  const once = admittedOnce(opts);
  return rereadOnChange(async () => {
    const { at, master, zone } = await seriesAt(hub, tenantId, eventId, key);
    rejectReadOnly(input, PATCH_KEEPS.event);
    const overrides = at.series.filter((s) => s !== master).map((s) => s.event);
    const cut = cutSeries(master.event, overrides, at.key, zone);
    if (!cut.keepsAny) return updateEvent(hub, tenantId, master.id, input, ifMatch, once);
    const uid = `${randomUUID()}@calhub`;
    const { base, later } = rangedBase(followingBase(master.event, cut, uid, spanOf(at)), cut.later.overrides, governingRange(at, master, zone), zone);
    const { body: patch, notes } = canonicalTimes(input, zone);
    const merged = keepSelf(base, parseEvent({ ...base, ...keepResponses(base, patch) }));
    refuseCollapsedByGap(merged, notes);
    validateForWrite(merged);
    const cal = await writable(hub, tenantId, master.calendarId);
    const next = await checkProviderFit(hub, tenantId, cal, base, merged);
    await once.admit?.(null, next);
    const laterInNew = later.map((o) => toNewSeries(o, uid));
    // Made a single event by the body (recurrence: null), the new series has no occurrences to carry.
    const fresh: CanonicalEvent[] = next.recurrence ? (({ master: m, overrides: o }) => [m, ...o])(carryOverrides(base, next, laterInNew, zone)) : [next];
    await writeCut(hub.deps, tenantId, at.series, [cut.master, ...cut.overrides], fresh, ifMatch, { sendUpdates: once.sendUpdates });
    const saved = (await hub.store.tenant(tenantId).events.byUid(master.calendarId, uid)).find((r) => r.event.originalStart === null);
    if (!saved) throw new NotFoundError(`the new series ${uid}: deleted while this change was written`);
    return { ...saved, timeNotes: notes };
  });
}

/**
 * Cancels the series from the occurrence `key` on: its rules end before it and its overrides,
 * EXDATEs and RDATEs from there on go. If-Match: the master's etag.
 */
export async function deleteFollowing(hub: Hub, tenantId: string, eventId: string, key: string, ifMatch?: string, opts: WriteOptions = {}): Promise<void> {
  const once = admittedOnce(opts);
  await rereadOnChange(async () => {
    const { at, master, zone } = await seriesAt(hub, tenantId, eventId, key);
    const cut = cutSeries(master.event, at.series.filter((s) => s !== master).map((s) => s.event), at.key, zone);
    if (!cut.keepsAny) return deleteEvent(hub, tenantId, master.id, ifMatch, once);
    await once.admit?.(master.event, cut.master);
    await writeCut(hub.deps, tenantId, at.series, [cut.master, ...cut.overrides], [], ifMatch, { sendUpdates: once.sendUpdates });
  });
}
