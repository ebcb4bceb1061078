/**
 * events.list (A.1, A.2): filters, keyset paging, sync tokens, empty pages, minimal cancelled
 * items. Page tokens carry the query's fingerprint, the last key returned and the snapshot
 * sequence that becomes nextSyncToken on the last page.
 */
import { createHash } from 'node:crypto';
import { badRequest, fullSyncRequired, GoogleHttpError } from './errors.ts';
import { DEFAULT_HORIZON_MS, exceptionIndex, instancesOf, occurrencesOf, type Window } from './expand.ts';
import { timeMs } from './event-time.ts';
import type { EmulatorState } from './state.ts';
import type { CalendarState, GEvent, StoredEvent } from './types.ts';
import { isRfc3339WithOffset } from './zone.ts';

export type Query = Record<string, string | string[] | undefined>;

const INCOMPATIBLE_WITH_SYNC = ['iCalUID', 'orderBy', 'privateExtendedProperty', 'q', 'sharedExtendedProperty', 'timeMin', 'timeMax', 'updatedMin'];
/** How far back updatedMin may reach before Google answers 410 updatedMinTooLongAgo (value UNCONFIRMED). */
export const UPDATED_MIN_MAX_AGE_MS = 28 * 86_400_000;

const one = (q: Query, k: string): string | undefined => (Array.isArray(q[k]) ? (q[k] as string[])[0] : (q[k] as string | undefined));
const many = (q: Query, k: string): string[] => (q[k] === undefined ? [] : Array.isArray(q[k]) ? (q[k] as string[]) : [q[k] as string]);
const bool = (q: Query, k: string): boolean | undefined => (one(q, k) === undefined ? undefined : one(q, k) === 'true');

const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
function decode<T>(s: string, what: string): T {
  try {
    return JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as T;
  } catch {
    throw badRequest(`Invalid ${what} value.`, what);
  }
}

interface SyncToken { c: string; s: number; e: number }
interface PageToken { f: string; k: string; s: number }

export const makeSyncToken = (cal: CalendarState, seq: number): string => `CP${encode({ c: cal.id, s: seq, e: cal.syncEpoch })}`;

function readSyncToken(cal: CalendarState, token: string): SyncToken {
  const t = decode<SyncToken>(token.slice(2), 'syncToken');
  if (t.c !== cal.id || t.e !== cal.syncEpoch) throw fullSyncRequired();
  return t;
}

function parseTime(q: Query, k: string): number | undefined {
  const v = one(q, k);
  if (v === undefined) return undefined;
  // RFC 3339 with a mandatory offset (A.1).
  if (!isRfc3339WithOffset(v)) throw badRequest(`Bad Request`, k);
  return Date.parse(v);
}

/** Cancelled items carry only their guaranteed fields in listings (A.2). */
function minimal(e: StoredEvent): GEvent {
  const base: GEvent = { kind: 'calendar#event', etag: e.res.etag!, id: e.res.id, status: 'cancelled' };
  if (!e.deleted && e.res.recurringEventId) {
    base.recurringEventId = e.res.recurringEventId;
    base.originalStartTime = e.res.originalStartTime!;
  }
  return base;
}

function validate(q: Query): void {
  const sync = one(q, 'syncToken') !== undefined;
  if (sync) {
    const bad = INCOMPATIBLE_WITH_SYNC.find((k) => q[k] !== undefined);
    if (bad) throw badRequest(`The ${bad} parameter is not compatible with the syncToken parameter.`, bad);
    // "it is not allowed to set showDeleted to False" together with syncToken (A.1).
    if (one(q, 'showDeleted') === 'false') throw badRequest('showDeleted=false is not compatible with the syncToken parameter.', 'showDeleted');
  }
  const orderBy = one(q, 'orderBy');
  if (orderBy !== undefined && orderBy !== 'startTime' && orderBy !== 'updated') throw badRequest('Invalid value for orderBy.', 'orderBy');
  if (orderBy === 'startTime' && one(q, 'singleEvents') !== 'true') {
    throw badRequest('The requested ordering is not available for the particular query.', 'orderBy');
  }
  const max = one(q, 'maxResults');
  if (max !== undefined && !(/^\d+$/.test(max) && Number(max) >= 1)) throw badRequest(`Invalid value '${max}'. Values must be within the range: [1, 2500]`, 'maxResults');
}

interface Row { key: string; res: GEvent }

function matches(e: StoredEvent, q: Query): boolean {
  const uid = one(q, 'iCalUID');
  if (uid !== undefined && e.res.iCalUID !== uid) return false;
  const text = one(q, 'q')?.toLowerCase();
  if (text && ![e.res.summary, e.res.description, e.res.location].some((f) => f?.toLowerCase().includes(text))) return false;
  for (const [param, bag] of [['privateExtendedProperty', 'private'], ['sharedExtendedProperty', 'shared']] as const) {
    // Discovery: repeated constraints must ALL match (the newer guide says OR; A.1 marks it unconfirmed).
    for (const c of many(q, param)) {
      const [k, v] = c.split('=', 2) as [string, string | undefined];
      if (e.res.extendedProperties?.[bag]?.[k] !== v) return false;
    }
  }
  return true;
}

function overlaps(cal: CalendarState, e: StoredEvent, w: Window, index: Map<string, StoredEvent[]>): boolean {
  if (e.res.status === 'cancelled' && e.res.recurringEventId) {
    const t = timeMs(e.res.originalStartTime ?? {}, cal);
    return t < w.end && t >= w.start;
  }
  return occurrencesOf(cal, e, w, index).length > 0;
}

