/**
 * How many occurrences a series can have in a window, at most, computed from its rules without
 * expanding them: the write budget prices every write with it (api/write-budget.ts), including the
 * writes it then refuses, so pricing must cost microseconds whatever the rule asks for. Expanding
 * a `FREQ=MINUTELY;COUNT=5000` series to price it cost as much CPU as serving it.
 *
 * The result is never below what expandSeries returns for the same master and window (the
 * occurrences expandMaster can emit lie between DTSTART and UNTIL and within the expander's own
 * wall-clock bounds; each rule's are counted per period from FREQ, INTERVAL and the BYxxx parts that
 * multiply, capped by COUNT and by the days the range spans). It can be above: BYxxx parts that
 * only limit (BYMONTH on a DAILY rule, BYHOUR on a MINUTELY one), EXDATEs, overrides and a partial
 * first or last period are not subtracted. occurrence-bound.test.ts holds both sides against real
 * expansion.
 */
import type { CanonicalEvent } from '../model/index.ts';
import { civilFromDays, DAY_MS, weekdayOf } from './calendar-math.ts';
import { cachedRule, MAX_OCCURRENCES, Series, untilOf } from './expand.ts';
import { resolveZone } from './resolve-zone.ts';
import type { RRule } from './rrule.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SUB_UNIT: Partial<Record<RRule['freq'], number>> = { HOURLY: HOUR, MINUTELY: MINUTE, SECONDLY: 1000 };

const len = (l: readonly unknown[] | null, none: number): number => (l === null ? none : l.length);

/**
 * At most how many occurrences `master` has overlapping `window`, at least 1 and at most `cap`
 * (default MAX_OCCURRENCES, expandSeries' own cap; the busy index expands further through a sink).
 * Throws ValidationError for an invalid RRULE.
 */
export function occurrenceBound(master: CanonicalEvent, calendarTimeZone: string, window: { start: Date; end: Date }, cap = MAX_OCCURRENCES): number {
  const rec = master.recurrence;
  if (rec === null || (rec.rrules.length === 0 && rec.rdates.length === 0)) return 1;
  const series = new Series(master, resolveZone(calendarTimeZone) ?? 'UTC');
  // The expander's own bounds (expandMaster): a day of slack each side covers any zone's offset.
  const lo = window.start.getTime() - series.span - 2 * DAY_MS;
  const hi = window.end.getTime() + 2 * DAY_MS;
  let total = 0;
  for (const text of rec.rrules) {
    const rule = cachedRule(text);
    const until = untilOf(series, rule).wall;
    total += ruleBound(rule, series.startWall, series.form === 'date', Math.max(lo, series.startWall), until === null ? hi : Math.min(hi, until));
    if (total >= cap) return cap;
  }
  // An RDATE adds at most one occurrence. Its date as written is within a day of its wall-clock
  // date; comparing the text against the bounds with more slack avoids a zone lookup per RDATE.
  const loDay = new Date(lo - 2 * DAY_MS).toISOString().slice(0, 10);
  const hiDay = new Date(hi + 2 * DAY_MS).toISOString().slice(0, 10);
  for (const rd of rec.rdates) {
    const day = ('date' in rd ? rd.date : 'dateTime' in rd ? rd.dateTime : rd.local).slice(0, 10);
    if (day >= loDay && day <= hiDay) total++;
  }
  if (rec.rrules.length === 0) total++; // DTSTART itself
  return Number.isFinite(total) ? Math.min(cap, Math.max(1, total)) : cap;
}

/** At most how many instances `rule` (from DTSTART `dtWall`) has at wall-clock times in [a, b]. */
function ruleBound(rule: RRule, dtWall: number, isDate: boolean, a: number, b: number): number {
  if (b < a) return 0;
  const [kLo, kHi] = periodsMeeting(rule, dtWall, a, b);
  const each = perPeriod(rule, isDate);
  const days = Math.floor(b / DAY_MS) - Math.floor(a / DAY_MS) + 1;
  // +1: DTSTART is an instance even when the rule would not produce it.
  const n = Math.min(Math.max(0, kHi - kLo + 1) * each, days * perDay(rule, isDate)) + 1;
  if (rule.count === null) return n;
  // COUNT is spent from DTSTART on. When every period surely holds `each` instances, those
  // before the window are spent: a long-finished COUNT series costs nothing.
  const spent = kLo > 0 && isRegular(rule) ? 1 + (kLo - 1) * each : 0;
  return Math.min(n, Math.max(0, rule.count - spent));
}

/** First and last index of the rule's periods (k ≥ 0, period 0 holds DTSTART) that meet [a, b]. */
function periodsMeeting(rule: RRule, dtWall: number, a: number, b: number): [number, number] {
  const i = rule.interval;
  const range = (kLo: number, kHi: number): [number, number] => [Math.max(0, kLo), kHi];
  const unit = SUB_UNIT[rule.freq];
  if (unit !== undefined) {
    // Period k is [sub0 + k·unit·i, + unit): it meets [a, b] when it starts after a - unit and by b.
    const sub0 = Math.floor(dtWall / unit) * unit;
    const step = unit * i;
    return range(Math.ceil((a - unit + 1 - sub0) / step), Math.floor((b - sub0) / step));
  }
  const dtDay = Math.floor(dtWall / DAY_MS);
  const dayA = Math.floor(a / DAY_MS);
  const dayB = Math.floor(b / DAY_MS);
  switch (rule.freq) {
    case 'DAILY':
      return range(Math.ceil((dayA - dtDay) / i), Math.floor((dayB - dtDay) / i));
    case 'WEEKLY': {
      const week0 = dtDay - ((weekdayOf(dtDay) - rule.wkst + 7) % 7);
      return range(Math.ceil((dayA - 6 - week0) / (7 * i)), Math.floor((dayB - week0) / (7 * i)));
    }
    default: {
      const [y0, m0] = civil(dtDay);
      const [yA, mA] = civil(dayA);
      const [yB, mB] = civil(dayB);
      if (rule.freq === 'YEARLY') return range(Math.ceil((yA - y0) / i), Math.floor((yB - y0) / i));
      const mi0 = y0 * 12 + m0;
      return range(Math.ceil((yA * 12 + mA - mi0) / i), Math.floor((yB * 12 + mB - mi0) / i));
    }
  }
}

