/**
 * ical.js loops for ever on a VTIMEZONE whose yearly rule never matches (kewisch/ical.js#318,
 * e.g. `FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30`), and JavaScript cannot interrupt a synchronous
 * loop. So before a VTIMEZONE is handed to ical.js, its observance rules must have the shape real
 * time-zone rules have, every one of which matches at least every few years.
 */
import { invalid, type JComp } from './jcal.ts';

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const ALLOWED = new Set(['freq', 'bymonth', 'byday', 'bymonthday', 'until', 'count', 'interval', 'wkst', 'byhour', 'byminute', 'bysecond']);
const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function checkRule(rule: Record<string, unknown>, tzid: string): void {
  const bad = (why: string) => invalid(`VTIMEZONE ${tzid}: unsupported observance rule (${why})`);
  if (String(rule['freq']).toUpperCase() !== 'YEARLY') throw bad('FREQ must be YEARLY');
  for (const k of Object.keys(rule)) if (!ALLOWED.has(k)) throw bad(k.toUpperCase());
  if (rule['interval'] !== undefined && Number(rule['interval']) !== 1) throw bad('INTERVAL');
  const months = list(rule['bymonth']).map(Number);
  if (months.length === 0 || months.some((m) => !Number.isInteger(m) || m < 1 || m > 12)) throw bad('BYMONTH');
  const shortest = Math.min(...months.map((m) => (m === 2 ? 28 : MONTH_DAYS[m - 1]!)));
  const days = list(rule['byday']).map(String);
  for (const d of days) {
    const m = /^([+-]?)(\d?)(SU|MO|TU|WE|TH|FR|SA)$/i.exec(d);
    if (!m) throw bad(`BYDAY=${d}`);
    const n = m[2] ? Number(m[2]) : 0;
    if (n > 5 || (n === 5 && shortest < 29)) throw bad(`BYDAY=${d}`);
  }
  const monthDays = list(rule['bymonthday']).map(Number);
  if (monthDays.some((d) => !Number.isInteger(d) || d === 0 || Math.abs(d) > shortest)) throw bad('BYMONTHDAY');
  // "Second Sunday" written as BYMONTHDAY=8,…,14;BYDAY=SU: needs a full week of days to always match.
  if (monthDays.length > 0 && days.length > 0 && monthDays.length < 7) throw bad('BYMONTHDAY with BYDAY');
  // An ordinal weekday inside a set of month days ("first Monday among the 15th..21st", what
  // nextcloud/calendar#6544 met) may never match, and ical.js then spends seconds looking for it.
  if (monthDays.length > 0 && days.some((d) => /\d/.test(d))) throw bad('BYMONTHDAY with an ordinal BYDAY');
}

export function checkVtimezone(vtz: JComp, tzid: string): void {
  for (const obs of vtz[2] ?? []) {
    for (const p of obs[1]) {
      if (p[0] !== 'rrule') continue;
      const rule = p[3];
      if (!rule || typeof rule !== 'object') throw invalid(`VTIMEZONE ${tzid}: unreadable RRULE`);
      checkRule(rule as Record<string, unknown>, tzid);
    }
  }
}
