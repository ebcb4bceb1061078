/**
 * Delta sync over /me/calendars/{id}/calendarView/delta (provider-facts B.2). calendarView delta
 * yields occurrences, exceptions and single instances, never series masters, so each page is
 * folded into canonical remote objects:
 * - singleInstance → upsert of that id;
 * - occurrence / exception → the series master is read once per page ($select incl.
 *   cancelledOccurrences → EXDATEs, and the calhub extended properties) and upserted under its id;
 *   plain occurrences are not stored, they follow from the RRULE;
 * - exception → upsert of its id as an override (originalStart) of the master's UID;
 * - occurrence, in an incremental round → also a delete of its id. An exception and the
 *   occurrence it replaces share one id, so a plain occurrence under an id the engine holds an
 *   override of means Outlook dropped that exception: it discards a series' exceptions when the
 *   series' pattern or time changes (MS-OXOCAL 3.1.4.7.3.5; provider-facts §E), and delta then
 *   lists the occurrence, not a removal. Which overrides the engine holds the connector cannot
 *   tell (calhub's own exception writes are not in the delta round they were made before), so
 *   every occurrence says so; a delete of an id the engine does not hold is a no-op (an echo).
 *   A full round needs none of it: what it does not list is gone when it ends;
 * - a thin item (only id, type, seriesMasterId, start, end: §E B.2, FIELD) is read in full first.
 * Everything a page needs read (masters, thin items) goes out in `$batch` requests of 20.
 * - `@removed` → delete of that id (unknown ids are harmless to the engine). Because a deleted
 *   series only shows up as removed occurrences, a round that removed anything ends by listing the
 *   calendar's masters and deleting the ones the cursor knew that are gone.
 * The window (now − 1 year … now + 2 years) is fixed into the delta tokens, so it lives in the
 * cursor; the next full listing slides it.
 */
import type { ChangePage, ConnectorContext, RemoteCalendarRef, RemoteChange } from '../connector.ts';
import { InvalidRemoteDataError, SyncCursorInvalidError } from '../errors.ts';
import { eventPath, isThin, PREFER_READ, readEvents } from './batch-read.ts';
import type { GraphApi } from './graph-client.ts';
import { fromGraph, type GraphEvent } from './map-microsoft-event.ts';

export { EVENT_FIELDS, PREFER_READ } from './batch-read.ts';
const DAY = 86_400_000;

/**
 * `masters`: series known to the engine; `round`: masters already upserted in this round. (Cursors
 * written before carry `exceptions`, the exception ids delta had listed; it missed the ones calhub
 * wrote itself and is no longer read.)
 */
interface Cursor { v: 1; link: string; full: boolean; removed: boolean; masters: string[]; round?: string[] }

const encode = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString()) as Cursor;
    if (c.v === 1 && typeof c.link === 'string') return c;
  } catch { /* fall through */ }
  throw new SyncCursorInvalidError('unreadable Microsoft delta cursor', { provider: 'microsoft' });
}

export function initialDeltaPath(calendarId: string, now: Date): string {
  const day = Math.floor(now.getTime() / DAY) * DAY;
  const s = new Date(day - 365 * DAY).toISOString().slice(0, 19);
  const e = new Date(day + 2 * 365 * DAY).toISOString().slice(0, 19);
  return `/me/calendars/${encodeURIComponent(calendarId)}/calendarView/delta?startDateTime=${s}Z&endDateTime=${e}Z`;
}

export async function getMaster(api: GraphApi, id: string): Promise<GraphEvent> {
  return api.get<GraphEvent>(eventPath(id), { Prefer: PREFER_READ });
}

function mapped(remoteId: string, ev: GraphEvent, ownerEmail: string, master: GraphEvent | null): RemoteChange {
  try {
    return { kind: 'upsert', remoteId, version: ev['@odata.etag'] ?? null, events: [fromGraph(ev, { ownerEmail, master })] };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    return { kind: 'invalid', remoteId, version: ev['@odata.etag'] ?? null, error: new InvalidRemoteDataError(error).message, raw: JSON.stringify(ev).slice(0, 10_000) };
  }
}

