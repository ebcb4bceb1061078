import type { CanonicalEvent, EventTime } from '../model/index.ts';
import { eventTimeKey, normalizeInstant } from '../model/index.ts';
import { resolveZone } from './resolve-zone.ts';
import { expandRule } from './rrule-engine.ts';
import { parseRRule, type RRule } from './rrule.ts';
import type { ExpandInput, Occurrence } from './types.ts';
import { isoKey } from './iso.ts';
import { formatWall, parseLocal, utcToWall, wallToUtc } from './zone.ts';

/** At most this many occurrences per call, whatever the rule asks for. */
export const MAX_OCCURRENCES = 5000;
/** Work units (periods + day checks) per call, so a rule that never matches cannot hang. */
export const ITERATION_BUDGET = 2_000_000;
/**
 * Wall-clock budget per series, on top of the work units: 2,000,000 units take ~0.5 s on an idle
 * core but 3.7-7.5 s on a loaded one (the soak's fuzzing measured it). A series that runs out
 * keeps what was expanded, as with the work budget.
 */
export const EXPAND_BUDGET_MS = 1000;

const DAY = 86_400_000;
const HOUR = 3_600_000;

type Form = 'date' | 'zoned' | 'floating';
const formOf = (t: EventTime): Form => ('date' in t ? 'date' : 'dateTime' in t ? 'zoned' : 'floating');
const dateWall = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** Parsed rules by text: the expander and the write budget's bound see the same few rules again and again. */
const ruleCache = new Map<string, RRule>();
export function cachedRule(s: string): RRule {
  let r = ruleCache.get(s);
  if (r === undefined) {
    r = parseRRule(s);
    if (ruleCache.size > 5000) ruleCache.clear();
    ruleCache.set(s, r);
  }
  return r;
}

/** Everything about the master needed to turn a wall-clock instance into an Occurrence. */
export class Series {
  readonly form: Form;
  readonly zone: string;
  readonly startWall: number;
  /** Timed: exact ms (zoned) or wall ms (floating); all-day: wall ms of whole days. */
  readonly span: number;

  constructor(readonly master: CanonicalEvent, readonly calZone: string) {
    const { start, end } = master;
    this.form = formOf(start);
    this.zone = 'dateTime' in start ? resolveZone(start.timeZone) ?? 'UTC' : calZone;
    this.startWall = this.toWall(start);
    const span = 'dateTime' in start ? this.toUtc(end) - this.toUtc(start) : this.toWall(end) - this.startWall;
    this.span = Math.max(0, span);
  }

  toUtc(t: EventTime): number {
    if ('dateTime' in t) return Date.parse(t.dateTime);
    return wallToUtc('date' in t ? dateWall(t.date) : parseLocal(t.local), this.calZone);
  }

  /** A value in the master's wall clock (dates keep the master's time of day for timed series). */
  toWall(t: EventTime): number {
    const tod = this.form === 'date' ? 0 : ((this.startWall % DAY) + DAY) % DAY;
    if ('date' in t) return dateWall(t.date) + (this.form === 'date' ? 0 : tod);
    if ('local' in t) return this.form === 'date' ? Math.floor(parseLocal(t.local) / DAY) * DAY : parseLocal(t.local);
    const wall = utcToWall(Date.parse(t.dateTime), this.form === 'zoned' ? this.zone : this.calZone);
    return this.form === 'date' ? Math.floor(wall / DAY) * DAY : wall;
  }

  /** The key an EXDATE / RECURRENCE-ID value has in this series' form. */
  keyOf(t: EventTime): string {
    if (this.form === 'zoned' && 'dateTime' in t) return normalizeInstant(t.dateTime);
    if ('date' in t) return t.date;
    return this.keyOfWall(this.toWall(t));
  }

  /** `startMs` saves a second zone lookup when the caller already converted `wall`. */
  keyOfWall(wall: number, startMs?: number): string {
    if (this.form === 'date') return formatWall(wall).slice(0, 10);
    if (this.form === 'floating') return `${formatWall(wall)}~floating`;
    return isoKey(startMs ?? wallToUtc(wall, this.zone));
  }

