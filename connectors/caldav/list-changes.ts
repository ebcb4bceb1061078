/**
 * listChanges for one calendar collection: RFC 6578 sync-collection where the server has it, else
 * CalendarServer ctag + an href→etag diff. Changed hrefs are fetched with calendar-multiget in
 * pages; the cursor (JSON) carries the hrefs still to fetch, so every page is resumable.
 */
import type { ChangePage, RemoteChange } from '../connector.ts';
import { SyncCursorInvalidError, TransientError } from '../errors.ts';
import { collectionPath, normalizeHref } from './hrefs.ts';
import { davCondition, mapCaldavStatus } from './map-caldav-error.ts';
import { multiget, type ObjectContext } from './objects.ts';
import { parseMultistatus, propfindBody, syncCollectionBody, textOf, childNames } from './xml.ts';

type Base = { m: 'sync'; token: string } | { m: 'ctag'; ctag: string | null; etags: Record<string, string> };
interface Cursor {
  v: 1;
  base: Base;
  /** Names (relative to the collection) still to fetch, and whether they belong to a full listing. */
  pending?: { full: boolean; names: string[]; more?: boolean };
  /** The server truncated a sync-collection answer (507): ask again with the partial token. */
  more?: { full: boolean };
}

export interface ListOptions extends ObjectContext {
  pageSize: number;
}

function decode(cursor: string): Cursor {
  try {
    const c = JSON.parse(cursor) as Cursor;
    if (c.v === 1 && c.base && (c.base.m === 'sync' || c.base.m === 'ctag')) return c;
  } catch {
    // fall through
  }
  throw new SyncCursorInvalidError('unreadable CalDAV cursor; a full resync is required', { provider: 'caldav' });
}

function parse(text: string, what: string) {
  try {
    return parseMultistatus(text);
  } catch (e) {
    throw new TransientError(`${what}: ${(e as Error).message}`, { provider: 'caldav' });
  }
}

interface Delta {
  changed: string[];
  deleted: string[];
  base: Base;
  truncated: boolean;
}

/** null token = initial sync. Returns null when the server does not do sync-collection here. */
async function syncCollection(o: ListOptions, token: string | null): Promise<Delta | null> {
  const res = await o.dav.request({
    method: 'REPORT', url: o.calendarUrl, depth: '0', body: syncCollectionBody(token),
    accept: [400, 403, 404, 405, 409, 412, 500, 501, 502, 503],
  });
  if (res.status !== 207) {
    const cond = davCondition(res.text);
    if (token && (cond === 'valid-sync-token' || (await tokenIsTheProblem(o, token, res.status)))) {
      throw new SyncCursorInvalidError(`the server rejected the sync token (REPORT sync-collection → ${res.status})`, { provider: 'caldav', httpStatus: res.status });
    }
    if (!token && (cond === 'supported-report' || res.status === 400 || res.status === 403 || res.status === 405 || res.status === 501)) return null;
    throw mapCaldavStatus({ status: res.status, method: 'REPORT', url: res.url, body: res.text, retryAfter: res.headers.get('retry-after') });
  }
  const self = collectionPath(o.calendarUrl);
  const ms = parse(res.text, 'sync-collection');
  const d: Delta = { changed: [], deleted: [], base: { m: 'sync', token: ms.syncToken ?? token ?? '' }, truncated: false };
  for (const r of ms.responses) {
    const path = normalizeHref(r.href, res.url);
    if (path === self || `${path}/` === self) {
      if (r.status === 507) d.truncated = true;
      continue;
    }
    if (!path.startsWith(self)) continue;
    if (r.status === 404 || r.status === 410) d.deleted.push(path.slice(self.length));
    else d.changed.push(path.slice(self.length));
  }
  if (!ms.syncToken) throw new TransientError('sync-collection answer carried no sync-token', { provider: 'caldav' });
  return d;
}

/**
 * Xandikos ≤ 0.2.8 answers an unknown token with 500 instead of `valid-sync-token`. When a
 * sync-collection from the server's current token works, the old token was the problem.
 */