function collect(state: EmulatorState, cal: CalendarState, q: Query, since: number | null): Row[] {
  const showDeleted = bool(q, 'showDeleted') ?? false;
  const single = bool(q, 'singleEvents') ?? false;
  const tMin = parseTime(q, 'timeMin');
  const tMax = parseTime(q, 'timeMax');
  if (tMin !== undefined && tMax !== undefined && tMin >= tMax) {
    throw new GoogleHttpError(400, { domain: 'calendar', reason: 'timeRangeEmpty', message: 'The specified time range is empty.', locationType: 'parameter', location: 'timeMax' });
  }
  const updatedMin = parseTime(q, 'updatedMin');
  if (updatedMin !== undefined && state.now() - updatedMin > UPDATED_MIN_MAX_AGE_MS) {
    throw new GoogleHttpError(410, { domain: 'calendar', reason: 'updatedMinTooLongAgo', message: 'The requested minimum modification time lies too far in the past.', locationType: 'parameter', location: 'updatedMin' });
  }
  // Incremental requests (syncToken or updatedMin) always include deletions (A.2).
  const incremental = since !== null || updatedMin !== undefined;
  const w: Window = { start: tMin ?? 0, end: tMax ?? state.now() + DEFAULT_HORIZON_MS };
  const index = exceptionIndex(cal);
  const items = [...cal.events.values()].filter((e) => {
    if (since !== null && e.seq <= since) return false;
    if (updatedMin !== undefined && Date.parse(e.res.updated ?? '') < updatedMin) return false;
    if (e.deleted && !incremental && !showDeleted) return false;
    if (!matches(e, q)) return false;
    return (tMin === undefined && tMax === undefined) || e.deleted || overlaps(cal, e, w, index);
  });
  const orderBy = one(q, 'orderBy');
  const keyOf = (e: StoredEvent, res: GEvent) =>
    orderBy === 'updated' ? `${res.updated}|${res.id}` : orderBy === 'startTime' ? `${String(timeMs(res.start ?? {}, cal)).padStart(16, '0')}|${res.id}` : `${String(e.ord).padStart(12, '0')}|${res.id}`;
  const rows: Row[] = [];
  const expandedMasters = new Set(single ? items.filter((e) => e.res.recurrence?.length && !e.deleted).map((e) => e.res.id) : []);
  for (const e of items) {
    // An exception of a master that is expanded here already came with that master's instances.
    if (e.res.recurringEventId && expandedMasters.has(e.res.recurringEventId) && e.res.status !== 'cancelled') continue;
    const cancelled = e.deleted || e.res.status === 'cancelled';
    if (single && e.res.recurrence?.length && e.deleted) {
      // §E A.2: a deleted series lists as its cancelled instances, not as the cancelled recurring event.
      for (const inst of cancelledInstances(cal, e, w)) rows.push({ key: keyOf(e, inst), res: inst });
    } else if (single && e.res.recurrence?.length && !e.deleted) {
      // singleEvents: the master is replaced by its instances (A.1).
      for (const inst of instancesOf(cal, e, w)) rows.push({ key: keyOf(e, inst), res: inst });
    } else if (single && cancelled && e.res.recurringEventId && !showDeleted && !incremental) {
      continue;
    } else {
      rows.push({ key: keyOf(e, e.res), res: cancelled ? minimal(e) : e.res });
    }
  }
  return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The instances of a deleted master as cancelled items; ids of its (deleted) exceptions are left to those. */
function cancelledInstances(cal: CalendarState, master: StoredEvent, w: Window): GEvent[] {
  const own = new Set([...cal.events.values()].filter((x) => x.res.recurringEventId === master.res.id).map((x) => x.res.id));
  const live: StoredEvent = { ...master, deleted: false, res: { ...master.res, status: 'confirmed' } };
  return instancesOf(cal, live, w)
    .filter((i) => !own.has(i.id!))
    .map((i) => ({ kind: 'calendar#event', etag: master.res.etag!, id: i.id!, status: 'cancelled', recurringEventId: master.res.id!, originalStartTime: i.originalStartTime! }));
}

export interface EventsPage { items: GEvent[]; nextPageToken?: string; nextSyncToken?: string }

export function listEvents(state: EmulatorState, cal: CalendarState, q: Query): EventsPage {
  validate(q);
  const syncToken = one(q, 'syncToken');
  const since = syncToken === undefined ? null : readSyncToken(cal, syncToken).s;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(Object.entries(q).filter(([k]) => k !== 'pageToken' && k !== 'maxResults').sort()))
    .digest('base64url')
    .slice(0, 16);
  const pageToken = one(q, 'pageToken');
  let after = '';
  let snapshot = state.seq;
  if (pageToken !== undefined) {
    const t = decode<PageToken>(pageToken, 'pageToken');
    if (t.f !== fingerprint) throw badRequest('Invalid page token value.', 'pageToken');
    after = t.k;
    snapshot = t.s;
  }
  const rows = collect(state, cal, q, since).filter((r) => r.key > after);
  const size = Math.min(Number(one(q, 'maxResults') ?? 250), 2500, state.maxPageSize);
  const page = rows.slice(0, size);
  const more = rows.length > size;
  if (more && state.emptyPageEvery > 0 && state.emptyPageCounter++ % state.emptyPageEvery === 0) {
    // "…may be less than this value, or none at all, even if there are more events" (A.1).
    return { items: [], nextPageToken: encode({ f: fingerprint, k: after, s: snapshot, n: state.emptyPageCounter }) };
  }
  if (more) return { items: page.map((r) => r.res), nextPageToken: encode({ f: fingerprint, k: page.at(-1)!.key, s: snapshot }) };
  return { items: page.map((r) => r.res), nextSyncToken: makeSyncToken(cal, snapshot) };
}
