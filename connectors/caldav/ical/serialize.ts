/**
 * Canonical events → one iCalendar calendar object resource (RFC 5545 text, CRLF, folded at 75
 * octets). Zoned times are written as TZID=<IANA> with a VTIMEZONE generated for each zone used
 * (RFC 5545 §3.6.5 requires one; Radicale's vobject needs it to evaluate time ranges). RRULE text
 * is written as stored, so parse → serialize → parse keeps it byte for byte.
 */
import { localToUtcMs, utcMsToLocal } from '../../../shared/time/index.ts';
import type { CanonicalEvent, EventTime } from '../../../shared/model/index.ts';
import { isKnownZone, isUtcZone, toLocalBasic, vtimezoneLines } from './zones.ts';

export const PRODID = '-//calhub//CalDAV connector//EN';

const escapeText = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
const paramValue = (s: string) => {
  const v = s.replace(/["\r\n]/g, '');
  return /[:;,]/.test(v) ? `"${v}"` : v;
};
const basicUtc = (iso: string) => new Date(Date.parse(iso)).toISOString().slice(0, 19).replace(/[-:]/g, '') + 'Z';

/** Folds a content line at 75 octets without splitting a UTF-8 sequence (RFC 5545 §3.1). */
export function fold(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const out: string[] = [];
  let cur = '';
  let bytes = 0;
  for (const ch of line) {
    const b = Buffer.byteLength(ch);
    const limit = out.length === 0 ? 75 : 74;
    if (bytes + b > limit) {
      out.push(cur);
      cur = '';
      bytes = 0;
    }
    cur += ch;
    bytes += b;
  }
  out.push(cur);
  return out.join('\r\n ');
}

function zoneOf(t: EventTime): string | null {
  return 'dateTime' in t && !isUtcZone(t.timeZone) && isKnownZone(t.timeZone) ? t.timeZone : null;
}

/** `NAME;params:value` for a time property. */
function timeProp(name: string, t: EventTime): string {
  if ('date' in t) return `${name};VALUE=DATE:${t.date.replace(/-/g, '')}`;
  if ('local' in t) return `${name}:${t.local.replace(/[-:]/g, '')}`;
  const zone = zoneOf(t);
  if (!zone) return `${name}:${basicUtc(t.dateTime)}`;
  const ms = Date.parse(t.dateTime);
  // The second pass through a fall-back hour has no TZID spelling (RFC 5545 reads local times
  // there as the first pass): write the instant in UTC and keep the zone in an X-parameter.
  if (localToUtcMs(utcMsToLocal(ms, zone), zone) !== ms) return `${name};X-CALHUB-TZID=${paramValue(zone)}:${basicUtc(t.dateTime)}`;
  return `${name};TZID=${paramValue(zone)}:${toLocalBasic(ms, zone)}`;
}

const STATUS = { confirmed: 'CONFIRMED', tentative: 'TENTATIVE', cancelled: 'CANCELLED' } as const;
const PARTSTAT = { needsAction: 'NEEDS-ACTION', accepted: 'ACCEPTED', declined: 'DECLINED', tentative: 'TENTATIVE' } as const;
const CDO = { tentative: 'TENTATIVE', oof: 'OOF', workingElsewhere: 'WORKINGELSEWHERE' } as const;

/**
 * `quiet`: ORGANIZER and every ATTENDEE carry SCHEDULE-AGENT=CLIENT, which tells a scheduling
 * server (RFC 6638 §7.1) that the client handles scheduling, so it sends no invitation, update or
 * reply for this write. Without it the server's default (SERVER) applies. X-CALHUB-AGENT=CLIENT
 * marks the parameter as calhub's, so a later write that asks the server to schedule takes back
 * only what calhub set (ical/merge.ts), not another client's.
 */
export interface SerializeOptions {
  quiet?: boolean;
}

function veventLines(e: CanonicalEvent, dtstamp: string, opts: SerializeOptions): string[] {
  const agent = opts.quiet ? ';X-CALHUB-AGENT=CLIENT;SCHEDULE-AGENT=CLIENT' : '';
  const l = ['BEGIN:VEVENT', `UID:${escapeText(e.uid)}`, `DTSTAMP:${dtstamp}`];
  // RANGE=THISANDFUTURE kept: without it the override's changes would stop at its own occurrence.
  if (e.originalStart) l.push(timeProp(e.thisAndFuture ? 'RECURRENCE-ID;RANGE=THISANDFUTURE' : 'RECURRENCE-ID', e.originalStart));
  l.push(timeProp('DTSTART', e.start), timeProp('DTEND', e.end));
  if (e.recurrence && !e.originalStart) {
    for (const r of e.recurrence.rrules) l.push(`RRULE:${r.replace(/^RRULE:/i, '')}`);
    for (const x of e.recurrence.exdates) l.push(timeProp('EXDATE', x));
    for (const x of e.recurrence.rdates) l.push(timeProp('RDATE', x));
  }
  l.push(`STATUS:${STATUS[e.status]}`);
  // Working elsewhere takes no time by calhub's busy policy (availability's default freeStatuses,
  // docs/busy-policy.md), as Graph keeps it apart from busy: other clients and the server's
  // free-busy read TRANSP, calhub reads the kind from X-MICROSOFT-CDO-BUSYSTATUS (ical/parse.ts).
  l.push(`TRANSP:${e.availability === 'free' || e.availability === 'workingElsewhere' ? 'TRANSPARENT' : 'OPAQUE'}`);
  if (e.availability in CDO) l.push(`X-MICROSOFT-CDO-BUSYSTATUS:${CDO[e.availability as keyof typeof CDO]}`);
  if (e.visibility !== 'default') l.push(`CLASS:${e.visibility.toUpperCase()}`);
  if (e.title !== null) l.push(`SUMMARY:${escapeText(e.title)}`);
  if (e.description !== null) l.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.location !== null) l.push(`LOCATION:${escapeText(e.location)}`);
  if (e.organizer) {
    const cn = e.organizer.name ? `;CN=${paramValue(e.organizer.name)}` : '';
    l.push(`ORGANIZER${cn}${agent}:mailto:${e.organizer.email}`);
  }
  for (const a of e.attendees) {
    const cn = a.name ? `;CN=${paramValue(a.name)}` : '';
    const role = a.optional ? 'OPT-PARTICIPANT' : 'REQ-PARTICIPANT';
    l.push(`ATTENDEE${cn};ROLE=${role};PARTSTAT=${PARTSTAT[a.response]}${agent}:mailto:${a.email}`);
  }
  if (e.conferenceUrl) l.push(`CONFERENCE;VALUE=URI:${e.conferenceUrl}`);
  l.push(`SEQUENCE:${e.sequence}`);
  if (e.provenance) {
    const { tenantId, sourceEventId, ruleId } = e.provenance;
    // As parameters: ical.js splits an unknown property's value at commas, so JSON would not survive.
    const rule = ruleId ? `;X-RULE=${paramValue(ruleId)}` : '';
    l.push(`X-CALHUB-PROVENANCE;X-TENANT=${paramValue(tenantId)};X-SOURCE=${paramValue(sourceEventId)}${rule}:calhub`);
  }
  l.push('END:VEVENT');
  return l;
}

function timesOf(e: CanonicalEvent): EventTime[] {
  const r = e.recurrence;
  return [e.start, e.end, ...(e.originalStart ? [e.originalStart] : []), ...(r ? [...r.exdates, ...r.rdates] : [])];
}

/**
 * The parts of a calendar object as calhub writes it, unfolded: a VTIMEZONE per zone used and a
 * VEVENT per event (a master or single event first, then its overrides).
 */
export function serializeParts(events: CanonicalEvent[], now: Date = new Date(), opts: SerializeOptions = {}): { vtimezones: Map<string, string[]>; vevents: Array<{ event: CanonicalEvent; lines: string[] }> } {
  const dtstamp = basicUtc(now.toISOString());
  const firstYear = new Map<string, number>();
  for (const e of events) {
    for (const t of timesOf(e)) {
      const zone = zoneOf(t);
      if (!zone || !('dateTime' in t)) continue;
      const y = new Date(Date.parse(t.dateTime)).getUTCFullYear();
      firstYear.set(zone, Math.min(firstYear.get(zone) ?? y, y));
    }
  }
  const vtimezones = new Map<string, string[]>();
  for (const [zone, year] of firstYear) vtimezones.set(zone, vtimezoneLines(zone, year));
  const ordered = [...events].sort((a, b) => Number(a.originalStart !== null) - Number(b.originalStart !== null));
  return { vtimezones, vevents: ordered.map((event) => ({ event, lines: veventLines(event, dtstamp, opts) })) };
}

/** `YYYYMMDDTHHMMSSZ` of an instant (DTSTAMP, LAST-MODIFIED). */
export const utcStamp = (now: Date) => basicUtc(now.toISOString());

/** A master (or single event) first, then its overrides; all events share one resource. */
export function serializeCalendarObject(events: CanonicalEvent[], now: Date = new Date(), opts: SerializeOptions = {}): string {
  const { vtimezones, vevents } = serializeParts(events, now, opts);
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`];
  for (const tz of vtimezones.values()) lines.push(...tz);
  for (const v of vevents) lines.push(...v.lines);
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
