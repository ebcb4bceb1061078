/**
 * Time-zone handling as Exchange does it: Windows zone names (plus the IANA names CLDR maps) in
 * `dateTimeTimeZone`, wall times without offset and with 7 fractional digits on the wire
 * (provider-facts B.3/B.4). Deliberately independent of shared/time so the emulator cross-checks it.
 */
import { findIana, findWindows } from 'windows-iana';

/** The IANA zone behind a Graph `timeZone` value, or null when Graph would reject the name. */
export function zoneToIana(name: string): string | null {
  if (name === 'UTC' || name === 'Etc/UTC' || name === 'GMT') return 'UTC';
  const iana = findIana(name);
  if (iana.length > 0) return iana[0] === 'Etc/UTC' ? 'UTC' : (iana[0] ?? null);
  if (findWindows(name).length > 0) return name;
  return null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function parts(ms: number, zone: string): number[] {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  return [p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!];
}

function offsetMs(ms: number, zone: string): number {
  const [y, mo, d, h, mi, s] = parts(ms, zone) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(ms / 1000) * 1000;
}

/**
 * Wall time 'YYYY-MM-DDTHH:mm:ss[.fffffff]' in `zone` → UTC ms. A time repeated by a fall-back
 * overlap takes its first instant; a time skipped by a spring-forward gap is read with the offset
 * before the gap, so it moves forward by the gap (02:30 on New York's spring-forward day is 03:30
 * EDT), which is where Outlook shows such an occurrence and what RFC 5545 §3.3.5 prescribes.
 */
export function wallToUtc(wall: string, zone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(wall);
  if (!m) throw new RangeError(`bad wall time ${wall}`);
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  if (zone === 'UTC') return asUtc;
  const before = asUtc - offsetMs(asUtc - 86_400_000, zone);
  const after = asUtc - offsetMs(asUtc + 86_400_000, zone);
  const target = new Date(asUtc).toISOString().slice(0, 19);
  const fits = [before, after].filter((ms) => utcToWall(ms, zone) === target);
  return fits.length > 0 ? Math.min(...fits) : before;
}

/** UTC ms → wall time 'YYYY-MM-DDTHH:mm:ss' in `zone`. */
export function utcToWall(ms: number, zone: string): string {
  if (zone === 'UTC') return new Date(ms).toISOString().slice(0, 19);
  const [y, mo, d, h, mi, s] = parts(ms, zone).map((n) => String(n).padStart(2, '0'));
  return `${y}-${mo}-${d}T${h === '24' ? '00' : h}:${mi}:${s}`;
}

/** Graph's wire form: 7 fractional digits, no offset. */
export const toWire = (wall: string): string => `${wall.slice(0, 19)}.0000000`;

/** Graph's DateTimeOffset form for originalStart / lastModifiedDateTime. */
export const toOffsetWire = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** Parses an ISO 8601 value as calendarView does: with its offset, or UTC when it has none. */
export function parseQueryInstant(value: string): number {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const ms = Date.parse(hasZone ? value : `${value.slice(0, 23)}Z`);
  if (Number.isNaN(ms)) throw new RangeError(`bad instant ${value}`);
  return ms;
}

export const dateOf = (wall: string): string => wall.slice(0, 10);
export const timeOf = (wall: string): string => (wall.length >= 19 ? wall.slice(11, 19) : '00:00:00');
