/**
 * Zone arithmetic for the emulator's wire formats (RFC 3339 with offsets, as Google writes them).
 * Kept local and small on purpose: the emulator formats instants; recurrence is shared/time's job.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function isValidZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` at instant `ms`, in minutes east of UTC. */
export function offsetMinutes(ms: number, zone: string): number {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** `YYYY-MM-DDTHH:mm:ss` wall time in `zone` → UTC ms (the earlier instant when ambiguous). */
export function wallToUtcMs(local: string, zone: string): number {
  const guess = Date.parse(`${local}Z`);
  let ms = guess - offsetMinutes(guess, zone) * 60_000;
  ms = guess - offsetMinutes(ms, zone) * 60_000;
  return ms;
}

/** RFC 3339 in `zone`'s offset, the way Google writes `dateTime` (`Z` for UTC). */
export function formatInZone(ms: number, zone: string): string {
  const off = zone === 'UTC' ? 0 : offsetMinutes(ms, zone);
  const wall = new Date(ms + off * 60_000).toISOString().slice(0, 19);
  if (off === 0) return `${wall}Z`;
  const sign = off > 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${wall}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

const RFC3339_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const WALL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/;

/** Parses a `dateTime`; a value without offset needs `zone` (Google: "offset required unless timeZone"). */
export function parseDateTime(value: string, zone: string | undefined): number | null {
  if (RFC3339_WITH_OFFSET.test(value)) return Date.parse(value);
  if (WALL.test(value) && zone && isValidZone(zone)) return wallToUtcMs(value.slice(0, 19), zone);
  return null;
}

export const isRfc3339WithOffset = (v: string): boolean => RFC3339_WITH_OFFSET.test(v);

/** Midnight of a `YYYY-MM-DD` date in `zone`. */
export const dateStartMs = (date: string, zone: string): number => wallToUtcMs(`${date}T00:00:00`, zone);
