/**
 * Graph patternedRecurrence ⇄ RFC 5545 RRULE (provider-facts B.3). Reading never fails: every Graph
 * pattern has an RRULE. Writing throws UnsupportedError for what Graph cannot store: RDATE, several
 * RRULEs, SECONDLY/MINUTELY/HOURLY, BYHOUR/BYMINUTE/BYSECOND, BYYEARDAY, BYWEEKNO, several
 * BYMONTHDAY/BYMONTH values, negative BYMONTHDAY, BYSETPOS other than one of 1..4/-1 (Graph's `index`),
 * mixed ordinals in BYDAY or one ordinal on several days, YEARLY BYDAY/BYMONTHDAY without BYMONTH, and a
 * DTSTART that is not itself an occurrence (Graph would skip it; relative patterns: the index-th day too).
 */
import { localToUtcMs, parseRRule, utcMsToLocal, type RRule } from '../../shared/time/index.ts';
import { UnsupportedError } from '../errors.ts';

export interface GraphPattern {
  type: 'daily' | 'weekly' | 'absoluteMonthly' | 'relativeMonthly' | 'absoluteYearly' | 'relativeYearly';
  interval: number;
  daysOfWeek?: string[];
  firstDayOfWeek?: string;
  index?: string;
  dayOfMonth?: number;
  month?: number;
}
export interface GraphRange {
  type: 'endDate' | 'noEnd' | 'numbered';
  startDate: string;
  endDate?: string;
  numberOfOccurrences?: number;
  recurrenceTimeZone?: string;
}
export interface GraphRecurrence { pattern: GraphPattern; range: GraphRange }

/** Graph weekday names in RRULE order MO..SU (parseRRule numbers MO=0 … SU=6). */
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const INDEX_TO_N: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };
const N_TO_INDEX: Record<string, string> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '-1': 'last' };

const code = (day: string): string => CODES[DAYS.indexOf(day.toLowerCase())] ?? 'MO';
const compact = (d: string): string => d.replaceAll('-', '');

/**
 * The series' anchor: its local start date and time in its IANA zone (all-day: midnight, no zone
 * conversion of UNTIL).
 */
export interface SeriesAnchor {
  localStart: string;
  zone: string;
  allDay: boolean;
  /** IANA zone of range.startDate/endDate (Graph's recurrenceTimeZone); defaults to `zone`. */
  rangeZone?: string;
}

/**
 * What an absolute pattern on day 29–31 does in a month without that day is UNCONFIRMED in Graph's
 * docs (provider-facts §E): `skip` is RFC 5545's reading (no occurrence that month; what the
 * emulator does), `lastDay` is Outlook's UI wording ("day 31 of every month" falls on the last
 * day). calhub reads `skip` until one is confirmed; both are tested.
 */
export type ShortMonthReading = 'skip' | 'lastDay';
export const SHORT_MONTH_READING: ShortMonthReading = 'skip';

function byMonthDay(day: number | undefined, reading: ShortMonthReading): string[] {
  const d = day ?? 1;
  if (reading === 'skip' || d < 29) return [`BYMONTHDAY=${d}`];
  // The last existing day of 28…d: d where the month has it, else the month's last day.
  return [`BYMONTHDAY=${Array.from({ length: d - 27 }, (_, i) => 28 + i).join(',')}`, 'BYSETPOS=-1'];
}

