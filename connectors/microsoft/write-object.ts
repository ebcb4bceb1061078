/**
 * getObject / findObjectByUid / putObject / deleteObject. Writes carry `If-Match: <@odata.etag>`
 * (412 → PreconditionFailedError), an occurrence's first write the etag it was found with. Creates send `transactionId` = UID, which Graph uses to drop a
 * repeated POST, so a retried create does not duplicate. Overrides are written to the occurrence
 * they replace (which Graph then turns into an exception with the same id); EXDATEs delete
 * occurrences. Graph cannot bring a deleted occurrence back, so removing an EXDATE is unsupported.
 * A change to an invitation sends the owner's response through Graph's answer actions (answer.ts).
 */
import { eventTimeKey, normalizeRRule, type CanonicalEvent } from '../../shared/model/index.ts';
import { providerZoneOf, type RemoteCalendarRef, type RemoteObject, type RemoteObjectWrite, type WritePrecondition } from '../connector.ts';
import { CannotRestoreError, PreconditionFailedError, RemoteNotFoundError, TransientError, UnsupportedError } from '../errors.ts';
import { answer, invitationPatch, isInvitation } from './answer.ts';
import { keepUnchanged } from './keep-unchanged.ts';
import type { GraphApi } from './graph-client.ts';
import { getMaster, PREFER_READ } from './list-changes.ts';
import { fromGraph, toGraph, UID_PROP, zoneOf, type GraphEvent } from './map-microsoft-event.ts';

const DAY = 86_400_000;
const quote = (s: string) => s.replace(/'/g, "''");

export async function getObject(api: GraphApi, remoteId: string, ownerEmail: string): Promise<RemoteObject> {
  return (await readForWrite(api, remoteId, ownerEmail)).object;
}

/** The object, and whether the mailbox organizes it as Graph says (`isOrganizer`; null when Graph does not say). */
async function readForWrite(api: GraphApi, remoteId: string, ownerEmail: string): Promise<{ object: RemoteObject; organizes: boolean | null }> {
  const ev = await getMaster(api, remoteId);
  const master = ev.type === 'exception' || ev.type === 'occurrence' ? await getMaster(api, ev.seriesMasterId!) : null;
  return { object: { remoteId: ev.id, version: ev['@odata.etag'] ?? null, events: [fromGraph(ev, { ownerEmail, master })] }, organizes: typeof ev.isOrganizer === 'boolean' ? ev.isOrganizer : null };
}

export async function findObjectByUid(api: GraphApi, cal: RemoteCalendarRef, uid: string, ownerEmail: string): Promise<RemoteObject | null> {
  const base = `/me/calendars/${encodeURIComponent(cal.providerCalendarId)}/events?$select=id&$filter=`;
  for (const filter of [
    `singleValueExtendedProperties/Any(ep: ep/id eq '${UID_PROP}' and ep/value eq '${quote(uid)}')`,
    `iCalUId eq '${quote(uid)}'`,
  ]) {
    const r = await api.get<{ value: Array<{ id: string }> }>(base + encodeURIComponent(filter), { Prefer: PREFER_READ });
    const hit = r.value[0];
    if (hit) return getObject(api, hit.id, ownerEmail);
  }
  return null;
}

const PERIOD_DAYS: Record<string, number> = { DAILY: 1, WEEKLY: 7, MONTHLY: 31, YEARLY: 366 };
/** The widest search for a moved exception: past it, the occurrence is taken as gone. */
const MAX_REACH_MS = 400 * DAY;

/**
 * Where to look first for an occurrence of `rrules` around its original start: one period of the
 * rule and a day either way (at least two days), where an unmoved occurrence always is. Graph lists
 * an exception at its new time, so one moved further is searched for in windows four times wider,
 * up to MAX_REACH_MS (findOccurrence). A fixed ±2 days missed an exception moved further (the
 * series model, seed 1651870528: an instance moved two days on CalDAV, then cancelled; the copy's
 * exception stayed on Graph).
 */
export function occurrenceReachMs(rrules: string[]): number {
  const rule = rrules[0] ?? '';
  const freq = /(?:^|;)FREQ=([A-Z]+)/.exec(rule)?.[1] ?? '';
  const interval = Math.max(1, Number(/(?:^|;)INTERVAL=(\d+)/.exec(rule)?.[1] ?? 1));
  return Math.max(2, (PERIOD_DAYS[freq] ?? 1) * interval + 1) * DAY;
}

/** The occurrence (or exception) of a series whose original start is `original`; `rrules`: the series' rule. */
async function findOccurrence(api: GraphApi, masterId: string, e: CanonicalEvent, zone: string, rrules: string[]): Promise<GraphEvent> {
  const key = eventTimeKey(e.originalStart!);
  const at = 'date' in e.originalStart! ? Date.parse(`${e.originalStart.date}T00:00:00Z`) : 'dateTime' in e.originalStart! ? Date.parse(e.originalStart.dateTime) : Date.parse(`${e.originalStart!.local}Z`);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);
  const matches = (occ: GraphEvent) => {
    const ms = Date.parse(occ.originalStart!.endsWith('Z') ? occ.originalStart! : `${occ.originalStart}Z`);
    // An all-day occurrence's originalStart is its midnight in the zone the series is held in
    // (made in Outlook: the mailbox's), which need not be the hub's zone for the calendar.
    const k = 'date' in e.originalStart! ? new Date(ms).toLocaleDateString('sv', { timeZone: zoneOf(occ.originalStartTimeZone, zone) }) : eventTimeKey({ dateTime: new Date(ms).toISOString(), timeZone: 'UTC' });
    return k === key;
  };
  for (let reach = occurrenceReachMs(rrules), last = false; !last; reach *= 4) {
    last = reach >= MAX_REACH_MS;
    let link: string | undefined =
      `/me/events/${encodeURIComponent(masterId)}/instances?startDateTime=${iso(at - Math.min(reach, MAX_REACH_MS))}Z&endDateTime=${iso(at + Math.min(reach, MAX_REACH_MS))}Z&$top=200`;
    while (link) {
      const r: { value: GraphEvent[]; '@odata.nextLink'?: string } = await api.get(link, { Prefer: PREFER_READ });
      const hit = r.value.find(matches);
      if (hit) return hit;
      link = r['@odata.nextLink'];
    }
  }
  throw new RemoteNotFoundError(`series ${masterId} has no occurrence at ${key}`, { provider: 'microsoft' });
}

