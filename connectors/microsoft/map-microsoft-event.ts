/**
 * Graph event JSON ⇄ CanonicalEvent (provider-facts B.3/B.4). Times arrive in UTC (no
 * `outlook.timezone` is sent) with 7 fractional digits and no offset; the event's own zone is
 * `originalStartTimeZone`, a Windows name mapped to IANA through CLDR. The canonical UID lives in
 * `transactionId` (visible in delta) and in a named extended property (filterable); provenance in
 * another extended property.
 */
import { normalizeInstant, type Attendee, type CanonicalEvent, type EventTime, type Provenance } from '../../shared/model/index.ts';
import { ianaToWindows, localToUtcMs, utcMsToLocal, windowsToIana } from '../../shared/time/index.ts';
import { UnsupportedError } from '../errors.ts';
import { patternToRrule, rrulesToPattern, type GraphRecurrence } from './map-recurrence.ts';

/** One GUID for calhub's named properties; names are case-sensitive (provider-facts B.3). */
export const CALHUB_GUID = '{6B2F9F0E-3C1A-4E0B-9D7A-CA1B0C0FFEE1}';
export const UID_PROP = `String ${CALHUB_GUID} Name calhubUid`;
export const PROVENANCE_PROP = `String ${CALHUB_GUID} Name calhubProvenance`;
export const EXPAND_PROPS = `singleValueExtendedProperties($filter=id eq '${UID_PROP}' or id eq '${PROVENANCE_PROP}')`;

export interface GraphDateTime { dateTime: string; timeZone: string }
export interface GraphEvent {
  id: string;
  '@odata.etag'?: string;
  '@removed'?: { reason: string };
  type?: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  seriesMasterId?: string | null;
  originalStart?: string;
  originalStartTimeZone?: string;
  originalEndTimeZone?: string;
  iCalUId?: string;
  transactionId?: string;
  subject?: string;
  body?: { contentType: string; content: string };
  start?: GraphDateTime;
  end?: GraphDateTime;
  isAllDay?: boolean;
  isCancelled?: boolean;
  showAs?: string;
  sensitivity?: string;
  location?: { displayName?: string };
  attendees?: Array<{ type?: string; emailAddress: { name?: string; address: string }; status?: { response?: string } }>;
  organizer?: { emailAddress: { name?: string; address: string } };
  isOrganizer?: boolean;
  /** The mailbox's own response; on an invitation it, not the attendee list, holds the owner's answer. */
  responseStatus?: { response?: string };
  onlineMeeting?: { joinUrl?: string } | null;
  recurrence?: GraphRecurrence | null;
  cancelledOccurrences?: string[];
  lastModifiedDateTime?: string;
  singleValueExtendedProperties?: Array<{ id: string; value: string }>;
}

const AVAILABILITY: Record<string, CanonicalEvent['availability']> = {
  free: 'free', tentative: 'tentative', busy: 'busy', oof: 'oof', workingElsewhere: 'workingElsewhere', unknown: 'busy',
};
const RESPONSE: Record<string, Attendee['response']> = {
  none: 'needsAction', notResponded: 'needsAction', organizer: 'accepted', accepted: 'accepted', declined: 'declined', tentativelyAccepted: 'tentative',
};
const VISIBILITY: Record<string, CanonicalEvent['visibility']> = { normal: 'default', personal: 'private', private: 'private', confidential: 'confidential' };

export const zoneOf = (windowsOrIana: string | undefined, fallback = 'UTC'): string =>
  (windowsOrIana && windowsToIana(windowsOrIana)) || fallback;

/** Graph wire time (no offset) in `tz` → UTC ms. */
export function wireToMs(t: GraphDateTime): number {
  return localToUtcMs(t.dateTime.slice(0, 19), zoneOf(t.timeZone, t.timeZone === 'UTC' ? 'UTC' : 'UTC'));
}

const iso = (ms: number): string => normalizeInstant(new Date(ms).toISOString());
const extended = (ev: GraphEvent, id: string): string | null => ev.singleValueExtendedProperties?.find((p) => p.id === id)?.value ?? null;