/**
 * True when every period after the first holds exactly perPeriod() instances: no part that can
 * empty a period (a limiting BYxxx, BYSETPOS, a month day some months lack).
 */
function isRegular(rule: RRule): boolean {
  const { freq } = rule;
  if (rule.bySetPos !== null || rule.byMonth !== null || rule.byMonthDay !== null || rule.byYearDay !== null || rule.byWeekNo !== null) return false;
  if (freq === 'MONTHLY' || freq === 'YEARLY') return false;
  if (freq === 'WEEKLY') return true; // BYDAY here names weekdays, each once a week
  if (rule.byDay !== null) return false;
  if (freq === 'DAILY' || freq === 'HOURLY') return freq === 'DAILY' || rule.byHour === null;
  return rule.byHour === null && rule.byMinute === null && (freq === 'MINUTELY' || rule.bySecond === null);
}

function civil(day: number): [number, number] {
  const ymd = [0, 0, 0];
  civilFromDays(day, ymd);
  return [ymd[0]!, ymd[1]!];
}

/** At most how many instances one period of the rule holds (rrule-engine's expansion, counted). */
function perPeriod(rule: RRule, isDate: boolean): number {
  let n: number;
  if (isDate) n = 1;
  else if (rule.freq === 'HOURLY') n = len(rule.byMinute, 1) * len(rule.bySecond, 1);
  else if (rule.freq === 'MINUTELY') n = len(rule.bySecond, 1);
  else if (rule.freq === 'SECONDLY') n = 1;
  else n = len(rule.byHour, 1) * len(rule.byMinute, 1) * len(rule.bySecond, 1);
  if (SUB_UNIT[rule.freq] === undefined) n *= daysPerPeriod(rule);
  return rule.bySetPos === null ? n : Math.min(n, rule.bySetPos.length);
}

/** At most how many instances fall on one day (with INTERVAL=1; a larger one only spaces them out). */
function perDay(rule: RRule, isDate: boolean): number {
  const hours = len(rule.byHour, 24);
  switch (rule.freq) {
    case 'HOURLY': return hours * (isDate ? 1 : len(rule.byMinute, 1) * len(rule.bySecond, 1));
    case 'MINUTELY': return hours * len(rule.byMinute, 60) * (isDate ? 1 : len(rule.bySecond, 1));
    case 'SECONDLY': return hours * len(rule.byMinute, 60) * len(rule.bySecond, 60);
    default: return isDate ? 1 : len(rule.byHour, 1) * len(rule.byMinute, 1) * len(rule.bySecond, 1);
  }
}

/** At most how many days of a DAILY/WEEKLY/MONTHLY/YEARLY period pass the rule's day parts. */
function daysPerPeriod(rule: RRule): number {
  const { freq } = rule;
  if (freq === 'DAILY') return 1;
  // The engine's defaults: a rule without day parts repeats DTSTART's day (and month, YEARLY).
  const noDayParts = rule.byWeekNo === null && rule.byYearDay === null && rule.byMonthDay === null && rule.byDay === null;
  if (noDayParts) return freq === 'YEARLY' ? len(rule.byMonth, 1) : 1;
  // Months and years a period touches; a WEEKLY one can straddle two of each.
  const months = freq === 'WEEKLY' ? 2 : freq === 'MONTHLY' ? 1 : len(rule.byMonth, 12);
  const years = freq === 'WEEKLY' ? 2 : 1;
  let days = freq === 'WEEKLY' ? 7 : freq === 'MONTHLY' ? 31 : Math.min(366, 31 * months);
  if (rule.byMonthDay !== null) days = Math.min(days, rule.byMonthDay.length * months);
  if (rule.byYearDay !== null) days = Math.min(days, rule.byYearDay.length * years);
  // A week number names at most 7 days of its own year, plus up to 3 of the next year's week 1.
  if (rule.byWeekNo !== null) days = Math.min(days, rule.byWeekNo.length * 10 * years);
  if (rule.byDay !== null) {
    // Same scope as the engine: ordinals (2TU, -1FR) pick one day per month or per year.
    const scope = freq === 'MONTHLY' || (freq === 'YEARLY' && rule.byMonth !== null) ? 'month' : freq === 'YEARLY' && rule.byWeekNo === null ? 'year' : null;
    const plain = new Set<number>();
    let ordinals = 0;
    for (const b of rule.byDay) {
      if (b.n === 0 || scope === null) plain.add(b.wd);
      else ordinals++;
    }
    const perWeekday = freq === 'WEEKLY' ? 1 : scope === 'month' ? 5 * months : 53;
    days = Math.min(days, plain.size * perWeekday + ordinals * (scope === 'month' ? months : 1));
  }
  return days;
}
