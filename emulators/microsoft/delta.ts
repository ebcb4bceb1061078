/**
 * calendarView/delta (provider-facts B.2): the window is fixed into the tokens, pages end with
 * nextLink (even when empty) or deltaLink, `@removed` covers deletions, items that left the window
 * and items outside it that changed; replays and token loss are injectable.
 */
import { lostToken, mintToken } from './delta-tokens.ts';
import { GraphHttpError, type Prefs } from './http.ts';
import type { DeltaRound, DeltaState, Mailbox } from './model.ts';
import { calendarView, itemOf, renderItem, startMsOf, endMsOf, type ViewItem } from './views.ts';

export interface DeltaFaults {
  /** The next N page responses of any round are empty but carry a nextLink. */
  emptyPages: number;
  /** When >= 2, page 1, N+1, 2N+1 … of every round is empty but carries a nextLink. */
  emptyEvery: number;
  /** The next page repeats this many items of the page before it. */
  replays: number;
  /** Invalidated delta tokens: 410 + Location (`gone`) or 400 `syncStateNotFound` (`notFound`). */
  invalidated: Map<string, 'gone' | 'notFound'>;
}

const DEFAULT_PAGE = 10;
/** Outlook keeps about this many delta tokens per mailbox; older ones are evicted (B.2 "Token duration"). */
export const MAX_DELTA_TOKENS = 500;
/** Served pages kept per mailbox so a retried nextLink gets the same page again. */
export const MAX_CACHED_PAGES = 1000;

export function handleDelta(
  mb: Mailbox, calendarId: string, path: string, query: URLSearchParams, prefs: Prefs, faults: DeltaFaults, baseUrl: string, thin = false,
): Record<string, unknown> {
  const skip = query.get('$skiptoken');
  const delta = query.get('$deltatoken');
  if (skip) {
    const page = mb.pages.get(skip);
    if (!page) throw lostToken('$skiptoken', skip, baseUrl, path);
    // A nextLink is a position, not a one-shot ticket: a client retrying after a timeout gets the same page.
    page.body ??= nextPage(mb, page.round, prefs, faults, baseUrl);
    return page.body;
  }
  let round: DeltaRound;
  if (delta) {
    const mode = faults.invalidated.get(delta);
    const state = mb.deltaTokens.get(delta);
    if (mode === 'notFound') throw new GraphHttpError(400, 'syncStateNotFound', 'The sync state generation was not found.');
    if (mode === 'gone' || !state) throw lostToken('$deltatoken', delta, baseUrl, path);
    round = startRound(mb, state, path, prefs, thin);
  } else {
    const s = query.get('startDateTime');
    const e = query.get('endDateTime');
    if (!s || !e) throw new GraphHttpError(400, 'ErrorInvalidParameter', "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
    for (const k of query.keys()) {
      if (k.startsWith('$') && k !== '$deltatoken') throw new GraphHttpError(400, 'ErrorInvalidUrlQuery', `The query parameter '${k}' is not supported with change tracking over the 'CalendarView' resource.`);
    }
    const startMs = Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(s) ? s : `${s}Z`);
    const endMs = Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(e) ? e : `${e}Z`);
    if (Number.isNaN(startMs) || Number.isNaN(endMs)) throw new GraphHttpError(400, 'ErrorInvalidParameter', 'Invalid StartDateTime or EndDateTime.');
    round = startRound(mb, { calendarId, startMs, endMs, seq: 0, snapshot: new Map() }, path, prefs, thin);
  }
  return nextPage(mb, round, prefs, faults, baseUrl);
}

/**
 * Delta items carry `@odata.type` (the docs' samples, §E B.2). `thin` plays the FIELD report
 * (microsoft-graph-docs#7632, #22197): occurrences and exceptions with only id, type,
 * seriesMasterId, start and end.
 */
