/**
 * Event reads and writes for API clients. Writes go through the sync engine's writer: the rows
 * and an outbox entry change in one transaction and the push job writes them to the provider with
 * preconditions. If-Match (the event's etag) is checked inside that transaction.
 */
import { randomUUID } from 'node:crypto';
import { accessOf, canWrite } from './account-access.ts';
import { newConnector } from './connect.ts';
import { carryOverrides } from './carry-overrides.ts';
import { CalendarNotSyncedError, HubError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { busyStatusOf, eventTimeKey, parseEvent, validateForWrite, type Calendar, type CanonicalEvent, type SendUpdates } from '../shared/model/index.ts';
import { eventIdsUpdatedSince, eventsForWindow, MAX_BUSY_OCCURRENCES, pageEvents, type EventFilter, type StoredEvent } from '../shared/store/index.ts';
export { showEvent } from '../shared/store/index.ts';
import { canonicalTimes, expandSeries, instantInZone, occurrenceBound, refuseCollapsedByGap, type TimeNote } from '../shared/time/index.ts';
import { allOf, crossedNeighbour, EventWriter, ifMatches, rereadOnChange, uidIsNew, unchangedSince, writeUid, type SlotCheck } from '../sync-engine/index.ts';
import { scopeWithAccounts } from './calendar-scope.ts';
import { noBusyReasons } from './partial.ts';
import type { Hub } from './open-hub.ts';

export { EventChangedError as WritePreconditionError, etagOf } from '../sync-engine/index.ts';

/** A write's result: the stored event and what the answer must say about DST gaps and overlaps met. */
export type WrittenEvent = StoredEvent & { timeNotes: TimeNote[] };

const READ_ONLY_FIELDS = ['providerEventId', 'providerVersion', 'provenance', 'providerUpdatedAt', 'id', 'calendarId', 'etag'] as const;

/** What a PATCH keeps as it is, refused by name when sent: of an event, and of one occurrence of a series (api/event-schemas.ts leaves them out of its PATCH bodies). */
export const PATCH_KEEPS = { event: ['uid', 'originalStart'], occurrence: ['uid', 'originalStart', 'recurrence'] } as const;

export function rejectReadOnly(body: Record<string, unknown>, also: readonly string[] = []): void {
  const bad = [...READ_ONLY_FIELDS, ...also].filter((k) => k in body);
  if (bad.length) throw new ValidationError(`invalid event: ${bad.map((k) => `${k}: set by calhub`).join('; ')}`, bad);
}

/** The calendar whose events a request reads or writes: one whose sync is off holds none (409 CALENDAR_NOT_SYNCED, not an empty answer). */
export async function calendarOf(hub: Hub, tenantId: string, calendarId: string): Promise<Calendar> {
  const cal = await hub.store.tenant(tenantId).calendars.get(calendarId);
  if (!cal) throw new NotFoundError(`calendar ${calendarId}`);
  if (!cal.syncEnabled) throw new CalendarNotSyncedError(calendarId);
  return cal;
}

export async function getEvent(hub: Hub, tenantId: string, eventId: string): Promise<StoredEvent> {
  const e = await hub.store.tenant(tenantId).events.get(eventId);
  if (!e) throw new NotFoundError(`event ${eventId}`);
  return e;
}

export async function writable(hub: Hub, tenantId: string, calendarId: string): Promise<Calendar> {
  const cal = await calendarOf(hub, tenantId, calendarId);
  if (cal.accessRole === 'reader' || cal.accessRole === 'freeBusyReader') throw new HubError('CALENDAR_READ_ONLY', 'never', `calendar ${calendarId} is read-only`);
  // Connected to read only, the provider refuses every write (403): accepted, each was a 201, then
  // a failing write that counted as busy until it parked.
  const account = await hub.store.tenant(tenantId).accounts.get(cal.accountId);
  // Unknown (a grant whose key the ring lacks): the write's own push says so.
  const access = account ? await accessOf(hub.store, (c) => hub.tokens.decrypt(c).access, account) : null;
  if (!canWrite(access)) {
    throw new HubError('ACCOUNT_READ_ONLY', 'never', `account ${account!.id} was connected with ${access} access, which cannot write; connect it again with readwrite access (authorize-url or a connect session with its accountId)`);
  }
  return cal;
}

const keyOf = (e: CanonicalEvent) => (e.originalStart ? eventTimeKey(e.originalStart) : '');

/**
 * Admission of a write before it is made: `before` and `after` are the event as stored and as it
 * will be (null: none). It throws to refuse (the API's per-tenant write budget).
 */
export interface WriteOptions {
  admit?: (before: CanonicalEvent | null, after: CanonicalEvent | null) => void | Promise<void>;
  /** Who the provider write tells about it (absent: the provider's own default). */
  sendUpdates?: SendUpdates;
  /** Add the provider's own video conference (Google Meet, Microsoft Teams) if the event has none. */
  conference?: boolean;
  /**
   * Only if the time is free (409 SLOT_TAKEN otherwise): in the event's own calendar and in these
   * calendars and accounts (an account: its calendars that count for its busy time, as free/busy names them).
   */
  ifFree?: { calendarIds: string[]; accountIds: string[]; wholeTime?: boolean };
}

/**
 * `opts` for one request whose write may be made again after a stale read (rereadOnChange): it is
 * admitted on its first attempt only, so the write budget charges a request once, not per attempt.
 */
export function admittedOnce(opts: WriteOptions): WriteOptions {
  const admit = opts.admit;
  if (!admit) return opts;
  let admitted = false;
  return {
    ...opts,
    admit: async (before, after) => {
      if (admitted) return;
      await admit(before, after);
      admitted = true;
    },
  };
}

/**
 * The calendars a write's time must be free in besides its own; undefined when it did not ask.
 * `change`: the write changes an event (the row of it by `eventKey`, see SlotCheck), so only the
 * time it newly takes is checked, unless the whole time must be free (accepting an invitation).
 */
export async function slotCheck(hub: Hub, tenantId: string, calendarId: string, ifFree: WriteOptions['ifFree'], change?: { eventKey?: string }): Promise<SlotCheck | undefined> {
  if (!ifFree) return undefined;
  const key = { ...(change?.eventKey === undefined ? {} : { eventKey: change.eventKey }), ...(change && !ifFree.wholeTime ? { onlyNewTime: true } : {}) };
  if (ifFree.calendarIds.length + ifFree.accountIds.length === 0) return { calendarIds: [], ...key };
  const { calendars: named, withoutBusy } = await scopeWithAccounts(hub.store.db, tenantId, ifFree.calendarIds, ifFree.accountIds, hub.config.api.maxCalendars);
  // Free/busy marks such an account (NO_BUSY_CALENDARS, partial); a write cannot be half checked, and
  // an account whose busy time calhub does not hold would pass as free: refused, as a calendar whose sync is off.
  if (withoutBusy.length) {
    throw new HubError('NO_BUSY_CALENDARS', 'never', `ifFree cannot be checked: ${noBusyReasons(withoutBusy).join('; ')}, so calhub holds no busy time for it; name calendars that count (ifFreeCalendarIds) or leave it out`);
  }
  return { calendarIds: named.map((c) => c.id).filter((id) => id !== calendarId), ...key };
}

/**
 * A conference is the provider's to make: Google Meet and Microsoft Teams come with the calendar;
 * CalDAV has none (a client sets conferenceUrl itself). It belongs to a series or single event.
 */
async function checkConference(hub: Hub, tenantId: string, cal: Calendar, event: CanonicalEvent): Promise<void> {
  const account = await hub.store.tenant(tenantId).accounts.get(cal.accountId);
  if (account?.provider !== 'google' && account?.provider !== 'microsoft') {
    throw new HubError('CONFERENCE_UNSUPPORTED', 'never', `calendar ${cal.id} is on ${account?.provider ?? 'an unknown provider'}, which makes no video conferences; set conferenceUrl instead`);
  }
  if (event.originalStart) throw new HubError('CONFERENCE_UNSUPPORTED', 'never', 'a conference is added to a series or a single event, not to one occurrence');
}

/** Microsoft Graph's documented cap (event.md: at most 500 attendees per event); a longer list parks the write. */
const GRAPH_MAX_ATTENDEES = 500;
const ADDRESS = /^[^\s@]+@[^\s@]+$/;

/** What Google holds of `availability` (transparency); the rest it makes busy. */
const GOOGLE_AVAILABILITIES = new Set<CanonicalEvent['availability']>(['busy', 'free']);

/**
 * What a write newly asks of the calendar's provider is checked before the write is accepted,
 * rather than refused by the provider after it (201, then a parked write) or silently changed by
 * it: an attendee address that is none, more attendees than Microsoft 365 takes, a working-elsewhere
 * time Google would hold as busy. What the event already had (the provider's own) is left alone.
 * Returns the event to store and answer: as `after`, except that a meeting calhub makes on a
 * CalDAV calendar carries the account's address as organizer, which is what the push writes as
 * ORGANIZER (connectors/caldav withOrganizer). Stored without it, the write's answer and every read
 * until the next pull said `organizer: null` for a meeting the server held with one.
 */
export async function checkProviderFit(hub: Hub, tenantId: string, cal: Calendar, before: CanonicalEvent | null, after: CanonicalEvent): Promise<CanonicalEvent> {
  const known = new Set((before?.attendees ?? []).map((a) => a.email.toLowerCase()));
  const bad = after.attendees.flatMap((a, i) => (known.has(a.email.toLowerCase()) || ADDRESS.test(a.email) ? [] : [`attendees.${i}.email`]));
  if (bad.length) throw new ValidationError(`invalid event: ${bad.map((f) => `${f}: not an email address`).join('; ')}`, bad);
  const moreAttendees = after.attendees.length > GRAPH_MAX_ATTENDEES && after.attendees.length > (before?.attendees.length ?? 0);
  // Google marks an event busy (opaque) or free (transparent) only; its out-of-office and
  // working-location entries are kinds of their own that calhub reads but does not make. Written,
  // such an availability would be busy at Google (and read back as busy) while calhub, free/busy's
  // freeStatuses and an ifFree check counted it as its own kind meanwhile.
  const googleCannotHold = !GOOGLE_AVAILABILITIES.has(after.availability) && before?.availability !== after.availability;
  const account = await hub.store.tenant(tenantId).accounts.get(cal.accountId);
  const provider = account?.provider;
  // A CalDAV server names no organizer for calhub: the account's address is written as ORGANIZER
  // (required once there are attendees, RFC 5545 §3.8.4.3). `email: null` = none was found at connect.
  const makesMeeting = after.attendees.length > 0 && after.organizer === null && after.provenance === null && (!before || (before.attendees.length === 0 && before.organizer === null));
  if (makesMeeting && provider === 'caldav' && account!.config.email === null) {
    throw new HubError('ORGANIZER_UNKNOWN', 'never', `a meeting (an event with attendees) needs an organizer, and CalDAV account ${account!.id} has no known email address (its server names none and its username is none); give the event an organizer, or connect the account again with its email`);
  }
  // Accounts connected before `email` was kept have none here: their push fills ORGANIZER in, and a pull brings it.
  const own = makesMeeting && provider === 'caldav' && typeof account!.config.email === 'string' ? account!.config.email : null;
  const fitted = own === null ? after : { ...after, organizer: { email: own, name: null } };
  if (provider) {
    // What the provider would refuse at push time: accepted, it counted as busy and was mirrored
    // until it parked. Only a change that makes it so: an event that came so keeps its edits.
    const c = await newConnector(provider);
    const why = c.cannotHold?.(before, after, cal);
    if (why && (before === null || !c.cannotHold?.(null, before, cal))) {
      throw new ValidationError(`invalid event: ${why}`, after.recurrence ? ['recurrence'] : []);
    }
    const moved = after.originalStart && (!before || eventTimeKey(before.start) !== eventTimeKey(after.start));
    if (moved && c.capabilities.keepsOccurrenceOrder) {
      const series = await hub.store.tenant(tenantId).events.byUid(cal.id, after.uid);
      const crossed = crossedNeighbour(series.map((s) => s.event), after, cal.timeZone);
      if (crossed) {
        const which = crossed.side === 'before' ? 'the occurrence before it' : 'the occurrence after it';
        throw new HubError('OCCURRENCE_OUT_OF_ORDER', 'never', `this calendar's provider keeps a series in order: the occurrence of ${eventTimeKey(after.originalStart!)} cannot start at or ${crossed.side} ${which} (${new Date(crossed.startMs).toISOString()}); move it less far, or cancel it and add a single event`);
      }
    }
  }
  if (moreAttendees && provider === 'microsoft') {
    throw new ValidationError(`invalid event: attendees: Microsoft 365 takes at most ${GRAPH_MAX_ATTENDEES} attendees per event, got ${after.attendees.length}`, ['attendees']);
  }
  if (googleCannotHold && provider === 'google') {
    const hint = after.availability === 'tentative' ? " (a tentatively scheduled event is status: 'tentative', which Google holds)" : '';
    throw new ValidationError(`invalid event: availability: Google Calendar holds an event as busy or free only, so ${after.availability} would be busy there; send free (takes no time) or busy${hint}`, ['availability']);
  }
  return fitted;
}

/**
 * At most how many occurrences `event` puts in the busy index over `horizon`, from its rules alone
 * (microseconds, whatever the rule): the write budget's price. Capped where the busy index stops
 * expanding (MAX_BUSY_OCCURRENCES), not at expandSeries' 5,000. A rule that cannot be read is
 * priced at the cap (validation refuses it, or the index quarantines it).
 */
export function busyCost(event: CanonicalEvent, horizon: { start: Date; end: Date }): number {
  if (!event.recurrence) return 1;
  try {
    return occurrenceBound(event, 'UTC', horizon, MAX_BUSY_OCCURRENCES);
  } catch {
    return MAX_BUSY_OCCURRENCES;
  }
}

/** Creates an event from a client's body (uid generated when absent); fields calhub sets are refused. */
export async function createEvent(hub: Hub, tenantId: string, calendarId: string, input: Record<string, unknown>, opts: WriteOptions = {}): Promise<WrittenEvent> {
  const cal = await writable(hub, tenantId, calendarId);
  rejectReadOnly(input);
  const { body, notes } = canonicalTimes(input, cal.timeZone);
  const parsed = parseEvent({ uid: `${randomUUID()}@calhub`, ...body });
  // Before the write budget is charged: a COUNT of a billion is refused, not expanded.
  refuseCollapsedByGap(parsed, notes);
  validateForWrite(parsed);
  const event = await checkProviderFit(hub, tenantId, cal, null, parsed);
  if (opts.conference) await checkConference(hub, tenantId, cal, event);
  await opts.admit?.(null, event);
  const t = hub.store.tenant(tenantId);
  const uid = event.uid;
  const ask = { sendUpdates: opts.sendUpdates, conference: opts.conference };
  const slot = await slotCheck(hub, tenantId, cal.id, opts.ifFree);
  await writeUid(hub.deps, tenantId, cal.id, uid, [{ ...event, uid, providerEventId: null, providerVersion: null }], uidIsNew(cal.id, uid), ask, slot);
  const saved = (await t.events.byUid(cal.id, uid)).find((r) => keyOf(r.event) === keyOf(event))!;
  return { ...saved, timeNotes: notes };
}

/**
 * Which attendee is the calendar's owner (`self`) is the provider's to say: a client that sends the
 * attendees back without it (to answer an invitation, say) keeps it on the addresses that had it.
 * The busy policy (a declined invitation is free) and the push (an invitee's copy) read it.
 */
export function keepSelf(stored: CanonicalEvent, next: CanonicalEvent): CanonicalEvent {
  const own = new Set(stored.attendees.filter((a) => a.self).map((a) => a.email.toLowerCase()));
  if (own.size === 0) return next;
  return { ...next, attendees: next.attendees.map((a) => (a.self || !own.has(a.email.toLowerCase()) ? a : { ...a, self: true })) };
}

/**
 * An attendee sent back without `response` keeps the answer stored for that address: the schema's
 * default is needsAction, so a PATCH adding one guest reset every other guest's acceptance at the
 * provider (a CalDAV server stored PARTSTAT=NEEDS-ACTION). A response sent is taken as sent.
 */
export function keepResponses(stored: CanonicalEvent, patch: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(patch.attendees) || stored.attendees.length === 0) return patch;
  const had = new Map(stored.attendees.map((a) => [a.email.toLowerCase(), a.response]));
  const kept = (a: unknown): unknown => {
    if (!a || typeof a !== 'object' || 'response' in a) return a;
    const email = (a as { email?: unknown }).email;
    const response = typeof email === 'string' ? had.get(email.toLowerCase()) : undefined;
    return response === undefined ? a : { ...a, response };
  };
  return { ...patch, attendees: patch.attendees.map(kept) };
}

