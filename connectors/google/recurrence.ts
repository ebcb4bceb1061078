/**
 * Canonical recurrence (RFC 5545 parts) ⇄ Google's `recurrence[]` lines (A.3): RRULE, EXDATE
 * and RDATE lines, no DTSTART. Zoned dates are written with TZID in the series' zone, the way
 * Google's own UI writes them; UTC (`…Z`) and DATE forms are read too.
 */
import type { EventTime, Recurrence } from '../../shared/model/index.ts';
import { localToUtcMs, resolveZone, utcMsToLocal } from '../../shared/time/index.ts';
import { InvalidRemoteDataError } from '../errors.ts';

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const basic = (s: string) => s.replace(/[-:]/g, '');

function parseValues(line: string, seriesZone: string): EventTime[] {
  const colon = line.indexOf(':');
  const params = line.slice(0, colon).split(';').slice(1).map((p) => p.split('=') as [string, string]);
  const tzid = params.find(([k]) => k.toUpperCase() === 'TZID')?.[1];
  const zone = tzid ? (resolveZone(tzid) ?? seriesZone) : seriesZone;
  return line
    .slice(colon + 1)
    .split(',')
    .filter(Boolean)
    .map((v): EventTime => {
      const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(v.trim());
      if (!m) throw new InvalidRemoteDataError(`google: unreadable recurrence line: ${line}`);
      const date = `${m[1]}-${m[2]}-${m[3]}`;
      if (m[4] === undefined) return { date };
      const wall = `${date}T${m[4]}:${m[5]}:${m[6]}`;
      const ms = m[7] ? Date.parse(`${wall}Z`) : localToUtcMs(wall, zone);
      return { dateTime: iso(ms), timeZone: zone };
    });
}

export function parseGoogleRecurrence(lines: string[], seriesZone: string): Recurrence {
  const rec: Recurrence = { rrules: [], exdates: [], rdates: [] };
  for (const line of lines) {
    const name = line.split(/[;:]/, 1)[0]!.toUpperCase();
    if (name === 'RRULE') rec.rrules.push(line.slice(line.indexOf(':') + 1));
    else if (name === 'EXDATE') rec.exdates.push(...parseValues(line, seriesZone));
    else if (name === 'RDATE') rec.rdates.push(...parseValues(line, seriesZone));
    else throw new InvalidRemoteDataError(`google: unsupported recurrence line: ${name}`);
  }
  return rec;
}

function formatValue(prop: 'EXDATE' | 'RDATE', t: EventTime, seriesZone: string): string {
  if ('date' in t) return `${prop};VALUE=DATE:${basic(t.date)}`;
  if ('local' in t) return `${prop};TZID=${seriesZone}:${basic(t.local)}`;
  // Written in the series' zone so the value matches DTSTART's form (RFC 5545 §3.8.5.1).
  return `${prop};TZID=${seriesZone}:${basic(utcMsToLocal(Date.parse(t.dateTime), seriesZone))}`;
}

export function formatGoogleRecurrence(rec: Recurrence, seriesZone: string): string[] {
  return [
    ...rec.rrules.map((r) => `RRULE:${r.replace(/^RRULE:/i, '')}`),
    ...rec.exdates.map((t) => formatValue('EXDATE', t, seriesZone)),
    ...rec.rdates.map((t) => formatValue('RDATE', t, seriesZone)),
  ];
}