  times(wall: number, span = this.span): [number, number] {
    if (this.form === 'zoned') {
      const s = wallToUtc(wall, this.zone);
      return [s, s + span];
    }
    return [wallToUtc(wall, this.calZone), wallToUtc(wall + span, this.calZone)];
  }
}

/**
 * An override with RANGE=THISANDFUTURE (RFC 5545 §3.2.13, §3.8.4.4): every later occurrence takes
 * its content, moves by its start's offset from its original start (on the series' wall clock, as
 * ical.js applies it, so 10:30 stays 10:30 across a DST change) and lasts as long as it does.
 */
interface RangeOverride {
  /** The original start on the series' wall clock: occurrences from here on are its. */
  fromWall: number;
  offset: number;
  span: number;
  key: string;
  event: CanonicalEvent;
}

/** The series' range overrides, by original start. One of another form (all-day against timed) changes only its own occurrence. */
function rangeOverrides(series: Series, overrides: CanonicalEvent[]): RangeOverride[] {
  const out: RangeOverride[] = [];
  for (const ov of overrides) {
    if (!ov.thisAndFuture || ov.originalStart === null || 'date' in ov.start !== (series.form === 'date')) continue;
    const fromWall = series.toWall(ov.originalStart);
    const startWall = series.toWall(ov.start);
    const span = series.form === 'zoned' ? series.toUtc(ov.end) - series.toUtc(ov.start) : series.toWall(ov.end) - startWall;
    out.push({ fromWall, offset: startWall - fromWall, span: Math.max(0, span), key: series.keyOf(ov.originalStart), event: ov });
  }
  return out.sort((a, b) => a.fromWall - b.fromWall);
}

/** The occurrence at `wall` (original) as the range override `r` makes it: its content at the moved time, no range of its own. */
function rangeOccurrence(series: Series, r: RangeOverride, wall: number, key: string, s: number, e: number): CanonicalEvent {
  const ov = r.event;
  const moved = wall + r.offset;
  let start: EventTime;
  let end: EventTime;
  let originalStart: EventTime;
  if (series.form === 'zoned') {
    const master = series.master.start as { dateTime: string; timeZone: string };
    originalStart = { dateTime: key, timeZone: master.timeZone };
    start = { dateTime: isoKey(s), timeZone: 'timeZone' in ov.start ? ov.start.timeZone : master.timeZone };
    end = { dateTime: isoKey(e), timeZone: 'timeZone' in ov.end ? ov.end.timeZone : 'timeZone' in ov.start ? ov.start.timeZone : master.timeZone };
  } else if (series.form === 'date') {
    originalStart = { date: key };
    start = { date: formatWall(moved).slice(0, 10) };
    end = { date: formatWall(moved + r.span).slice(0, 10) };
  } else {
    originalStart = { local: key.slice(0, 19) };
    start = { local: formatWall(moved) };
    end = { local: formatWall(moved + r.span) };
  }
  const { thisAndFuture: _range, ...content } = ov;
  return { ...content, originalStart, start, end };
}

/**
 * Occurrences of a series (or single event) overlapping the half-open window, sorted by start.
 * Instances are computed as wall-clock times in the event's zone (all-day and floating: the
 * calendar's zone) and then converted to UTC. Throws ValidationError for an invalid RRULE.
 */