/**
 * Applies a patch (the given fields replace the stored ones); other events of the same UID stay.
 * Made again from the new rows when a pull stored a provider change between its read and its write.
 */
export async function updateEvent(hub: Hub, tenantId: string, eventId: string, input: Record<string, unknown>, ifMatch?: string, opts: WriteOptions = {}): Promise<WrittenEvent> {
  const once = admittedOnce(opts);
  return rereadOnChange(() => updateOnce(hub, tenantId, eventId, input, ifMatch, once));
}

async function updateOnce(hub: Hub, tenantId: string, eventId: string, input: Record<string, unknown>, ifMatch: string | undefined, opts: WriteOptions): Promise<WrittenEvent> {
  const current = await getEvent(hub, tenantId, eventId);
  const cal = await writable(hub, tenantId, current.calendarId);
  rejectReadOnly(input, PATCH_KEEPS.event);
  const { body: patch, notes } = canonicalTimes(input, cal.timeZone);
  const merged: CanonicalEvent = keepSelf(current.event, parseEvent({ ...current.event, ...keepResponses(current.event, patch) }));
  // The merged event is what gets written: a PATCH of `end` alone can still end before the start.
  refuseCollapsedByGap(merged, notes);
  validateForWrite(merged);
  const next = await checkProviderFit(hub, tenantId, cal, current.event, merged);
  if (opts.conference) await checkConference(hub, tenantId, cal, next);
  await opts.admit?.(current.event, next);
  const t = hub.store.tenant(tenantId);
  const siblings = await t.events.byUid(current.calendarId, current.event.uid);
  let events = siblings.map((s) => (s.id === current.id ? { ...next, providerEventId: s.remoteId } : s.event));
  let rekeyed: Map<string, string> | undefined;
  // A change to "all events" reaches the edited occurrences too (their times, the fields they did
  // not change); one carried to a new original start is the same occurrence and keeps its id.
  if (current.event.originalStart === null && current.event.recurrence && next.recurrence) {
    const changed = carryOverrides(current.event, next, events.filter((e) => e.originalStart !== null), cal.timeZone);
    events = [{ ...changed.master, providerEventId: current.remoteId }, ...changed.overrides];
    rekeyed = changed.rekeyed;
  }
  const slot = await slotCheck(hub, tenantId, current.calendarId, opts.ifFree, { eventKey: keyOf(current.event) });
  const read = unchangedSince(current.calendarId, current.event.uid, [current, ...siblings.filter((s) => s.id !== current.id)]);
  await writeUid(hub.deps, tenantId, current.calendarId, current.event.uid, events, allOf(ifMatches(eventId, ifMatch), read), { sendUpdates: opts.sendUpdates, conference: opts.conference }, slot, rekeyed);
  const saved = await t.events.get(eventId);
  // A pull applied the provider's deletion between the write and this read (an invitation
  // declined in Outlook meanwhile): the change was not kept.
  if (!saved) throw new NotFoundError(`event ${eventId}: deleted at the provider while this change was written`);
  return { ...saved, timeNotes: notes };
}

