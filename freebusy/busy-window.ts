/**
 * Answers for a window from cached calendars (busy-cache.ts), equal to busyInWindow
 * (busy-in-window.ts) but fast: binary search into each status's
 * joined spans, clip at the edges, and emit JSON text directly. Joining over the whole horizon then
 * clipping gives the same spans as clipping then joining, so only the edge spans need new text.
 */
import { lowerBound, spanJson, type CalendarBusy } from './busy-cache.ts';
import type { Span } from './busy-in-window.ts';
import { isoUtc } from './iso.ts';

/**
 * The `busy` array of one calendar as JSON text: sorted by start then end, statuses interleaved.
 * Spans wholly inside the window are one slice of the preformatted text; only the few that cross
 * an edge (at most one per status at each edge) are formatted here.
 */
export function busyJson(cal: CalendarBusy, ws: number, we: number): string {
  const { sorted, runs } = cal;
  const a = lowerBound(sorted.start, ws, false);
  const b = lowerBound(sorted.start, we, false);
  const head: Array<{ end: number; run: number; text: string }> = [];
  const cuts: Array<{ at: number; text: string }> = [];
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    const j = lowerBound(run.end, ws, true);
    if (j < run.start.length && run.start[j]! < ws) {
      const e = Math.min(run.end[j]!, we);
      head.push({ end: e, run: r, text: spanJson(ws, e, run.status) });
    }
    const k = lowerBound(run.start, we, false) - 1;
    if (k >= 0 && run.end[k]! > we && run.start[k]! >= ws) cuts.push({ at: run.at[k]!, text: spanJson(run.start[k]!, we, run.status) });
  }
  // Rare ties the slices would order differently: a clipped span and one starting exactly at the
  // window start (they interleave by end), or spans of one start that clipping gives one end.
  if (head.length && a < b && sorted.start[a] === ws) return busyJsonMerged(cal, ws, we);
  for (const c of cuts) if (clippedTie(cal, c.at, we)) return busyJsonMerged(cal, ws, we);
  head.sort((x, y) => x.end - y.end || x.run - y.run);
  cuts.sort((x, y) => x.at - y.at);
  const pieces = head.map((h) => h.text);
  let from = a;
  for (const c of cuts) {
    if (c.at > from) pieces.push(sorted.text.slice(sorted.offset[from]!, sorted.offset[c.at]! - 1));
    pieces.push(c.text);
    from = c.at + 1;
  }
  if (b > from) pieces.push(sorted.text.slice(sorted.offset[from]!, sorted.offset[b]! - 1));
  return `[${pieces.join(',')}]`;
}

function clippedTie(cal: CalendarBusy, at: number, we: number): boolean {
  const { start, end } = cal.sorted;
  for (let i = at - 1; i >= 0 && start[i] === start[at]; i--) if (end[i]! >= we) return true;
  for (let i = at + 1; i < start.length && start[i] === start[at]; i++) if (end[i]! >= we) return true;
  return false;
}

/** busyJson the long way: a merge of the status runs, every span clipped. */
export function busyJsonMerged(cal: CalendarBusy, ws: number, we: number): string {
  const runs = cal.runs;
  const k = runs.length;
  const pos = new Int32Array(k);
  const stop = new Int32Array(k);
  for (let r = 0; r < k; r++) {
    pos[r] = lowerBound(runs[r]!.end, ws, true);
    stop[r] = lowerBound(runs[r]!.start, we, false);
  }
  const parts: string[] = [];
  for (;;) {
    let best = -1;
    let bs = 0;
    let be = 0;
    for (let r = 0; r < k; r++) {
      const i = pos[r]!;
      if (i >= stop[r]!) continue;
      const run = runs[r]!;
      const s = Math.max(run.start[i]!, ws);
      const e = Math.min(run.end[i]!, we);
      if (best < 0 || s < bs || (s === bs && e < be)) {
        best = r;
        bs = s;
        be = e;
      }
    }
    if (best < 0) break;
    pos[best]!++;
    parts.push(spanJson(bs, be, runs[best]!.status));
  }
  return `[${parts.join(',')}]`;
}

/** The union of all calendars' busy time in the window, whatever the status, as JSON text. */
export function mergedJson(cals: CalendarBusy[], ws: number, we: number): string {
  const k = cals.length;
  const unions = cals.map((c) => c.union);
  const pos = new Int32Array(k);
  const stop = new Int32Array(k);
  // Each calendar's next start (Infinity when done): picking the earliest is a scan of k numbers.
  const head = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const u = unions[c]!;
    pos[c] = lowerBound(u.end, ws, true);
    stop[c] = lowerBound(u.start, we, false);
    head[c] = pos[c]! < stop[c]! ? u.start[pos[c]!]! : Infinity;
  }
  const parts: string[] = [];
  const wsIso = isoUtc(ws);
  const weIso = isoUtc(we);
  let curE = NaN;
  let curSIso = '';
  let curEIso = '';
  for (;;) {
    let best = 0;
    for (let c = 1; c < k; c++) if (head[c]! < head[best]!) best = c;
    if (!(head[best]! < Infinity)) break;
    const u = unions[best]!;
    const i = pos[best]!;
    pos[best] = i + 1;
    head[best] = i + 1 < stop[best]! ? u.start[i + 1]! : Infinity;
    const s = Math.max(u.start[i]!, ws);
    const e = Math.min(u.end[i]!, we);
    if (s <= curE) {
      if (e > curE) {
        curE = e;
        curEIso = e === we ? weIso : (u.iso[2 * i + 1] ??= isoUtc(e));
      }
      continue;
    }
    if (curE === curE) parts.push(`{"start":"${curSIso}","end":"${curEIso}"}`);
    curE = e;
    curSIso = s === ws ? wsIso : (u.iso[2 * i] ??= isoUtc(s));
    curEIso = e === we ? weIso : (u.iso[2 * i + 1] ??= isoUtc(e));
  }
  if (curE === curE) parts.push(`{"start":"${curSIso}","end":"${curEIso}"}`);
  return `[${parts.join(',')}]`;
}

/** Stored spans overlapping the window, unclipped and sorted by start, with the events behind them. */
export function spansInWindow(cal: CalendarBusy, ws: number, we: number): Span[] {
  const out: Span[] = [];
  for (let i = lowerBound(cal.start, ws - cal.maxLength, false); i < cal.start.length && cal.start[i]! < we; i++) {
    if (cal.end[i]! > ws && cal.end[i]! > cal.start[i]!) out.push({ start: cal.start[i]!, end: cal.end[i]!, status: cal.status[i]!, uid: cal.uid[i]!, eventKey: cal.eventKey[i]! });
  }
  return out;
}

/** Joined spans overlapping [start, end), unclipped, except those of the given statuses. */
export function blockingSpans(cal: CalendarBusy, start: number, end: number, freeStatuses: Set<string>): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const run of cal.runs) {
    if (freeStatuses.has(run.status)) continue;
    for (let i = lowerBound(run.end, start, true); i < run.start.length && run.start[i]! < end; i++) out.push({ start: run.start[i]!, end: run.end[i]! });
  }
  return out;
}
