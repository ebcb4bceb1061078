/**
 * Whether a copy the target holds is the copy a rule wants, read as recurrence means it, not as it
 * is spelled. Providers spell the same rule differently: Google keeps an RRULE as written
 * (FREQ=WEEKLY;COUNT=6), Graph stores a pattern with its weekdays and reads it back as
 * FREQ=WEEKLY;BYDAY=MO;COUNT=6. Compared as text, a Google series' copy in Outlook never matched
 * what the rule wanted, so every run over the source calendar (a rename of another event there was
 * enough) PATCHed the copy again, and the write and its echo each sent an event.updated webhook.
 */
import { normalizeRRule, objectHash, type CanonicalEvent, type EventTime } from '../shared/model/index.ts';
import { localToUtcMs, utcMsToLocal } from '../shared/time/index.ts';

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** Whether the copy held (`held`, as stored from the target) is the copy wanted: same content, recurrence by meaning. */
export function sameCopy(held: CanonicalEvent[], wanted: CanonicalEvent[]): boolean {
  return objectHash(held.map(spelledOut)) === objectHash(wanted.map(spelledOut));
}

function spelledOut(e: CanonicalEvent): CanonicalEvent {
  if (!e.recurrence?.rrules.length) return e;
  return { ...e, recurrence: { ...e.recurrence, rrules: e.recurrence.rrules.map((r) => explicitRRule(r, e.start)) } };
}

/** The series' first day as its own zone has it: YYYY-MM-DD. */
function localDate(start: EventTime): string {
  if ('date' in start) return start.date;
  if ('local' in start) return start.local.slice(0, 10);
  try {
    return utcMsToLocal(Date.parse(start.dateTime), start.timeZone).slice(0, 10);
  } catch {
    return start.dateTime.slice(0, 10); // a zone not known here: the rule is compared as spelled
  }
}

/**
 * An RRULE with what RFC 5545 (3.3.10) takes from DTSTART when the rule leaves it out written in
 * (WEEKLY: the weekday; MONTHLY: the day of the month; YEARLY: the month and day), and what is the
 * default or means nothing left out (INTERVAL=1; WKST, which only a WEEKLY rule with an interval or
 * a BYWEEKNO rule reads). BYDAY's days in weekday order: Graph keeps them as a set. UNTIL as the
 * start of the last occurrence it lets in: Graph keeps an end date and reads it back as that day at
 * the series' start time (Google's UNTIL=…T225959Z became …T080000Z, another spelling again; a
 * DATE or floating UNTIL on a timed series too). And the sets Graph respells (sameSetSpelled).
 */
