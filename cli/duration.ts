import { ValidationError } from '../shared/errors.ts';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "1h", "2d" -> milliseconds. */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new ValidationError(`${option} takes a duration such as 30m, 1h or 2d, not "${text}"`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** 3725 -> "1h 2m"; negative -> "-1h 2m" (already past). */
export function formatSeconds(s: number | null): string {
  if (s === null) return '-';
  const sign = s < 0 ? '-' : '';
  let a = Math.abs(Math.round(s));
  if (a < 60) return `${sign}${a}s`;
  const d = Math.floor(a / 86400);
  a -= d * 86400;
  const h = Math.floor(a / 3600);
  a -= h * 3600;
  const m = Math.floor(a / 60);
  if (d > 0) return `${sign}${d}d ${h}h`;
  if (h > 0) return `${sign}${h}h ${m}m`;
  return `${sign}${m}m ${a % 60}s`;
}

/** An ISO time as "5m ago" relative to now; "-" for none. */
export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return '-';
  return `${formatSeconds((now - Date.parse(iso)) / 1000)} ago`;
}
