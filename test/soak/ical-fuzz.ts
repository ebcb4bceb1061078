/**
 * Fuzzing of iCalendar ingestion (issue 18, R5): the path a CalDAV item takes into the hub, parse
 * (connectors/caldav's parseCalendarObject) and then expansion over the busy horizon
 * (shared/time's expandSeries, what the busy index does at sync time). Inputs are the fixtures
 * (test/fixtures/ics and, when present, the handbook's /work/shared/fixtures/ics), the ical.js hang
 * inputs, mutated by fast-check: lines dropped, duplicated, swapped, cut, folded, spliced from
 * another fixture, and properties written from a small RFC 5545 grammar (rules with odd BYxxx
 * parts, VTIMEZONEs with rules that never match, bad dates, huge counts, NUL and lone surrogates).
 *
 * An item must either parse or be quarantined (InvalidRemoteDataError, with a reason); anything
 * else thrown is a crash. An item that takes longer than its time budgets (parse, then expansion:
 * EXPAND_BUDGET_MS per series) plus slack counts as a hang: the budget in parseCalendarObject is what stops a pathological item, so overrunning it
 * means a step the budget cannot see. A true infinite loop is caught one level up, by the soak's
 * watchdog (test/soak/fuzz-worker.ts), which can stop a thread that never returns.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import fc from 'fast-check';
import { InvalidRemoteDataError } from '../../connectors/index.ts';
import { parseCalendarObject } from '../../connectors/caldav/index.ts';
import type { CanonicalEvent } from '../../shared/model/index.ts';
import { EXPAND_BUDGET_MS, expandSeries } from '../../shared/time/index.ts';

export const ITEM_BUDGET_MS = 2000;
/** Over budget by more than this, an item counts as a hang (a loaded machine adds some delay). */
export const HANG_SLACK_MS = 1500;
const HORIZON = { start: new Date('2025-12-01T00:00:00Z'), end: new Date('2028-12-01T00:00:00Z') };

const SHARED_FIXTURES = process.env['CALHUB_SHARED_FIXTURES'] ?? '/work/shared/fixtures/ics';
const REPO_FIXTURES = new URL('../fixtures/ics/', import.meta.url).pathname;

const vcal = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//fuzz//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const vtimezone = (tzid: string, rule: string) => [
  'BEGIN:VTIMEZONE', `TZID:${tzid}`, 'BEGIN:STANDARD', 'DTSTART:19701025T030000', `RRULE:${rule}`,
  'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD', 'END:VTIMEZONE',
];

/**
 * Known hang inputs, kept as regression seeds and mutated like the fixtures:
 * kewisch/ical.js#318 (a VTIMEZONE whose yearly rule never matches: ical.js loops for ever on it),
 * kewisch/ical.js#509 (FREQ=MONTHLY;BYDAY=1TH;BYSETPOS=2 never matches: ical.js's iterator loops),
 * and the nextcloud/calendar#6544 shape (BYMONTHDAY=15..21 with BYDAY=1MO in a VTIMEZONE: ical.js
 * spent 0.3-3 s on it before the guard refused an ordinal BYDAY among month days).
 */