export function expandSeries(input: ExpandInput): Occurrence[] {
  const ws = input.window.start.getTime();
  const we = input.window.end.getTime();
  const calZone = resolveZone(input.calendarTimeZone) ?? 'UTC';
  const overlaps = input.startsInWindow
    ? (s: number): boolean => s >= ws && s < we
    : (s: number, e: number): boolean => s < we && (e > ws || (e === s && s >= ws));
  const out: Occurrence[] = [];
  const emit = new Emit(out, input.sink);
  const master = input.master;
  const series = master === null ? null : new Series(master, calZone);

  const overridden = new Set<string>();
  for (const ov of input.overrides) {
    if (ov.originalStart === null) continue;
    const key = series === null ? eventTimeKey(ov.originalStart) : series.keyOf(ov.originalStart);
    overridden.add(key);
    if (ov.status === 'cancelled') continue;
    const helper = series ?? new Series(ov, calZone);
    const s = helper.toUtc(ov.start);
    const e = Math.max(s, helper.toUtc(ov.end));
    if (overlaps(s, e)) emit.push({ startMs: s, endMs: e, originalStartKey: key, event: ov, isOverride: true });
    if (emit.stopped) return out;
  }

  if (master !== null && series !== null) {
    const rec = master.recurrence;
    if (rec === null || (rec.rrules.length === 0 && rec.rdates.length === 0)) {
      const [s, e] = series.times(series.startWall);
      const key = eventTimeKey(master.start);
      if (overlaps(s, e) && !overridden.has(key)) {
        emit.push({ startMs: s, endMs: e, originalStartKey: key, event: master, isOverride: false });
      }
    } else {
      const ranges = rangeOverrides(series, input.overrides);
      expandMaster(series, rec, overridden, ranges, ws, we, overlaps, emit, input.perRuleLimit ?? (input.sink ? Infinity : MAX_OCCURRENCES));
      if (emit.exhausted) input.onBudgetExhausted?.(emit.exhausted);
    }
  }
  out.sort((a, b) => a.startMs - b.startMs || (a.originalStartKey < b.originalStartKey ? -1 : 1));
  if (out.length > MAX_OCCURRENCES) out.length = MAX_OCCURRENCES;
  return out;
}

/** Where occurrences go: the returned array (capped at MAX_OCCURRENCES) or the caller's sink. */
class Emit {
  count = 0;
  stopped = false;
  /** Which budget ran out before the rules were done, if one did. */
  exhausted: 'work' | 'time' | null = null;
  readonly max: number;
  /** With a sink, regular occurrences may carry an empty originalStartKey (ExpandInput.sink). */
  readonly keysOptional: boolean;

  constructor(
    private readonly out: Occurrence[],
    private readonly sink: ((occ: Occurrence) => boolean) | undefined,
  ) {
    this.max = sink ? Infinity : MAX_OCCURRENCES;
    this.keysOptional = sink !== undefined;
  }

  /** False once no more occurrences are wanted. */
  push(o: Occurrence): boolean {
    this.count++;
    if (this.sink) {
      if (!this.sink(o)) this.stopped = true;
    } else this.out.push(o);
    return !this.stopped && this.count < this.max;
  }
}

/** A rule's UNTIL in the series' wall clock (inclusive; null: none) and, for a zoned series, as the exact instant. */
export function untilOf(series: Series, rule: RRule): { wall: number | null; utc: number } {
  const u = rule.until;
  if (u === null) return { wall: null, utc: Infinity };
  if (u.kind === 'date') return { wall: u.day * DAY + DAY - 1, utc: Infinity };
  if (u.kind === 'local') return { wall: u.wall, utc: Infinity };
  if (series.form === 'date') return { wall: u.ms, utc: Infinity };
  // Zoned: an hour of slack for a repeated hour; add() checks the exact instant.
  if (series.form === 'zoned') return { wall: utcToWall(u.ms, series.zone) + HOUR, utc: u.ms };
  return { wall: utcToWall(u.ms, series.zone), utc: Infinity };
}

