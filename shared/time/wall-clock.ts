/**
 * Event times as API clients write and read them. Input: a wall clock plus an IANA or Windows
 * zone (`{dateTime: "2026-12-07T09:00:00", timeZone: "Europe/Berlin"}`, Graph's form), an RFC 3339
 * instant with an offset (zone optional), or the canonical UTC form. Output: one form that keeps
 * the wall clock and the zone, `{dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}`.
 * The canonical model keeps storing a UTC instant plus the IANA zone (shared/model/event-time.ts).
 */
import type { EventTime } from '../model/index.ts';
import { EventRuleError, normalizeInstant } from '../model/index.ts';
import { ValidationError } from '../errors.ts';
import { isRealDateTime } from './iso.ts';
import { resolveZone } from './resolve-zone.ts';
import { utcToWall, wallToUtc, zoneOffsetMs } from './zone.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Graph writes up to seven fractional digits; milliseconds are kept. */
const WALL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;
const OFFSET_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

export const RFC5545_GAP = 'RFC 5545 3.3.5: a local time in a DST gap is read with the UTC offset before the gap';
export const RFC5545_OVERLAP = 'RFC 5545 3.3.5: a local time repeated by a DST overlap is its first occurrence';

/** Said in a write's answer when a wall clock did not name exactly one instant. */
export interface TimeNote {
  /** Where in the body: `start`, `end`, `recurrence.exdates.0`, … */
  field: string;
  kind: 'nonexistent' | 'ambiguous';
  /** The wall clock as written. */
  requested: string;
  timeZone: string;
  /** The time it was read as, in the answer's form. */
  resolved: string;
  rule: string;
}

/** The answer's form of an event time: dates and floating times as stored, zoned ones with their offset. */
export type ApiEventTime = { date: string } | { local: string } | { dateTime: string; timeZone: string };

function offsetText(offsetMs: number): string {
  if (offsetMs === 0) return 'Z';
  const m = Math.round(Math.abs(offsetMs) / MINUTE);
  return `${offsetMs < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** `ms` as RFC 3339 with the zone's offset at that instant: the wall clock in `zone` (`…Z` at offset 0). */
export function instantInZone(ms: number, zone: string): string {
  let off: number;
  try {
    off = zoneOffsetMs(ms, zone);
  } catch {
    off = 0;
  }
  const wall = new Date(ms + off).toISOString();
  const frac = wall.slice(19, 23) === '.000' ? '' : wall.slice(19, 23);
  return `${wall.slice(0, 19)}${frac}${offsetText(off)}`;
}

/** A stored event time in the answer's form. */
export function presentTime(t: EventTime): ApiEventTime {
  if ('dateTime' in t) return { dateTime: instantInZone(Date.parse(t.dateTime), t.timeZone), timeZone: t.timeZone };
  return t;
}

function zoneOf(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new ValidationError(`invalid event: ${field}.timeZone: required with a wall-clock dateTime (IANA or Windows name)`, [`${field}.timeZone`]);
  const zone = resolveZone(raw);
  if (zone === null) throw new ValidationError(`invalid event: ${field}.timeZone: unknown time zone ${JSON.stringify(raw.slice(0, 80))}`, [`${field}.timeZone`]);
  return zone;
}

/** The zone kept for an instant written with an offset and no zone: the calendar's when it agrees, else a fixed one. */
function zoneForOffset(ms: number, offsetMs: number, calendarZone: string): string {
  try {
    if (zoneOffsetMs(ms, calendarZone) === offsetMs) return calendarZone;
  } catch {
    // an unknown calendar zone: fall through to a fixed offset
  }
  const hours = offsetMs / 3_600_000;
  // POSIX sign: Etc/GMT-1 is UTC+01:00. Only whole hours exist; other offsets keep UTC (same instant).
  if (offsetMs === 0 || !Number.isInteger(hours) || hours < -12 || hours > 14) return 'UTC';
  return `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
}

// The code the write rules give an impossible date (validate.ts), in whichever form it was sent.
const noSuchTime = (field: string, text: string) => new EventRuleError('DATE_INVALID', `${field}.dateTime: ${text} is no such date or time`);

/**
 * One event time from a client body in canonical form. Values that are not a `dateTime` object
 * are returned as they are (the model's validation names what is wrong with them).
 */