/** Deleting an override cancels that occurrence; deleting a master or single event deletes it. */
export async function deleteEvent(hub: Hub, tenantId: string, eventId: string, ifMatch?: string, opts: WriteOptions = {}): Promise<void> {
  const current = await getEvent(hub, tenantId, eventId);
  await writable(hub, tenantId, current.calendarId);
  await opts.admit?.(current.event, null);
  await new EventWriter(hub.deps).delete(tenantId, eventId, ifMatch, opts.sendUpdates);
}

/**
 * The ids of these stored rows whose item at the provider is quarantined as unreadable: each is
 * the hub's last good copy of its event (the API answers it with `quarantined: true`).
 */
export async function quarantinedRows(hub: Hub, tenantId: string, rows: Array<Pick<StoredEvent, 'id' | 'calendarId' | 'remoteId'>>): Promise<Set<string>> {
  const out = new Set<string>();
  const t = hub.store.tenant(tenantId);
  for (const calendarId of new Set(rows.map((r) => r.calendarId))) {
    const mine = rows.filter((r) => r.calendarId === calendarId);
    const set = await t.events.unreadable(calendarId, mine.map((r) => r.remoteId));
    for (const r of mine) if (r.remoteId !== null && set.has(r.remoteId)) out.add(r.id);
  }
  return out;
}

