/**
 * DTSTART/DTEND/RECURRENCE-ID/EXDATE/RDATE values → EventTime. A TZID is resolved to IANA first
 * (IANA, Windows and /mozilla.org/-style names); only an unknown TZID is converted through its own
 * VTIMEZONE (ical.js), and an unknown TZID without a VTIMEZONE is read as floating, which is what
 * ical.js and most clients do: never dropped, and named in `warnings` for the run's log. Floating
 * rather than UTC because a made-up zone name is almost always the author's own local zone, most
 * often the calendar owner's too; floating is resolved in the calendar's zone, so the wall clock the
 * author typed is kept, where UTC would be off by the whole offset for everyone east or west of it.
 */
import ICAL from 'ical.js';
import type { EventTime } from '../../../shared/model/index.ts';
import { guessIanaZone, isUtcZone, localToUtcMs, resolveZone, utcMsToLocal } from './zones.ts';
import { InvalidRemoteDataError } from '../../errors.ts';
import { BadValueError, invalid, type JComp, type JProp } from './jcal.ts';
import { checkVtimezone } from './vtimezone-guard.ts';
type Zone = { kind: 'iana'; zone: string } | { kind: 'vtz'; tz: ICAL.Timezone; key: string } | { kind: 'floating' };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z?)$/;

/** `where` ends with the property's name ("VEVENT <uid> DTSTART"); without one it is a plain message. */
function badValue(where: string, problem: string, value: string): InvalidRemoteDataError {
  const property = /(?:^| )([A-Z][A-Z0-9-]*)$/.exec(where)?.[1];
  return property ? new BadValueError(where, property, problem, value) : invalid(`${where}: ${problem} "${value}"`);
}

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

function checkFields(y: string, mo: string, d: string, h = '0', mi = '0', s = '0'): boolean {
  const dt = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, Math.min(+s, 59)));
  return dt.getUTCFullYear() === +y && dt.getUTCMonth() === +mo - 1 && dt.getUTCDate() === +d &&
    dt.getUTCHours() === +h && dt.getUTCMinutes() === +mi && +s <= 60;
}

export class TimeReader {
  private readonly zones = new Map<string, Zone>();
  /** Fallbacks taken while reading (an unknown TZID read as floating), once each, for the run's log. */
  readonly warnings: string[] = [];
  /**
   * `checkBudget` throws once the item's time budget is spent. It is called before every step that
   * goes through ical.js's time-zone expansion (a new VTIMEZONE, a conversion through one), which
   * can cost hundreds of milliseconds each: an item naming many zones or many years must stop at
   * its budget, not after its last value.
   */
  constructor(private readonly vtimezones: Map<string, JComp>, private readonly checkBudget: () => void = () => {}) {}

  private zone(tzid: string): Zone {
    let z = this.zones.get(tzid);
    if (z) return z;
    const iana = resolveZone(tzid);
    const vtz = this.vtimezones.get(tzid);
    if (iana) z = { kind: 'iana', zone: iana };
    else if (vtz) {
      this.checkBudget();
      checkVtimezone(vtz, tzid);
      try {
        z = { kind: 'vtz', tz: new ICAL.Timezone({ component: new ICAL.Component(vtz as unknown as unknown[]), tzid }), key: JSON.stringify(vtz) };
      } catch (e) {
        throw invalid(`VTIMEZONE ${tzid} is unusable: ${(e as Error).message}`);
      }
    } else {
      z = { kind: 'floating' };
      this.warnings.push(`TZID "${tzid}" is neither an IANA nor a Windows zone and has no VTIMEZONE in the object: its times are read as floating (in the calendar's time zone)`);
    }
    this.zones.set(tzid, z);
    return z;
  }

  /** Local wall time `YYYY-MM-DDTHH:mm:ss` in the TZID → EventTime. */
  zoned(local: string, tzid: string): EventTime {
    const z = this.zone(tzid);
    if (z.kind === 'floating') return { local };
    if (z.kind === 'iana') return isUtcZone(z.zone) ? { dateTime: `${local}Z`, timeZone: 'UTC' } : { dateTime: iso(localToUtcMs(local, z.zone)), timeZone: z.zone };
    this.checkBudget();
    const m = DATE_TIME.exec(local)!;
    // ical.js reads a VTIMEZONE's observances only now, lazily, and throws plain Errors on a broken
    // TZOFFSETTO or DTSTART; a year before 1000 has no local-time form for the IANA look-alike.
    // Each is this item's fault (found by the soak's fuzzing: 5 in 300,000 cases).
    try {
      const t = ICAL.Time.fromData({ year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: +m[6]!, isDate: false }, z.tz);
      const ms = t.toUnixTime() * 1000;
      return { dateTime: iso(ms), timeZone: guessIanaZone(z.tz, z.key, +m[1]!) };
    } catch (e) {
      if (e instanceof InvalidRemoteDataError) throw e;
      throw invalid(`VTIMEZONE ${tzid} cannot place ${local}: ${(e as Error).message}`);
    }
  }

