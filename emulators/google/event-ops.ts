/**
 * events.insert / update / patch / delete / get semantics, shared by the HTTP routes and the
 * control API (so out-of-band changes behave exactly like another client's writes).
 */
import { createConference } from './conferences.ts';
import { badRequest, conditionNotMet, deletedError, GoogleHttpError, notFound } from './errors.ts';
import { resolveInstanceId } from './expand.ts';
import { deriveHangoutLink, EVENT_ID, markSelf, mergePatch, normalizeTimes, validateRecurrence } from './normalize.ts';
import { mailGuests } from './guest-mail.ts';
import { carryIntoExceptions } from './series-fields.ts';
import { newEventId, type EmulatorState } from './state.ts';
import type { CalendarState, GEvent, SendUpdates, StoredEvent } from './types.ts';

export interface WriteOptions {
  ifMatch?: string | undefined;
  conferenceDataVersion?: number;
  /** Who is mailed about the write (guest-mail.ts); absent: nobody, as Google's default. */
  sendUpdates?: SendUpdates;
}

const READ_ONLY = ['kind', 'etag', 'id', 'htmlLink', 'created', 'updated', 'creator', 'organizer', 'iCalUID', 'recurringEventId', 'originalStartTime', 'hangoutLink'];

function stripReadOnly(body: Record<string, unknown>, opts: WriteOptions): Record<string, unknown> {
  const out = { ...body };
  for (const k of READ_ONLY) delete out[k];
  // Conference writes are ignored unless conferenceDataVersion=1 (A.4).
  if (opts.conferenceDataVersion !== 1) delete out.conferenceData;
  return out;
}

/** Guest permissions only the organizer may change (A.4), with the values an update or insert without them sets. */
const SHARED_DEFAULTS = { guestsCanModify: false, guestsCanInviteOthers: true, guestsCanSeeOtherGuests: true } as const;

/**
 * An invitee's copy may not change the shared properties: 403 forbiddenForNonOrganizer (A.4). An
 * update (PUT) without one of them counts as setting its default; a patch leaves it.
 */
function checkSharedProperties(before: GEvent, body: Record<string, unknown>, patch: boolean): void {
  if (!before.organizer || before.organizer.self) return;
  for (const [k, d] of Object.entries(SHARED_DEFAULTS)) {
    const current = (before[k] as boolean | undefined) ?? d;
    const next = k in body ? body[k] : patch ? current : d;
    if (next !== current) throw new GoogleHttpError(403, { domain: 'calendar', reason: 'forbiddenForNonOrganizer', message: 'Shared properties can only be changed by the organizer of the event.' });
  }
}

function checkIfMatch(current: GEvent, ifMatch: string | undefined): void {
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== current.etag) throw conditionNotMet();
}

const timeFields = (e: GEvent) => JSON.stringify([e.start, e.end, e.recurrence ?? null]);

function finish(state: EmulatorState, cal: CalendarState, stored: StoredEvent, before: GEvent | null, body: Record<string, unknown>): GEvent {
  const ev = stored.res;
  ev.recurrence = validateRecurrence(ev.recurrence);
  if (!ev.recurrence?.length) delete ev.recurrence;
  normalizeTimes(ev, cal);
  markSelf(ev, cal);
  createConference(cal, ev, before);
  deriveHangoutLink(ev);
  if (before) {
    const current = before.sequence ?? 0;
    if (typeof body.sequence === 'number' && body.sequence < current) {
      throw badRequest('Invalid sequence value. The specified sequence number is below the current sequence number of the resource.');
    }
    if (typeof body.sequence !== 'number') ev.sequence = timeFields(before) !== timeFields(ev) ? current + 1 : current;
  }
  state.touch(cal, stored);
  cal.events.set(ev.id, stored);
  state.notifyChange(cal.id);
  return ev;
}

function organizerFor(state: EmulatorState, cal: CalendarState) {
  const primary = state.users.get(cal.ownerEmail)?.primaryCalendarId === cal.id;
  return primary ? { email: cal.ownerEmail, self: true } : { email: cal.id, displayName: cal.summary, self: true };
}

