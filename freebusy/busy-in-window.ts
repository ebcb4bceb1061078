
/** A busy span in epoch ms; uid and eventKey only when the events behind it are wanted. */
export interface Span {
  start: number;
  end: number;
  status: string;
  uid?: string;
  eventKey?: string;
}

export interface OutSpan {
  start: number;
  end: number;
  status: string;
  /** `uid\u0000eventKey` of every event behind the span (filled only for explain). */
  keys: string[] | null;
}

/**
 * THE definition of "busy in a window" for one calendar: its stored spans (sorted by start, as the
 * index returns them), clipped to the window, with overlapping or touching spans of the same status
 * joined. Spans of different statuses may overlap. Every faster path (busy-window.ts) must answer
 * exactly this; busy-window.property.test.ts holds them to it.
 */
export function busyInWindow(spans: Span[], winStart: number, winEnd: number, withKeys: boolean): OutSpan[] {
  const out: OutSpan[] = [];
  const open = new Map<string, OutSpan>();
  for (const sp of spans) {
    const s = Math.max(sp.start, winStart);
    const e = Math.min(sp.end, winEnd);
    if (e <= s) continue;
    const cur = open.get(sp.status);
    if (cur && s <= cur.end) {
      if (e > cur.end) cur.end = e;
      if (withKeys) cur.keys!.push(`${sp.uid}\u0000${sp.eventKey}`);
      continue;
    }
    if (cur) out.push(cur);
    open.set(sp.status, { start: s, end: e, status: sp.status, keys: withKeys ? [`${sp.uid}\u0000${sp.eventKey}`] : null });
  }
  for (const cur of open.values()) out.push(cur);
  if (open.size > 1) out.sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}

/** The union of intervals, whatever their status: the `merged` busy time of several calendars. */
export function union(intervals: Array<{ start: number; end: number }>): Array<{ start: number; end: number }> {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: Array<{ start: number; end: number }> = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.start <= last.end) {
      if (iv.end > last.end) last.end = iv.end;
    } else out.push({ start: iv.start, end: iv.end });
  }
  return out;
}