  readValue(value: unknown, type: string, tzid: string | null, where: string): EventTime {
    if (typeof value !== 'string') throw invalid(`${where}: missing value`);
    // ical.js turns `DTSTART:20261105` (a date without VALUE=DATE) into `2026-11-05T::`.
    const v = value.endsWith('T::') ? value.slice(0, -3) : value;
    const d = DATE.exec(v);
    if (d && (type === 'date' || type === 'date-time')) {
      if (!checkFields(d[1]!, d[2]!, d[3]!)) throw badValue(where, 'invalid date', value);
      return { date: v };
    }
    const m = DATE_TIME.exec(v);
    if (!m || !checkFields(m[1]!, m[2]!, m[3]!, m[4], m[5], m[6])) throw badValue(where, 'invalid date-time', value);
    // A leap second (:60, which RFC 5545 allows) has no ISO instant: Date.parse gives NaN and the
    // expander threw on it (found by the soak's fuzzing). It is read as :59.
    const local = m[6] === '60' ? `${v.slice(0, 17)}59` : v.slice(0, 19);
    if (m[7] === 'Z') return { dateTime: `${local}Z`, timeZone: 'UTC' };
    return tzid ? this.zoned(local, tzid) : { local };
  }

  /** Every value of a multi-valued property (EXDATE, RDATE); a PERIOD contributes its start. */
  readAll(p: JProp, where: string): EventTime[] {
    const tzid = tzidOf(p);
    return p.slice(3).map((v) => withHintZone(p, this.readValue(Array.isArray(v) ? v[0] : v, p[2] === 'period' ? 'date-time' : p[2], tzid, where)));
  }

  /**
   * An RDATE's PERIOD values with their own ends (RFC 5545 §3.3.9: an end, or a duration from the
   * start); none for other value types. readAll gives their starts.
   */
  readPeriods(p: JProp, where: string): Array<{ start: EventTime; end: EventTime }> {
    if (p[2] !== 'period') return [];
    const tzid = tzidOf(p);
    return p.slice(3).flatMap((v) => {
      if (!Array.isArray(v) || typeof v[1] !== 'string') return [];
      const start = withHintZone(p, this.readValue(v[0], 'date-time', tzid, where));
      const end = /^[+-]?P/.test(v[1]) ? endFromDuration(start, v[1], where) : withHintZone(p, this.readValue(v[1], 'date-time', tzid, where));
      return [{ start, end: this.clampEnd(start, end) }];
    });
  }

  /**
   * A DTEND before DTSTART (RFC 5545 §3.6.1: it must be later), or of another value type, is read
   * as if there were no DTEND: a DATE-TIME event then ends when it starts, a DATE event lasts one
   * day (§3.6.1). Not swapped: DTSTART is the value every client shows the event at, and a swap would
   * turn a DTEND typed a year early into a year of busy time. Returns `end` itself when it stands.
   */
  clampEnd(start: EventTime, end: EventTime): EventTime {
    if ('date' in start !== 'date' in end) return endFromDuration(start, 'date' in start ? 'P1D' : 'PT0S', 'DTEND');
    if ('date' in start && 'date' in end) return end.date <= start.date ? endFromDuration(start, 'P1D', 'DTEND') : end;
    if ('local' in start !== 'local' in end) return end;
    if ('local' in start && 'local' in end) return end.local < start.local ? start : end;
    if ('dateTime' in start && 'dateTime' in end) return Date.parse(end.dateTime) < Date.parse(start.dateTime) ? { ...start } : end;
    return end;
  }
}

function tzidOf(p: JProp): string | null {
  const v = p[1]['tzid'];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

/** A UTC value with X-CALHUB-TZID (written for the repeated hour of a fall-back) keeps its zone. */
function withHintZone(p: JProp, t: EventTime): EventTime {
  const hint = p[1]['x-calhub-tzid'];
  const zone = typeof hint === 'string' ? resolveZone(hint) : null;
  return zone && 'dateTime' in t && t.timeZone === 'UTC' ? { dateTime: t.dateTime, timeZone: zone } : t;
}

export function readTime(p: JProp, times: TimeReader, where: string): EventTime {
  return withHintZone(p, times.readValue(p[3], p[2], tzidOf(p), where));
}

/** About 100 years: no real event lasts longer, and the end stays far inside Date's range. */
const MAX_DURATION_DAYS = 36_600;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);

/** RFC 5545 §3.3.6: days and weeks are nominal (wall clock), hours and below exact. */
export function endFromDuration(start: EventTime, value: string, where: string): EventTime {
  let dur: ICAL.Duration;
  try {
    dur = ICAL.Duration.fromString(value);
  } catch {
    throw invalid(`${where}: invalid duration "${value}"`);
  }
  if (dur.isNegative) return start;
  const days = dur.weeks * 7 + dur.days;
  const secs = dur.hours * 3600 + dur.minutes * 60 + dur.seconds;
  // P99999999W is well-formed but ends past year 9999, where Date has no ISO form (a RangeError).
  if (days + secs / 86400 > MAX_DURATION_DAYS) throw invalid(`${where}: duration "${value}" is longer than ${MAX_DURATION_DAYS} days`);
  if ('date' in start) return { date: addDays(start.date, days) };
  if ('local' in start) {
    const ms = Date.parse(`${start.local}Z`) + days * 86400000 + secs * 1000;
    return { local: new Date(ms).toISOString().slice(0, 19) };
  }
  const startMs = Date.parse(start.dateTime);
  let ms = startMs;
  if (days !== 0) {
    const local = utcMsToLocal(startMs, start.timeZone);
    ms = localToUtcMs(`${addDays(local.slice(0, 10), days)}${local.slice(10)}`, start.timeZone);
  }
  return { dateTime: iso(ms + secs * 1000), timeZone: start.timeZone };
}
