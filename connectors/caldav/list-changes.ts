/**
 * listChanges for one calendar collection: RFC 6578 sync-collection where the server has it, else
 * CalendarServer ctag + an href→etag diff. Changed hrefs are fetched with calendar-multiget in
 * pages.
 *
 * Linear cost (issue 12): the listing is held in memory by the connector for the run and the
 * cursor of a page names only where the listing resumes (the last name fetched, in sorted order),
 * never the names still to fetch: rewriting that list after every page made a 200,000-href
 * calendar quadratic in time and in stored cursor bytes. A run that dies mid-listing resumes by
 * listing again from the same starting token and skipping what sorts before the resume point; a
 * ctag listing (its etag map is the base) restarts as a full resync instead.
 */
import { randomBytes } from 'node:crypto';
import type { ChangePage, ConnectorLogger, RemoteChange } from '../connector.ts';
import { SyncCursorInvalidError, TransientError } from '../errors.ts';
import type { DavRequest, ResponseHandler } from './dav-client.ts';
import { collectionPath, normalizeHref } from './hrefs.ts';
import { ListingTooLargeError } from './limits.ts';
import { davCondition, mapCaldavStatus } from './map-caldav-error.ts';
import { multiget, type ObjectContext } from './objects.ts';
import { propfindBody, syncCollectionBody, textOf, childNames, type XmlNode } from './xml.ts';

type Base = { m: 'sync'; token: string } | { m: 'ctag'; ctag: string | null; etags: Record<string, string> };
interface Resume {
  /** Identifies the in-memory listing of this run. */
  key: string;
  /** sync: the token the listing was made from (null: initial); ctag: cannot be listed again. */
  from: { token: string | null } | 'ctag';
  /** The last name fetched; the listing continues after it in sorted order. */
  after: string;
  full: boolean;
  more?: boolean;
}
interface Cursor {
  v: 1 | 2;
  /** Where the next incremental sync starts. Absent while a ctag listing is in progress (it is the etag map, held in memory). */
  base?: Base;
  resume?: Resume;
  /** v1 only: names still to fetch (read once after an upgrade, never written again). */
  pending?: { full: boolean; names: string[]; more?: boolean };
  /** The server truncated a sync-collection answer (507): ask again with the partial token. */
  more?: { full: boolean };
}

/** One listing being paged through: names sorted, fetched up to `next`. */
export interface Listing {
  key: string;
  names: string[];
  base: Base;
  full: boolean;
  more: boolean;
  from: Resume['from'];
}

export interface ListOptions extends ObjectContext {
  pageSize: number;
  /** The connector's listings in progress, by calendar URL (one run uses one connector). */
  listings: Map<string, Listing>;
  /** Objects calhub wrote or deleted since the pull that last covered them (the engine's record). */
  written?: string[];
  log?: ConnectorLogger;
}

function decode(cursor: string): Cursor {
  try {
    const c = JSON.parse(cursor) as Cursor;
    const baseOk = (b: Base | undefined) => b !== undefined && (b.m === 'sync' || b.m === 'ctag');
    if (c.v === 1 && baseOk(c.base)) return c;
    if (c.v === 2 && (baseOk(c.base) || (c.resume?.from === 'ctag' && !c.base))) return c;
  } catch {
    // fall through
  }
  throw new SyncCursorInvalidError('unreadable CalDAV cursor; a full resync is required', { provider: 'caldav' });
}

/**
 * A listing read as it streams in: each name is handed to `onName` as its <response> completes,
 * so the answer is never held whole; only the names are kept, up to maxListingHrefs, and the
 * body may take up to maxListingBytes.
 */
async function streamListing(o: ListOptions, req: DavRequest, onResponse: ResponseHandler) {
  const { maxListingHrefs, maxListingBytes } = o.dav.limits;
  let count = 0;
  return o.dav.multistatus(req, (r, url) => {
    if (++count > maxListingHrefs) {
      throw new ListingTooLargeError(`${req.method} ${new URL(req.url).pathname}: the listing names over ${maxListingHrefs} items (limit maxListingHrefs)`);
    }
    return onResponse(r, url);
  }, { maxBytes: maxListingBytes, tooLarge: (m) => new ListingTooLargeError(`${m} (limit maxListingBytes)`) });
}

interface Delta {
  changed: string[];
  deleted: string[];
  base: Base;
  truncated: boolean;
}

