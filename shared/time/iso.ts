/**
 * `Date.prototype.toISOString` without the Date: on the write path it ran two to four times per
 * occurrence (range bounds, occurrence keys) at 1.5–2.7 µs a call on a loaded core, more than the
 * recurrence arithmetic itself. The date half is cached per UTC day, the time half is arithmetic.
 * Output is identical to toISOString for every instant it handles (years 0000–9999); others fall
 * back to it.
 */
const DAY = 86_400_000;
/** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: toISOString switches to ±YYYYYY outside. */
const LO = -62_167_219_200_000;
const HI = 253_402_300_800_000;
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const MAX_DAYS = 20_000;
const days = new Map<number, string>();

function dayPrefix(day: number): string {
  let p = days.get(day);
  if (p === undefined) {
    p = new Date(day * DAY).toISOString().slice(0, 11);
    if (days.size >= MAX_DAYS) days.clear();
    days.set(day, p);
  }
  return p;
}

function timeOf(ms: number, withMs: boolean): string {
  const day = Math.floor(ms / DAY);
  let rest = ms - day * DAY;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const sec = rest % 60;
  rest = (rest - sec) / 60;
  const min = rest % 60;
  const hour = (rest - min) / 60;
  const head = `${dayPrefix(day)}${TWO[hour]}:${TWO[min]}:${TWO[sec]}`;
  if (!withMs) return `${head}Z`;
  return `${head}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/** Exactly `new Date(ms).toISOString()`. */
export function isoInstant(ms: number): string {
  if (!(ms >= LO && ms < HI) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  return timeOf(ms, true);
}

/** The instant's key form (eventTimeKey of a zoned time): second precision unless it has milliseconds. */
export function isoKey(ms: number): string {
  if (!(ms >= LO && ms < HI) || !Number.isInteger(ms)) {
    const s = new Date(ms).toISOString();
    return s.endsWith('.000Z') ? `${s.slice(0, 19)}Z` : s;
  }
  return timeOf(ms, ms % 1000 !== 0);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether a text's leading `YYYY-MM-DD` (and `THH:mm[:ss]`, and an offset `±HH:MM` at its end) names
 * a date and time that exist. JavaScript's parser rolls impossible ones over (2026-11-31 is read as
 * 2026-12-01, T24:00 as the next midnight), which would put a booking on another day.
 */
export function isRealDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const [y, mo, d] = [+m[1]!, +m[2]!, +m[3]!];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS_IN_MONTH[mo - 1]! + (leap ? 1 : 0)) return false;
  if (m[4] !== undefined && (+m[4] > 23 || +m[5]! > 59 || (m[6] !== undefined && +m[6] > 59))) return false;
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(text.slice(m[0].length));
  return !offset || (+offset[2]! <= 23 && +offset[3]! <= 59);
}
