/** Proleptic Gregorian day arithmetic on "days since 1970-01-01" (H. Hinnant's algorithms). */

export const DAY_MS = 86_400_000;

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Writes [year, month 1-12, day] into `out` (reused to avoid allocation in hot loops). */
export function civilFromDays(z: number, out: number[]): void {
  const zz = z + 719_468;
  const era = Math.floor(zz / 146_097);
  const doe = zz - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

export const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
export const yearLength = (y: number): number => (isLeap(y) ? 366 : 365);
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export const monthLength = (y: number, m: number): number => (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]!);

/** Weekday with MO=0 … SU=6 (1970-01-01 was a Thursday). */
export const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;

/** First day of week 1 of year y (RFC 5545: the first week with at least 4 days in the year). */
export function week1Start(y: number, wkst: number): number {
  const jan1 = daysFromCivil(y, 1, 1);
  const off = (weekdayOf(jan1) - wkst + 7) % 7;
  return off <= 3 ? jan1 - off : jan1 + 7 - off;
}

/** [week number, weeks in that week-year] of `day` in the year it belongs to by RFC 5545 rules. */
export function weekNumber(day: number, y: number, wkst: number, out: number[]): void {
  let start = week1Start(y, wkst);
  let next = week1Start(y + 1, wkst);
  if (day < start) {
    next = start;
    start = week1Start(y - 1, wkst);
  } else if (day >= next) {
    start = next;
    next = week1Start(y + 2, wkst);
  }
  out[0] = Math.floor((day - start) / 7) + 1;
  out[1] = (next - start) / 7;
}

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
