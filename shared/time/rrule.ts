import { ValidationError } from '../errors.ts';

export const FREQS = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type Freq = (typeof FREQS)[number];
/** Weekday numbers: MO=0 … SU=6 (ISO order). */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

export type Until =
  | { kind: 'date'; day: number } // days since 1970-01-01, inclusive
  | { kind: 'utc'; ms: number } // UTC instant, inclusive
  | { kind: 'local'; wall: number }; // floating wall-clock ms, inclusive

export interface RRule {
  freq: Freq;
  interval: number;
  count: number | null;
  until: Until | null;
  bySecond: number[] | null;
  byMinute: number[] | null;
  byHour: number[] | null;
  /** n = 0 for "every such weekday"; ±n for the nth (from the end) in the month or year. */
  byDay: { wd: number; n: number }[] | null;
  byMonthDay: number[] | null;
  byYearDay: number[] | null;
  byWeekNo: number[] | null;
  byMonth: number[] | null;
  bySetPos: number[] | null;
  wkst: number;
}

function bad(rule: string, part: string, why: string): ValidationError {
  return new ValidationError(`invalid RRULE ${part}: ${why}`, [`${part} in "${rule}"`]);
}

function intList(rule: string, part: string, value: string, min: number, max: number, signed: boolean): number[] {
  const out: number[] = [];
  for (const v of value.split(',')) {
    if (!/^[+-]?\d{1,4}$/.test(v)) throw bad(rule, part, `"${v}" is not an integer`);
    const n = Number(v);
    const abs = Math.abs(n);
    if ((n < 0 && !signed) || abs < min || abs > max || (signed && n === 0 && min > 0)) {
      throw bad(rule, part, `${v} is out of range`);
    }
    out.push(n);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

const UNTIL_RE = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/;

function parseUntil(rule: string, value: string): Until {
  const m = UNTIL_RE.exec(value);
  if (m === null) throw bad(rule, 'UNTIL', `"${value}" is not a DATE or DATE-TIME`);
  const [y, mo, d] = [+m[1]!, +m[2]!, +m[3]!];
  const day = Date.UTC(y, mo - 1, d);
  if (new Date(day).getUTCDate() !== d || mo < 1 || mo > 12) throw bad(rule, 'UNTIL', `"${value}" is not a valid date`);
  if (m[4] === undefined) return { kind: 'date', day: day / 86_400_000 };
  const [h, mi, s] = [+m[4], +m[5]!, +m[6]!];
  if (h > 23 || mi > 59 || s > 60) throw bad(rule, 'UNTIL', `"${value}" is not a valid time`);
  const ms = day + ((h * 60 + mi) * 60 + Math.min(s, 59)) * 1000;
  return m[7] === 'Z' ? { kind: 'utc', ms } : { kind: 'local', wall: ms };
}

function parseByDay(rule: string, value: string): { wd: number; n: number }[] {
  return value.split(',').map((v) => {
    const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(v.toUpperCase());
    if (m === null) throw bad(rule, 'BYDAY', `"${v}" is not a weekday like MO, 2TU or -1FR`);
    const n = m[1] === undefined ? 0 : Number(m[1]);
    if (m[1] !== undefined && (n === 0 || Math.abs(n) > 53)) throw bad(rule, 'BYDAY', `ordinal in "${v}" is out of range`);
    return { wd: WEEKDAYS.indexOf(m[2] as (typeof WEEKDAYS)[number]), n };
  });
}

/** Parses an RFC 5545 RRULE value (without the `RRULE:` prefix); throws ValidationError. */
export function parseRRule(s: string): RRule {
  const text = s.trim().replace(/^RRULE:/i, '');
  const rule: RRule = {
    freq: 'DAILY', interval: 1, count: null, until: null, bySecond: null, byMinute: null, byHour: null,
    byDay: null, byMonthDay: null, byYearDay: null, byWeekNo: null, byMonth: null, bySetPos: null, wkst: 0,
  };
  let sawFreq = false;
  const seen = new Set<string>();
  for (const part of text.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw bad(text, part, 'expected NAME=VALUE');
    const name = part.slice(0, eq).toUpperCase();
    const value = part.slice(eq + 1);
    // Vendors add private parts (Evolution's X-EVOLUTION-ENDDATE); they carry no recurrence meaning.
    if (name.startsWith('X-')) continue;
    if (seen.has(name)) throw bad(text, name, 'appears twice');
    seen.add(name);
    if (value === '') throw bad(text, name, 'is empty');
    switch (name) {
      case 'FREQ': {
        const f = value.toUpperCase();
        if (!(FREQS as readonly string[]).includes(f)) throw bad(text, 'FREQ', `"${value}" is not one of ${FREQS.join(', ')}`);
        rule.freq = f as Freq;
        sawFreq = true;
        break;
      }
      case 'INTERVAL':
        if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw bad(text, 'INTERVAL', `"${value}" is not a positive integer`);
        rule.interval = Number(value);
        break;
      case 'COUNT':
        if (!/^\d{1,10}$/.test(value) || Number(value) < 1) throw bad(text, 'COUNT', `"${value}" is not a positive integer`);
        rule.count = Number(value);
        break;
      case 'UNTIL':
        rule.until = parseUntil(text, value.toUpperCase());
        break;
      case 'BYSECOND': rule.bySecond = intList(text, name, value, 0, 60, false).map((n) => Math.min(n, 59)); break;
      case 'BYMINUTE': rule.byMinute = intList(text, name, value, 0, 59, false); break;
      case 'BYHOUR': rule.byHour = intList(text, name, value, 0, 23, false); break;
      case 'BYDAY': rule.byDay = parseByDay(text, value); break;
      case 'BYMONTHDAY': rule.byMonthDay = intList(text, name, value, 1, 31, true); break;
      case 'BYYEARDAY': rule.byYearDay = intList(text, name, value, 1, 366, true); break;
      case 'BYWEEKNO': rule.byWeekNo = intList(text, name, value, 1, 53, true); break;
      case 'BYMONTH': rule.byMonth = intList(text, name, value, 1, 12, false); break;
      case 'BYSETPOS': rule.bySetPos = intList(text, name, value, 1, 366, true); break;
      case 'WKST': {
        const wd = WEEKDAYS.indexOf(value.toUpperCase() as (typeof WEEKDAYS)[number]);
        if (wd < 0) throw bad(text, 'WKST', `"${value}" is not a weekday`);
        rule.wkst = wd;
        break;
      }
      default:
        throw bad(text, name, 'is not an RFC 5545 rule part');
    }
  }
  if (!sawFreq) throw bad(text, 'FREQ', 'is missing');
  return rule;
}
