/**
 * putObject / deleteObject. Google has no conditional insert (A.8): a create sends the iCalUID and
 * Google's 409 duplicate is the refusal. Updates and deletes send If-Match. An override is written
 * to its instance id `<masterId>_<originalStart>`, which turns the instance into an exception;
 * a cancelled override is a delete of that instance. Every write and delete carries the write's
 * `sendUpdates` when it has one; without it Google's default tells no attendee (A.4).
 */
import { randomUUID } from 'node:crypto';
import type { CanonicalEvent, EventTime, SendUpdates } from '../../shared/model/index.ts';
import { localToUtcMs } from '../../shared/time/index.ts';
import { providerZoneOf, type ConnectorContext, type DeleteOptions, type RemoteCalendarRef, type RemoteObject, type RemoteObjectWrite, type WritePrecondition } from '../connector.ts';
import { PreconditionFailedError, RemoteNotFoundError, UnsupportedError } from '../errors.ts';
import type { GoogleClient } from './client.ts';
import { instanceSuffix, toGoogleEvent } from './map-canonical-event.ts';
import { mapGoogleEvent, mapGoogleTime, type GoogleEvent } from './map-google-event.ts';

/** Read in the provider's zone: a time Google sends with an offset and no zone is one its calendar's zone frames. */
export function toRemoteObject(ev: GoogleEvent, cal: RemoteCalendarRef, masterUid?: string): RemoteObject {
  return { remoteId: ev.id!, version: ev.etag ?? null, events: [mapGoogleEvent(ev, providerZoneOf(cal), masterUid)] };
}

export async function getRaw(client: GoogleClient, ctx: ConnectorContext, cal: RemoteCalendarRef, eventId: string): Promise<GoogleEvent> {
  return client.call(ctx, (o) => client.api.events.get({ calendarId: cal.providerCalendarId, eventId }, o));
}

/**
 * Every item with this iCalUID: the master or single event and, for a series, its exceptions,
 * which share it (A.3), cancelled ones included in their minimal form (A.1: listed when showDeleted
 * and singleEvents are both false). Pages are followed, empty ones too (A.1).
 */