export const HANG_REGRESSIONS: Record<string, string> = {
  'ical.js#318 feb-30': vcal(...vtimezone('Custom Zone', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30'), 'BEGIN:VEVENT', 'UID:h318', 'DTSTAMP:20260101T000000Z',
    'DTSTART;TZID=Custom Zone:20261102T090000', 'RRULE:FREQ=WEEKLY', 'END:VEVENT'),
  'ical.js#318 fifth-sunday-of-february': vcal(...vtimezone('Custom Zone', 'FREQ=YEARLY;BYMONTH=2;BYDAY=5SU'), 'BEGIN:VEVENT', 'UID:h318b', 'DTSTAMP:20260101T000000Z',
    'DTSTART;TZID=Custom Zone:20261102T090000', 'END:VEVENT'),
  'ical.js#509 monthly bysetpos': vcal('BEGIN:VEVENT', 'UID:h509', 'DTSTAMP:20260101T000000Z', 'DTSTART:20150111T080000Z', 'RRULE:FREQ=MONTHLY;BYDAY=1TH;BYSETPOS=2', 'END:VEVENT'),
  'ical.js#509 in a vtimezone': vcal(...vtimezone('Custom Zone', 'FREQ=MONTHLY;BYDAY=1TH;BYSETPOS=2'), 'BEGIN:VEVENT', 'UID:h509b', 'DTSTAMP:20260101T000000Z',
    'DTSTART;TZID=Custom Zone:20261102T090000', 'END:VEVENT'),
  'nextcloud#6544 first-monday-in-15..21': vcal(...vtimezone('Custom Zone', 'FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15,16,17,18,19,20,21;BYDAY=1MO'), 'BEGIN:VEVENT', 'UID:nc6544',
    'DTSTAMP:20260101T000000Z', 'DTSTART;TZID=Custom Zone:20261102T090000', 'RRULE:FREQ=DAILY;COUNT=3', 'END:VEVENT'),
  'never-matching yearly rule': vcal('BEGIN:VEVENT', 'UID:feb30', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260101T080000Z', 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'END:VEVENT'),
  'minutely for ever': vcal('BEGIN:VEVENT', 'UID:minutely', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260101T080000Z', 'RRULE:FREQ=MINUTELY', 'END:VEVENT'),
  'secondly count 1e9': vcal('BEGIN:VEVENT', 'UID:secondly', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260101T080000Z', 'RRULE:FREQ=SECONDLY;COUNT=1000000000', 'END:VEVENT'),
};

/** A custom zone (a name no IANA or Windows table knows) with a valid rule and odd offsets. */
const oddZone = (i: number) => [
  'BEGIN:VTIMEZONE', `TZID:Odd ${i}`, 'BEGIN:STANDARD', 'DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  `TZOFFSETFROM:+03${10 + (i % 40)}`, `TZOFFSETTO:+02${10 + (i % 40)}`, 'END:STANDARD', 'BEGIN:DAYLIGHT', 'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', `TZOFFSETFROM:+02${10 + (i % 40)}`, `TZOFFSETTO:+03${10 + (i % 40)}`, 'END:DAYLIGHT', 'END:VTIMEZONE',
];

/**
 * A 210 KB item that is valid but expensive: 600 custom zones, one EXDATE per zone and year, each
 * costing ical.js's zone expansion and the IANA look-alike search (~100 ms each before cb744ce, 2-4
 * ms since; 1.3-2.6 s of CPU in all on a 2-core Xeon). At 120 zones it ran to 3.6 s and more
 * (its last value) against a 2 s budget while the budget was only checked between VEVENTs; the time
 * reader now checks it before each such step. Not a mutation base: every case built on it would
 * cost a whole budget.
 */
export const BUDGET_REGRESSION = vcal(...Array.from({ length: 900 }, (_, i) => oddZone(i)).flat(),
  'BEGIN:VEVENT', 'UID:zones', 'DTSTAMP:20260101T000000Z', 'DTSTART;TZID=Odd 0:20261102T090000', 'RRULE:FREQ=DAILY',
  ...Array.from({ length: 900 }, (_, i) => `EXDATE;TZID=Odd ${i}:${1500 + i}1102T090000`), 'END:VEVENT');

/** The fixtures of both folders (deduplicated by content) and the hang regressions. */
export function fuzzSamples(): { name: string; text: string }[] {
  const seen = new Set<string>();
  const out: { name: string; text: string }[] = [];
  for (const dir of [REPO_FIXTURES, SHARED_FIXTURES]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ics')).sort()) {
      const text = readFileSync(`${dir}/${f}`, 'utf8');
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ name: f, text });
    }
  }
  for (const [name, text] of Object.entries(HANG_REGRESSIONS)) out.push({ name, text });
  return out;
}

// ---- a small grammar of the properties that reach the expensive parts ----
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const date = fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${pad(y, 4)}${pad(m)}${pad(d)}`);
const time = fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 })).map(([h, m, s]) => `T${pad(h)}${pad(m)}${pad(s)}`);
const dateTime = fc.tuple(date, fc.option(time), fc.boolean()).map(([d, t, z]) => (t ? `${d}${t}${z ? 'Z' : ''}` : d));
const weekday = fc.tuple(fc.option(fc.integer({ min: -60, max: 60 })), fc.constantFrom('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU', 'XX')).map(([n, d]) => `${n ?? ''}${d}`);
const intList = (min: number, max: number) => fc.array(fc.integer({ min, max }), { minLength: 1, maxLength: 8 }).map((xs) => xs.join(','));
const rulePart = fc.oneof(
  fc.constantFrom('SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'FOO').map((f) => `FREQ=${f}`),
  fc.integer({ min: -1, max: 2_000_000_000 }).map((n) => `COUNT=${n}`),
  fc.integer({ min: -1, max: 1000 }).map((n) => `INTERVAL=${n}`),
  dateTime.map((d) => `UNTIL=${d}`),
  fc.array(weekday, { minLength: 1, maxLength: 7 }).map((xs) => `BYDAY=${xs.join(',')}`),
  intList(-32, 32).map((s) => `BYMONTHDAY=${s}`),
  intList(-1, 14).map((s) => `BYMONTH=${s}`),
  intList(-400, 400).map((s) => `BYYEARDAY=${s}`),
  intList(-60, 60).map((s) => `BYWEEKNO=${s}`),
  intList(-400, 400).map((s) => `BYSETPOS=${s}`),
  intList(-1, 61).map((s) => `BYHOUR=${s}`),
  intList(-1, 61).map((s) => `BYMINUTE=${s}`),
  fc.constantFrom('MO', 'SU', 'ZZ').map((d) => `WKST=${d}`),
);
const rrule = fc.tuple(fc.constantFrom('SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'), fc.array(rulePart, { maxLength: 5 }))
  .map(([f, parts]) => [`FREQ=${f}`, ...parts].join(';'));
const tzid = fc.constantFrom('Europe/Berlin', 'America/New_York', 'W. Europe Standard Time', '/mozilla.org/20050126_1/Europe/Paris', 'Custom Zone', 'Nowhere/Unknown', '');
const dtProp = fc.tuple(fc.constantFrom('DTSTART', 'DTEND', 'RECURRENCE-ID', 'EXDATE', 'RDATE'), fc.option(tzid), fc.boolean(), fc.array(dateTime, { minLength: 1, maxLength: 4 }))
  .map(([name, tz, isDate, values]) => `${name}${tz !== null ? `;TZID=${tz}` : ''}${isDate ? ';VALUE=DATE' : ''}:${values.join(',')}`);
const nasty = fc.constantFrom('\u0000', '\ud800', '\udfff', '\r', '\n', ';', ':', ',', '"', '\\', '\u2028', '\ufeff', 'é', '𝄞');
const text = fc.array(fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 6 }) }, { weight: 1, arbitrary: nasty }), { maxLength: 8 }).map((xs) => xs.join(''));
const property = fc.oneof(
  rrule.map((r) => `RRULE:${r}`),
  dtProp,
  fc.tuple(fc.constantFrom('DURATION', 'SEQUENCE', 'STATUS', 'TRANSP', 'CLASS', 'SUMMARY', 'UID', 'X-CALHUB-PROVENANCE', 'ATTENDEE;PARTSTAT=ACCEPTED', 'ORGANIZER;CN=x', 'LAST-MODIFIED', 'X-MICROSOFT-CDO-BUSYSTATUS'), text)
    .map(([n, v]) => `${n}:${v}`),
  fc.constantFrom('DURATION:P1D', 'DURATION:-PT1H', 'DURATION:P99999999W', 'STATUS:CANCELLED', 'TRANSP:TRANSPARENT', 'X-CALHUB-PROVENANCE:{"tenantId":"t","sourceEventId":"e"}', 'X-CALHUB-PROVENANCE:{'),
  fc.constantFrom('BEGIN:VEVENT', 'END:VEVENT', 'BEGIN:VTIMEZONE', 'END:VTIMEZONE', 'BEGIN:STANDARD', 'END:STANDARD', 'BEGIN:VALARM', 'END:VALARM', 'BEGIN:VCALENDAR', 'END:VCALENDAR'),
  fc.tuple(fc.constantFrom('Custom Zone', 'Z0', 'Nowhere/Unknown'), rrule).map(([tz, r]) => vtimezone(tz, r).join('\r\n')),
);

type Op =
  | { kind: 'drop' | 'dup' | 'truncate' | 'fold'; at: number }
  | { kind: 'swap'; at: number; to: number }
  | { kind: 'replace'; at: number; text: string }
  | { kind: 'insert'; at: number; line: string }
  | { kind: 'splice'; at: number; from: number; start: number; count: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop' as const, 'dup' as const, 'truncate' as const, 'fold' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), line: property }) },
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), from: fc.nat(), start: fc.nat(), count: fc.integer({ min: 1, max: 20 }) }),
);

export interface FuzzCase {
  sample: number;
  ops: Op[];
  crlf: boolean;
}

export function fuzzCases(samples: { text: string }[]): fc.Arbitrary<FuzzCase> {
  return fc.record({ sample: fc.nat({ max: samples.length - 1 }), ops: fc.array(op, { minLength: 1, maxLength: 8 }), crlf: fc.boolean() });
}

/** Applies a case's mutations to its sample. */
export function mutate(samples: { text: string }[], c: FuzzCase): string {
  let lines = samples[c.sample]!.text.split(/\r?\n/);
  for (const o of c.ops) {
    const n = Math.max(lines.length, 1);
    const i = o.at % n;
    const line = lines[i] ?? '';
    switch (o.kind) {
      case 'drop': lines.splice(i, 1); break;
      case 'dup': lines.splice(i, 0, line); break;
      case 'truncate': {
        const all = lines.join('\n');
        lines = all.slice(0, o.at % (all.length + 1)).split('\n');
        break;
      }
      case 'fold': {
        const k = 1 + (o.at % Math.max(line.length, 1));
        lines.splice(i, 1, line.slice(0, k), ` ${line.slice(k)}`);
        break;
      }
      case 'swap': {
        const j = o.to % n;
        [lines[i], lines[j]] = [lines[j] ?? '', line];
        break;
      }
      case 'replace': {
        const k = o.at % (line.length + 1);
        lines[i] = line.slice(0, k) + o.text + line.slice(k + 1);
        break;
      }
      case 'insert': lines.splice(i, 0, o.line); break;
      case 'splice': {
        const other = samples[o.from % samples.length]!.text.split(/\r?\n/);
        const s = o.start % Math.max(other.length, 1);
        lines.splice(i, 0, ...other.slice(s, s + o.count));
        break;
      }
    }
  }
  return lines.join(c.crlf ? '\r\n' : '\n');
}

export type Outcome = { kind: 'ok'; events: number; occurrences: number } | { kind: 'quarantined'; reason: string } | { kind: 'crash'; error: string };

/** One item through ingestion: parse within the budget, then expand every series over the horizon. */
export function ingest(raw: string, budgetMs = ITEM_BUDGET_MS): Outcome {
  let events: CanonicalEvent[];
  try {
    events = parseCalendarObject(raw, { remoteId: '/fuzz/item.ics', version: '"1"', budgetMs }).events;
  } catch (e) {
    if (e instanceof InvalidRemoteDataError && e.message.length > 0) return { kind: 'quarantined', reason: e.message };
    return { kind: 'crash', error: `parse: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` };
  }
  let occurrences = 0;
  try {
    for (const master of events.filter((e) => e.originalStart === null)) {
      const overrides = events.filter((e) => e.uid === master.uid && e.originalStart !== null);
      occurrences += expandSeries({ master, overrides, calendarTimeZone: 'Europe/Berlin', window: HORIZON }).length;
    }
  } catch (e) {
    return { kind: 'crash', error: `expand: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` };
  }
  return { kind: 'ok', events: events.length, occurrences };
}

/**
 * Runs `f` and says how many ms of CPU it took (user + system, the whole process's). An item's cost
 * is its CPU time: at load 20-40 on 2 cores the wall clock grew tenfold and items of ~250 ms
 * "overran" a 4.5 s bound that no hang came near.
 */
export function cpuTimed<T>(f: () => T): { out: T; ms: number } {
  const cpu0 = process.cpuUsage();
  const out = f();
  const cpu = process.cpuUsage(cpu0);
  return { out, ms: (cpu.user + cpu.system) / 1000 };
}

export interface FuzzTally {
  iterations: number;
  ok: number;
  quarantined: number;
  crashes: { seed: number; index: number; error: string; input: string }[];
  /** Items that ran past their budget plus slack, in CPU time (cpuTimed). */
  slow: { seed: number; index: number; ms: number; input: string }[];
  /** The dearest item's CPU time. */
  maxMs: number;
}

export const emptyTally = (): FuzzTally => ({ iterations: 0, ok: 0, quarantined: 0, crashes: [], slow: [], maxMs: 0 });

/**
 * Runs `count` cases generated from `seed` (reproducible: the same seed gives the same cases), the
 * regression inputs first when `index` starts at 0. `onItem(i)` is told each case's index before
 * it runs, so a watchdog outside can name the case that never returned.
 */
export function fuzzBatch(seed: number, count: number, tally: FuzzTally, onItem: (index: number) => void = () => {}): void {
  const samples = fuzzSamples();
  const cases = fc.sample(fuzzCases(samples), { seed, numRuns: count });
  for (let i = 0; i < cases.length; i++) {
    onItem(i);
    const input = mutate(samples, cases[i]!);
    const { out, ms } = cpuTimed(() => ingest(input));
    tally.iterations += 1;
    if (ms > tally.maxMs) tally.maxMs = ms;
    if (ms > ITEM_BUDGET_MS + EXPAND_BUDGET_MS + HANG_SLACK_MS) tally.slow.push({ seed, index: i, ms: Math.round(ms), input: input.slice(0, 4000) });
    if (out.kind === 'ok') tally.ok += 1;
    else if (out.kind === 'quarantined') tally.quarantined += 1;
    else tally.crashes.push({ seed, index: i, error: out.error, input: input.slice(0, 4000) });
  }
}