function expandMaster(
  series: Series,
  rec: NonNullable<CanonicalEvent['recurrence']>,
  overridden: Set<string>,
  ranges: RangeOverride[],
  ws: number,
  we: number,
  overlaps: (s: number, e: number) => boolean,
  out: Emit,
  perRule: number,
): void {
  let ruleStart = 0;
  let cap = perRule;
  const excluded = new Set<string>();
  // A DATE EXDATE on a timed series excludes that day's instance (some producers write them).
  const excludedDays = new Set<string>();
  for (const ex of rec.exdates) {
    if ('date' in ex && series.form !== 'date') excludedDays.add(ex.date);
    else excluded.add(series.keyOf(ex));
  }
  // One rule emits its instances in order, so a repeat can only be the one before; several rules
  // or RDATEs (unordered, and often repeating DTSTART) need the set. The set and the key string
  // were most of the cost of a long series in the busy index (100,000 minutes: ~2.5 µs each).
  const seen = rec.rrules.length > 1 || rec.rdates.length > 0 ? new Set<number>() : null;
  let last = NaN;
  // A sink folding regular occurrences into times does not read their key; EXDATEs and overrides still need it.
  const keyed = !out.keysOptional || excluded.size > 0 || overridden.size > 0;
  let untilUtc = Infinity;
  const add = (wall: number): boolean => {
    if (seen === null ? wall === last : seen.has(wall)) return true;
    const [s, e] = series.times(wall);
    if (s > untilUtc) return true;
    if (seen === null) last = wall;
    else seen.add(wall);
    if (ranges.length > 0) return addRanged(wall, s, e);
    if (!overlaps(s, e)) return true;
    const key = keyed ? series.keyOfWall(wall, s) : '';
    if (keyed && (excluded.has(key) || overridden.has(key))) return true;
    if (excludedDays.size > 0 && excludedDays.has(formatWall(wall).slice(0, 10))) return true;
    return out.push({ startMs: s, endMs: e, originalStartKey: key, event: series.master, isOverride: false }) && out.count - ruleStart < cap;
  };
  // With range overrides: an occurrence from a range override's original start on is that
  // override's (moved, its content); its key, EXDATEs and overrides stay those of its original start.
  const addRanged = (wall: number, originalMs: number, originalEnd: number): boolean => {
    let r: RangeOverride | undefined;
    for (let i = ranges.length - 1; i >= 0 && r === undefined; i--) if (ranges[i]!.fromWall <= wall) r = ranges[i];
    const [s, e] = r ? series.times(wall + r.offset, r.span) : [originalMs, originalEnd];
    if (!overlaps(s, e)) return true;
    const key = series.keyOfWall(wall, originalMs);
    if (excluded.has(key) || overridden.has(key)) return true;
    if (excludedDays.size > 0 && excludedDays.has(formatWall(wall).slice(0, 10))) return true;
    // A cancelled range override cancels every later occurrence (those with overrides of their own aside).
    if (r?.event.status === 'cancelled') return true;
    const event = r ? rangeOccurrence(series, r, wall, key, s, e) : series.master;
    return out.push({ startMs: s, endMs: e, originalStartKey: key, event, isOverride: false, ...(r ? { rangeKey: r.key } : {}) }) && out.count - ruleStart < cap;
  };

  // Wall clock differs from UTC by at most ~26 h; a day of slack on each side covers any zone. A
  // range override's move and length widen it: an original start outside may be moved inside.
  const moved = ranges.reduce((m, r) => Math.max(m, Math.abs(r.offset) + r.span), 0);
  const lo = ws - Math.max(series.span, moved) - 2 * DAY;
  const hi = we + 2 * DAY + moved;
  const budget = { left: ITERATION_BUDGET, deadline: performance.now() + EXPAND_BUDGET_MS };
  const isDate = series.form === 'date';
  for (const text of rec.rrules) {
    const rule = cachedRule(text);
    const until = untilOf(series, rule);
    untilUtc = until.utc;
    ruleStart = out.count;
    const untilWall = until.wall;
    expandRule({ rule, dtWall: series.startWall, isDate, lo, hi, untilWall, budget, emit: add });
    if (budget.left <= 0) out.exhausted = performance.now() > budget.deadline ? 'time' : 'work';
    if (out.count >= out.max || out.stopped) return;
  }
  untilUtc = Infinity;
  cap = Infinity; // RDATEs are a finite list
  for (const rd of rec.rdates) {
    const wall = series.toWall(rd);
    if (wall >= lo && wall <= hi && !add(wall)) return;
  }
  if (rec.rrules.length === 0) add(series.startWall);
}
