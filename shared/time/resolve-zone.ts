import { windowsToIana } from './windows-zones.ts';
import { intlZoneName, isKnownZone } from './zone.ts';

/** Outlook sometimes writes the Windows display name as TZID; the most common ones. */
const DISPLAY_NAMES: Record<string, string> = {
  '(utc) coordinated universal time': 'UTC',
  '(utc) dublin, edinburgh, lisbon, london': 'Europe/London',
  '(utc+00:00) dublin, edinburgh, lisbon, london': 'Europe/London',
  '(utc+01:00) amsterdam, berlin, bern, rome, stockholm, vienna': 'Europe/Berlin',
  '(utc+01:00) brussels, copenhagen, madrid, paris': 'Europe/Paris',
  '(utc+01:00) belgrade, bratislava, budapest, ljubljana, prague': 'Europe/Budapest',
  '(utc+01:00) sarajevo, skopje, warsaw, zagreb': 'Europe/Warsaw',
  '(utc-05:00) eastern time (us & canada)': 'America/New_York',
  '(utc-06:00) central time (us & canada)': 'America/Chicago',
  '(utc-07:00) mountain time (us & canada)': 'America/Denver',
  '(utc-08:00) pacific time (us & canada)': 'America/Los_Angeles',
  '(utc+05:30) chennai, kolkata, mumbai, new delhi': 'Asia/Kolkata',
  '(utc+09:00) osaka, sapporo, tokyo': 'Asia/Tokyo',
  '(utc+10:00) canberra, melbourne, sydney': 'Australia/Sydney',
};

const UTC_NAMES = new Set(['z', 'utc', 'gmt', 'ut', 'zulu']);
const cache = new Map<string, string | null>();

function asIana(name: string): string | null {
  // Intl also accepts things like "EST" or offsets in newer engines; IANA names we take have a
  // letter first, and case is corrected to Intl's spelling.
  if (!/^[A-Za-z]/.test(name) || !isKnownZone(name)) return null;
  const intl = intlZoneName(name);
  return intl !== null && intl.toLowerCase() === name.toLowerCase() ? intl : name;
}

function resolveUncached(raw: string): string | null {
  const tzid = raw.trim().replace(/^"(.*)"$/, '$1').trim();
  if (tzid === '') return null;
  if (UTC_NAMES.has(tzid.toLowerCase())) return 'UTC';
  const iana = asIana(tzid);
  if (iana !== null) return iana;
  const win = windowsToIana(tzid);
  if (win !== null) return win;
  const display = DISPLAY_NAMES[tzid.toLowerCase()];
  if (display !== undefined) return display;
  // Vendor-prefixed Olson names: "/mozilla.org/20050126_1/Europe/Berlin",
  // "/softwarestudio.org/Olson_20011030_5/America/New_York", "/Europe/Berlin".
  if (tzid.includes('/')) {
    const parts = tzid.split('/').filter((p) => p !== '');
    for (let n = Math.min(3, parts.length); n >= 1; n--) {
      const tail = parts.slice(parts.length - n).join('/');
      if (n === 1 && !UTC_NAMES.has(tail.toLowerCase()) && !/^[A-Z][a-z]/.test(tail)) continue;
      if (UTC_NAMES.has(tail.toLowerCase())) return 'UTC';
      const z = asIana(tail);
      if (z !== null) return z;
    }
  }
  return null;
}

/**
 * The IANA zone for an iCalendar TZID or a Graph/Windows zone name, or null when unknown:
 * IANA names as-is, Windows names via CLDR windowsZones, vendor-prefixed Olson names, Z/GMT/UTC.
 */
export function resolveZone(tzid: string): string | null {
  let z = cache.get(tzid);
  if (z === undefined) {
    z = resolveUncached(tzid);
    if (cache.size > 10_000) cache.clear();
    cache.set(tzid, z);
  }
  return z;
}