export function patternToRrule(r: GraphRecurrence, a: SeriesAnchor, reading: ShortMonthReading = SHORT_MONTH_READING): string {
  const p = r.pattern;
  const parts: string[] = [];
  const days = (p.daysOfWeek ?? []).map(code);
  const n = INDEX_TO_N[p.index ?? 'first'] ?? 1;
  const relative = () => (days.length === 1 ? [`BYDAY=${n}${days[0]}`] : [`BYDAY=${days.join(',')}`, `BYSETPOS=${n}`]);
  switch (p.type) {
    case 'daily': parts.push('FREQ=DAILY'); break;
    case 'weekly': parts.push('FREQ=WEEKLY'); break;
    case 'absoluteMonthly': case 'relativeMonthly': parts.push('FREQ=MONTHLY'); break;
    default: parts.push('FREQ=YEARLY');
  }
  if (p.interval > 1) parts.push(`INTERVAL=${p.interval}`);
  if (p.type === 'weekly') parts.push(`BYDAY=${days.join(',')}`);
  if (p.type === 'absoluteMonthly') parts.push(...byMonthDay(p.dayOfMonth, reading));
  if (p.type === 'relativeMonthly') parts.push(...relative());
  if (p.type === 'absoluteYearly') parts.push(`BYMONTH=${p.month}`, ...byMonthDay(p.dayOfMonth, reading));
  if (p.type === 'relativeYearly') parts.push(`BYMONTH=${p.month}`, ...relative());
  if (r.range.type === 'numbered') parts.push(`COUNT=${r.range.numberOfOccurrences}`);
  if (r.range.type === 'endDate' && r.range.endDate) {
    if (a.allDay) parts.push(`UNTIL=${compact(r.range.endDate)}`);
    else {
      // Graph keeps an occurrence whose start falls on or before endDate in recurrenceTimeZone
      // (recurrencerange.md); in the start zone itself that is simply endDate at the start time.
      const ms = !a.rangeZone || a.rangeZone === a.zone
        ? localToUtcMs(`${r.range.endDate}T${a.localStart.slice(11, 19)}`, a.zone)
        : localToUtcMs(`${nextDay(r.range.endDate)}T00:00:00`, a.rangeZone) - 1000;
      parts.push(`UNTIL=${compact(new Date(ms).toISOString().slice(0, 19)).replaceAll(':', '')}Z`);
    }
  }
  // WKST only changes the result for weekly rules with an interval; RFC's default is Monday.
  if (p.type === 'weekly' && p.interval > 1 && (p.firstDayOfWeek ?? 'sunday') !== 'monday') parts.push(`WKST=${code(p.firstDayOfWeek ?? 'sunday')}`);
  return parts.join(';');
}

const nextDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Graph's endDate for an RFC UNTIL: the last date, in the series zone, whose occurrence starts at or
 * before UNTIL. The date UNTIL itself falls on is too late when UNTIL is earlier in that day than
 * the series' start time (UNTIL 00:00Z, daily 09:00 Berlin: that day's 09:00 is past UNTIL).
 */
