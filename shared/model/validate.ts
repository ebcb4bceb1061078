/**
 * What calhub will write, checked before any write (API writes and mirror copies alike): the
 * recurrence grammar and bounds, real dates, known zones, and an end after the start. Pure.
 * parseEvent checks shapes; this checks that the event means something a provider and the
 * expander can honour. Provider data on pull is not held to it (what exists, exists): an item the
 * hub cannot use there is quarantined instead.
 */
import { HubError } from '../errors.ts';
import { parseRRule } from '../time/rrule.ts';
import { isRealDateTime } from '../time/iso.ts';
import { isKnownZone } from '../time/zone.ts';
import type { EventTime } from './event-time.ts';
import type { CanonicalEvent } from './event.ts';

/** The most occurrences one RRULE may ask for: the expander's own cap (MAX_OCCURRENCES). */
export const MAX_COUNT = 5000;
export const MAX_RRULES = 10;
export const MAX_DATES = 2000;

export type EventRuleCode = 'RRULE_INVALID' | 'RRULE_TOO_LARGE' | 'DATE_INVALID' | 'ZONE_UNKNOWN' | 'END_BEFORE_START';

/** An event that is well-formed but cannot be honoured; `code` says which rule it broke. */
export class EventRuleError extends HubError {
  constructor(code: EventRuleCode, message: string) {
    super(code, 'never', message);
    this.name = 'EventRuleError';
  }
}

function checkTime(t: EventTime, field: string): void {
  const text = 'date' in t ? t.date : 'dateTime' in t ? t.dateTime : t.local;
  if (!isRealDateTime(text)) throw new EventRuleError('DATE_INVALID', `${field}: ${text} is not a real date and time`);
  if ('timeZone' in t && !isKnownZone(t.timeZone)) throw new EventRuleError('ZONE_UNKNOWN', `${field}.timeZone: "${t.timeZone}" is not a known IANA time zone`);
}

/** Comparable milliseconds: zoned as the instant, floating and all-day as wall time (both sides share a form). */
const msOf = (t: EventTime): number => Date.parse('date' in t ? `${t.date}T00:00:00Z` : 'dateTime' in t ? t.dateTime : `${t.local}Z`);

function checkRecurrence(e: CanonicalEvent): void {
  const r = e.recurrence;
  if (!r) return;
  if (r.rrules.length > MAX_RRULES) throw new EventRuleError('RRULE_TOO_LARGE', `recurrence.rrules: at most ${MAX_RRULES} rules`);
  if (r.exdates.length > MAX_DATES || r.rdates.length > MAX_DATES) throw new EventRuleError('RRULE_TOO_LARGE', `recurrence: at most ${MAX_DATES} exdates and ${MAX_DATES} rdates`);
  r.exdates.forEach((t, i) => checkTime(t, `recurrence.exdates.${i}`));
  r.rdates.forEach((t, i) => checkTime(t, `recurrence.rdates.${i}`));
  r.rrules.forEach((text, i) => {
    let rule;
    try {
      rule = parseRRule(text);
    } catch (err) {
      throw new EventRuleError('RRULE_INVALID', `recurrence.rrules.${i}: ${(err as Error).message}`);
    }
    if (/(^|;)COUNT=/i.test(text) && /(^|;)UNTIL=/i.test(text)) throw new EventRuleError('RRULE_INVALID', `recurrence.rrules.${i}: COUNT and UNTIL may not both be given (RFC 5545)`);
    // MINUTELY stays: bounded by COUNT and the expander's cap, and charged by the write budget per occurrence.
    if (rule.freq === 'SECONDLY') {
      throw new EventRuleError('RRULE_TOO_LARGE', `recurrence.rrules.${i}: FREQ=${rule.freq} is not accepted; the smallest step is MINUTELY`);
    }
    if (rule.count !== null && rule.count > MAX_COUNT) throw new EventRuleError('RRULE_TOO_LARGE', `recurrence.rrules.${i}: COUNT=${rule.count} is above ${MAX_COUNT}`);
  });
}

/** Throws EventRuleError naming the field when `e` cannot be honoured; returns nothing otherwise. */
export function validateForWrite(e: CanonicalEvent): void {
  checkTime(e.start, 'start');
  checkTime(e.end, 'end');
  if (e.originalStart) checkTime(e.originalStart, 'originalStart');
  checkRecurrence(e);
  const allDay = 'date' in e.start;
  const [s, en] = [msOf(e.start), msOf(e.end)];
  if (allDay ? en <= s : en < s) {
    throw new EventRuleError('END_BEFORE_START', allDay ? 'end: an all-day event ends (exclusive) at least one day after it starts' : 'end: the event ends before it starts');
  }
}
