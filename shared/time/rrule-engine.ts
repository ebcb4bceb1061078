import {
  DAY_MS, civilFromDays, daysFromCivil, gcd, monthLength, weekNumber, weekdayOf, yearLength,
} from './calendar-math.ts';
import type { RRule } from './rrule.ts';

/**
 * RFC 5545 RRULE expansion on wall-clock ("floating UTC") milliseconds: each period of FREQ is
 * expanded/limited by the BYxxx parts, BYSETPOS picks from the period's sorted set, DTSTART is
 * always the first instance. Periods are addressed by index, so a window far from DTSTART is
 * reached arithmetically; COUNT is counted per period (by whole cycles when the rule repeats
 * weekly), never by materializing instances.
 */

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SECOND = 1000;
const MAX_WALL = Date.UTC(9999, 11, 31);
const SUB_UNIT: Record<string, number> = { HOURLY: HOUR, MINUTELY: MINUTE, SECONDLY: SECOND };
/** Weekly-repeating rules are counted by cycles only when a cycle is at most this many periods. */
const MAX_CYCLE = 20_000;

export interface RuleRun {
  rule: RRule;
  dtWall: number;
  isDate: boolean;
  /** Inclusive wall-clock bounds of interest; instances outside are counted, not emitted. */
  lo: number;
  hi: number;
  /** Inclusive wall-clock UNTIL bound already resolved by the caller, or null. */
  untilWall: number | null;
  /**
   * Shared work budget (period and day checks); expansion stops when it runs out, or when the
   * clock passes `deadline` (performance.now() ms): work units cost more on a loaded machine.
   */
  budget: { left: number; deadline?: number };
  /** Returns false to stop (output cap reached). */
  emit: (wall: number) => boolean;
}

const mask = (values: number[] | null, size: number, offset = 0): Uint8Array | null => {
  if (values === null) return null;
  const m = new Uint8Array(size);
  for (const v of values) m[v + offset] = 1;
  return m;
};

