/**
 * ical.js's jCal recur object → RRULE text in one canonical spelling: FREQ first, then the other
 * parts alphabetically. Part order means nothing (RFC 5545 §3.3.10) but servers rewrite it —
 * Xandikos stores `FREQ=WEEKLY;COUNT=6;BYDAY=MO` for `FREQ=WEEKLY;BYDAY=MO;COUNT=6` — and the
 * content hash compares rule text, so without one spelling every read-back would look edited.
 */
import { invalid } from './jcal.ts';

const FREQS = new Set(['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
const WEEKDAYS = ['', 'SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

function part(key: string, value: unknown, where: string): string {
  const k = key.toUpperCase();
  const one = (v: unknown): string => {
    if (k === 'UNTIL') {
      const s = String(v);
      if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z?)?$/.test(s)) throw invalid(`${where}: invalid UNTIL "${s}"`);
      return s.replace(/[-:]/g, '');
    }
    if (k === 'WKST' && typeof v === 'number') return WEEKDAYS[v] ?? 'MO';
    return String(v).toUpperCase();
  };
  return `${k}=${Array.isArray(value) ? value.map(one).join(',') : one(value)}`;
}

export function recurToString(value: unknown, where: string): string {
  if (!value || typeof value !== 'object') throw invalid(`${where}: missing rule`);
  const entries = Object.entries(value as Record<string, unknown>);
  const freq = (value as { freq?: unknown }).freq;
  if (typeof freq !== 'string' || !FREQS.has(freq.toUpperCase())) throw invalid(`${where}: invalid or missing FREQ`);
  if ('until' in value && 'count' in value) throw invalid(`${where}: COUNT and UNTIL together`);
  const parts = entries.map(([k, v]) => part(k, v, where));
  const rank = (p: string) => (p.startsWith('FREQ=') ? '' : p);
  return parts.sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0)).join(';');
}
