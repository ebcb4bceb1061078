/**
 * The one event writer. Local changes (API writes, CLI edits, mirror copies, conflict
 * resolutions, reverts): the store's rows and an outbox entry change in one unit of work; the push
 * job later writes them to the provider with preconditions.
 */
import { randomUUID } from 'node:crypto';
import { HubError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { busyStatusOf, contentHash, eventTimeKey, parseEvent, validateForWrite, type CanonicalEvent, type CanonicalEventInput, type SendUpdates } from '../shared/model/index.ts';
import { etagOf, type BusySpan, type StoredEvent, type TenantTx } from '../shared/store/index.ts';
import type { EngineDeps } from './deps.ts';
import { withExdate, type OccurrenceAt } from './occurrence.ts';

/** Runs in the write's transaction after the calendar lock, before any row changes; a throw aborts the write. */
export type WriteCheck = (t: TenantTx) => Promise<void>;

/** If-Match did not match: the event changed since the caller read it (HTTP 412). */
export class EventChangedError extends HubError {
  constructor(message = 'the event changed since it was read (If-Match does not match)') {
    super('PRECONDITION_FAILED', 'never', message, { httpStatus: 412 });
    this.name = 'EventChangedError';
  }
}

/**
 * A write that asked for a free slot (SlotCheck) would overlap busy time calhub holds: nothing was
 * written. The message names the calendars and times (never what the other events are).
 */
export class SlotTakenError extends HubError {
  constructor(readonly overlaps: BusySpan[]) {
    const shown = overlaps.slice(0, 5).map((o) => `${o.calendarId} ${o.start.toISOString()}–${o.end.toISOString()} (${o.status})`);
    super('SLOT_TAKEN', 'never', `the event's time is not free: it overlaps busy time in ${shown.join(', ')}${overlaps.length > 5 ? ` and ${overlaps.length - 5} more` : ''}`);
    this.name = 'SlotTakenError';
  }
}

/**
 * The event's item at the provider is quarantined (it could not be read): calhub holds its last
 * good copy and writes nothing over the item until it is readable again (HTTP 409). Written over,
 * whatever made it unreadable — someone's change at the provider — was lost unseen.
 */
export class EventQuarantinedError extends HubError {
  constructor(items: Array<{ remoteId: string; error: string }>) {
    const first = items[0]!;
    const why = first.error.length > 200 ? `${first.error.slice(0, 199)}…` : first.error;
    super(
      'EVENT_QUARANTINED',
      'never',
      `the event's item at the provider (${first.remoteId}${items.length > 1 ? ` and ${items.length - 1} more of its series` : ''}) is quarantined: it could not be read (${why}); ` +
        'calhub keeps its last good copy and changes nothing until the item is readable again: fix it at the provider (GET /v1/calendars/{id}/quarantine lists it), or delete it there',
      { httpStatus: 409 },
    );
    this.name = 'EventQuarantinedError';
  }
}

/** A write's check: no item of the UID is quarantined (EventQuarantinedError), checked under the calendar lock. */
export function notQuarantined(calendarId: string, uid: string): WriteCheck {
  return async (t) => {
    const items = await t.events.unreadableOfUid(calendarId, uid);
    if (items.length) throw new EventQuarantinedError(items);
  };
}

/**
 * A write that must not overlap busy time: the event's own calendar and `calendarIds` (a
 * participant's other calendars). Checked on the busy index inside the write, after it, with all
 * of those calendars locked in id order, so two writes asking for the same slot cannot both get
 * it. Busy time is as calhub holds it: a change at the provider not yet synced is not seen.
 */
export interface SlotCheck {
  calendarIds: string[];
  /**
   * The one row of the UID whose time is checked (its original start key; '' the master or single
   * event): the row the write changes. Absent: every row of the UID (a new event). The UID's other
   * rows count as busy time like any other, so one occurrence moved onto another is refused.
   */
  eventKey?: string;
  /**
   * Only the time the write newly takes is checked (a change of an event: a retitle takes none, a
   * move only its new part), not what the row already held. Off for a create and for accepting an
   * invitation, whose whole time must be free.
   */
  onlyNewTime?: boolean;
  /** What the row held before, when the index does not say (a regular occurrence: its time in the master's spans). */
  heldBefore?: Array<{ start: Date; end: Date; status?: string }>;
  /** Statuses that take no time (default: workingElsewhere, as availability counts it). */
  freeStatuses?: readonly string[];
}

export const DEFAULT_FREE_STATUSES = ['workingElsewhere'] as const;

/** An event's etag: its content hash, quoted as HTTP wants it. */
export { etagOf };

/** Whether an If-Match header (absent, `*`, or a list of etags, weak or strong) matches the event. */
export const sameEtag = (e: Pick<StoredEvent, 'contentHash'>, ifMatch: string | undefined): boolean =>
  ifMatch === undefined || ifMatch === '*' || ifMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etagOf(e));