export function expandRule(run: RuleRun): void {
  const { rule, dtWall, isDate, budget } = run;
  const { freq, interval } = rule;
  const ymd = [0, 0, 0];
  const dtDay = Math.floor(dtWall / DAY_MS);
  civilFromDays(dtDay, ymd);
  const [y0, m0, d0] = ymd as [number, number, number];
  const wd0 = weekdayOf(dtDay);
  const tod = dtWall - dtDay * DAY_MS;
  const h0 = Math.floor(tod / HOUR);
  const mi0 = Math.floor((tod % HOUR) / MINUTE);
  const s0 = Math.floor((tod % MINUTE) / SECOND);
  const ms0 = tod % SECOND;

  let byMonth = rule.byMonth;
  let byMonthDay = rule.byMonthDay;
  let byDay = rule.byDay;
  if (rule.byWeekNo === null && rule.byYearDay === null && byMonthDay === null && byDay === null) {
    if (freq === 'YEARLY') {
      byMonthDay = [d0];
      byMonth ??= [m0];
    } else if (freq === 'MONTHLY') byMonthDay = [d0];
    else if (freq === 'WEEKLY') byDay = [{ wd: wd0, n: 0 }];
  }
  const monthMask = mask(byMonth, 13);
  const mdayMask = mask(byMonthDay, 63, 31);
  const ydayMask = mask(rule.byYearDay, 733, 366);
  const wnoMask = mask(rule.byWeekNo, 107, 53);
  // Ordinal weekdays only mean something for MONTHLY and YEARLY (and not with BYWEEKNO).
  const ordinalScope = freq === 'MONTHLY' || (freq === 'YEARLY' && rule.byMonth !== null) ? 'month'
    : freq === 'YEARLY' && rule.byWeekNo === null ? 'year' : null;
  const plainWd = byDay === null ? null : new Uint8Array(7);
  const ordinals: { wd: number; n: number }[] = [];
  for (const b of byDay ?? []) {
    if (b.n === 0 || ordinalScope === null) plainWd![b.wd] = 1;
    else ordinals.push(b);
  }
  const hourMask = mask(rule.byHour, 24);
  const minuteMask = mask(rule.byMinute, 60);
  const secondMask = mask(rule.bySecond, 60);
  const wkst = rule.wkst;
  const wn = [0, 0];

  const dayOk = (day: number, y: number, m: number, d: number, wd: number): boolean => {
    budget.left--;
    if (monthMask !== null && monthMask[m] !== 1) return false;
    const mLen = mdayMask !== null || ordinals.length > 0 ? monthLength(y, m) : 0;
    if (mdayMask !== null && mdayMask[d + 31] !== 1 && mdayMask[d - mLen - 1 + 31] !== 1) return false;
    let yday = 0;
    let yLen = 0;
    if (ydayMask !== null || ordinalScope === 'year') {
      yday = day - daysFromCivil(y, 1, 1) + 1;
      yLen = yearLength(y);
    }
    if (ydayMask !== null && ydayMask[yday + 366] !== 1 && ydayMask[yday - yLen - 1 + 366] !== 1) return false;
    if (wnoMask !== null) {
      weekNumber(day, y, wkst, wn);
      if (wnoMask[wn[0]! + 53] !== 1 && wnoMask[wn[0]! - wn[1]! - 1 + 53] !== 1) return false;
    }
    if (plainWd === null) return true;
    if (plainWd[wd] === 1) return true;
    for (const o of ordinals) {
      if (o.wd !== wd) continue;
      const [pos, len] = ordinalScope === 'month' ? [d, mLen] : [yday, yLen];
      if (o.n > 0 ? Math.floor((pos - 1) / 7) + 1 === o.n : -(Math.floor((len - pos) / 7) + 1) === o.n) return true;
    }
    return false;
  };

  const product = (lists: number[][], units: number[]): number[] => {
    let acc = [0];
    lists.forEach((list, i) => {
      acc = acc.flatMap((a) => list.map((v) => a + v * units[i]!));
    });
    return acc.sort((a, b) => a - b).map((t) => t + ms0);
  };
  const subUnit = SUB_UNIT[freq];
  let times: number[];
  if (isDate) times = [0];
  else if (freq === 'HOURLY') times = product([rule.byMinute ?? [mi0], rule.bySecond ?? [s0]], [MINUTE, SECOND]);
  else if (freq === 'MINUTELY') times = product([rule.bySecond ?? [s0]], [SECOND]);
  else if (freq === 'SECONDLY') times = [ms0];
  else times = product([rule.byHour ?? [h0], rule.byMinute ?? [mi0], rule.bySecond ?? [s0]], [HOUR, MINUTE, SECOND]);

  const weekStart0 = dtDay - ((wd0 - wkst + 7) % 7);
  const monthIndex0 = y0 * 12 + (m0 - 1);
  const step = subUnit === undefined ? 0 : subUnit * interval;
  const sub0 = subUnit === undefined ? 0 : Math.floor((dtWall - ms0) / subUnit) * subUnit;

  const periodStart = (k: number): number => {
    switch (freq) {
      case 'YEARLY': return daysFromCivil(y0 + k * interval, 1, 1) * DAY_MS;
      case 'MONTHLY': {
        const mi = monthIndex0 + k * interval;
        return daysFromCivil(Math.floor(mi / 12), (mi % 12) + 1, 1) * DAY_MS;
      }
      case 'WEEKLY': return (weekStart0 + k * 7 * interval) * DAY_MS;
      case 'DAILY': return (dtDay + k * interval) * DAY_MS;
      default: return sub0 + k * step;
    }
  };
  /** Index of the period containing wall time `w` (or the first one after it). */
  const periodIndexAt = (w: number): number => {
    const day = Math.floor(w / DAY_MS);
    civilFromDays(day, ymd);
    let k: number;
    switch (freq) {
      case 'YEARLY': k = Math.floor((ymd[0]! - y0) / interval); break;
      case 'MONTHLY': k = Math.floor((ymd[0]! * 12 + ymd[1]! - 1 - monthIndex0) / interval); break;
      case 'WEEKLY': k = Math.floor((day - weekStart0) / (7 * interval)); break;
      case 'DAILY': k = Math.floor((day - dtDay) / interval); break;
      default: k = Math.floor((w - sub0) / step);
    }
    return Math.max(0, k);
  };

  const days: number[] = [];
  const dayFields = [0, 0, 0];
  const pushMonthDays = (y: number, m: number): void => {
    const first = daysFromCivil(y, m, 1);
    const len = monthLength(y, m);
    const wdFirst = weekdayOf(first);
    for (let d = 1; d <= len; d++) {
      if (dayOk(first + d - 1, y, m, d, (wdFirst + d - 1) % 7)) days.push(first + d - 1);
    }
  };
  const pushDay = (day: number): void => {
    civilFromDays(day, dayFields);
    if (dayOk(day, dayFields[0]!, dayFields[1]!, dayFields[2]!, weekdayOf(day))) days.push(day);
  };

  let checkedDay = NaN;
  let checkedDayOk = false;
  /** Fills `out` with period k's instances (sorted, BYSETPOS applied); returns the next index. */
  const fill = (k: number, out: number[]): number => {
    out.length = 0;
    days.length = 0;
    budget.left--;
    if (subUnit !== undefined) {
      const p = periodStart(k);
      const day = Math.floor(p / DAY_MS);
      // A day holds 1,440 minutely periods: its BYxxx day check is made once.
      if (day !== checkedDay) {
        pushDay(day);
        checkedDay = day;
        checkedDayOk = days.length > 0;
      }
      if (!checkedDayOk) return Math.max(k + 1, Math.ceil(((day + 1) * DAY_MS - sub0) / step));
      const t = p - day * DAY_MS;
      if (hourMask !== null && hourMask[Math.floor(t / HOUR)] !== 1) return k + 1;
      if (freq !== 'HOURLY' && minuteMask !== null && minuteMask[Math.floor((t % HOUR) / MINUTE)] !== 1) return k + 1;
      if (freq === 'SECONDLY' && secondMask !== null && secondMask[Math.floor((t % MINUTE) / SECOND)] !== 1) return k + 1;
      for (const off of times) out.push(p + off);
    } else {
      if (freq === 'YEARLY') {
        const y = y0 + k * interval;
        for (let m = 1; m <= 12; m++) if (monthMask === null || monthMask[m] === 1) pushMonthDays(y, m);
      } else if (freq === 'MONTHLY') {
        const mi = monthIndex0 + k * interval;
        const m = (mi % 12) + 1;
        if (monthMask === null || monthMask[m] === 1) pushMonthDays(Math.floor(mi / 12), m);
      } else if (freq === 'WEEKLY') {
        const s = weekStart0 + k * 7 * interval;
        for (let i = 0; i < 7; i++) pushDay(s + i);
      } else pushDay(dtDay + k * interval);
      for (const day of days) for (const off of times) out.push(day * DAY_MS + off);
    }
    if (rule.bySetPos !== null && out.length > 0) {
      const picked = new Set<number>();
      for (const pos of rule.bySetPos) {
        const v = pos > 0 ? out[pos - 1] : out[out.length + pos];
        if (v !== undefined) picked.add(v);
      }
      out.length = 0;
      out.push(...[...picked].sort((a, b) => a - b));
    }
    return k + 1;
  };

  const { lo, hi, untilWall, emit } = run;
  let remaining = rule.count ?? Infinity;
  const out: number[] = [];
  // Without COUNT nothing before the window matters: start at the period containing `lo`
  // (DTSTART lies in period 0, before that period, so it is not lost).
  let k = rule.count === null ? periodIndexAt(lo) : 0;

  let periods = 0;
  while (budget.left > 0) {
    // The clock is read every 64 periods: a period is at most a year of day checks.
    if (budget.deadline !== undefined && (++periods & 63) === 0 && performance.now() > budget.deadline) {
      budget.left = 0;
      return;
    }
    const ps = periodStart(k);
    if (ps > hi || ps > MAX_WALL || (untilWall !== null && ps > untilWall)) return;
    let next = fill(k, out);
    if (k === 0) {
      // DTSTART is the first instance even when the rule would not produce it.
      let i = 0;
      while (i < out.length && out[i]! < dtWall) i++;
      out.splice(0, i);
      if (out[0] !== dtWall) out.unshift(dtWall);
    }
    for (const w of out) {
      if (remaining <= 0 || w > hi || (untilWall !== null && w > untilWall)) return;
      remaining--;
      if (w >= lo && !emit(w)) return;
    }
    if (k === 0 && rule.count !== null) next = skipCycles(next);
    k = next;
  }

  /** For weekly-periodic rules with COUNT: count whole cycles before `lo` without expanding them. */
  function skipCycles(from: number): number {
    if (monthMask !== null || mdayMask !== null || ydayMask !== null || wnoMask !== null) return from;
    if (freq === 'MONTHLY' || freq === 'YEARLY') return from;
    const periodMs = freq === 'WEEKLY' ? 7 * DAY_MS : freq === 'DAILY' ? DAY_MS : subUnit!;
    const stepMs = periodMs * interval;
    const weekMs = 7 * DAY_MS;
    const cycle = weekMs / gcd(stepMs, weekMs);
    if (cycle > MAX_CYCLE) return from;
    const target = periodIndexAt(lo);
    const cycles = Math.floor((target - from) / cycle);
    if (cycles < 1) return from;
    let perCycle = 0;
    for (let j = from; j < from + cycle; ) {
      j = fill(j, out);
      perCycle += out.length;
    }
    if (perCycle * cycles >= remaining) {
      remaining = 0;
      return target;
    }
    if (untilWall !== null && periodStart(from + cycles * cycle) > untilWall) return from;
    remaining -= perCycle * cycles;
    return from + cycles * cycle;
  }
}
