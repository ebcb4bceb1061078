/** Event reads and writes: list (masters + singles), get, create, update, delete, instances, calendarView. */
import { GraphHttpError, type Prefs } from './http.ts';
import { occurrenceId, type EventData, type Mailbox, type StoredEvent } from './model.ts';
import type { EmulatorState } from './state.ts';
import type { Target } from './store.ts';
import { calendarView, itemOf, occurrencesOf, renderItem, type RenderOptions, type ViewItem } from './views.ts';
import { parseQueryInstant } from './zones.ts';

const NOT_FOUND = () => new GraphHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

export function renderOptions(q: URLSearchParams): RenderOptions {
  const select = q.get('$select');
  const expand = q.get('$expand');
  let extendedIds: string[] | null = null;
  if (expand) {
    const m = /^singleValueExtendedProperties\(\$filter=(.+)\)$/i.exec(expand);
    if (!m) throw new GraphHttpError(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${expand}'.`);
    extendedIds = [...m[1]!.matchAll(/id eq '([^']+)'/gi)].map((x) => x[1]!);
  }
  return { select: select ? new Set(select.split(',').map((s) => s.trim().toLowerCase())) : null, extendedIds };
}

/** The few $filter forms calhub uses; anything else is rejected like an unsupported query. */
function filterOf(q: URLSearchParams): (ev: StoredEvent) => boolean {
  const f = q.get('$filter');
  if (!f) return () => true;
  let m = /^type eq '(\w+)'$/i.exec(f);
  if (m) return (ev) => ev.type === m![1];
  m = /^iCalUId eq '([^']+)'$/i.exec(f);
  if (m) return (ev) => ev.iCalUId === m![1];
  m = /^singleValueExtendedProperties\/Any\(ep: ep\/id eq '([^']+)' and ep\/value eq '([^']*)'\)$/i.exec(f);
  if (m) return (ev) => (ev.extended.get(m![1]!) ?? '').toLowerCase() === m![2]!.replace(/''/g, "'").toLowerCase();
  throw new GraphHttpError(400, 'ErrorInvalidUrlQueryFilter', `The query filter '${f}' is not supported.`);
}

function page(items: ViewItem[], mb: Mailbox, q: URLSearchParams, prefs: Prefs, base: string, defaultSize: number) {
  const opts = renderOptions(q);
  const skip = Number(q.get('$skip') ?? 0);
  const size = Number(q.get('$top') ?? prefs.maxPageSize ?? defaultSize);
  const slice = items.slice(skip, skip + size);
  const out: Record<string, unknown> = { value: slice.map((i) => renderItem(mb, i, prefs, opts)) };
  if (skip + size < items.length) {
    const next = new URLSearchParams(q);
    next.set('$skip', String(skip + size));
    out['@odata.nextLink'] = `${base}?${next.toString()}`;
  }
  return out;
}

export function listEvents(s: EmulatorState, mb: Mailbox, calendarId: string | null, q: URLSearchParams, prefs: Prefs, base: string) {
  const keep = filterOf(q);
  const items = [...mb.events.values()]
    .filter((e) => e.type !== 'exception' && (calendarId === null || e.calendarId === calendarId) && keep(e))
    .sort((a, b) => a.createdMs - b.createdMs)
    .map((e) => itemOf(mb, e));
  return page(items, mb, q, prefs, base, 10);
}

function window(q: URLSearchParams): [number, number] {
  const s = q.get('startDateTime');
  const e = q.get('endDateTime');
  if (!s || !e) throw new GraphHttpError(400, 'ErrorInvalidParameter', "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
  try {
    return [parseQueryInstant(s), parseQueryInstant(e)];
  } catch {
    throw new GraphHttpError(400, 'ErrorInvalidParameter', 'Invalid StartDateTime or EndDateTime.');
  }
}

export function viewEvents(mb: Mailbox, calendarId: string, q: URLSearchParams, prefs: Prefs, base: string) {
  const [ws, we] = window(q);
  return page(calendarView(mb, calendarId, ws, we), mb, q, prefs, base, 10);
}

export function instances(s: EmulatorState, mb: Mailbox, id: string, q: URLSearchParams, prefs: Prefs, base: string) {
  const t = s.store.resolve(mb, id);
  if (!t || t.kind !== 'event' || t.ev.type !== 'seriesMaster') throw NOT_FOUND();
  const [ws, we] = window(q);
  const master = t.ev;
  const exceptions = [...mb.events.values()].filter((e) => e.masterKey === master.key).map((e) => itemOf(mb, e))
    .filter((i) => i.startMs < we && i.endMs > ws);
  const items = [...occurrencesOf(mb, master, ws, we), ...exceptions].sort((a, b) => a.startMs - b.startMs);
  return page(items, mb, q, prefs, base, 10);
}

export function resolveOr404(s: EmulatorState, mb: Mailbox, id: string): Target {
  const t = s.store.resolve(mb, id);
  if (!t) throw NOT_FOUND();
  return t;
}

export function itemOfTarget(mb: Mailbox, t: Target): ViewItem {
  if (t.kind === 'event') return itemOf(mb, t.ev);
  const key = occurrenceId(t.master.key, t.date);
  const day = Date.parse(`${t.date}T00:00:00Z`);
  const occ = occurrencesOf(mb, t.master, day - 2 * 86_400_000, day + 3 * 86_400_000).find((o) => o.key === key);
  if (!occ) throw NOT_FOUND();
  return occ;
}

/** If-Match carries the etag (`W/"changeKey"`); a mismatch is 412 (provider-facts B.7). */
/** `irresolvable`: answer Outlook's FIELD code instead of the documented `resourceModified` (§E B.7). */
export function checkIfMatch(header: string | undefined, t: Target, irresolvable = false): void {
  if (!header || header === '*') return;
  const current = t.kind === 'event' ? t.ev.changeKey : t.master.changeKey;
  const given = header.replace(/^W\//, '').replace(/^"|"$/g, '');
  if (given !== current) {
    if (irresolvable) throw new GraphHttpError(412, 'ErrorIrresolvableConflict', 'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.');
    throw new GraphHttpError(412, 'resourceModified', 'The change key passed in the request does not match the current change key for the item.');
  }
}

/** Splits a request body into event fields and singleValueExtendedProperties. */
export function eventInput(body: Record<string, unknown>): { data: Partial<EventData>; extended: Array<{ id: string; value: string }> } {
  const { singleValueExtendedProperties, id: _id, type: _type, ...rest } = body;
  // Read-only: the mailbox's own response changes only through accept / tentativelyAccept / decline.
  for (const ro of ['changeKey', 'iCalUId', 'seriesMasterId', 'createdDateTime', 'lastModifiedDateTime', 'originalStart', '@odata.etag', 'responseStatus', 'isOrganizer', 'onlineMeeting']) delete rest[ro];
  const extended = Array.isArray(singleValueExtendedProperties)
    ? (singleValueExtendedProperties as Array<{ id: string; value: string }>).map((p) => ({ id: String(p.id), value: String(p.value) }))
    : [];
  return { data: rest as Partial<EventData>, extended };
}