/**
 * Deletes the occurrences at `exdates`; returns the EXDATEs that name no occurrence (outside the
 * pattern, or already cancelled), which have nothing to delete. Each delete is conditional (Graph
 * takes an event's @odata.etag in If-Match, B.7; the emulator checks it on occurrences too): a plain
 * occurrence on the etag it was just found with, an exception on the version the hub last agreed
 * on (`known`, RemoteObjectWrite.occurrenceVersions). An exception the hub has never seen was made
 * in Outlook since the hub read the series: deleting it would lose that change unseen, so it is
 * 412 naming the exception, as a refused delete is, and the hub reads it before cancelling again.
 */
async function deleteOccurrences(
  api: GraphApi, masterId: string, exdates: CanonicalEvent['start'][], master: CanonicalEvent, zone: string, known: Record<string, string | null> | null,
): Promise<CanonicalEvent['start'][]> {
  const none: CanonicalEvent['start'][] = [];
  for (const x of exdates) {
    let occ: GraphEvent;
    try {
      occ = await findOccurrence(api, masterId, { ...master, originalStart: x }, zone, master.recurrence?.rrules ?? []);
    } catch (e) {
      if (!(e instanceof RemoteNotFoundError)) throw e;
      none.push(x);
      continue;
    }
    const key = eventTimeKey(x);
    if (occ.type === 'exception' && known && !(key in known)) {
      throw new PreconditionFailedError(`the occurrence at ${key} was changed at the provider`, { provider: 'microsoft', httpStatus: 412, holder: occ.id });
    }
    const ifMatch = (occ.type === 'exception' ? known?.[key] : null) ?? occ['@odata.etag'];
    try {
      await api.delete(`/me/events/${encodeURIComponent(occ.id)}`, ifMatch ? { 'If-Match': ifMatch } : {});
    } catch (e) {
      if (e instanceof PreconditionFailedError && !e.holder) {
        throw new PreconditionFailedError(`the occurrence at ${key} was changed at the provider while it was cancelled`, { provider: 'microsoft', httpStatus: 412, holder: occ.id });
      }
      if (!(e instanceof RemoteNotFoundError)) throw e;
      none.push(x);
    }
  }
  return none;
}

