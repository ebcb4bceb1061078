/**
 * Google `EventDateTime` and recurrence lines ⇄ the canonical shapes shared/time expands.
 * The emulator keeps its own small reading of these so it never shares a bug with the connector.
 */
import type { CanonicalEvent, EventTime } from '../../shared/model/index.ts';
import type { CalendarState, GEvent, GEventDateTime } from './types.ts';
import { dateStartMs, formatInZone, parseDateTime } from './zone.ts';

const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export function zoneOf(t: GEventDateTime | undefined, cal: CalendarState): string {
  return t?.timeZone ?? cal.timeZone;
}

/** Start of an EventDateTime in UTC ms (all-day: midnight in the calendar's zone). */
export function timeMs(t: GEventDateTime, cal: CalendarState): number {
  if (t.date) return dateStartMs(t.date, cal.timeZone);
  return parseDateTime(t.dateTime ?? '', t.timeZone ?? cal.timeZone) ?? NaN;
}

export function toEventTime(t: GEventDateTime, cal: CalendarState): EventTime {
  if (t.date) return { date: t.date };
  return { dateTime: iso(timeMs(t, cal)), timeZone: zoneOf(t, cal) };
}

/** `EXDATE;TZID=…:v1,v2` / `RDATE;VALUE=DATE:…` / `EXDATE:…Z` → canonical times. */
function parseDateList(line: string, zone: string): EventTime[] {
  const colon = line.indexOf(':');
  const params = line.slice(0, colon).split(';').slice(1);
  const tzid = params.find((p) => p.toUpperCase().startsWith('TZID='))?.slice(5);
  return line
    .slice(colon + 1)
    .split(',')
    .filter(Boolean)
    .map((v): EventTime => {
      const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(v.trim());
      if (!m) throw new Error(`bad date in recurrence line: ${line}`);
      const date = `${m[1]}-${m[2]}-${m[3]}`;
      if (m[4] === undefined) return { date };
      const wall = `${date}T${m[4]}:${m[5]}:${m[6]}`;
      const z = tzid ?? zone;
      const ms = m[7] ? Date.parse(`${wall}Z`) : (parseDateTime(wall, z) ?? NaN);
      return { dateTime: iso(ms), timeZone: m[7] && !tzid ? zone : z };
    });
}

export function parseRecurrence(lines: string[], zone: string): CanonicalEvent['recurrence'] {
  const rec = { rrules: [] as string[], exdates: [] as EventTime[], rdates: [] as EventTime[] };
  for (const line of lines) {
    const name = line.split(/[;:]/, 1)[0]!.toUpperCase();
    if (name === 'RRULE') rec.rrules.push(line.slice(line.indexOf(':') + 1));
    else if (name === 'EXDATE') rec.exdates.push(...parseDateList(line, zone));
    else if (name === 'RDATE') rec.rdates.push(...parseDateList(line, zone));
  }
  return rec;
}

/** The fields expansion and the busy rule need; everything else keeps its default. */
export function toCanonical(res: GEvent, cal: CalendarState): CanonicalEvent {
  const start = res.start ?? {};
  const selfAttendee = res.attendees?.find((a) => a.self || a.email === cal.ownerEmail);
  return {
    uid: res.iCalUID ?? res.id,
    providerEventId: res.id,
    originalStart: res.originalStartTime ? toEventTime(res.originalStartTime, cal) : null,
    start: toEventTime(start, cal),
    end: toEventTime(res.end ?? start, cal),
    recurrence: res.recurrence?.length && !res.recurringEventId ? parseRecurrence(res.recurrence, zoneOf(start, cal)) : null,
    status: res.status ?? 'confirmed',
    availability: res.transparency === 'transparent' ? 'free' : 'busy',
    visibility: 'default',
    title: res.summary ?? null,
    description: null,
    location: null,
    organizer: null,
    attendees: selfAttendee
      ? [{ email: selfAttendee.email, name: null, response: selfAttendee.responseStatus ?? 'needsAction', optional: false, self: true }]
      : [],
    conferenceUrl: null,
    sequence: res.sequence ?? 0,
    providerUpdatedAt: null,
    providerVersion: null,
    provenance: null,
  };
}

/** The instance-id suffix Google uses: `YYYYMMDD` (all-day) or `YYYYMMDDTHHMMSSZ` (timed). */
export function instanceSuffix(originalStartKey: string): string {
  return originalStartKey.replace(/[-:]/g, '').replace(/\.\d+/, '');
}

/** Writes a wire EventDateTime for instant `ms` the way Google does: offset of the zone. */
export function wireTime(ms: number, zone: string): GEventDateTime {
  return { dateTime: formatInZone(ms, zone), timeZone: zone };
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