/** null token = initial sync. Returns null when the server does not do sync-collection here. */
async function syncCollection(o: ListOptions, token: string | null): Promise<Delta | null> {
  const self = collectionPath(o.calendarUrl);
  // Names are collected as they stream in; the base is set from the answer's sync-token at its end.
  const d: Delta = { changed: [], deleted: [], base: { m: 'sync', token: '' }, truncated: false };
  const req: DavRequest = {
    method: 'REPORT', url: o.calendarUrl, depth: '0', body: syncCollectionBody(token),
    accept: [400, 403, 404, 405, 409, 412, 500, 501, 502, 503],
  };
  const res = await streamListing(o, req, (r, url) => {
    const path = normalizeHref(r.href, url);
    if (path === self || `${path}/` === self) {
      if (r.status === 507) d.truncated = true;
      return;
    }
    if (!path.startsWith(self)) return;
    if (r.status === 404 || r.status === 410) d.deleted.push(path.slice(self.length));
    else d.changed.push(path.slice(self.length));
  });
  if (!res.streamed) {
    const cond = davCondition(res.text);
    if (token && (cond === 'valid-sync-token' || (await tokenIsTheProblem(o, token, res.status)))) {
      throw new SyncCursorInvalidError(`the server rejected the sync token (REPORT sync-collection → ${res.status})`, { provider: 'caldav', httpStatus: res.status });
    }
    if (!token && (cond === 'supported-report' || res.status === 400 || res.status === 403 || res.status === 405 || res.status === 501)) return null;
    throw mapCaldavStatus({ status: res.status, method: 'REPORT', url: res.url, body: res.text, retryAfter: res.headers.get('retry-after') });
  }
  if (!res.syncToken) throw new TransientError('sync-collection answer carried no sync-token', { provider: 'caldav' });
  d.base = { m: 'sync', token: res.syncToken };
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

async function propfindCollection(o: ListOptions, props: string[]): Promise<XmlNode> {
  let first: XmlNode | null = null;
  await o.dav.multistatus({ method: 'PROPFIND', url: o.calendarUrl, depth: '0', body: propfindBody(props) }, (r) => {
    first ??= r.props;
  }, { maxBytes: o.dav.limits.maxResponseBytes });
  return first ?? {};
}

async function etagListing(o: ListOptions, previous: Base | null): Promise<Delta | 'unchanged'> {
  const ctag = textOf((await propfindCollection(o, ['CS:getctag']))['getctag'])?.trim() || null;
  if (previous?.m === 'ctag' && ctag !== null && previous.ctag === ctag) return 'unchanged';
  const self = collectionPath(o.calendarUrl);
  const etags: Record<string, string> = {};
  await streamListing(o, { method: 'PROPFIND', url: o.calendarUrl, depth: '1', body: propfindBody(['D:getetag', 'D:resourcetype']) }, (r, url) => {
    const path = normalizeHref(r.href, url);
    if (!path.startsWith(self) || path === self || childNames(r.props['resourcetype']).includes('collection')) return;
    etags[path.slice(self.length)] = textOf(r.props['getetag'])?.trim() ?? '';
  });
  const old = previous?.m === 'ctag' ? previous.etags : {};
  return {
    changed: Object.keys(etags).filter((n) => old[n] !== etags[n] || etags[n] === ''),
    deleted: Object.keys(old).filter((n) => !(n in etags)),
    base: { m: 'ctag', ctag, etags },
    truncated: false,
  };
}

const newKey = () => randomBytes(6).toString('hex');

/**
 * What an incremental listing left unsaid of calhub's own writes, read from the server as it is now.
 * A sync token (or ctag) that hashes the collection's content comes back to its old value when an
 * object calhub wrote after it is deleted again before the next poll (Xandikos 0.2: the git tree
 * id): sync-collection from that token then reports nothing, and the object stayed in the hub for
 * ever. A name the listing reported is answered by the listing; one it did not is fetched with one
 * calendar-multiget per page (a 404 is the delete). Normally every written name is reported (the
 * write changed the collection after the token), so this costs nothing; it asks only in the case
 * above, or for a write that landed just before the listing started (then it only re-reads an echo).
 */
async function unreported(o: ListOptions, delta: Delta | 'unchanged'): Promise<RemoteChange[]> {
  const self = collectionPath(o.calendarUrl);
  const said = delta === 'unchanged' ? new Set<string>() : new Set([...delta.changed, ...delta.deleted].map((n) => self + n));
  const ask = [...new Set(o.written ?? [])].filter((id) => id.startsWith(self) && id !== self && !said.has(id)).sort();
  const out: RemoteChange[] = [];
  for (let i = 0; i < ask.length; i += o.pageSize) {
    for (const [remoteId, change] of await multiget(o, ask.slice(i, i + o.pageSize))) out.push(change ?? { kind: 'delete', remoteId });
  }
  if (ask.length) o.log?.info({ calendarUrl: o.calendarUrl, asked: ask.length, gone: out.filter((c) => c.kind === 'delete').length }, 'CalDAV listing did not report objects calhub wrote; read them from the server');
  return out;
}

/** First index in sorted `names` strictly after `after`. */
function indexAfter(names: string[], after: string): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (names[mid]! <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

async function page(o: ListOptions, l: Listing, start: number, head: RemoteChange[] = []): Promise<ChangePage> {
  const self = collectionPath(o.calendarUrl);
  const end = Math.min(l.names.length, start + o.pageSize);
  const fetched = await multiget(o, l.names.slice(start, end).map((n) => self + n));
  const changes = [...head];
  for (const [remoteId, change] of fetched) {
    // Gone between listing and fetch: a delete in an incremental run; a full listing simply omits it.
    if (change) changes.push(change);
    else if (!l.full) changes.push({ kind: 'delete', remoteId });
  }
  const rest = end < l.names.length;
  let next: Cursor;
  if (rest) {
    o.listings.set(o.calendarUrl, l);
    const resume: Resume = { key: l.key, from: l.from, after: l.names[end - 1]!, full: l.full, ...(l.more ? { more: true } : {}) };
    next = l.base.m === 'sync' ? { v: 2, base: l.base, resume } : { v: 2, resume };
  } else {
    o.listings.delete(o.calendarUrl);
    next = { v: 2, base: l.base, ...(l.more ? { more: { full: l.full } } : {}) };
  }
  return { changes, mode: l.full ? 'full' : 'incremental', nextCursor: JSON.stringify(next), hasMore: rest || l.more };
}

/** Continues a listing: from memory within a run, else (a new run after a crash) by listing again. */
async function resume(o: ListOptions, c: Cursor, r: Resume): Promise<ChangePage> {
  let l = o.listings.get(o.calendarUrl);
  if (!l || l.key !== r.key) {
    if (r.from === 'ctag' || c.base?.m !== 'sync') {
      throw new SyncCursorInvalidError('an interrupted CalDAV etag listing cannot be resumed; a full resync is required', { provider: 'caldav' });
    }
    const delta = await syncCollection(o, r.from.token);
    if (delta === null) throw new SyncCursorInvalidError('the server no longer does sync-collection here', { provider: 'caldav' });
    // The committed base stays the one of the interrupted listing: what changed since is picked up
    // by the next incremental sync from it, so skipping names before the resume point loses nothing.
    l = { key: r.key, names: delta.changed.sort(), base: c.base, full: r.full, more: r.more ?? false, from: r.from };
    if (!r.full) return page(o, l, indexAfter(l.names, r.after), await unreported(o, delta));
  }
  return page(o, l, indexAfter(l.names, r.after));
}

export async function listChanges(o: ListOptions, cursor: string | null): Promise<ChangePage> {
  const c = cursor === null ? null : decode(cursor);
  if (c?.resume) return resume(o, c, c.resume);
  if (c?.pending && c.pending.names.length > 0) {
    const l: Listing = { key: newKey(), names: [...c.pending.names].sort(), base: c.base!, full: c.pending.full, more: c.pending.more ?? false, from: 'ctag' };
    return page(o, l, 0);
  }
  const full = c === null || (c.more?.full ?? false);
  const self = collectionPath(o.calendarUrl);
  const base = c?.base ?? null;

  let delta: Delta | 'unchanged' | null = null;
  const fromToken = c === null ? null : base?.m === 'sync' ? base.token : undefined;
  if (fromToken !== undefined) delta = await syncCollection(o, fromToken);
  if (delta === null) delta = await etagListing(o, base);
  const missed = full ? [] : await unreported(o, delta);
  if (delta === 'unchanged') return { changes: missed, mode: 'incremental', nextCursor: cursor!, hasMore: false };
  const deletes: RemoteChange[] = full ? [] : [...delta.deleted.map((n): RemoteChange => ({ kind: 'delete', remoteId: self + n })), ...missed];
  const from: Resume['from'] = delta.base.m === 'sync' && fromToken !== undefined ? { token: fromToken } : 'ctag';
  const l: Listing = { key: newKey(), names: delta.changed.sort(), base: delta.base, full, more: delta.truncated, from };
  return page(o, l, 0, deletes);
}
