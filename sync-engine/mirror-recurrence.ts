/**
 * Whether a copy the target holds is the copy a rule wants, read as recurrence means it, not as it
 * is spelled. Providers spell the same rule differently: Google keeps an RRULE as written
 * (FREQ=WEEKLY;COUNT=6), Graph stores a pattern with its weekdays and reads it back as
 * FREQ=WEEKLY;BYDAY=MO;COUNT=6. Compared as text, a Google series' copy in Outlook never matched
 * what the rule wanted, so every run over the source calendar (a rename of another event there was
 * enough) PATCHed the copy again, and the write and its echo each sent an event.updated webhook.
 */
import { normalizeRRule, objectHash, type CanonicalEvent, type EventTime } from '../shared/model/index.ts';
import { utcMsToLocal } from '../shared/time/index.ts';

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
 * a BYWEEKNO rule reads). BYDAY's days in weekday order: Graph keeps them as a set.
 */
export function explicitRRule(rule: string, start: EventTime): string {
  const parts = new Map<string, string>();
  for (const p of normalizeRRule(rule).split(';')) {
    const eq = p.indexOf('=');
    if (eq > 0) parts.set(p.slice(0, eq), p.slice(eq + 1));
  }
  const freq = parts.get('FREQ');
  const has = (...names: string[]) => names.some((n) => parts.has(n));
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
  const byDay = parts.get('BYDAY');
  if (byDay) parts.set('BYDAY', byDay.split(',').sort((a, b) => WEEKDAYS.indexOf(a.slice(-2)) - WEEKDAYS.indexOf(b.slice(-2)) || a.localeCompare(b)).join(','));
  return normalizeRRule([...parts].map(([k, v]) => `${k}=${v}`).join(';'));
}
