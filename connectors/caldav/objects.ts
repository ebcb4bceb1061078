/**
 * Calendar object resources: multiget in batches (each href has its own status, RFC 4791 §7.9),
 * GET, find by UID (calendar-query), conditional PUT and DELETE. Parsing failures become
 * `invalid` items, never a failed batch.
 */
import type { RemoteChange, RemoteObject } from '../connector.ts';
import { InvalidRemoteDataError, RemoteNotFoundError, TransientError } from '../errors.ts';
import { mergeIntoStored, parseCalendarObject, serializeCalendarObject } from './ical/index.ts';
import type { DavClient } from './dav-client.ts';
import { normalizeHref } from './hrefs.ts';
import { mapCaldavStatus } from './map-caldav-error.ts';
import { ResponseTooLargeError } from './limits.ts';
import { multigetBody, parseMultistatus, textOf, uidQueryBody } from './xml.ts';

const RAW_KEEP = 64 * 1024;

export interface ObjectContext {
  dav: DavClient;
  calendarUrl: string;
  selfAddresses: string[];
  /** The account's own calendar user address, for the ORGANIZER of a meeting it creates (null: none known). */
  ownAddress?: string | null;
  /** Whether the server may schedule for this collection (`mayAutoSchedule`), asked once per connector. */
  autoSchedules?: () => Promise<boolean>;
}

/**
 * Whether the server says it schedules (RFC 6638 §2: a server that does MUST list
 * `calendar-auto-schedule` in the DAV header of an OPTIONS answer). Xandikos spells it
 * `calendar-auto-scheduling` (xandikos/webdav.py lists its capabilities so): any `calendar-auto-schedul…`
 * counts. An OPTIONS the server refuses answers true: quieter to assume it schedules. Other
 * failures are thrown, as the DELETE's would be.
 */
export async function mayAutoSchedule(o: Pick<ObjectContext, 'dav' | 'calendarUrl'>): Promise<boolean> {
  const res = await o.dav.request({ method: 'OPTIONS', url: o.calendarUrl, accept: [400, 403, 404, 405, 501] });
  if (res.status >= 300) return true;
  return /(^|,)\s*calendar-auto-schedul/i.test(res.headers.get('dav') ?? '');
}