/**
 * If-Match, checked inside the write after the calendar lock: checked before it, two writers
 * holding the same etag would both pass and the later one would win.
 */
export function ifMatches(eventId: string, ifMatch: string | undefined): WriteCheck {
  return async (t) => {
    const row = await t.events.get(eventId);
    // Deleted since it was read: the same 404 as a request that arrived after the delete.
    if (!row) throw new NotFoundError(`event ${eventId}`);
    if (sameEtag(row, ifMatch)) return;
    // The etag of calhub's own write, which the provider's answer filled in since (push.ts).
    const echo = await t.events.echoHash(eventId);
    if (!echo || !sameEtag({ contentHash: echo }, ifMatch)) throw new EventChangedError();
  };
}

/** A create's check: the UID is not in the calendar yet (checked under the lock, so two creates of one UID cannot both pass). */
export function uidIsNew(calendarId: string, uid: string): WriteCheck {
  return async (t) => {
    if ((await t.events.byUid(calendarId, uid)).length) throw new ValidationError(`an event with uid ${uid} already exists in this calendar`);
  };
}

/**
 * A read-modify-write's rows changed between its read and its write (a pull applied the provider's
 * change meanwhile): the change was made to what the event no longer is. `rereadOnChange` makes it
 * again from the new rows; only when that keeps happening does the caller see the 412.
 */
export class StaleReadError extends EventChangedError {
  constructor() {
    super('the event kept changing while this change was written (a sync applied changes made at the provider); send the change again');
    this.name = 'StaleReadError';
  }
}

/**
 * A read-modify-write's check: the UID's rows are still the ones the change was made from (`read`:
 * each row's id and content). Checked under the calendar lock, so a pull that committed after the
 * read fails the write instead of having the provider's edit written back over (the change put the
 * old value of every field it did not touch).
 */
export function unchangedSince(calendarId: string, uid: string, read: Array<Pick<StoredEvent, 'id' | 'contentHash'>>): WriteCheck {
  const seen = (rows: Array<Pick<StoredEvent, 'id' | 'contentHash'>>) => rows.map((r) => `${r.id} ${r.contentHash}`).sort().join('\n');
  const was = seen(read);
  return async (t) => {
    if (seen(await t.events.byUid(calendarId, uid)) !== was) throw new StaleReadError();
  };
}

/** Runs each check in turn. */
export const allOf = (...checks: WriteCheck[]): WriteCheck => async (t) => {
  for (const check of checks) await check(t);
};

/** How often a read-modify-write is made again from new rows before its StaleReadError is the answer. */
const REREADS = 3;

/** Runs a read-modify-write (`write` reads, changes and writes with `unchangedSince`) again while it read stale rows. */
export async function rereadOnChange<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (e) {
      if (!(e instanceof StaleReadError) || attempt >= REREADS) throw e;
    }
  }
}

/** What an API write asks of its provider write besides the event itself (see OutboxRepo.upsert). */
export interface PushAsk {
  /** Who the provider write tells (absent: the provider's default). */
  sendUpdates?: SendUpdates | undefined;
  /** Add the provider's own video conference (Google Meet, Microsoft Teams) if the event has none. */
  conference?: boolean | undefined;
  /**
   * A mirror copy, calhub's own: written even while its item is quarantined (push writes over, or
   * deletes, an unreadable copy of calhub's own). Every other write to a UID with a quarantined
   * item is refused (EventQuarantinedError).
   */
  ownCopy?: boolean | undefined;
}

/**
 * Replaces every event of one UID in a calendar with `events` (none: delete) and queues the write.
 * `rekeyed` (original start key -> new one): overrides the change moved to a new original start,
 * whose rows keep their event ids (EventRepo.writeLocal).
 */
export async function writeUid(
  deps: EngineDeps,
  tenantId: string,
  calendarId: string,
  uid: string,
  events: CanonicalEvent[],
  check?: WriteCheck,
  ask: PushAsk = {},
  slot?: SlotCheck,
  rekeyed?: ReadonlyMap<string, string>,
): Promise<void> {
  await deps.store.tenant(tenantId).transaction((t) => writeUidIn(t, calendarId, uid, events, check, ask, slot, rekeyed));
  deps.onOutbox?.(tenantId, calendarId);
  deps.onCalendarChanged?.(tenantId, calendarId);
}

