/**
 * Expands Graph's patternedRecurrence the way Outlook does: dates are walked in the recurrence
 * time zone from range.startDate, the series' wall-clock start time is applied to each matching
 * date. Dates that do not match the pattern (including startDate itself) are not occurrences.
 */
export interface RecurrencePattern {
  type: 'daily' | 'weekly' | 'absoluteMonthly' | 'relativeMonthly' | 'absoluteYearly' | 'relativeYearly';
  interval: number;
  daysOfWeek?: string[];
  firstDayOfWeek?: string;
  index?: 'first' | 'second' | 'third' | 'fourth' | 'last';
  dayOfMonth?: number;
  month?: number;
}
export interface RecurrenceRange {
  type: 'endDate' | 'noEnd' | 'numbered';
  startDate: string;
  endDate?: string;
  numberOfOccurrences?: number;
  recurrenceTimeZone?: string;
}
export interface PatternedRecurrence {
  pattern: RecurrencePattern;
  range: RecurrenceRange;
}

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const INDEX = { first: 1, second: 2, third: 3, fourth: 4, last: -1 } as const;
const DAY = 86_400_000;

const dayNum = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY;
const dateStr = (n: number): string => new Date(n * DAY).toISOString().slice(0, 10);
const ymd = (n: number) => {
  const d = new Date(n * DAY);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), wd: d.getUTCDay() };
};

/** Checks the pattern the way Graph validates a write; returns an error message or null. */
export function validateRecurrence(r: PatternedRecurrence, eventStartDate: string): string | null {
  const p = r.pattern;
  if (!p || !r.range) return 'recurrence needs pattern and range';
  if (!['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly'].includes(p.type)) return `unsupported pattern type ${p.type}`;
  if (!Number.isInteger(p.interval) || p.interval < 1) return 'interval must be a positive integer';
  if (['weekly', 'relativeMonthly', 'relativeYearly'].includes(p.type) && !(p.daysOfWeek?.length)) return `${p.type} requires daysOfWeek`;
  if (p.daysOfWeek?.some((d) => !WEEKDAYS.includes(d))) return 'daysOfWeek has an unsupported value';
  if (p.index !== undefined && !(p.index in INDEX)) return `unsupported index ${p.index}`;
  if (p.type.startsWith('absolute') && !(p.dayOfMonth && p.dayOfMonth >= 1 && p.dayOfMonth <= 31)) return 'dayOfMonth is required';
  if (p.type.endsWith('Yearly') && !(p.month && p.month >= 1 && p.month <= 12)) return 'month is required';
  if (!['endDate', 'noEnd', 'numbered'].includes(r.range.type)) return `unsupported range type ${r.range.type}`;
  if (r.range.startDate !== eventStartDate) return 'range.startDate must equal the start date of the event';
  if (r.range.type === 'endDate' && !r.range.endDate) return 'range.endDate is required';
  if (r.range.type === 'numbered' && !((r.range.numberOfOccurrences ?? 0) > 0)) return 'numberOfOccurrences must be positive';
  return null;
}

function matches(p: RecurrencePattern, start: number, n: number): boolean {
  const a = ymd(start);
  const b = ymd(n);
  const days = p.daysOfWeek ?? [];
  const onDay = days.includes(WEEKDAYS[b.wd]!);
  const months = (b.y - a.y) * 12 + (b.m - a.m);
  switch (p.type) {
    case 'daily':
      return (n - start) % p.interval === 0;
    case 'weekly': {
      const fdw = WEEKDAYS.indexOf(p.firstDayOfWeek ?? 'sunday');
      const weekStart = (x: number) => x - ((ymd(x).wd - fdw + 7) % 7);
      return onDay && ((weekStart(n) - weekStart(start)) / 7) % p.interval === 0;
    }
    case 'absoluteMonthly':
      return months % p.interval === 0 && b.d === p.dayOfMonth;
    case 'relativeMonthly':
      return months % p.interval === 0 && onDay && relativeHit(p, n);
    case 'absoluteYearly':
      return (b.y - a.y) % p.interval === 0 && b.m === p.month && b.d === p.dayOfMonth;
    case 'relativeYearly':
      return (b.y - a.y) % p.interval === 0 && b.m === p.month && onDay && relativeHit(p, n);
  }
}

/** With several daysOfWeek the index counts over all matching days of the month (like BYSETPOS). */
function relativeHit(p: RecurrencePattern, n: number): boolean {
  const { y, m } = ymd(n);
  const first = dayNum(`${y}-${String(m).padStart(2, '0')}-01`);
  const hits: number[] = [];
  for (let x = first; ymd(x).m === m; x++) if ((p.daysOfWeek ?? []).includes(WEEKDAYS[ymd(x).wd]!)) hits.push(x);
  const idx = INDEX[p.index ?? 'first'];
  return (idx === -1 ? hits[hits.length - 1] : hits[idx - 1]) === n;
}

/** Occurrence dates (YYYY-MM-DD, recurrence zone) up to and including `untilDate`. */
export function occurrenceDates(r: PatternedRecurrence, untilDate: string): string[] {
  const start = dayNum(r.range.startDate);
  let last = dayNum(untilDate);
  if (r.range.type === 'endDate' && r.range.endDate) last = Math.min(last, dayNum(r.range.endDate));
  const limit = r.range.type === 'numbered' ? (r.range.numberOfOccurrences ?? 0) : Infinity;
  const out: string[] = [];
  for (let n = start; n <= last && out.length < limit; n++) if (matches(r.pattern, start, n)) out.push(dateStr(n));
  return out;
}

export const addDays = (date: string, days: number): string => dateStr(dayNum(date) + days);
export const daysBetween = (a: string, b: string): number => dayNum(b) - dayNum(a);