export function uidOf(ev: GraphEvent): string {
  return ev.transactionId ?? extended(ev, UID_PROP) ?? ev.iCalUId ?? ev.id;
}

function timeOf(t: GraphDateTime, allDay: boolean, zone: string): EventTime {
  if (allDay) return { date: t.dateTime.slice(0, 10) };
  return { dateTime: iso(wireToMs(t)), timeZone: zone };
}

function provenanceOf(ev: GraphEvent): Provenance | null {
  const raw = extended(ev, PROVENANCE_PROP);
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as Provenance;
    return p.hub === 'calhub' ? { hub: 'calhub', tenantId: p.tenantId, sourceEventId: p.sourceEventId, ruleId: p.ruleId ?? null } : null;
  } catch {
    return null;
  }
}

export interface ReadContext {
  ownerEmail: string;
  /** For exceptions: the series master (uid, zone). */
  master?: GraphEvent | null;
}

/** A Graph single instance, series master or exception → one canonical event. */
export function fromGraph(ev: GraphEvent, rc: ReadContext): CanonicalEvent {
  const allDay = ev.isAllDay === true;
  const startZone = zoneOf(ev.originalStartTimeZone ?? rc.master?.originalStartTimeZone);
  const endZone = zoneOf(ev.originalEndTimeZone ?? ev.originalStartTimeZone ?? rc.master?.originalStartTimeZone);
  const start = timeOf(ev.start!, allDay, startZone);
  const own = ev.isOrganizer === false ? ev.responseStatus?.response : undefined;
  const attendees = (ev.attendees ?? []).map((a) => {
    const self = a.emailAddress.address.toLowerCase() === rc.ownerEmail.toLowerCase();
    const response = (self && own) || a.status?.response || 'none';
    return { email: a.emailAddress.address, name: a.emailAddress.name ?? null, response: RESPONSE[response] ?? 'needsAction', optional: a.type === 'optional', self };
  });
  let originalStart: EventTime | null = null;
  if (ev.type === 'exception' || ev.type === 'occurrence') {
    const ms = Date.parse(ev.originalStart!.endsWith('Z') ? ev.originalStart! : `${ev.originalStart}Z`);
    const masterZone = zoneOf(rc.master?.originalStartTimeZone, startZone);
    originalStart = allDay ? { date: utcMsToLocal(ms, masterZone).slice(0, 10) } : { dateTime: iso(ms), timeZone: masterZone };
  }
  let recurrence: CanonicalEvent['recurrence'] = null;
  if (ev.type === 'seriesMaster' && ev.recurrence) {
    const localStart = allDay ? `${ev.start!.dateTime.slice(0, 10)}T00:00:00` : utcMsToLocal(wireToMs(ev.start!), startZone);
    // recurrenceTimeZone frames only the range's dates; occurrences keep the start zone's wall clock.
    const rangeZone = zoneOf(ev.recurrence.range.recurrenceTimeZone, startZone);
    const exdates: EventTime[] = (ev.cancelledOccurrences ?? []).map((oid) => {
      const date = oid.slice(oid.lastIndexOf('.') + 1);
      return allDay ? { date } : { dateTime: iso(localToUtcMs(`${date}T${localStart.slice(11, 19)}`, startZone)), timeZone: startZone };
    });
    recurrence = { rrules: [patternToRrule(ev.recurrence, { localStart, zone: startZone, allDay, rangeZone })], exdates, rdates: [] };
  }
  return {
    uid: rc.master && ev.type !== 'seriesMaster' && ev.type !== 'singleInstance' ? uidOf(rc.master) : uidOf(ev),
    providerEventId: ev.id,
    originalStart,
    start,
    end: timeOf(ev.end!, allDay, endZone),
    recurrence,
    status: ev.isCancelled ? 'cancelled' : 'confirmed',
    availability: AVAILABILITY[ev.showAs ?? 'busy'] ?? 'busy',
    visibility: VISIBILITY[ev.sensitivity ?? 'normal'] ?? 'default',
    title: ev.subject || null,
    // Exchange writes text bodies with CRLF line ends; canonical text uses LF.
    description: ev.body?.content ? ev.body.content.replace(/\r\n?/g, '\n') : null,
    location: ev.location?.displayName || null,
    // An appointment without attendees has no organizer in iCalendar terms.
    organizer: attendees.length > 0 && ev.organizer ? { email: ev.organizer.emailAddress.address, name: ev.organizer.emailAddress.name ?? null } : null,
    attendees,
    conferenceUrl: ev.onlineMeeting?.joinUrl ?? null,
    sequence: 0,
    providerUpdatedAt: ev.lastModifiedDateTime ? iso(Date.parse(ev.lastModifiedDateTime)) : null,
    providerVersion: ev['@odata.etag'] ?? null,
    provenance: provenanceOf(ev),
  };
}