function endDateOf(untilMs: number, a: SeriesAnchor): string {
  const day = utcMsToLocal(untilMs, a.zone).slice(0, 10);
  if (localToUtcMs(`${day}T${a.localStart.slice(11, 19)}`, a.zone) <= untilMs) return day;
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Graph's endDate for a floating UNTIL: its date, or the day before when it is earlier in the day than the start. */
function endDateOfWall(wall: number, a: SeriesAnchor): string {
  const iso = new Date(wall).toISOString();
  if (a.allDay || iso.slice(11, 19) >= a.localStart.slice(11, 19)) return iso.slice(0, 10);
  return new Date(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

function unsupported(rule: string, why: string): never {
  throw new UnsupportedError(`Microsoft Graph cannot store the recurrence "${rule}": ${why}`, { provider: 'microsoft', reason: 'unsupported-recurrence' });
}

function weekdayOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** Canonical recurrence → Graph; `a.localStart` is the series start in `a.zone` (the Graph start). */
export function rrulesToPattern(rrules: string[], rdateCount: number, a: SeriesAnchor, windowsZone: string): GraphRecurrence {
  if (rdateCount > 0) unsupported(rrules.join(' + '), 'RDATE has no Graph equivalent (extra dates must be separate events)');
  if (rrules.length !== 1) unsupported(rrules.join(' + '), `Graph stores exactly one pattern per series, got ${rrules.length} RRULEs`);
  const text = rrules[0]!.replace(/^RRULE:/i, '');
  let r: RRule;
  try {
    r = parseRRule(text);
  } catch (e) {
    unsupported(text, e instanceof Error ? e.message : 'unparsable');
  }
  const startDate = a.localStart.slice(0, 10);
  if (['SECONDLY', 'MINUTELY', 'HOURLY'].includes(r.freq)) unsupported(text, `FREQ=${r.freq} is not a Graph pattern`);
  for (const [k, v] of [['BYHOUR', r.byHour], ['BYMINUTE', r.byMinute], ['BYSECOND', r.bySecond], ['BYYEARDAY', r.byYearDay], ['BYWEEKNO', r.byWeekNo]] as const) {
    if (v) unsupported(text, `${k} is not supported`);
  }
  if (r.byMonthDay && (r.byMonthDay.length > 1 || r.byMonthDay[0]! < 0)) unsupported(text, 'Graph takes a single positive day of month');
  if (r.byMonth && r.byMonth.length > 1) unsupported(text, 'Graph takes a single month');
  if (r.bySetPos && (r.bySetPos.length > 1 || !N_TO_INDEX[String(r.bySetPos[0])])) unsupported(text, "BYSETPOS must be one of 1, 2, 3, 4, -1 (Graph's index)");
  const byDay = r.byDay ?? [];
  const ordinals = new Set(byDay.map((d) => d.n));
  if (ordinals.size > 1) unsupported(text, 'all BYDAY entries must share one ordinal');
  const ordinal = byDay[0]?.n ?? 0;
  if (ordinal !== 0 && !N_TO_INDEX[String(ordinal)]) unsupported(text, 'BYDAY ordinals must be 1..4 or -1');
  if (ordinal !== 0 && r.bySetPos) unsupported(text, 'BYDAY ordinals and BYSETPOS cannot be combined');
  // 1MO,1TU is two occurrences a month; Graph's index over several days picks one of them.
  if (ordinal !== 0 && byDay.length > 1) unsupported(text, 'an ordinal on several BYDAY days means several occurrences a month (use BYSETPOS for one)');
  const names = byDay.map((d) => DAYS[d.wd]!);
  const startDay = Number(startDate.slice(8, 10));
  const startMonth = Number(startDate.slice(5, 7));
  const pattern: GraphPattern = { type: 'daily', interval: r.interval };
  const relIndex = N_TO_INDEX[String(ordinal !== 0 ? ordinal : (r.bySetPos?.[0] ?? 0))];
  if (r.freq === 'DAILY') {
    if (r.byMonthDay || r.byMonth || r.bySetPos) unsupported(text, 'DAILY rules take no BYMONTHDAY, BYMONTH or BYSETPOS');
    if (byDay.length > 0) {
      if (r.interval !== 1 || ordinal !== 0) unsupported(text, 'DAILY;BYDAY converts only with INTERVAL=1');
      Object.assign(pattern, { type: 'weekly', daysOfWeek: names, firstDayOfWeek: 'monday' });
    }
  } else if (r.freq === 'WEEKLY') {
    if (r.byMonthDay || r.byMonth || r.bySetPos || ordinal !== 0) unsupported(text, 'WEEKLY rules take only BYDAY weekdays');
    Object.assign(pattern, { type: 'weekly', daysOfWeek: names.length ? names : [DAYS[weekdayOf(startDate)]!], firstDayOfWeek: DAYS[r.wkst] ?? 'monday' });
    if (!/WKST=/i.test(text)) pattern.firstDayOfWeek = 'monday';
  } else if (r.freq === 'MONTHLY') {
    if (r.byMonth) unsupported(text, 'MONTHLY rules cannot take BYMONTH');
    if (byDay.length > 0) {
      if (!relIndex) unsupported(text, 'a monthly weekday rule needs an ordinal (2TU) or BYSETPOS');
      if (r.byMonthDay) unsupported(text, 'BYDAY and BYMONTHDAY cannot be combined');
      Object.assign(pattern, { type: 'relativeMonthly', daysOfWeek: names, index: relIndex });
    } else {
      if (r.bySetPos) unsupported(text, 'BYSETPOS needs BYDAY');
      Object.assign(pattern, { type: 'absoluteMonthly', dayOfMonth: r.byMonthDay?.[0] ?? startDay });
    }
  } else {
    // Without BYMONTH, YEARLY;BYDAY=1MO is the first Monday of the year and YEARLY;BYMONTHDAY=2
    // the 2nd of every month (RFC 5545 3.3.10): not the start month's, which Graph's yearly types hold.
    if (!r.byMonth && (byDay.length > 0 || r.byMonthDay)) unsupported(text, 'a yearly rule with BYDAY or BYMONTHDAY needs BYMONTH');
    const month = r.byMonth?.[0] ?? startMonth;
    if (byDay.length > 0) {
      if (!relIndex || r.byMonthDay) unsupported(text, 'a yearly weekday rule needs BYMONTH and an ordinal');
      Object.assign(pattern, { type: 'relativeYearly', daysOfWeek: names, index: relIndex, month });
    } else {
      if (r.bySetPos) unsupported(text, 'BYSETPOS needs BYDAY');
      Object.assign(pattern, { type: 'absoluteYearly', dayOfMonth: r.byMonthDay?.[0] ?? startDay, month });
    }
  }
  checkStartMatches(text, pattern, startDate);
  const range: GraphRange = { type: 'noEnd', startDate, recurrenceTimeZone: windowsZone };
  if (r.count !== null) Object.assign(range, { type: 'numbered', numberOfOccurrences: r.count });
  else if (r.until) {
    const u = r.until;
    const endDate = u.kind === 'date' ? new Date(u.day * 86_400_000).toISOString().slice(0, 10)
      : u.kind === 'local' ? endDateOfWall(u.wall, a)
      // An all-day series reads a UTC UNTIL as a floating date-time (shared/time untilOf): its UTC
      // date, not that instant's date in the mailbox's zone (a day late in Auckland, early in Los Angeles).
      : a.allDay ? new Date(u.ms).toISOString().slice(0, 10) : endDateOf(u.ms, a);
    Object.assign(range, { type: 'endDate', endDate });
  }
  return { pattern, range };
}

/** RFC 5545 counts DTSTART as the first instance; Graph does not when it misses the pattern. */
function checkStartMatches(text: string, p: GraphPattern, startDate: string): void {
  const wd = DAYS[weekdayOf(startDate)]!;
  const day = Number(startDate.slice(8, 10));
  const month = Number(startDate.slice(5, 7));
  const ok = p.type === 'weekly' ? p.daysOfWeek!.includes(wd)
    : p.type === 'absoluteMonthly' ? p.dayOfMonth === day
    : p.type === 'absoluteYearly' ? p.dayOfMonth === day && p.month === month
    : p.type.startsWith('relative') ? relativeDay(p, startDate) === day && (p.type === 'relativeMonthly' || p.month === month)
    : true;
  if (!ok) unsupported(text, `the series start ${startDate} is not an occurrence of the rule, and Graph would not keep it`);
}

/**
 * The day of the start's month a relative pattern falls on: the index-th of its allowed days
 * (recurrencepattern.md: "counted from the first instance in the month"). A start on one of those
 * weekdays but in another week is no occurrence (RFC 5545 would still count it, COUNT included).
 */
function relativeDay(p: GraphPattern, startDate: string): number | undefined {
  const [y, m] = startDate.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const hits: number[] = [];
  for (let d = 1; d <= last; d++) if (p.daysOfWeek!.includes(DAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]!)) hits.push(d);
  const n = INDEX_TO_N[p.index ?? 'first'] ?? 1;
  return n === -1 ? hits[hits.length - 1] : hits[n - 1];
}
