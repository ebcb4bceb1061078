/**
 * One spelling per resource: servers differ in which characters they percent-encode in hrefs
 * (`@`, `+`, spaces), so every href is decoded and re-encoded segment by segment before it is
 * used as a remoteId or compared.
 */
import { createHash } from 'node:crypto';

const SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/;

function encodeSegment(seg: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(seg);
  } catch {
    decoded = seg;
  }
  let out = '';
  for (const ch of decoded) out += SAFE.test(ch) ? ch : encodeURIComponent(ch);
  return out;
}

/** The canonical path of an href (absolute URL or path), resolved against `base`. */
export function normalizeHref(href: string, base: string): string {
  const path = new URL(href, base).pathname;
  return path.split('/').map(encodeSegment).join('/');
}

/** The collection's canonical path, always ending in `/`. */
export function collectionPath(calendarUrl: string): string {
  const p = normalizeHref(calendarUrl, calendarUrl);
  return p.endsWith('/') ? p : `${p}/`;
}

/** A new resource's name: the UID when it is URL-safe, else a hash of it (stable, so a retried create collides instead of duplicating). */
export function resourceNameFor(uid: string): string {
  if (/^[A-Za-z0-9._-]{1,120}$/.test(uid)) return `${uid}.ics`;
  return `${createHash('sha256').update(uid).digest('hex').slice(0, 40)}.ics`;
}
