import { WINDOWS_TO_IANA_MAP, findWindows } from 'windows-iana';
import { intlZoneName, isKnownZone } from './zone.ts';

/** Windows names CLDR lacks, seen in Graph and Outlook exports (lower-cased keys). */
const EXTRA_WINDOWS: Record<string, string> = {
  utc: 'UTC',
  'coordinated universal time': 'UTC',
  'greenwich mean time': 'UTC',
  // Outlook's name for a zone it defines inline (VTIMEZONE only): no mapping exists.
  'customized time zone': '',
};

/** New IANA names that CLDR/windows-iana 5.1 still know under their old link. */
const IANA_RENAMES: Record<string, string> = {
  'Europe/Kyiv': 'Europe/Kiev',
  'Pacific/Kanton': 'Pacific/Enderbury',
  'America/Nuuk': 'America/Godthab',
  'Asia/Yangon': 'Asia/Rangoon',
  'Asia/Kolkata': 'Asia/Calcutta',
  'Asia/Ho_Chi_Minh': 'Asia/Saigon',
  'Asia/Kathmandu': 'Asia/Katmandu',
  'Atlantic/Faroe': 'Atlantic/Faeroe',
  'America/Ciudad_Juarez': 'America/Denver',
  'Europe/Uzhgorod': 'Europe/Kiev',
  'Europe/Zaporozhye': 'Europe/Kiev',
};

/**
 * The current IANA name of an old one CLDR still gives as primary ('India Standard Time' is
 * Asia/Calcutta there): a zone written as Asia/Kolkata read back as Asia/Calcutta.
 */
const CURRENT_NAME: Record<string, string> = Object.fromEntries(
  // Only true renames: zones merged into another (Uzhgorod, Ciudad_Juarez) are not its new name.
  Object.entries(IANA_RENAMES).filter(([now]) => !['Europe/Uzhgorod', 'Europe/Zaporozhye', 'America/Ciudad_Juarez'].includes(now)).map(([now, old]) => [old, now]),
);

let byWindows: Map<string, string[]> | null = null;

function windowsIndex(): Map<string, string[]> {
  if (byWindows === null) {
    byWindows = new Map();
    // '001' rows first: their first IANA name is CLDR's primary zone for that Windows name.
    const rows = [...WINDOWS_TO_IANA_MAP].sort((a, b) => Number(b.territory === '001') - Number(a.territory === '001'));
    for (const row of rows) {
      const key = row.windowsName.toLowerCase();
      const list = byWindows.get(key) ?? [];
      list.push(...row.iana);
      byWindows.set(key, list);
    }
  }
  return byWindows;
}

/** CLDR windowsZones: Windows zone name → IANA (the primary '001' zone), case-insensitive. */
export function windowsToIana(name: string): string | null {
  let key = name.trim().toLowerCase();
  if (key.startsWith('tzone://microsoft/')) key = key.slice('tzone://microsoft/'.length);
  const extra = EXTRA_WINDOWS[key];
  if (extra !== undefined) return extra === '' ? null : extra;
  const list = windowsIndex().get(key);
  if (list === undefined) return null;
  if (list.includes('Etc/UTC')) return 'UTC';
  const zone = list.find((z) => isKnownZone(z));
  if (zone === undefined) return null;
  const current = CURRENT_NAME[zone];
  return current !== undefined && isKnownZone(current) ? current : zone;
}

function tryFindWindows(zone: string): string | null {
  try {
    return findWindows(zone)[0] ?? null;
  } catch {
    return null;
  }
}

/** CLDR windowsZones: IANA zone (or link, e.g. Europe/Kyiv, Asia/Calcutta) → Windows name. */
export function ianaToWindows(zone: string): string | null {
  const z = zone.trim();
  if (z === '') return null;
  const upper = z.toUpperCase();
  if (upper === 'UTC' || upper === 'Z' || upper === 'GMT' || upper === 'ETC/UTC') return 'UTC';
  const candidates = [z, IANA_RENAMES[z], intlZoneName(z)];
  const canonical = intlZoneName(z);
  if (canonical !== null) candidates.push(IANA_RENAMES[canonical]);
  for (const c of candidates) {
    if (c === undefined || c === null) continue;
    const w = tryFindWindows(c);
    if (w !== null) return w;
  }
  return null;
}