function windowsOf(zone: string): string {
  const w = ianaToWindows(zone);
  if (!w) throw new UnsupportedError(`Microsoft Graph has no Windows time zone for "${zone}"`, { provider: 'microsoft', reason: 'unsupported-time-zone' });
  return w;
}

/** Canonical time → Graph dateTimeTimeZone in the event's own zone (floating: calendar zone; all-day: allDayZone). */
function toGraphTime(t: EventTime, calendarZone: string, allDayZone: string): { dateTime: string; timeZone: string; local: string; zone: string } {
  if ('date' in t) return { dateTime: `${t.date}T00:00:00`, timeZone: windowsOf(allDayZone), local: `${t.date}T00:00:00`, zone: allDayZone };
  if ('local' in t) return { dateTime: t.local, timeZone: windowsOf(calendarZone), local: t.local, zone: calendarZone };
  const timeZone = windowsOf(t.timeZone);
  const local = utcMsToLocal(Date.parse(t.dateTime), t.timeZone);
  return { dateTime: local, timeZone, local, zone: t.timeZone };
}

/**
 * Canonical event → Graph write body. Throws UnsupportedError for what Graph cannot hold.
 * `calendarZone` resolves floating times (the hub's zone for the calendar, a tenant's choice
 * included); `opts.allDayZone`, the mailbox's zone (default calendarZone), frames all-day
 * midnights: Graph holds an all-day event in a zone, and Outlook shows one held in another zone
 * than the mailbox's across two days.
 */
export function toGraph(e: CanonicalEvent, calendarZone: string, opts: { create: boolean; allDayZone?: string }): Record<string, unknown> {
  const allDayZone = opts.allDayZone ?? calendarZone;
  const start = toGraphTime(e.start, calendarZone, allDayZone);
  const end = toGraphTime(e.end, calendarZone, allDayZone);
  const showAs = e.status === 'tentative' && e.availability === 'busy' ? 'tentative' : e.availability;
  const body: Record<string, unknown> = {
    subject: e.title ?? '',
    body: { contentType: 'text', content: e.description ?? '' },
    start: { dateTime: start.dateTime, timeZone: start.timeZone },
    end: { dateTime: end.dateTime, timeZone: end.timeZone },
    isAllDay: 'date' in e.start,
    showAs,
    sensitivity: e.visibility === 'private' ? 'private' : e.visibility === 'confidential' ? 'confidential' : 'normal',
    location: { displayName: e.location ?? '' },
    attendees: e.attendees.filter((a) => !a.self).map((a) => ({ type: a.optional ? 'optional' : 'required', emailAddress: { address: a.email, ...(a.name ? { name: a.name } : {}) } })),
  };
  if (e.recurrence && !e.originalStart) {
    body.recurrence = rrulesToPattern(e.recurrence.rrules, e.recurrence.rdates.length, { localStart: start.local, zone: start.zone, allDay: 'date' in e.start }, start.timeZone);
  } else if (!e.originalStart) body.recurrence = null;
  const props = [{ id: UID_PROP, value: e.uid }];
  if (e.provenance) {
    props.push({ id: PROVENANCE_PROP, value: JSON.stringify(e.provenance) });
    // A copy rings nowhere: its source's own calendar already alerts the person (else once per calendar).
    body.isReminderOn = false;
  }
  body.singleValueExtendedProperties = props;
  if (opts.create) body.transactionId = e.uid;
  return body;
}