export function insertEvent(state: EmulatorState, cal: CalendarState, body: Record<string, unknown>, opts: WriteOptions = {}): GEvent {
  const id = typeof body.id === 'string' ? body.id : newEventId();
  if (!EVENT_ID.test(id)) throw badRequest('Invalid resource id value.');
  const iCalUID = typeof body.iCalUID === 'string' ? body.iCalUID : `${id}@google.com`;
  const duplicate =
    cal.events.has(id) || [...cal.events.values()].some((e) => !e.deleted && !e.res.recurringEventId && e.res.iCalUID === iCalUID);
  if (duplicate) throw new GoogleHttpError(409, { domain: 'global', reason: 'duplicate', message: 'The requested identifier already exists.' });
  const now = new Date(state.now()).toISOString();
  const res: GEvent = {
    kind: 'calendar#event',
    ...stripReadOnly(body, opts),
    id,
    status: (body.status as GEvent['status']) ?? 'confirmed',
    htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${cal.id}`).toString('base64url')}`,
    created: now,
    creator: { email: cal.ownerEmail, self: true },
    organizer: organizerFor(state, cal),
    iCalUID,
    sequence: typeof body.sequence === 'number' ? body.sequence : 0,
    reminders: (body.reminders as GEvent['reminders']) ?? { useDefault: true },
    eventType: (body.eventType as string | undefined) ?? 'default',
  };
  state.ord += 1;
  const ev = finish(state, cal, { ord: state.ord, seq: 0, deleted: false, res }, null, body);
  mailGuests(state, cal, null, ev, opts.sendUpdates ?? 'none');
  return ev;
}

/** A stored item, or a virtual instance promoted to an exception when it is written to. */
function writable(state: EmulatorState, cal: CalendarState, id: string): { stored: StoredEvent; fresh: boolean } {
  const stored = cal.events.get(id);
  if (stored) return { stored, fresh: false };
  const inst = resolveInstanceId(cal, id);
  if (!inst) throw notFound();
  state.ord += 1;
  return { stored: { ord: state.ord, seq: 0, deleted: false, res: inst.instance }, fresh: true };
}

export function replaceEvent(state: EmulatorState, cal: CalendarState, id: string, body: Record<string, unknown>, opts: WriteOptions = {}, patch = false): GEvent {
  const { stored, fresh } = writable(state, cal, id);
  const before = structuredClone(stored.res);
  checkIfMatch(before, opts.ifMatch);
  checkSharedProperties(before, body, patch);
  const keep = Object.fromEntries(READ_ONLY.filter((k) => before[k] !== undefined).map((k) => [k, before[k]]));
  if (opts.conferenceDataVersion !== 1 && before.conferenceData) keep.conferenceData = before.conferenceData;
  const incoming = stripReadOnly(body, opts);
  // attendees[].responseStatus is writable (not read-only in the Event reference, which warns
  // that an event added with guests' answers may see them reset for some guests' settings): what
  // the organizer's write sends is stored, over an answer the guest gave. That an update overwrites
  // an existing guest's answer is FIELD (third-party connectors' docs say so), UNCONFIRMED in
  // Google's; calhub assumes it and never sends an answer it did not change (attendee-merge.ts).
  // PUT replaces the whole resource: properties left out are removed (extended-properties guide).
  const merged = patch ? mergePatch(before as Record<string, unknown>, incoming) : { ...incoming };
  stored.res = { ...merged, ...keep, id: before.id } as GEvent;
  if (!stored.res.status) stored.res.status = 'confirmed';
  if (stored.deleted && stored.res.status !== 'cancelled') stored.deleted = false;
  const ev = finish(state, cal, stored, fresh ? null : before, body);
  if (!fresh) carryIntoExceptions(state, cal, before, ev);
  mailGuests(state, cal, before, ev, opts.sendUpdates ?? 'none');
  return ev;
}

export function deleteEvent(state: EmulatorState, cal: CalendarState, id: string, opts: WriteOptions = {}): void {
  const { stored } = writable(state, cal, id);
  checkIfMatch(stored.res, opts.ifMatch);
  if (stored.deleted || stored.res.status === 'cancelled') throw deletedError();
  mailGuests(state, cal, stored.res, null, opts.sendUpdates ?? 'none');
  stored.res = { ...stored.res, status: 'cancelled' };
  if (!stored.res.recurringEventId) {
    stored.deleted = true;
    // Exceptions go with their series: afterwards they are plain deleted events.
    for (const ex of cal.events.values()) {
      if (ex.res.recurringEventId === id && !ex.deleted) {
        ex.deleted = true;
        ex.res = { ...ex.res, status: 'cancelled' };
        state.touch(cal, ex);
      }
    }
  }
  state.touch(cal, stored);
  cal.events.set(stored.res.id, stored);
  state.notifyChange(cal.id);
}

/** events.get: deleted events and cancelled instances are returned too ("get always returns them"). */
export function getEvent(cal: CalendarState, id: string): GEvent {
  const stored = cal.events.get(id);
  if (stored) return stored.res;
  const inst = resolveInstanceId(cal, id);
  if (!inst) throw notFound();
  return inst.instance;
}