export function canonicalTime(value: unknown, field: string, calendarZone: string, notes: TimeNote[]): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  if (typeof v.dateTime !== 'string') return value;
  const extra = Object.keys(v).filter((k) => k !== 'dateTime' && k !== 'timeZone');
  if (extra.length) return value;
  const text = v.dateTime;
  const offset = OFFSET_RE.exec(text);
  if (offset) {
    if (!isRealDateTime(text)) throw noSuchTime(field, text);
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new ValidationError(`invalid event: ${field}.dateTime: not a valid RFC 3339 instant`, [`${field}.dateTime`]);
    const o = offset[1]!.toUpperCase();
    const offsetMs = o === 'Z' ? 0 : (o[0] === '-' ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + Number(o.slice(4, 6))) * MINUTE;
    const zone = v.timeZone === undefined ? zoneForOffset(ms, offsetMs, calendarZone) : zoneOf(v.timeZone, field);
    return { dateTime: normalizeInstant(new Date(ms).toISOString()), timeZone: zone };
  }
  const m = WALL_RE.exec(text);
  if (!m) throw new ValidationError(`invalid event: ${field}.dateTime: must be a wall clock YYYY-MM-DDTHH:mm:ss with timeZone, or an RFC 3339 instant with an offset`, [`${field}.dateTime`]);
  const zone = zoneOf(v.timeZone, field);
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)));
  if (!isRealDateTime(text)) throw noSuchTime(field, text);
  const ms = wallToUtc(wall, zone);
  const requested = text.slice(0, 19);
  if (utcToWall(ms, zone) !== wall) {
    notes.push({ field, kind: 'nonexistent', requested, timeZone: zone, resolved: instantInZone(ms, zone), rule: RFC5545_GAP });
  } else {
    // Repeated wall clock: another offset of the days around names a second instant for it.
    const chosen = zoneOffsetMs(ms, zone);
    for (const off of new Set([zoneOffsetMs(wall - DAY, zone), zoneOffsetMs(wall + DAY, zone)])) {
      if (off !== chosen && zoneOffsetMs(wall - off, zone) === off) {
        notes.push({ field, kind: 'ambiguous', requested, timeZone: zone, resolved: instantInZone(ms, zone), rule: RFC5545_OVERLAP });
        break;
      }
    }
  }
  return { dateTime: normalizeInstant(new Date(ms).toISOString()), timeZone: zone };
}

/**
 * A start or end in a DST gap is read with the offset before the gap, so a wall clock an hour long
 * can come out taking no time at all, or ending before it starts (02:30–03:30 on a spring-forward
 * night is 03:30–03:30). Such a write is refused, naming the gap: stored, it blocked no time and an
 * ifFree check let the slot be booked twice.
 */
export function refuseCollapsedByGap(event: { start: EventTime; end: EventTime }, notes: TimeNote[]): void {
  const gap = notes.find((n) => n.kind === 'nonexistent' && (n.field === 'start' || n.field === 'end'));
  if (!gap || !('dateTime' in event.start) || !('dateTime' in event.end)) return;
  if (Date.parse(event.end.dateTime) > Date.parse(event.start.dateTime)) return;
  const what = Date.parse(event.end.dateTime) === Date.parse(event.start.dateTime) ? 'would take no time' : 'would end before it starts';
  throw new ValidationError(
    `invalid event: ${gap.field}.dateTime: ${gap.requested} does not exist in ${gap.timeZone} (a DST gap) and is read as ${gap.resolved} (${gap.rule}), so the event ${what}; send a ${gap.field} outside the gap`,
    [`${gap.field}.dateTime`],
  );
}

const TIME_FIELDS = ['start', 'end', 'originalStart'] as const;

/** A client's event body with every event time in canonical form, and the DST notes to answer. */
export function canonicalTimes(body: Record<string, unknown>, calendarZone: string): { body: Record<string, unknown>; notes: TimeNote[] } {
  const notes: TimeNote[] = [];
  const out: Record<string, unknown> = { ...body };
  for (const f of TIME_FIELDS) if (f in out) out[f] = canonicalTime(out[f], f, calendarZone, notes);
  const rec = out.recurrence;
  if (rec !== null && typeof rec === 'object' && !Array.isArray(rec)) {
    const r: Record<string, unknown> = { ...(rec as Record<string, unknown>) };
    for (const f of ['exdates', 'rdates'] as const) {
      const list = r[f];
      if (Array.isArray(list)) r[f] = list.map((t, i) => canonicalTime(t, `recurrence.${f}.${i}`, calendarZone, notes));
    }
    out.recurrence = r;
  }
  return { body: out, notes };
}