/** Stored rows (masters, singles, overrides) of a calendar in id order, after `afterId`. */
export async function pageOfEvents(hub: Hub, tenantId: string, calendarId: string, afterId: string | null, limit: number, filter: EventFilter = {}): Promise<StoredEvent[]> {
  const cal = await calendarOf(hub, tenantId, calendarId);
  return pageEvents(hub.store.db, tenantId, cal.id, afterId, limit, filter);
}

/** An instance passes the listing's filters by its own event (the override for a moved occurrence) and its row. */
function instanceMatches(e: CanonicalEvent, rowId: string, filter: EventFilter, updated: Set<string> | null): boolean {
  if (updated && !updated.has(rowId)) return false;
  if (filter.status?.length && !filter.status.includes(e.status)) return false;
  if (filter.text) {
    const needle = filter.text.toLowerCase();
    if (![e.title, e.description, e.location].some((s) => s?.toLowerCase().includes(needle))) return false;
  }
  return true;
}

export type EventInstance = ReturnType<typeof instance>;

/** Where a page of instances continues: after this one in (start, event id, original start) order. */
export interface Keyset {
  startMs: number;
  eventId: string;
  originalStartKey: string;
}

const compareInstances = (a: Keyset, b: Keyset): number =>
  a.startMs - b.startMs || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0) || (a.originalStartKey < b.originalStartKey ? -1 : a.originalStartKey > b.originalStartKey ? 1 : 0);

