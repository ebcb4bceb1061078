import { ValidationError } from '../errors.ts';
import { isoInstant } from './iso.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/**
 * Offsets are found as transitions, a span of about a year at a time: the zone is sampled every
 * STEP and where two samples differ the change is bisected to the second. A span costs ~1,500
 * Intl calls once; a memo per hour cost two per hour first touched, and a first sync of a calendar
 * with series across years touched tens of thousands of hours per zone. A change and its reversal
 * less than STEP apart would be missed (the hour memo missed those within one hour).
 */
const SPAN = 366 * DAY;
const STEP = 6 * HOUR;
/** Spans kept per zone (a span is a few numbers); past it the memo starts over. */
const MAX_SPANS = 4096;

/** One span: the offset at its start, then each change inside it (sorted by instant). */
type Span = { first: number; at: number[]; off: number[] };
type ZoneCache = { fmt: Intl.DateTimeFormat; spans: Map<number, Span> };

const zones = new Map<string, ZoneCache>();
const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const FORMAT_RE = /^(\d+)\/(\d+)\/(-?\d+),? (\d+):(\d+):(\d+)$/;

function zoneCache(zone: string): ZoneCache {
  let z = zones.get(zone);
  if (z === undefined) {
    let fmt: Intl.DateTimeFormat;
    try {
      // Intl formatting is the slow part (µs per call); one formatter per zone, reused.
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw new ValidationError(`unknown time zone: ${zone}`);
    }
    z = { fmt, spans: new Map() };
    zones.set(zone, z);
  }
  return z;
}

/** The zone's offset at `ms`, straight from Intl (second precision). */
function rawOffset(fmt: Intl.DateTimeFormat, ms: number): number {
  const sec = Math.floor(ms / 1000) * 1000;
  const m = FORMAT_RE.exec(fmt.format(sec));
  if (m === null) throw new RangeError(`unexpected Intl output for ${sec}`);
  const wall = Date.UTC(+m[3]!, +m[1]! - 1, +m[2]!, +m[4]!, +m[5]!, +m[6]!);
  // Date.UTC maps years 0–99 to 1900+; instants that old do not occur in calendars.
  return wall - sec;
}

/**
 * The offset at one instant straight from Intl, without finding the transitions of its year-span:
 * for a question asked of many zones once (which zone is this VTIMEZONE?), where building each
 * zone's span cost ~1,500 Intl calls (2.5 s for one guess across every zone).
 */
export function zoneOffsetOnceMs(ms: number, zone: string): number {
  return rawOffset(zoneCache(zone).fmt, ms);
}

/** UTC offset (ms, east positive) of `zone` at the instant `ms`. */
export function zoneOffsetMs(ms: number, zone: string): number {
  return offsetIn(zoneCache(zone), ms);
}

function offsetIn(z: ZoneCache, ms: number): number {
  const i = Math.floor(ms / SPAN);
  let span = z.spans.get(i);
  if (span === undefined) {
    span = transitions(z.fmt, i * SPAN, (i + 1) * SPAN);
    if (z.spans.size >= MAX_SPANS) z.spans.clear();
    z.spans.set(i, span);
  }
  let off = span.first;
  for (let k = 0; k < span.at.length && ms >= span.at[k]!; k++) off = span.off[k]!;
  return off;
}

/** The zone's offset at `from` and every change in [from, to), to the second. */
function transitions(fmt: Intl.DateTimeFormat, from: number, to: number): Span {
  const span: Span = { first: rawOffset(fmt, from), at: [], off: [] };
  let t = from;
  let off = span.first;
  while (t < to) {
    const next = Math.min(t + STEP, to);
    const nextOff = rawOffset(fmt, next);
    if (nextOff !== off) {
      // The first second in (t, next] with the new offset (next itself has it).
      let lo = t;
      let hi = next;
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2000) * 1000;
        if (mid <= lo) break;
        if (rawOffset(fmt, mid) === off) lo = mid;
        else hi = mid;
      }
      if (hi < to) {
        span.at.push(hi);
        span.off.push(nextOff);
      }
    }
    t = next;
    off = nextOff;
  }
  return span;
}

/** UTC ms → wall-clock ms ("floating UTC": the local fields read as if they were UTC). */
export function utcToWall(ms: number, zone: string): number {
  return ms + zoneOffsetMs(ms, zone);
}

/**
 * Wall-clock ms → UTC ms under RFC 5545 §3.3.5: a time inside a spring-forward gap is read with
 * the offset before the gap (so it moves forward by the gap length); a time repeated by a
 * fall-back takes its first occurrence.
 */
export function wallToUtc(wall: number, zone: string): number {
  // The zone is looked up once: per occurrence, three lookups by name cost more than the offsets.
  const z = zoneCache(zone);
  const before = offsetIn(z, wall - DAY);
  const after = offsetIn(z, wall + DAY);
  const t1 = wall - before;
  const ok1 = offsetIn(z, t1) === before;
  if (before === after) {
    if (ok1) return t1;
  } else {
    const t2 = wall - after;
    const ok2 = offsetIn(z, t2) === after;
    if (ok1 && ok2) return Math.min(t1, t2);
    if (ok1) return t1;
    if (ok2) return t2;
    return t1;
  }
  // Two transitions within two days (rare historic cases): search the offsets in between.
  for (let h = -24; h <= 24; h++) {
    const off = offsetIn(z, wall + h * HOUR);
    const t = wall - off;
    if (offsetIn(z, t) === off) return t;
  }
  return t1;
}

export function parseLocal(local: string): number {
  const m = LOCAL_RE.exec(local);
  if (m === null) throw new ValidationError(`local time must be YYYY-MM-DDTHH:mm:ss: ${local}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

export function formatWall(wall: number): string {
  return isoInstant(wall).slice(0, 19);
}

/** Wall time `YYYY-MM-DDTHH:mm:ss` in `zone` → UTC ms (gap: forward; overlap: first). */
export function localToUtcMs(local: string, zone: string): number {
  return wallToUtc(parseLocal(local), zone);
}

/** UTC ms → wall time `YYYY-MM-DDTHH:mm:ss` in `zone`. */
export function utcMsToLocal(ms: number, zone: string): string {
  return formatWall(utcToWall(ms, zone));
}

/** True when Intl knows `zone` (an IANA name or link). */
export function isKnownZone(zone: string): boolean {
  try {
    zoneCache(zone);
    return true;
  } catch {
    return false;
  }
}

/** Intl's spelling of a zone (case-corrected; may map new names to old links, e.g. Kyiv → Kiev). */
export function intlZoneName(zone: string): string | null {
  try {
    return zoneCache(zone).fmt.resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