export function explicitRRule(rule: string, start: EventTime): string {
  const parts = new Map<string, string>();
  for (const p of normalizeRRule(rule).split(';')) {
    const eq = p.indexOf('=');
    if (eq > 0) parts.set(p.slice(0, eq), p.slice(eq + 1));
  }
  const has = (...names: string[]) => names.some((n) => parts.has(n));
  sameSetSpelled(parts, has);
  const freq = parts.get('FREQ');
  const day = localDate(start);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]!;
  if (freq === 'WEEKLY' && !has('BYDAY')) parts.set('BYDAY', weekday);
  if (freq === 'MONTHLY' && !has('BYDAY', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO')) parts.set('BYMONTHDAY', String(d));
  if (freq === 'YEARLY' && !has('BYDAY', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO')) {
    if (!has('BYMONTH')) parts.set('BYMONTH', String(m));
    parts.set('BYMONTHDAY', String(d));
  }
  if (parts.get('INTERVAL') === '1') parts.delete('INTERVAL');
  const interval = Number(parts.get('INTERVAL') ?? '1');
  if (parts.get('WKST') === 'MO' || !((freq === 'WEEKLY' && interval > 1) || has('BYWEEKNO'))) parts.delete('WKST');
  const until = parts.get('UNTIL');
  if (until) parts.set('UNTIL', lastStart(until, start, parts));
  const byDay = parts.get('BYDAY');
  if (byDay) parts.set('BYDAY', byDay.split(',').sort((a, b) => WEEKDAYS.indexOf(a.slice(-2)) - WEEKDAYS.indexOf(b.slice(-2)) || a.localeCompare(b)).join(','));
  return normalizeRRule([...parts].map(([k, v]) => `${k}=${v}`).join(';'));
}

/**
 * Two spellings of one set Graph turns the first into: DAILY;BYDAY=MO,WE (INTERVAL 1) is
 * WEEKLY;BYDAY=MO,WE (Graph holds a weekly pattern), and one weekday with one BYSETPOS is that
 * weekday's ordinal (BYDAY=MO;BYSETPOS=-1 is BYDAY=-1MO; Graph's index reads back as the latter)
 * where the set BYSETPOS picks from is that weekday's days of one month, or of the year.
 */
function sameSetSpelled(parts: Map<string, string>, has: (...names: string[]) => boolean): void {
  const freq = parts.get('FREQ');
  const byDay = parts.get('BYDAY');
  if (!byDay || has('BYHOUR', 'BYMINUTE', 'BYSECOND', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO')) return;
  const plain = byDay.split(',').every((d) => WEEKDAYS.includes(d));
  if (freq === 'DAILY' && plain && !has('BYMONTH', 'BYSETPOS') && (parts.get('INTERVAL') ?? '1') === '1') {
    parts.set('FREQ', 'WEEKLY');
    parts.delete('INTERVAL');
    parts.delete('WKST');
  }
  const setPos = parts.get('BYSETPOS');
  const oneMonth = freq === 'MONTHLY' || (freq === 'YEARLY' && !(parts.get('BYMONTH') ?? '').includes(','));
  if (setPos && /^-?\d+$/.test(setPos) && WEEKDAYS.includes(byDay) && oneMonth) {
    parts.set('BYDAY', `${Number(setPos)}${byDay}`);
    parts.delete('BYSETPOS');
  }
}

const STAMP = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/;

/**
 * UNTIL as the start of the last occurrence it lets in, where every occurrence starts at the
 * series' wall-clock time (no BYHOUR/BYMINUTE/BYSECOND, no sub-daily FREQ): an occurrence on a day
 * starts at that time in the series zone, so UNTIL admits exactly the days up to the last one whose
 * start is at or before it, whether UNTIL is UTC, floating or a DATE. All-day: the date alone.
 * Anything else is left as spelled.
 */
function lastStart(until: string, start: EventTime, parts: Map<string, string>): string {
  const m = STAMP.exec(until);
  if (!m) return until;
  if ('date' in start) return `${m[1]}${m[2]}${m[3]}`;
  const subDaily = ['SECONDLY', 'MINUTELY', 'HOURLY'].includes(parts.get('FREQ') ?? '');
  if (!('dateTime' in start) || subDaily || ['BYHOUR', 'BYMINUTE', 'BYSECOND'].some((k) => parts.has(k))) return until;
  try {
    const time = utcMsToLocal(Date.parse(start.dateTime), start.timeZone).slice(11, 19);
    const date = `${m[1]}-${m[2]}-${m[3]}`;
    // A DATE UNTIL lets in all of its day, a floating one up to its wall-clock time (shared/time
    // untilOf): both in the series zone. A UTC one up to that instant.
    const wall = !m[4] ? `${date}T23:59:59` : !m[7] ? `${date}T${m[4]}:${m[5]}:${m[6]}` : null;
    const untilMs = wall === null ? Date.parse(`${date}T${m[4]}:${m[5]}:${m[6]}Z`) : Infinity;
    const day = wall === null ? utcMsToLocal(untilMs, start.timeZone).slice(0, 10) : date;
    const before = wall === null ? localToUtcMs(`${day}T${time}`, start.timeZone) > untilMs : wall.slice(11) < time;
    const ms = localToUtcMs(`${before ? new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10) : day}T${time}`, start.timeZone);
    return new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
  } catch {
    return until;
  }
}
