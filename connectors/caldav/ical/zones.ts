/**
 * Time-zone helpers for the iCalendar mapping: TZID → IANA, VTIMEZONE blocks for the zones we
 * write (generated from Intl transitions, so they match what the IANA name means on this machine),
 * and an IANA guess for a VTIMEZONE whose TZID nobody knows.
 */
import ICAL from 'ical.js';
import { localToUtcMs, resolveZone, utcMsToLocal, zoneOffsetMs, zoneOffsetOnceMs } from '../../../shared/time/index.ts';

const offsetMinutes = (ms: number, zone: string): number => Math.round(zoneOffsetMs(ms, zone) / 60000);

export { localToUtcMs, resolveZone, utcMsToLocal };

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Zulu', 'Zulu', 'Etc/UCT', 'UCT']);
export const isUtcZone = (zone: string): boolean => UTC_NAMES.has(zone);

export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface Transition {
  ms: number;
  from: number;
  to: number;
}

const transitionCache = new Map<string, Transition[]>();

/** Offset changes of `zone` during one UTC year, found by daily sampling and bisection. */
function transitionsIn(zone: string, year: number): Transition[] {
  const key = `${zone}|${year}`;
  const hit = transitionCache.get(key);
  if (hit) return hit;
  const out: Transition[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let t = Date.UTC(year, 0, 1);
  let off = offsetMinutes(t, zone);
  while (t < end) {
    const next = Math.min(t + 86400000, end);
    const nextOff = offsetMinutes(next, zone);
    if (nextOff !== off) {
      let lo = t;
      let hi = next;
      while (hi - lo > 60000) {
        const mid = lo + Math.floor((hi - lo) / 120000) * 60000;
        if (mid <= lo) break;
        if (offsetMinutes(mid, zone) === off) lo = mid;
        else hi = mid;
      }
      out.push({ ms: hi, from: off, to: nextOff });
    }
    t = next;
    off = nextOff;
  }
  transitionCache.set(key, out);
  return out;
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
const fmtOffset = (min: number) => `${min < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(min) / 60))}${pad(Math.abs(min) % 60)}`;
const basicLocal = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '');
const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

function observance(t: Transition, withRule: boolean): string[] {
  const wall = t.ms + t.from * 60000;
  const d = new Date(wall);
  const lines = [
    `BEGIN:${t.to > t.from ? 'DAYLIGHT' : 'STANDARD'}`,
    `DTSTART:${basicLocal(wall)}`,
    `TZOFFSETFROM:${fmtOffset(t.from)}`,
    `TZOFFSETTO:${fmtOffset(t.to)}`,
  ];
  if (withRule) {
    const day = d.getUTCDate();
    const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    const nth = day + 7 > daysInMonth ? -1 : Math.ceil(day / 7);
    lines.push(`RRULE:FREQ=YEARLY;BYMONTH=${d.getUTCMonth() + 1};BYDAY=${nth}${DAYS[d.getUTCDay()]}`);
  }
  lines.push(`END:${t.to > t.from ? 'DAYLIGHT' : 'STANDARD'}`);
  return lines;
}

/**
 * A VTIMEZONE for an IANA zone starting in `fromYear`. Zones with two yearly changes get yearly
 * rules (nth weekday of the month, as every current DST rule is); zones without changes get one
 * fixed observance; irregular zones get explicit observances for three years, then the last
 * offset holds. Readers that know the IANA name (we do) ignore the block anyway.
 */
export function vtimezoneLines(zone: string, fromYear: number): string[] {
  const trans = transitionsIn(zone, fromYear);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  // An observance starts at its DTSTART (RFC 5545 §3.6.5): the year's first change is after its
  // first days, so the last change of the year before says what holds until then (January in
  // Berlin was covered by no observance, which strict readers cannot resolve).
  const before = transitionsIn(zone, fromYear - 1).at(-1);
  if (trans.length > 0 && before) lines.push(...observance(before, false));
  if (trans.length === 0) {
    const off = offsetMinutes(Date.UTC(fromYear, 0, 1), zone);
    lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${fmtOffset(off)}`, `TZOFFSETTO:${fmtOffset(off)}`, 'END:STANDARD');
  } else if (trans.length === 2 && transitionsIn(zone, fromYear + 1).length === 2) {
    for (const t of trans) lines.push(...observance(t, true));
  } else {
    for (let y = fromYear; y < fromYear + 3; y++) for (const t of transitionsIn(zone, y)) lines.push(...observance(t, false));
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

const guessCache = new Map<string, string>();

/**
 * The IANA zone whose wall-clock → UTC mapping equals the VTIMEZONE's at 24 sample times of
 * `year`; a constant offset becomes Etc/GMT±N; no match at all falls back to UTC (the instants
 * stay right, only recurrence across DST changes would drift).
 */
export function guessIanaZone(tz: ICAL.Timezone, cacheKey: string, year: number): string {
  const key = `${cacheKey}|${year}`;
  const hit = guessCache.get(key);
  if (hit) return hit;
  const samples: Array<{ local: string; ms: number }> = [];
  for (let m = 1; m <= 12; m++) {
    for (const day of [1, 15]) {
      const t = ICAL.Time.fromData({ year, month: m, day, hour: 12, minute: 0, second: 0, isDate: false }, tz);
      samples.push({ local: `${year}-${pad(m)}-${pad(day)}T12:00:00`, ms: t.toUnixTime() * 1000 });
    }
  }
  const offsets = new Set(samples.map((s) => Date.parse(`${s.local}Z`) - s.ms));
  let found: string | undefined;
  if (offsets.size === 1) {
    const off = [...offsets][0]! / 60000;
    if (off === 0) found = 'UTC';
    else if (off % 60 === 0) found = `Etc/GMT${off > 0 ? '-' : '+'}${Math.abs(off / 60)}`;
  }
  if (!found) {
    // Two samples half a year apart, asked of Intl directly, rule out nearly every zone; only
    // those left are checked exactly (their spans are then worth finding).
    const probes = [samples[0]!, samples[12]!].map((s) => ({ ms: s.ms, offset: Date.parse(`${s.local}Z`) - s.ms }));
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      if (!probes.every((p) => zoneOffsetOnceMs(p.ms, zone) === p.offset)) continue;
      if (samples.every((s) => localToUtcMs(s.local, zone) === s.ms)) {
        found = zone;
        break;
      }
    }
  }
  const result = found ?? 'UTC';
  guessCache.set(key, result);
  return result;
}

export const toLocalBasic = (ms: number, zone: string): string => utcMsToLocal(ms, zone).replace(/[-:]/g, '');