async function listByUid(client: GoogleClient, ctx: ConnectorContext, cal: RemoteCalendarRef, uid: string): Promise<GoogleEvent[]> {
  const items: GoogleEvent[] = [];
  let pageToken: string | undefined;
  do {
    const token = pageToken;
    const data = await client.call(ctx, (o) => client.api.events.list({ calendarId: cal.providerCalendarId, iCalUID: uid, maxResults: 2500, ...(token ? { pageToken: token } : {}) }, o));
    items.push(...(data.items ?? []));
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return items;
}

const masterOf = (items: GoogleEvent[]) => items.find((e) => !e.recurringEventId && e.status !== 'cancelled') ?? null;

/** The master or single event with this iCalUID; exceptions share it and are skipped. */
export async function findByUid(client: GoogleClient, ctx: ConnectorContext, cal: RemoteCalendarRef, uid: string): Promise<GoogleEvent | null> {
  return masterOf(await listByUid(client, ctx, cal, uid));
}

/**
 * The exception Google holds for the occurrence at `originalStart`, live or cancelled: an instance
 * changed at Google is an event of its own, listed apart from its master (A.2, A.3), and named by
 * its `originalStartTime`, which "uniquely identifies the instance" even when it was moved.
 */
function exceptionAt(items: GoogleEvent[], masterId: string, originalStart: EventTime, zone: string): GoogleEvent | null {
  const want = instanceSuffix(originalStart, zone, localToUtcMs);
  return items.find((e) => e.recurringEventId === masterId && e.originalStartTime && instanceSuffix(mapGoogleTime(e.originalStartTime, zone, 'originalStartTime'), zone, localToUtcMs) === want) ?? null;
}

const ifMatch = (pre: WritePrecondition | { ifMatch: string } | null): Record<string, string> =>
  pre && 'ifMatch' in pre ? { 'If-Match': pre.ifMatch } : {};

/**
 * An invitee's copy: someone else organizes it. The calendar organizes its own events (its id is the
 * owner's address for a primary calendar, the calendar's own for another), and Google marks the
 * owner `self` among an invitation's attendees.
 */
function invitedCopy(ev: CanonicalEvent, cal: RemoteCalendarRef): boolean {
  const organizer = ev.organizer?.email.toLowerCase();
  if (organizer === undefined) return false;
  return organizer !== cal.providerCalendarId.toLowerCase() || ev.attendees.some((a) => a.self && a.email.toLowerCase() !== organizer);
}

/**
 * events.update, or events.patch for an invitee's copy: an update without guestsCan* counts as
 * setting their defaults, which only the organizer may (403 forbiddenForNonOrganizer, A.4), and the
 * canonical form does not hold them.
 */
function replace(client: GoogleClient, ctx: ConnectorContext, cal: RemoteCalendarRef, eventId: string, ev: CanonicalEvent, requestBody: GoogleEvent, tell: WriteQuery, pre: WritePrecondition | { ifMatch: string } | null): Promise<GoogleEvent> {
  const params = { calendarId: cal.providerCalendarId, eventId, requestBody, ...tell };
  return client.call(ctx, (o) => (invitedCopy(ev, cal) ? client.api.events.patch(params, o) : client.api.events.update(params, o)), ifMatch(pre));
}

type WriteQuery = { sendUpdates?: SendUpdates; conferenceDataVersion?: number };

/** The write's query parameter; none at all when the write has no preference (Google's default). */
const notify = (sendUpdates: SendUpdates | null | undefined): WriteQuery => (sendUpdates ? { sendUpdates } : {});

/**
 * A Google Meet for an event that has no conference, when the write asks for one: a create request,
 * which Google reads only with conferenceDataVersion=1 (A.4) and answers with the conference, or
 * with its request `pending` until a later read. Without the ask no conferenceDataVersion is sent,
 * so a write never touches a conference the event has. An invitee's copy is the organizer's to add to.
 */
function meet(write: RemoteObjectWrite, ev: CanonicalEvent, cal: RemoteCalendarRef, body: GoogleEvent): { body: GoogleEvent; query: WriteQuery } {
  if (!write.conference || ev.conferenceUrl || invitedCopy(ev, cal)) return { body, query: {} };
  const createRequest = { requestId: randomUUID(), conferenceSolutionKey: { type: 'hangoutsMeet' } };
  return { body: { ...body, conferenceData: { createRequest } }, query: { conferenceDataVersion: 1 } };
}

async function putOverride(client: GoogleClient, ctx: ConnectorContext, cal: RemoteCalendarRef, ev: CanonicalEvent, write: RemoteObjectWrite, pre: WritePrecondition): Promise<RemoteObject> {
  const { remoteId } = write;
  const tell = notify(write.sendUpdates);
  let eventId = remoteId;
  let condition: WritePrecondition | { ifMatch: string } | null = pre;
  if (eventId === null) {
    const found = await firstWriteOf(client, ctx, cal, ev, pre);
    eventId = found.id;
    condition = found.condition;
  }
  const id = eventId;
  try {
    if (ev.status === 'cancelled') {
      try {
        await client.call(ctx, (o) => client.api.events.delete({ calendarId: cal.providerCalendarId, eventId: id, ...tell }, o), ifMatch(condition));
      } catch (e) {
        // 410 `deleted`: the instance is already cancelled, which is what was asked for.
        if (!(e instanceof RemoteNotFoundError && e.httpStatus === 410)) throw e;
      }
    } else {
      await replace(client, ctx, cal, id, ev, toGoogleEvent(ev, cal), tell, condition);
    }
  } catch (e) {
    // The first write's If-Match failed: changed at Google since it was read. Naming the instance
    // lets the push read it and merge, as for an exception the listing showed.
    if (remoteId === null && e instanceof PreconditionFailedError && !e.holder) {
      throw new PreconditionFailedError('google: the occurrence was changed at Google while it was written', { provider: 'google', httpStatus: 412, holder: id });
    }
    throw e;
  }
  return toRemoteObject(await getRaw(client, ctx, cal, id), cal, ev.uid);
}

/**
 * Where the hub's first write of an occurrence goes, and on what condition. Google holds an
 * occurrence apart once it was changed or cancelled there; written blind, that change was lost.
 * Google answers nothing that says so (its instance ids and etags do not tell a changed instance
 * from a plain one, A.3, A.8); its listing does, and a 412 naming the exception lets the push
 * merge. The instance is read first and written with If-Match on its etag (A.8: updates and
 * deletes are conditional; the emulator enforces it on instances too), and the listing comes after
 * that read: a change before the read shows in the listing, one after it fails the If-Match.
 */
async function firstWriteOf(client: GoogleClient, ctx: ConnectorContext, cal: RemoteCalendarRef, ev: CanonicalEvent, pre: WritePrecondition): Promise<{ id: string; condition: WritePrecondition | { ifMatch: string } | null }> {
  const listed = await listByUid(client, ctx, cal, ev.uid);
  const master = masterOf(listed);
  const masterId = master?.id;
  if (!masterId) throw new RemoteNotFoundError(`google: no series with iCalUID ${ev.uid} for this override`, { provider: 'google' });
  // A floating original start is where Google expands the series: in the zone its master was
  // written in (required on a recurring event, A.3), which a later zone choice does not move.
  const zone = master.start?.timeZone ?? cal.timeZone;
  const instanceId = `${masterId}_${instanceSuffix(ev.originalStart!, zone, localToUtcMs)}`;
  if (!('ifNoneMatch' in pre)) return { id: exceptionAt(listed, masterId, ev.originalStart!, zone)?.id ?? instanceId, condition: pre };
  const read = await getRaw(client, ctx, cal, instanceId).catch((e: unknown) => (e instanceof RemoteNotFoundError ? null : Promise.reject(e)));
  const held = exceptionAt(await listByUid(client, ctx, cal, ev.uid), masterId, ev.originalStart!, zone);
  if (held?.id) throw new PreconditionFailedError('google: the occurrence was changed at Google', { provider: 'google', httpStatus: 412, holder: held.id });
  return { id: instanceId, condition: read?.etag ? { ifMatch: read.etag } : pre };
}

export async function putObject(client: GoogleClient, ctx: ConnectorContext, cal: RemoteCalendarRef, write: RemoteObjectWrite, pre: WritePrecondition): Promise<RemoteObject> {
  const [ev, ...rest] = write.events;
  if (!ev || rest.length > 0) throw new UnsupportedError('google: one event per remote object (overrides are objects of their own)', { provider: 'google' });
  if (ev.originalStart) return putOverride(client, ctx, cal, ev, write, pre);
  const conference = meet(write, ev, cal, toGoogleEvent(ev, cal));
  const body = conference.body;
  const tell = { ...notify(write.sendUpdates), ...conference.query };
  if ('ifNoneMatch' in pre) {
    // An insert makes the calendar the organizer and (with sendUpdates) invites the attendees in its
    // name: a meeting someone else organizes is only ever brought back by its id, never inserted.
    if (invitedCopy(ev, cal) && ev.attendees.some((a) => !a.self)) {
      if (write.remoteId) {
        const existing = await getRaw(client, ctx, cal, write.remoteId).catch((e: unknown) => (e instanceof RemoteNotFoundError ? null : Promise.reject(e)));
        if (existing && existing.status !== 'cancelled') throw new PreconditionFailedError('google: the event exists', { provider: 'google', httpStatus: 409 });
        if (existing && !existing.recurringEventId) {
          const revived = await replace(client, ctx, cal, write.remoteId, ev, { ...body, status: body.status === 'tentative' ? 'tentative' : 'confirmed' }, tell, existing.etag ? { ifMatch: existing.etag } : null);
          return toRemoteObject(revived, cal);
        }
      }
      throw new UnsupportedError(`google: cannot create a meeting organized by ${ev.organizer!.email}: it would invite its attendees in the calendar's name`, { provider: 'google', reason: 'foreign-organizer' });
    }
    try {
      const created = await client.call(ctx, (o) =>
        client.api.events.insert({ calendarId: cal.providerCalendarId, requestBody: { ...body, iCalUID: ev.uid, ...(write.remoteId ? { id: write.remoteId } : {}) }, ...tell }, o),
      );
      return toRemoteObject(created, cal);
    } catch (e) {
      if (!(e instanceof PreconditionFailedError) || !write.remoteId) throw e;
      // A deleted event keeps its id (A.2: "so they can be undeleted"), so re-creating it is a 409;
      // writing it back with a live status is Google's undelete.
      const id = write.remoteId;
      const existing = await getRaw(client, ctx, cal, id);
      if (existing.status !== 'cancelled' || existing.recurringEventId) throw e;
      const revived = await replace(client, ctx, cal, id, ev, { ...body, status: body.status === 'tentative' ? 'tentative' : 'confirmed' }, tell, existing.etag ? { ifMatch: existing.etag } : null);
      return toRemoteObject(revived, cal);
    }
  }
  if (write.remoteId === null) throw new UnsupportedError('google: an update needs the remote id', { provider: 'google' });
  const id = write.remoteId;
  const updated = await replace(client, ctx, cal, id, ev, body, tell, pre);
  return toRemoteObject(updated, cal);
}

export async function deleteObject(client: GoogleClient, ctx: ConnectorContext, cal: RemoteCalendarRef, remoteId: string, pre: { ifMatch: string } | null, opts: DeleteOptions = {}): Promise<void> {
  await client.call(ctx, (o) => client.api.events.delete({ calendarId: cal.providerCalendarId, eventId: remoteId, ...notify(opts.sendUpdates) }, o), ifMatch(pre));
}