/** True when every ORGANIZER and ATTENDEE of the object has SCHEDULE-AGENT CLIENT or NONE: a server schedules nothing for it. */
function scheduledByNobody(raw: string): boolean {
  const lines = raw.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter((l) => /^(ORGANIZER|ATTENDEE)[;:]/i.test(l));
  return lines.every((l) => {
    const head = /^[^:"]*(?:"[^"]*"[^:"]*)*/.exec(l)?.[0] ?? '';
    return /;SCHEDULE-AGENT=(CLIENT|NONE)(;|$)/i.test(head);
  });
}

/** A fetched resource as a change: an upsert, or `invalid` with the reason and the raw text. */
export function toChange(o: ObjectContext, remoteId: string, etag: string | null, raw: string): Extract<RemoteChange, { kind: 'upsert' | 'invalid' }> {
  const max = o.dav.limits.maxItemBytes;
  if (raw.length > max) {
    return { kind: 'invalid', remoteId, version: etag, error: `calendar object of ${raw.length} characters is over the ${max}-byte limit`, raw: raw.slice(0, RAW_KEEP) };
  }
  try {
    const { events, warnings } = parseCalendarObject(raw, { remoteId, version: etag, selfAddresses: o.selfAddresses });
    return { kind: 'upsert', remoteId, version: etag, events, ...(warnings.length ? { warnings } : {}) };
  } catch (e) {
    // Anything the mapper throws stays with this one item: the rest of the calendar keeps syncing.
    const error = e instanceof InvalidRemoteDataError ? e.message : `internal error while mapping: ${(e as Error).message}`;
    return { kind: 'invalid', remoteId, version: etag, error, raw: raw.length > RAW_KEEP ? raw.slice(0, RAW_KEEP) : raw };
  }
}

function parseXml(text: string, what: string) {
  try {
    return parseMultistatus(text);
  } catch (e) {
    throw new TransientError(`${what}: ${(e as Error).message}`, { provider: 'caldav' });
  }
}

const invalid = (remoteId: string, error: string): RemoteChange => ({ kind: 'invalid', remoteId, version: null, error, raw: null });

/**
 * One calendar-multiget into `out`, each item mapped as its <response> streams in (the raw text
 * is dropped once mapped). A response over the size cap splits the batch in halves, so memory is
 * bounded by configuration; a single resource over it is quarantined.
 */
async function multigetInto(o: ObjectContext, remoteIds: string[], out: Map<string, RemoteChange | null>): Promise<void> {
  const wanted = new Set(remoteIds);
  const max = o.dav.limits.maxItemBytes;
  try {
    await o.dav.multistatus({ method: 'REPORT', url: o.calendarUrl, depth: '1', body: multigetBody(remoteIds) }, (r, url) => {
      const id = normalizeHref(r.href, url);
      if (!wanted.has(id) || out.has(id)) return;
      if (r.status === 404 || r.status === 410) out.set(id, null);
      else if (r.oversize) out.set(id, invalid(id, `calendar object over the ${max}-byte limit`));
      else {
        const data = textOf(r.props['calendar-data']);
        if (data) out.set(id, toChange(o, id, etagOf(r.props['getetag']), data));
      }
    }, { maxBytes: o.dav.limits.maxResponseBytes });
  } catch (e) {
    if (!(e instanceof ResponseTooLargeError)) throw e;
    // Items read before the cap was hit are kept; only the rest is asked again.
    const rest = remoteIds.filter((id) => !out.has(id));
    if (rest.length === 1) {
      out.set(rest[0]!, invalid(rest[0]!, `calendar object over the ${Math.min(max, o.dav.limits.maxResponseBytes)}-byte limit (${e.message})`));
      return;
    }
    const half = Math.ceil(rest.length / 2);
    await multigetInto(o, rest.slice(0, half), out);
    await multigetInto(o, rest.slice(half), out);
  }
}

const etagOf = (v: unknown): string | null => textOf(v)?.trim() || null;

/**
 * Fetches `remoteIds` with one calendar-multiget. Returns one entry per id: the change, or null
 * when the server says the resource is gone (404 inside the multistatus, tsdav pitfall #3).
 */
export async function multiget(o: ObjectContext, remoteIds: string[]): Promise<Map<string, RemoteChange | null>> {
  const out = new Map<string, RemoteChange | null>();
  if (remoteIds.length === 0) return out;
  await multigetInto(o, remoteIds, out);
  // Servers may leave an href out or send it without data: asked again together once, then read
  // one by one. Xandikos does that for resources named without `.ics` while serving the others,
  // so all are read; a server that served no data at all gets only a few single GETs per page
  // (one omitting everything cost 200,000 of them).
  let missing = remoteIds.filter((id) => !out.has(id));
  if (missing.length > 0) await multigetInto(o, missing, out);
  missing = remoteIds.filter((id) => !out.has(id));
  const servedSome = missing.length < remoteIds.length;
  for (const [i, id] of missing.entries()) {
    if (!servedSome && i >= o.dav.limits.maxSingleGets) {
      out.set(id, invalid(id, 'the server left calendar-data out of calendar-multiget twice'));
      continue;
    }
    try {
      const got = await getRaw(o, id);
      out.set(id, toChange(o, id, got.etag, got.raw));
    } catch (e) {
      if (e instanceof RemoteNotFoundError) out.set(id, null);
      else throw e;
    }
  }
  return out;
}

/**
 * No `Accept: text/calendar`: Xandikos types resources by file extension and answers 406 for a
 * calendar object stored under a name without `.ics`.
 */
export async function getRaw(o: ObjectContext, remoteId: string): Promise<{ raw: string; etag: string | null }> {
  const res = await o.dav.request({ method: 'GET', url: new URL(remoteId, o.calendarUrl).toString() });
  return { raw: res.text, etag: res.headers.get('etag') };
}

export async function getObject(o: ObjectContext, remoteId: string): Promise<RemoteObject> {
  const id = normalizeHref(remoteId, o.calendarUrl);
  const { raw, etag } = await getRaw(o, id);
  const { events } = parseCalendarObject(raw, { remoteId: id, version: etag, selfAddresses: o.selfAddresses });
  return { remoteId: id, version: etag, events };
}

export async function findObjectByUid(o: ObjectContext, uid: string): Promise<RemoteObject | null> {
  let found: RemoteObject | null = null;
  await o.dav.multistatus({ method: 'REPORT', url: o.calendarUrl, depth: '1', body: uidQueryBody(uid) }, (r, url) => {
    const data = textOf(r.props['calendar-data']);
    if (found || r.oversize || !data || (r.status !== null && r.status >= 300)) return;
    const id = normalizeHref(r.href, url);
    const change = toChange(o, id, etagOf(r.props['getetag']), data);
    // text-match is a substring match (RFC 4791 §9.7.5): keep only the exact UID.
    if (change.kind === 'upsert' && change.events.some((e) => e.uid === uid)) found = { remoteId: id, version: change.version, events: change.events };
  }, { maxBytes: o.dav.limits.maxResponseBytes });
  return found;
}

/**
 * PUT with a precondition. Xandikos 0.2 answers a refused PUT with a 207 multistatus carrying the
 * real status and DAV condition (e.g. 412 + valid-calendar-data); that is unwrapped here.
 */
export async function putRaw(o: ObjectContext, url: string, body: string, pre: { ifMatch: string } | { ifNoneMatch: '*' }): Promise<string | null> {
  const headers: Record<string, string> = 'ifMatch' in pre ? { 'if-match': pre.ifMatch } : { 'if-none-match': '*' };
  const res = await o.dav.request({ method: 'PUT', url, body, contentType: 'text/calendar; charset=utf-8', headers });
  if (res.status === 207) {
    const inner = parseXml(res.text, 'PUT').responses[0];
    if (inner?.status && inner.status >= 300) throw mapCaldavStatus({ status: inner.status, method: 'PUT', url, body: res.text });
  }
  const etag = res.headers.get('etag');
  return etag && !etag.startsWith('W/') ? etag : null;
}

/**
 * PUT, then the object as the server stored it: RFC 4791 §5.3.4 lets a server store another form
 * than was sent (Radicale re-serialises it), so it is read back. When the PUT answered an ETag and
 * the read finds another, someone else wrote in between: their version is not the answer to this
 * write (taken as one, it would count as calhub's own and its change never be pulled), so the
 * answer is what was sent under the PUT's ETag, and the next pull finds their change.
 */
export async function putAndRead(o: ObjectContext, path: string, body: string, pre: { ifMatch: string } | { ifNoneMatch: '*' }): Promise<RemoteObject> {
  const written = await putRaw(o, new URL(path, o.calendarUrl).toString(), body, pre);
  const read = await getObject(o, path);
  if (!written || read.version === written) return read;
  const { events } = parseCalendarObject(body, { remoteId: read.remoteId, version: written, selfAddresses: o.selfAddresses });
  return { remoteId: read.remoteId, version: written, events };
}

export async function deleteRaw(o: ObjectContext, remoteId: string, pre: { ifMatch: string } | null): Promise<void> {
  const url = new URL(normalizeHref(remoteId, o.calendarUrl), o.calendarUrl).toString();
  await o.dav.request({ method: 'DELETE', url, headers: pre ? { 'if-match': pre.ifMatch } : {} });
}

/**
 * Before a quiet delete: a meeting is written once more with SCHEDULE-AGENT=CLIENT, since a DELETE
 * carries no content and a scheduling server sends the cancellation the stored object's
 * SCHEDULE-AGENT asks for (RFC 6638 §3.2.1.3, §7.1). That write is needed only where a
 * cancellation could be sent, so it is skipped when the server does not say it schedules
 * (Radicale; OPTIONS, once per connector and calendar), when the object has no attendees, and
 * when every ORGANIZER and ATTENDEE already says CLIENT or NONE (a meeting written quietly
 * before). Otherwise the stored text is merged into (ical/merge.ts), so another client's data
 * survives should the delete be refused after the write. Answers the precondition the delete
 * needs now (the version just written); an object that does not parse is deleted as it is; a
 * version other than `pre` is the PUT's 412, as the delete's would be.
 */
export async function quietBeforeDelete(o: ObjectContext, remoteId: string, pre: { ifMatch: string } | null, now: Date): Promise<{ ifMatch: string } | null> {
  if (!(await (o.autoSchedules ?? (() => mayAutoSchedule(o)))())) return pre;
  const id = normalizeHref(remoteId, o.calendarUrl);
  const stored = await getRaw(o, id);
  let events: RemoteObject['events'];
  try {
    events = parseCalendarObject(stored.raw, { remoteId: id, version: stored.etag, selfAddresses: o.selfAddresses }).events;
  } catch (e) {
    if (e instanceof InvalidRemoteDataError) return pre;
    throw e;
  }
  if (!events.some((e) => e.attendees.length > 0) || scheduledByNobody(stored.raw)) return pre;
  const ifMatch = pre?.ifMatch ?? stored.etag;
  if (ifMatch === null) return pre;
  const body = mergeIntoStored(stored.raw, events, now, { quiet: true, selfAddresses: o.selfAddresses }) ?? serializeCalendarObject(events, now, { quiet: true });
  await putRaw(o, new URL(id, o.calendarUrl).toString(), body, { ifMatch });
  const written = await getRaw(o, id);
  return written.etag ? { ifMatch: written.etag } : null;
}