export async function listChanges(
  api: GraphApi, ctx: ConnectorContext, cal: RemoteCalendarRef, cursor: string | null, ownerEmail: string, pageSize: number,
): Promise<ChangePage> {
  const c: Cursor = cursor === null
    ? { v: 1, link: initialDeltaPath(cal.providerCalendarId, ctx.now()), full: true, removed: false, masters: [] }
    : decode(cursor);
  const page = await api.get<{ value: GraphEvent[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string }>(c.link, {
    Prefer: `${PREFER_READ}, odata.maxpagesize=${pageSize}`,
  });
  const changes = new Map<string, RemoteChange>();
  const put = (ch: RemoteChange) => {
    changes.delete(ch.remoteId);
    changes.set(ch.remoteId, ch);
  };
  const masters = new Set(c.masters);
  const round = new Set(c.round ?? []);
  const masterIds = new Set<string>();
  /** Items to map once read in full: exceptions (with their master) and singles. */
  const exceptions: GraphEvent[] = [];
  const singles: GraphEvent[] = [];
  const reads = new Set<string>();
  let removed = c.removed;
  for (const item of page.value) {
    if (item['@removed']) {
      removed = true;
      put({ kind: 'delete', remoteId: item.id });
    } else if (item.type === 'occurrence' || item.type === 'exception') {
      if (item.seriesMasterId) masterIds.add(item.seriesMasterId);
      if (item.type === 'exception') {
        exceptions.push(item);
        if (isThin(item)) reads.add(item.id);
      } else if (!c.full) {
        put({ kind: 'delete', remoteId: item.id });
      }
    } else if (item.type === 'seriesMaster') masterIds.add(item.id);
    else {
      singles.push(item);
      // Singles written by calhub carry a transactionId: read them for the extended properties.
      if (item.transactionId || isThin(item)) reads.add(item.id);
    }
  }
  const read = await readEvents(api, [...masterIds, ...reads]);
  const fetched = new Map<string, GraphEvent>();
  for (const id of masterIds) {
    const m = read.get(id);
    if (!m) {
      masters.delete(id);
      put({ kind: 'delete', remoteId: id });
      continue;
    }
    fetched.set(id, m);
    masters.add(id);
    if (!round.has(id)) put(mapped(id, m, ownerEmail, null));
    round.add(id);
  }
  for (const item of singles) {
    const full = reads.has(item.id) ? read.get(item.id) : item;
    // Gone between the delta page and the read: the next round reports it removed.
    if (full) put(mapped(item.id, full, ownerEmail, null));
  }
  for (const ex of exceptions) {
    const master = fetched.get(ex.seriesMasterId!);
    const full = reads.has(ex.id) ? read.get(ex.id) : ex;
    if (master && full) put(mapped(ex.id, full, ownerEmail, master));
  }
  const next = page['@odata.nextLink'];
  if (!next && removed && masters.size > 0) {
    const alive = await listMasterIds(api, cal.providerCalendarId);
    for (const id of masters) {
      if (alive.has(id)) continue;
      masters.delete(id);
      put({ kind: 'delete', remoteId: id });
    }
  }
  const link = next ?? page['@odata.deltaLink'];
  if (!link) throw new SyncCursorInvalidError('Graph delta page had neither nextLink nor deltaLink', { provider: 'microsoft' });
  return {
    changes: [...changes.values()],
    mode: c.full ? 'full' : 'incremental',
    nextCursor: encode({ v: 1, link, full: c.full && !!next, removed: next ? removed : false, masters: [...masters], round: next ? [...round] : [] }),
    hasMore: !!next,
  };
}

async function listMasterIds(api: GraphApi, calendarId: string): Promise<Set<string>> {
  const out = new Set<string>();
  let link: string | undefined = `/me/calendars/${encodeURIComponent(calendarId)}/events?$filter=${encodeURIComponent("type eq 'seriesMaster'")}&$select=id&$top=100`;
  while (link) {
    const r: { value: Array<{ id: string }>; '@odata.nextLink'?: string } = await api.get(link, { Prefer: PREFER_READ });
    for (const v of r.value) out.add(v.id);
    link = r['@odata.nextLink'];
  }
  return out;
}