/**
 * The written master as Graph lists it, plus the EXDATEs that named no occurrence: Graph cannot
 * hold them and they change nothing, and without them the hub would see a difference to write
 * again on every sync (a CalDAV series shortened below an EXDATE, copied to Graph).
 */
async function readBack(api: GraphApi, id: string, ownerEmail: string, noOccurrence: CanonicalEvent['start'][]): Promise<RemoteObject> {
  const o = await getObject(api, id, ownerEmail);
  const m = o.events[0]!;
  const held = new Set((m.recurrence?.exdates ?? []).map(eventTimeKey));
  const extra = noOccurrence.filter((x) => !held.has(eventTimeKey(x)));
  if (!m.recurrence || extra.length === 0) return o;
  return { ...o, events: [{ ...m, recurrence: { ...m.recurrence, exdates: [...m.recurrence.exdates, ...extra] } }] };
}

/** Why Graph could not hold `after` in place of `before` (null: a create), as putObject would find; or null. */
export function cannotHold(before: CanonicalEvent | null, after: CanonicalEvent, cal: Pick<RemoteCalendarRef, 'timeZone' | 'providerTimeZone'>): string | null {
  try {
    toGraph(after, cal.timeZone, { create: before === null, allDayZone: cal.providerTimeZone ?? cal.timeZone });
  } catch (e) {
    if (e instanceof UnsupportedError) return e.message;
    throw e;
  }
  if (before?.recurrence && after.recurrence && !after.originalStart && samePattern(before, after)) {
    const kept = new Set(after.recurrence.exdates.map(eventTimeKey));
    if (before.recurrence.exdates.some((x) => !kept.has(eventTimeKey(x)))) {
      return 'Microsoft Graph cannot bring back a cancelled occurrence: keep the series\' exdates (or change the occurrence itself)';
    }
  }
  return null;
}

/** The same pattern, start and end: Graph would keep the series' exceptions, so the pattern is not sent. */
function samePattern(a: CanonicalEvent, b: CanonicalEvent): boolean {
  const rules = (e: CanonicalEvent) => JSON.stringify((e.recurrence?.rrules ?? []).map(normalizeRRule));
  // The series' length is part of the pattern too (MS-OXOCAL's EndTimeOffset): a longer series loses its exceptions as a moved one does.
  return rules(a) === rules(b) && eventTimeKey(a.start) === eventTimeKey(b.start) && eventTimeKey(a.end) === eventTimeKey(b.end);
}

/**
 * A Teams meeting for an event that has no conference, when the write asks for one: Graph makes it
 * and answers its join link in onlineMeeting (event.md: isOnlineMeeting, onlineMeetingProvider).
 * teamsForBusiness is what a Microsoft 365 mailbox allows (its calendar's
 * allowedOnlineMeetingProviders); a personal account's is UNCONFIRMED here.
 */