async function tokenIsTheProblem(o: ListOptions, token: string, status: number): Promise<boolean> {
  if (status < 500) return false;
  const current = await propfindCollection(o, ['D:sync-token']).catch(() => null);
  const now = current ? textOf(current['sync-token'])?.trim() : null;
  if (!now || now === token) return false;
  const probe = await o.dav.request({ method: 'REPORT', url: o.calendarUrl, depth: '0', body: syncCollectionBody(now), accept: [400, 403, 409, 412, 500, 501, 502, 503] });
  return probe.status === 207;
}

async function propfindCollection(o: ListOptions, props: string[]) {
  const res = await o.dav.request({ method: 'PROPFIND', url: o.calendarUrl, depth: '0', body: propfindBody(props) });
  return parse(res.text, 'PROPFIND').responses[0]?.props ?? {};
}

async function etagListing(o: ListOptions, previous: Base | null): Promise<Delta | 'unchanged'> {
  const ctag = textOf((await propfindCollection(o, ['CS:getctag']))['getctag'])?.trim() || null;
  if (previous?.m === 'ctag' && ctag !== null && previous.ctag === ctag) return 'unchanged';
  const res = await o.dav.request({ method: 'PROPFIND', url: o.calendarUrl, depth: '1', body: propfindBody(['D:getetag', 'D:resourcetype']) });
  const self = collectionPath(o.calendarUrl);
  const etags: Record<string, string> = {};
  for (const r of parse(res.text, 'PROPFIND').responses) {
    const path = normalizeHref(r.href, res.url);
    if (!path.startsWith(self) || path === self || childNames(r.props['resourcetype']).includes('collection')) continue;
    etags[path.slice(self.length)] = textOf(r.props['getetag'])?.trim() ?? '';
  }
  const old = previous?.m === 'ctag' ? previous.etags : {};
  return {
    changed: Object.keys(etags).filter((n) => old[n] !== etags[n] || etags[n] === ''),
    deleted: Object.keys(old).filter((n) => !(n in etags)),
    base: { m: 'ctag', ctag, etags },
    truncated: false,
  };
}

async function page(o: ListOptions, base: Base, full: boolean, names: string[], more: boolean, head: RemoteChange[] = []): Promise<ChangePage> {
  const self = collectionPath(o.calendarUrl);
  const batch = names.slice(0, o.pageSize);
  const rest = names.slice(o.pageSize);
  const fetched = await multiget(o, batch.map((n) => self + n));
  const changes = [...head];
  for (const [remoteId, change] of fetched) {
    // Gone between listing and fetch: a delete in an incremental run; a full listing simply omits it.
    if (change) changes.push(change);
    else if (!full) changes.push({ kind: 'delete', remoteId });
  }
  const next: Cursor = { v: 1, base };
  if (rest.length > 0) next.pending = { full, names: rest, ...(more ? { more } : {}) };
  else if (more) next.more = { full };
  return { changes, mode: full ? 'full' : 'incremental', nextCursor: JSON.stringify(next), hasMore: rest.length > 0 || more };
}

export async function listChanges(o: ListOptions, cursor: string | null): Promise<ChangePage> {
  const c = cursor === null ? null : decode(cursor);
  if (c?.pending && c.pending.names.length > 0) return page(o, c.base, c.pending.full, c.pending.names, c.pending.more ?? false);
  const full = c === null || (c.more?.full ?? false);
  const self = collectionPath(o.calendarUrl);

  let delta: Delta | 'unchanged' | null = null;
  if (c === null || c.base.m === 'sync') delta = await syncCollection(o, c === null ? null : (c.base as { token: string }).token);
  if (delta === null) delta = await etagListing(o, c?.base ?? null);
  if (delta === 'unchanged') return { changes: [], mode: 'incremental', nextCursor: cursor!, hasMore: false };
  const deletes: RemoteChange[] = full ? [] : delta.deleted.map((n) => ({ kind: 'delete', remoteId: self + n }));
  return page(o, delta.base, full, delta.changed, delta.truncated, deletes);
}
