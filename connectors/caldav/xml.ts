/**
 * WebDAV XML: request bodies and a tolerant multistatus reader for small answers read whole
 * (discovery, a PUT's 207; listings and multigets stream through multistatus-stream.ts).
 * Namespace prefixes are dropped (servers pick their own: Radicale uses a default namespace,
 * Xandikos `ns0:`), text is kept as strings (tsdav's number coercion broke numeric sync tokens),
 * and per-href statuses are kept so one 404 inside a multiget does not sink the batch.
 */
import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Numeric character references (servers send CR in calendar-data as &#13;) are only decoded with this on.
  htmlEntities: true,
  isArray: (name) => ['response', 'propstat', 'href', 'comp', 'privilege', 'supported-report'].includes(name),
});

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" xmlns:I="http://apple.com/ns/ical/"';

export const propfindBody = (props: string[]): string =>
  `<?xml version="1.0" encoding="utf-8"?><D:propfind ${NS}><D:prop>${props.map((p) => `<${p}/>`).join('')}</D:prop></D:propfind>`;

/** PROPPATCH (RFC 4918 §9.2) setting DAV:displayname. */
export const displaynameUpdateBody = (name: string): string =>
  `<?xml version="1.0" encoding="utf-8"?><D:propertyupdate ${NS}><D:set><D:prop><D:displayname>${escapeXml(name)}</D:displayname></D:prop></D:set></D:propertyupdate>`;

/** PROPPATCH (RFC 4918 §9.2) setting the given properties (XML elements, already escaped). */
export const propertyUpdateBody = (props: string): string =>
  `<?xml version="1.0" encoding="utf-8"?><D:propertyupdate ${NS}><D:set><D:prop>${props}</D:prop></D:set></D:propertyupdate>`;

export const syncCollectionBody = (token: string | null): string =>
  `<?xml version="1.0" encoding="utf-8"?><D:sync-collection ${NS}>` +
  `<D:sync-token>${token ? escapeXml(token) : ''}</D:sync-token><D:sync-level>1</D:sync-level>` +
  '<D:prop><D:getetag/></D:prop></D:sync-collection>';

export const multigetBody = (hrefs: string[]): string =>
  `<?xml version="1.0" encoding="utf-8"?><C:calendar-multiget ${NS}><D:prop><D:getetag/><C:calendar-data/></D:prop>` +
  `${hrefs.map((h) => `<D:href>${escapeXml(h)}</D:href>`).join('')}</C:calendar-multiget>`;

export const uidQueryBody = (uid: string): string =>
  `<?xml version="1.0" encoding="utf-8"?><C:calendar-query ${NS}><D:prop><D:getetag/><C:calendar-data/></D:prop>` +
  '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="UID">' +
  `<C:text-match collation="i;octet">${escapeXml(uid)}</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;

export type XmlNode = Record<string, unknown>;

export interface DavResponse {
  href: string;
  /** The response-level status (a member removed or missing), else null. */
  status: number | null;
  /** Properties found (200 propstat). */
  props: XmlNode;
  /** Names of properties the server reported as not found/forbidden. */
  missing: string[];
  /** Each property's propstat status (a PROPPATCH answers one per property, RFC 4918 §9.2). */
  propStatus?: Record<string, number>;
}

const statusCode = (s: unknown): number | null => {
  const m = /HTTP\/[\d.]+\s+(\d{3})/.exec(textOf(s) ?? '');
  return m ? Number(m[1]) : null;
};

/** Text content of a parsed node (string, `#text`, or first array element). */
export function textOf(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return textOf(v[0]);
  if (typeof v === 'object' && '#text' in (v as XmlNode)) return textOf((v as XmlNode)['#text']);
  if (typeof v === 'object') return '';
  return null;
}

/** Names of the child elements of a node (`<resourcetype><collection/><calendar/></…>` → both). */
export function childNames(v: unknown): string[] {
  if (!v || typeof v !== 'object') return [];
  const node = Array.isArray(v) ? v[0] : v;
  return node && typeof node === 'object' ? Object.keys(node as XmlNode).filter((k) => !k.startsWith('@_') && k !== '#text') : [];
}

export function parseMultistatus(xml: string): { responses: DavResponse[]; syncToken: string | null } {
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (e) {
    throw new Error(`malformed XML: ${(e as Error).message}`);
  }
  const raw = doc['multistatus'];
  if (raw === undefined || raw === null) throw new Error('not a DAV:multistatus response');
  // `<multistatus/>` (nothing matched) parses as an empty string.
  const ms = (typeof raw === 'object' ? raw : {}) as XmlNode;
  const responses: DavResponse[] = [];
  for (const r of (ms['response'] as XmlNode[] | undefined) ?? []) {
    const href = textOf(r['href'])?.trim();
    if (!href) continue;
    const props: XmlNode = {};
    const missing: string[] = [];
    const propStatus: Record<string, number> = {};
    for (const ps of (r['propstat'] as XmlNode[] | undefined) ?? []) {
      const code = statusCode(ps['status']);
      const prop = (ps['prop'] ?? {}) as XmlNode;
      if (code !== null && code >= 200 && code < 300) Object.assign(props, typeof prop === 'object' ? prop : {});
      else missing.push(...childNames(prop));
      if (code !== null) for (const name of childNames(prop)) propStatus[name] = code;
    }
    responses.push({ href, status: statusCode(r['status']), props, missing, propStatus });
  }
  const token = textOf(ms['sync-token'])?.trim();
  return { responses, syncToken: token ? token : null };
}

/** Hrefs inside a property (`<current-user-principal><href>/u/</href></…>`). */
export function hrefsOf(v: unknown): string[] {
  if (!v || typeof v !== 'object') return [];
  const h = (v as XmlNode)['href'];
  return (Array.isArray(h) ? h : h === undefined ? [] : [h]).map((x) => textOf(x)?.trim() ?? '').filter(Boolean);
}

/**
 * The properties an MKCALENDAR answer (RFC 4791 §5.3.1: an optional mkcalendar-response of
 * propstats) or a PROPPATCH's multistatus says were not set, with their status. An empty or
 * unreadable answer names none: the request as a whole succeeded.
 */
export function refusedProperties(xml: string): Map<string, number> {
  const out = new Map<string, number>();
  let doc: XmlNode;
  try {
    doc = xml.trim() ? (parser.parse(xml) as XmlNode) : {};
  } catch {
    return out;
  }
  const root = doc['mkcalendar-response'] ?? doc['multistatus'];
  if (!root || typeof root !== 'object') return out;
  const r = root as XmlNode;
  const stats = [...((r['propstat'] as XmlNode[] | undefined) ?? []), ...((r['response'] as XmlNode[] | undefined) ?? []).flatMap((x) => (x['propstat'] as XmlNode[] | undefined) ?? [])];
  for (const ps of stats) {
    const code = statusCode(ps['status']);
    if (code !== null && code >= 300) for (const name of childNames(ps['prop'])) out.set(name, code);
  }
  return out;
}