function teams(write: RemoteObjectWrite, e: CanonicalEvent): Record<string, unknown> {
  return write.conference && !e.conferenceUrl ? { isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' } : {};
}

/**
 * A create answered without the event (a 2xx with no body or no id, e.g. from a gateway that lost
 * it): the write may well have been made. Retried like a cut connection, so the next push finds the
 * object by UID (transactionId keeps Graph from making it twice); reading `/me/events/undefined`
 * turned it into a 404 and the change was reported as unwritable.
 */
function createdId(made: GraphEvent | null | undefined): GraphEvent {
  if (!made || typeof made.id !== 'string' || made.id === '') {
    throw new TransientError('Microsoft Graph answered the create without the created event (no id)', { provider: 'microsoft', reason: 'create-answer-without-id' });
  }
  return made;
}

export async function putObject(
  api: GraphApi, cal: RemoteCalendarRef, write: RemoteObjectWrite, pre: WritePrecondition, ownerEmail: string,
): Promise<RemoteObject> {
  const e = write.events[0];
  if (!e || write.events.length > 1) throw new UnsupportedError('Microsoft Graph stores one event per object; write overrides as their own objects', { provider: 'microsoft' });
  const zone = cal.timeZone;
  const allDayZone = providerZoneOf(cal);
  if (e.originalStart) return putOverride(api, cal, write, e, pre, ownerEmail);
  if ('ifNoneMatch' in pre) {
    // Graph makes the mailbox the organizer of what it creates and invites the attendees in its
    // name: a meeting someone else organizes (an invitation declined and gone from the calendar,
    // then edited; one deleted in Outlook and brought back) cannot be created as asked.
    if (isInvitation(e, ownerEmail) && e.attendees.some((a) => !a.self)) {
      throw new UnsupportedError(`Microsoft Graph cannot create a meeting organized by ${e.organizer!.email}: it would invite its attendees in the mailbox's name`, { provider: 'microsoft', reason: 'foreign-organizer' });
    }
    const body = { ...toGraph(e, zone, { create: true, allDayZone }), ...teams(write, e) };
    const made = createdId(await api.post<GraphEvent | null>(`/me/calendars/${encodeURIComponent(cal.providerCalendarId)}/events`, body, { Prefer: PREFER_READ }));
    const none = e.recurrence?.exdates.length ? await deleteOccurrences(api, made.id, e.recurrence.exdates, e, allDayZone, null) : [];
    return readBack(api, made.id, ownerEmail, none);
  }
  if (!write.remoteId) throw new UnsupportedError('an update needs the remote id', { provider: 'microsoft' });
  const { object: current, organizes } = await readForWrite(api, write.remoteId, ownerEmail);
  if (current.version !== pre.ifMatch) throw new PreconditionFailedError('the event changed since it was read', { provider: 'microsoft', httpStatus: 412 });
  const before = current.events[0]!;
  if (isInvitation(before, ownerEmail, organizes)) return putInvitation(api, write.remoteId, before, e, pre.ifMatch, { zone, allDayZone, ownerEmail, write });
  const body = keepUnchanged({ ...toGraph(e, zone, { create: false, allDayZone }), ...teams(write, e) }, before, e);
  // A new pattern makes Graph discard the series' exceptions and cancellations (as Outlook does,
  // MS-OXOCAL 3.1.4.7.3.5), so an unchanged one is not sent.
  const newPattern = !samePattern(before, e);
  if (!newPattern) delete body.recurrence;
  const oldEx = new Set((before.recurrence?.exdates ?? []).map(eventTimeKey));
  const newEx = e.recurrence?.exdates ?? [];
  if (!newPattern && [...oldEx].some((k) => !newEx.some((x) => eventTimeKey(x) === k))) {
    throw new CannotRestoreError('Microsoft Graph cannot restore a deleted occurrence (an EXDATE was removed)', { provider: 'microsoft', reason: 'occurrence-deleted' });
  }
  await api.patch(`/me/events/${encodeURIComponent(write.remoteId)}`, body, { 'If-Match': pre.ifMatch, Prefer: PREFER_READ });
  // After a new pattern every EXDATE is deleted again; otherwise only the new ones.
  const toDelete = newPattern ? newEx : newEx.filter((x) => !oldEx.has(eventTimeKey(x)));
  const none = toDelete.length > 0 ? await deleteOccurrences(api, write.remoteId, toDelete, e, allDayZone, write.occurrenceVersions ?? null) : [];
  const written = await readBack(api, write.remoteId, ownerEmail, none);
  // The overrides, objects of their own, are gone too: the engine writes them again.
  return newPattern && before.recurrence && e.recurrence ? { ...written, overridesDropped: true } : written;
}

/**
 * An invitee's copy (or one occurrence of it): the change without the guest list, then the owner's
 * response. A decline leaves nothing to read back; the event is written as given and the next
 * delta removes it.
 */
async function putInvitation(
  api: GraphApi, id: string, before: CanonicalEvent, e: CanonicalEvent, ifMatch: string | null,
  o: { zone: string; allDayZone: string; ownerEmail: string; write: RemoteObjectWrite },
): Promise<RemoteObject> {
  const body = invitationPatch(before, e, o.zone, o.allDayZone);
  if (body) {
    if (e.originalStart || samePattern(before, e)) delete body.recurrence;
    await api.patch(`/me/events/${encodeURIComponent(id)}`, body, { Prefer: PREFER_READ, ...(ifMatch ? { 'If-Match': ifMatch } : {}) });
  }
  const sent = await answer(api, id, before, e, o.write.sendUpdates);
  if (sent === 'declined') return { remoteId: id, version: null, events: [e] };
  return getObject(api, id, o.ownerEmail);
}

async function putOverride(
  api: GraphApi, cal: RemoteCalendarRef, write: RemoteObjectWrite, e: CanonicalEvent, pre: WritePrecondition, ownerEmail: string,
): Promise<RemoteObject> {
  if (write.remoteId) {
    // What the provider holds at the If-Match version (write.current), where the hub knows it.
    const was = write.current?.length === 1 ? write.current[0]! : undefined;
    return writeOccurrence(api, cal, write, e, write.remoteId, 'ifMatch' in pre ? pre.ifMatch : null, ownerEmail, was);
  }
  const master = await findObjectByUid(api, cal, e.uid, ownerEmail);
  if (!master) throw new RemoteNotFoundError(`no series with UID ${e.uid} to attach the override to`, { provider: 'microsoft' });
  const occ = await findOccurrence(api, master.remoteId, e, providerZoneOf(cal), master.events[0]?.recurrence?.rrules ?? []);
  // Changed in Outlook since the hub last read the series: written blind, that change was lost.
  if (occ.type === 'exception' && 'ifNoneMatch' in pre) {
    throw new PreconditionFailedError('the occurrence was changed at the provider', { provider: 'microsoft', httpStatus: 412, holder: occ.id });
  }
  // The first write of an occurrence is conditional on the etag it was just found with (Graph's
  // If-Match takes an event's @odata.etag, B.7): a change made in Outlook between that read and
  // this write fails it instead of being written over. The 412 names the occurrence, so the push
  // reads it and merges (google write-object.ts does the same for an instance).
  try {
    // An exception found here holds what Outlook gave it; a plain occurrence, the series' body.
    const was = occ.type === 'exception' ? undefined : (master.events[0] ?? { description: null, location: null });
    return await writeOccurrence(api, cal, write, e, occ.id, occ['@odata.etag'] ?? ('ifMatch' in pre ? pre.ifMatch : null), ownerEmail, was);
  } catch (err) {
    if (err instanceof PreconditionFailedError && !err.holder) {
      throw new PreconditionFailedError('the occurrence was changed at the provider while it was written', { provider: 'microsoft', httpStatus: 412, holder: occ.id });
    }
    throw err;
  }
}

/** Writes (or cancels) one occurrence or exception `id`, on `ifMatch` when given. */
async function writeOccurrence(
  api: GraphApi, cal: RemoteCalendarRef, write: RemoteObjectWrite, e: CanonicalEvent, id: string, ifMatch: string | null, ownerEmail: string,
  was: Pick<CanonicalEvent, 'description' | 'location'> | undefined,
): Promise<RemoteObject> {
  const headers: Record<string, string> = { Prefer: PREFER_READ, ...(ifMatch ? { 'If-Match': ifMatch } : {}) };
  if (e.status === 'cancelled') {
    await api.delete(`/me/events/${encodeURIComponent(id)}`, headers);
    return { remoteId: id, version: null, events: [e] };
  }
  // Only a meeting can be an invitation: an occurrence without attendees is written without a read.
  const read = e.organizer ? await readForWrite(api, id, ownerEmail) : null;
  if (read && isInvitation(read.object.events[0]!, ownerEmail, read.organizes)) {
    const current = read.object;
    if (ifMatch && current.version !== ifMatch) throw new PreconditionFailedError('the occurrence changed since it was read', { provider: 'microsoft', httpStatus: 412 });
    return putInvitation(api, id, current.events[0]!, e, ifMatch, { zone: cal.timeZone, allDayZone: providerZoneOf(cal), ownerEmail, write });
  }
  const body = keepUnchanged(toGraph(e, cal.timeZone, { create: false, allDayZone: providerZoneOf(cal) }), was, e);
  delete body.recurrence;
  await api.patch(`/me/events/${encodeURIComponent(id)}`, body, headers);
  return getObject(api, id, ownerEmail);
}

export async function deleteObject(api: GraphApi, remoteId: string, pre: { ifMatch: string } | null): Promise<void> {
  await api.delete(`/me/events/${encodeURIComponent(remoteId)}`, pre ? { 'If-Match': pre.ifMatch } : {});
}