/**
 * The first `want` instances overlapping the window after `after`, ordered by start; a series that
 * cannot be expanded is left out and logged. Each series is expanded only as far as the page needs
 * (its first `want` occurrences from the resume point hold the page's whole share of it), never
 * the whole window per page: 61 minutely series took 3.4 s of main-thread CPU per page. The event
 * loop gets a turn between series.
 */
export async function eventInstances(
  hub: Hub,
  tenantId: string,
  calendarId: string,
  window: { start: Date; end: Date },
  page: { after: Keyset | null; want: number },
  log: { warn(obj: object, msg: string): void } = hub.log,
  filter: EventFilter = {},
): Promise<Array<EventInstance & { startMs: number }>> {
  const cal = await calendarOf(hub, tenantId, calendarId);
  const { after, want } = page;
  const updated = filter.updatedSince ? await eventIdsUpdatedSince(hub.store.db, tenantId, cal.id, filter.updatedSince) : null;
  // A filter may drop occurrences, so a rule's first `want` of them may not hold the page: filtered listings expand the window whole.
  const filtered = updated !== null || Boolean(filter.status?.length) || Boolean(filter.text);
  const ws = window.start.getTime();
  const from = after && after.startMs > ws ? new Date(after.startMs) : window.start;
  const rows = await eventsForWindow(hub.store.db, tenantId, cal.id, from, window.end);
  const stale = await hub.store.tenant(tenantId).events.unreadable(cal.id);
  const byUid = new Map<string, StoredEvent[]>();
  for (const r of rows) {
    const l = byUid.get(r.event.uid);
    if (l) l.push(r);
    else byUid.set(r.event.uid, [r]);
  }
  // Resuming inside the window, only occurrences starting at or after the resume point matter,
  // and each rule's first `want` of them hold this page, plus the one a rule may have at the resume
  // point itself: the page before ended on it, so it is skipped (without it a series alone in the
  // listing filled one page less than asked and the listing ended early). Resuming before the
  // window (the page ended on instances that began earlier and overlap it), the series are read whole.
  const resumeInside = after !== null && after.startMs >= ws;
  const perRule = resumeInside ? want + 1 : want;
  const expandWindow = resumeInside ? { start: new Date(after.startMs), end: window.end } : window;
  const out: Array<EventInstance & { startMs: number }> = [];
  let since = performance.now();
  for (const [uid, group] of byUid) {
    if (performance.now() - since > 20) {
      await new Promise((r) => setImmediate(r));
      since = performance.now();
    }
    const master = group.find((g) => g.event.originalStart === null) ?? null;
    const rowOf = new Map<CanonicalEvent, StoredEvent>(group.map((g) => [g.event, g]));
    try {
      const occ = expandSeries({
        master: master?.event ?? null,
        overrides: group.filter((g) => g !== master).map((g) => g.event),
        calendarTimeZone: cal.timeZone,
        window: expandWindow,
        ...((after === null || resumeInside) && !filtered ? { perRuleLimit: perRule, startsInWindow: resumeInside } : {}),
      });
      for (const o of occ) {
        const row = rowOf.get(o.event) ?? master!;
        if (filtered && !instanceMatches(o.event, row.id, filter, updated)) continue;
        const quarantined = row.remoteId !== null && stale.has(row.remoteId);
        const item = { ...instance(row, o.event, o.originalStartKey, o.startMs, o.endMs, o.isOverride, master?.event.recurrence != null, cal.timeZone, quarantined), startMs: o.startMs };
        if (after && compareInstances(item, after) <= 0) continue;
        out.push(item);
      }
    } catch (e) {
      log.warn({ err: e, uid }, 'series could not be expanded for listing');
    }
  }
  out.sort(compareInstances);
  return out.slice(0, want);
}

/**
 * An occurrence as listed: start and end as the wall clock of its zone (the event's, else the
 * calendar's) with offset. `quarantined`: the row behind it is the last good copy of an item the
 * provider holds unreadable.
 */
export function instance(row: StoredEvent, e: CanonicalEvent, originalStartKey: string, startMs: number, endMs: number, isOverride: boolean, recurring: boolean, calendarZone: string, quarantined: boolean) {
  const zone = 'timeZone' in e.start ? e.start.timeZone : calendarZone;
  return {
    eventId: row.id,
    calendarId: row.calendarId,
    uid: e.uid,
    originalStartKey,
    recurring,
    isOverride,
    allDay: 'date' in e.start,
    start: instantInZone(startMs, zone),
    end: instantInZone(endMs, zone),
    timeZone: zone,
    title: e.title,
    location: e.location,
    status: e.status,
    availability: e.availability,
    visibility: e.visibility,
    busyStatus: busyStatusOf(e),
    // As every other view of an event shows it (shared/store/event-view.ts): a mirror copy's rule and source.
    provenance: e.provenance && { ruleId: e.provenance.ruleId, sourceEventId: e.provenance.sourceEventId },
    quarantined,
  };
}