/** writeUid's rows, busy check and outbox entry, in the caller's transaction `t` (several UIDs may share one). */
export async function writeUidIn(
  t: TenantTx,
  calendarId: string,
  uid: string,
  events: CanonicalEvent[],
  check?: WriteCheck,
  ask: PushAsk = {},
  slot?: SlotCheck,
  rekeyed?: ReadonlyMap<string, string>,
): Promise<void> {
  // An event that ends when it starts takes no time (RFC 5545 allows it, and so do the providers),
  // so a free slot for it means nothing: it would pass beside any busy time, or fail as "outside the
  // busy horizon". Refused as the empty window it asks about.
  const checked = slot?.eventKey === undefined ? events : events.filter((e) => keyOf(e) === slot.eventKey);
  if (slot && checked.some((e) => eventTimeKey(e.start) === eventTimeKey(e.end))) {
    throw new HubError('INVALID_WINDOW', 'never', 'ifFree: the event ends when it starts, so it takes no time and there is no free slot to check; give it an end after its start, or write it without ifFree');
  }
  // Every calendar the slot is checked in, locked in one order: two such writes never wait on each other crosswise.
  if (slot) for (const id of [...new Set([calendarId, ...slot.calendarIds])].sort()) await t.events.lock(id);
  const before = !slot?.onlyNewTime ? undefined : (slot.heldBefore ?? (await t.events.rowBusy(calendarId, uid, slot.eventKey)));
  // A delete remembers the ids it removes: a provider's change that wins over it comes back under them.
  const was = ask.sendUpdates || events.length === 0 ? await t.events.byUid(calendarId, uid) : [];
  const checks = ask.ownCopy ? check : check ? allOf(notQuarantined(calendarId, uid), check) : notQuarantined(calendarId, uid);
  await t.events.writeLocal(calendarId, uid, events, checks && (() => checks(t)), rekeyed);
  if (slot && events.length) {
    const free = slot.freeStatuses ?? DEFAULT_FREE_STATUSES;
    const overlaps = await t.events.overlapsOf(calendarId, uid, slot.calendarIds, free, { eventKey: slot.eventKey, before });
    if (overlaps?.length) throw new SlotTakenError(overlaps);
    // Busy by the policy yet no busy time: it lies beyond the horizon the index covers, where there is nothing to check against.
    if (overlaps === null && checked.some((e) => { const s = busyStatusOf(e); return s !== null && !free.includes(s); })) {
      throw new ValidationError('ifFree: the event lies outside the time the busy index covers (the busy horizon), so whether it is free cannot be checked');
    }
  }
  // A conference is asked of the series or single event (''): its write is one even when nothing else changed.
  const changed = changedKeys(was.map((r) => r.event), events);
  if (ask.conference && !changed.includes('')) changed.push('');
  const deletedIds = events.length ? null : Object.fromEntries(was.map((r) => [keyOf(r.event), r.id]));
  await t.outbox.upsert(calendarId, uid, events.length ? 'put' : 'delete', ask.sendUpdates ?? null, ask.conference === true, changed, slot && events.length ? slot.calendarIds : null, deletedIds);
}

const keyOf = (e: Pick<CanonicalEvent, 'originalStart'>) => (e.originalStart ? eventTimeKey(e.originalStart) : '');

/** The occurrence keys whose event a write adds, changes or removes: the objects its sendUpdates is for. */
function changedKeys(before: CanonicalEvent[], after: CanonicalEvent[]): string[] {
  const was = new Map(before.map((e) => [keyOf(e), contentHash(e)]));
  const now = new Map(after.map((e) => [keyOf(e), contentHash(e)]));
  return [...new Set([...was.keys(), ...now.keys()])].filter((k) => was.get(k) !== now.get(k));
}

/**
 * Creates, updates and deletes events the way a user of the hub does. Ids the tenant cannot see
 * are NotFoundError; `ifMatch` (an etag from `etagOf`) that no longer matches is EventChangedError.
 */
export class EventWriter {
  constructor(private readonly deps: EngineDeps) {}

  /** A new UID (given or made up); ValidationError when the calendar already has it. */
  async create(tenantId: string, calendarId: string, input: CanonicalEventInput): Promise<StoredEvent> {
    const t = this.deps.store.tenant(tenantId);
    if (!(await t.calendars.get(calendarId))) throw new NotFoundError(`calendar ${calendarId}`);
    const uid = input.uid || `${randomUUID()}@calhub`;
    const event = parseEvent({ ...input, uid, providerEventId: null, providerVersion: null });
    validateForWrite(event);
    await writeUid(this.deps, tenantId, calendarId, uid, [event], uidIsNew(calendarId, uid));
    return (await t.events.byUid(calendarId, uid)).find((r) => keyOf(r.event) === keyOf(event))!;
  }