function deltaItem(mb: Mailbox, it: ViewItem, prefs: Prefs, thin: boolean): Record<string, unknown> {
  const full = renderItem(mb, it, prefs);
  if (!thin || (it.type !== 'occurrence' && it.type !== 'exception')) return { '@odata.type': '#microsoft.graph.event', ...full };
  const { id, type, seriesMasterId, start, end } = full;
  return { '@odata.type': '#microsoft.graph.event', id, type, seriesMasterId, start, end };
}

function startRound(mb: Mailbox, prev: DeltaState, path: string, prefs: Prefs, thin: boolean): DeltaRound {
  const view = calendarView(mb, prev.calendarId, prev.startMs, prev.endMs);
  const snapshot = new Map<string, { changeKey: string; emittedId: string }>();
  const items: Array<Record<string, unknown>> = [];
  for (const it of view) {
    const emittedId = prefs.immutableIds ? it.key : it.restId;
    snapshot.set(it.key, { changeKey: it.changeKey, emittedId });
    const before = prev.snapshot.get(it.key);
    if (!before || before.changeKey !== it.changeKey || before.emittedId !== emittedId) items.push(deltaItem(mb, it, prefs, thin));
  }
  const removed = (id: string) => ({ '@odata.type': '#microsoft.graph.event', id, '@removed': { reason: 'deleted' } });
  for (const [key, before] of prev.snapshot) if (!snapshot.has(key)) items.push(removed(before.emittedId));
  // Graph also reports items outside the window that changed since the last round as removed.
  if (prev.seq > 0) {
    for (const ev of mb.events.values()) {
      if (ev.calendarId !== prev.calendarId || ev.seq <= prev.seq || ev.type === 'exception') continue;
      const item = itemOf(mb, ev);
      if (snapshot.has(item.key) || prev.snapshot.has(item.key)) continue;
      const inside = ev.type === 'seriesMaster' || (startMsOf(ev) < prev.endMs && endMsOf(ev) > prev.startMs);
      if (!inside) items.push(removed(prefs.immutableIds ? item.key : item.restId));
    }
  }
  const state: DeltaState = { calendarId: prev.calendarId, startMs: prev.startMs, endMs: prev.endMs, seq: mb.seq, snapshot };
  return { state, path, items, pos: 0, lastPage: [] };
}

function nextPage(mb: Mailbox, round: DeltaRound, prefs: Prefs, faults: DeltaFaults, baseUrl: string): Record<string, unknown> {
  const size = prefs.maxPageSize ?? DEFAULT_PAGE;
  let value: Array<Record<string, unknown>> = [];
  round.pages = (round.pages ?? 0) + 1;
  const injectedEmpty = faults.emptyPages > 0 || (faults.emptyEvery > 0 && round.pages % faults.emptyEvery === 1);
  if (injectedEmpty) {
    faults.emptyPages = Math.max(0, faults.emptyPages - 1);
  } else {
    value = round.items.slice(round.pos, round.pos + size);
    round.pos += value.length;
    if (faults.replays > 0 && round.lastPage.length > 0) {
      value = [...round.lastPage.slice(-faults.replays), ...value];
      faults.replays = 0;
    }
  }
  round.lastPage = value;
  const url = `${baseUrl}${round.path}`;
  const context = `${baseUrl}/v1.0/$metadata#Collection(event)`;
  const t = mintToken(round.state);
  if (injectedEmpty || round.pos < round.items.length) {
    mb.pages.set(t, { round });
    if (mb.pages.size > MAX_CACHED_PAGES) mb.pages.delete(mb.pages.keys().next().value!);
    return { '@odata.context': context, '@odata.nextLink': `${url}?$skiptoken=${t}`, value };
  }
  mb.deltaTokens.set(t, round.state);
  if (mb.deltaTokens.size > MAX_DELTA_TOKENS) mb.deltaTokens.delete(mb.deltaTokens.keys().next().value!);
  return { '@odata.context': context, '@odata.deltaLink': `${url}?$deltatoken=${t}`, value };
}