  /**
   * Updates one stored event (a master, single event or override) with `patch` (the whole event
   * is a patch too); the other events of its UID stay. Its UID and original start never change.
   */
  async update(tenantId: string, eventId: string, patch: Partial<CanonicalEventInput>, ifMatch?: string): Promise<StoredEvent> {
    const t = this.deps.store.tenant(tenantId);
    await rereadOnChange(async () => {
      const current = await t.events.get(eventId);
      if (!current) throw new NotFoundError(`event ${eventId}`);
      const updated = { ...parseEvent({ ...current.event, ...patch, uid: current.event.uid, originalStart: current.event.originalStart }), providerEventId: current.remoteId };
      // The merged event is what gets written: a patch of `end` alone can still end before the start.
      validateForWrite(updated);
      const rows = await t.events.byUid(current.calendarId, current.event.uid);
      const siblings = rows.map((r) => (r.id === eventId ? updated : r.event));
      const read = unchangedSince(current.calendarId, current.event.uid, [current, ...rows.filter((r) => r.id !== eventId)]);
      await writeUid(this.deps, tenantId, current.calendarId, current.event.uid, siblings, allOf(ifMatches(eventId, ifMatch), read));
    });
    const after = await t.events.get(eventId);
    if (!after) throw new NotFoundError(`event ${eventId}`);
    return after;
  }

  /**
   * Deletes a series, single event or one occurrence: deleting an override cancels that
   * occurrence (the series stays), as every provider models it.
   */
  async delete(tenantId: string, eventId: string, ifMatch?: string, sendUpdates?: SendUpdates): Promise<void> {
    const t = this.deps.store.tenant(tenantId);
    // An override's cancellation writes its siblings back as read: made again if a pull changed them meanwhile.
    await rereadOnChange(async () => {
      const current = await t.events.get(eventId);
      if (!current) throw new NotFoundError(`event ${eventId}`);
      const calendarId = current.calendarId;
      const uid = current.event.uid;
      const rows = await t.events.byUid(calendarId, uid);
      const isOverride = current.event.originalStart !== null && rows.some((r) => r.event.originalStart === null);
      const next = isOverride ? rows.map((r) => (r.id === eventId ? { ...r.event, status: 'cancelled' as const } : r.event)) : [];
      await writeUid(this.deps, tenantId, calendarId, uid, next, allOf(ifMatches(eventId, ifMatch), unchangedSince(calendarId, uid, rows)), { sendUpdates });
    });
  }
}

/** A regular occurrence, as findOccurrence finds it (one without an override). */
type Regular = Extract<OccurrenceAt, { override: null }>;

/**
 * Writes `next` as the override of one occurrence (findOccurrence's `at`): a regular occurrence's
 * new override (`base` with the caller's changes), or a cancelled override brought back (`restore`
 * with them, under the override's own remote id). The rest of the series stays. `ifMatch` is the
 * etag of what the occurrence was read from: the override, or the master of a regular occurrence.
 */
export async function writeOccurrence(deps: EngineDeps, tenantId: string, at: OccurrenceAt, next: CanonicalEvent, ifMatch?: string, sendUpdates?: SendUpdates, slot?: SlotCheck): Promise<StoredEvent> {
  const read = at.override ?? at.master;
  const { calendarId } = read;
  const uid = read.event.uid;
  const events = at.series.map((s) => (s === at.override ? { ...next, providerEventId: s.remoteId } : { ...s.event, providerEventId: s.remoteId }));
  if (!at.override) events.push(next);
  // A regular occurrence has no row of its own yet: what it held is its time in the master's spans (none when the master takes no time).
  const was = at.override ? null : busyStatusOf(at.base);
  const heldBefore = at.override ? undefined : was === null ? [] : [{ start: new Date(at.occurrence.startMs), end: new Date(at.occurrence.endMs), status: was }];
  const check = allOf(ifMatches(read.id, ifMatch), unchangedSince(calendarId, uid, at.series));
  await writeUid(deps, tenantId, calendarId, uid, events, check, { sendUpdates }, slot && { ...slot, eventKey: at.key, ...(heldBefore ? { heldBefore } : {}) });
  const saved = (await deps.store.tenant(tenantId).events.byUid(calendarId, uid)).find((s) => keyOf(s.event) === at.key);
  // Another writer replaced the series between the write and this read.
  if (!saved) throw new NotFoundError(`occurrence ${at.key} of event ${read.id}`);
  return saved;
}

/** Cancels a regular occurrence with an EXDATE on its master (withExdate); `ifMatch` is the master's etag. */
export async function cancelRegular(deps: EngineDeps, tenantId: string, at: Regular, ifMatch?: string, sendUpdates?: SendUpdates): Promise<void> {
  const master = withExdate(at);
  const events = at.series.map((s) => (s.id === at.master.id ? { ...master, providerEventId: s.remoteId } : { ...s.event, providerEventId: s.remoteId }));
  const calendarId = at.master.calendarId;
  const uid = at.master.event.uid;
  await writeUid(deps, tenantId, calendarId, uid, events, allOf(ifMatches(at.master.id, ifMatch), unchangedSince(calendarId, uid, at.series)), { sendUpdates });
}

/** The earlier name, kept while callers move to `EventWriter`. */
export { EventWriter as EventWriterService };
