/**
 * Each calendar's whole-horizon busy spans in memory, keyed by (calendar id, busy_version). The
 * version comes from the tenant-scoped calendar lookup every request already makes, so a request
 * costs one small query and the spans are read again only after a write bumped the version (in any
 * process: the version lives in the database). Bounded by total spans, least recently used first.
 */
import { busyHorizonSpans, type CalendarBusyRows, type Queryable, type ResolvedCalendar } from '../shared/store/index.ts';
import { CalendarLookups } from './calendar-lookups.ts';
import { isoUtc } from './iso.ts';

/** One status's spans of a calendar, joined where they overlap or touch: disjoint, sorted. */
export interface StatusRun {
  status: string;
  start: Float64Array;
  end: Float64Array;
  /** Where each span sits in CalendarBusy.sorted. */
  at: Int32Array;
}

/** All runs merged in (start, end) order as one JSON text, so a window's middle is one slice. */
export interface SortedSpans {
  start: Float64Array;
  end: Float64Array;
  /** Span i is text.slice(offset[i], offset[i + 1] - 1); every span is followed by a comma. */
  offset: Int32Array;
  text: string;
}

export interface CalendarBusy {
  tenantId: string;
  calendarId: string;
  version: number;
  /** Stored spans sorted by start then end, for `explain` (which names the events behind spans). */
  start: Float64Array;
  end: Float64Array;
  status: string[];
  uid: string[];
  eventKey: string[];
  /** The longest stored span: a window search starts this far before the window. */
  maxLength: number;
  runs: StatusRun[];
  sorted: SortedSpans;
  /** All statuses joined: disjoint, sorted; `iso` caches the formatted ends (2i start, 2i + 1 end). */
  union: { start: Float64Array; end: Float64Array; iso: Array<string | undefined> };
}

export interface BusyCacheOptions {
  /** Total spans kept across calendars (default 2,000,000, roughly 100 MB). */
  maxSpans?: number;
  /** Reads calendars' horizon spans: the store's busy layout (Store.busyLayout.horizonSpans). */
  load?: (db: Queryable, tenantId: string, calendarIds: string[]) => Promise<CalendarBusyRows[]>;
}

export class BusyCache {
  private readonly entries = new Map<string, CalendarBusy>();
  private readonly loading = new Map<string, Promise<void>>();
  private total = 0;
  private readonly maxSpans: number;
  private readonly loadSpans: NonNullable<BusyCacheOptions['load']>;
  /** The ownership and version lookup that must precede get(). */
  readonly lookups: CalendarLookups;

  constructor(
    private readonly db: Queryable,
    opts: BusyCacheOptions = {},
  ) {
    this.maxSpans = opts.maxSpans ?? 2_000_000;
    this.loadSpans = opts.load ?? busyHorizonSpans;
    this.lookups = new CalendarLookups(db);
  }

  get size(): { calendars: number; spans: number } {
    return { calendars: this.entries.size, spans: this.total };
  }

  /**
   * The busy spans of calendars the caller has already resolved for this tenant (so ownership is
   * proven), at least as new as the versions resolved. Missing or stale calendars are loaded in one
   * tenant-scoped query.
   */
  async get(tenantId: string, cals: ResolvedCalendar[]): Promise<Map<string, CalendarBusy>> {
    const out = new Map<string, CalendarBusy>();
    let stale: ResolvedCalendar[] | null = null;
    for (const c of cals) {
      const hit = this.fresh(tenantId, c);
      if (hit) out.set(c.id, hit);
      else (stale ??= []).push(c);
    }
    if (!stale) return out;
    await this.load(tenantId, stale);
    for (const c of stale) {
      const hit = this.fresh(tenantId, c);
      // Deleted between the lookup and the load: answer as if it had no busy time.
      out.set(c.id, hit ?? emptyBusy(tenantId, c.id, Number(c.busyVersion)));
    }
    return out;
  }

  /**
   * The tenant's cached spans of a calendar, at least as new as `version`, without reading the
   * store (an answer while it cannot be reached); null when not held.
   */
  peek(tenantId: string, calendarId: string, version: number): CalendarBusy | null {
    const e = this.entries.get(calendarId);
    return e && e.tenantId === tenantId && e.version >= version ? e : null;
  }

  private fresh(tenantId: string, c: ResolvedCalendar): CalendarBusy | null {
    const e = this.entries.get(c.id);
    if (!e || e.tenantId !== tenantId || e.version < Number(c.busyVersion)) return null;
    this.entries.delete(c.id);
    this.entries.set(c.id, e);
    return e;
  }

  private async load(tenantId: string, cals: ResolvedCalendar[]): Promise<void> {
    // Concurrent requests for the same stale calendar share one read.
    const waits: Array<Promise<void>> = [];
    const todo: string[] = [];
    for (const c of cals) {
      const pending = this.loading.get(`${tenantId}\u0000${c.id}\u0000${c.busyVersion}`);
      if (pending) waits.push(pending);
      else todo.push(c.id);
    }
    if (todo.length) {
      const keys = cals.filter((c) => todo.includes(c.id)).map((c) => `${tenantId}\u0000${c.id}\u0000${c.busyVersion}`);
      const p = this.loadSpans(this.db, tenantId, todo).then((rows) => {
        for (const r of rows) this.put(buildBusy(tenantId, r.calendarId, Number(r.busyVersion), r.spans));
      });
      const done = p.finally(() => {
        for (const k of keys) this.loading.delete(k);
      });
      for (const k of keys) this.loading.set(k, done);
      waits.push(done);
    }
    await Promise.all(waits);
  }

  private put(e: CalendarBusy): void {
    const old = this.entries.get(e.calendarId);
    if (old && old.tenantId === e.tenantId && old.version > e.version) return;
    if (old) this.total -= old.start.length;
    this.entries.delete(e.calendarId);
    this.entries.set(e.calendarId, e);
    this.total += e.start.length;
    for (const [id, victim] of this.entries) {
      if (this.total <= this.maxSpans || victim === e) break;
      this.entries.delete(id);
      this.total -= victim.start.length;
    }
  }
}

function emptyBusy(tenantId: string, calendarId: string, version: number): CalendarBusy {
  return buildBusy(tenantId, calendarId, version, []);
}

export function buildBusy(tenantId: string, calendarId: string, version: number, rows: Array<[number, number, string, string, string]>): CalendarBusy {
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const n = rows.length;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const status: string[] = new Array<string>(n);
  const uid: string[] = new Array<string>(n);
  const eventKey: string[] = new Array<string>(n);
  let maxLength = 0;
  const byStatus = new Map<string, { s: number[]; e: number[] }>();
  const all: { s: number[]; e: number[] } = { s: [], e: [] };
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    start[i] = r[0];
    end[i] = r[1];
    status[i] = r[2];
    uid[i] = r[3];
    eventKey[i] = r[4];
    if (r[1] <= r[0]) continue;
    if (r[1] - r[0] > maxLength) maxLength = r[1] - r[0];
    let run = byStatus.get(r[2]);
    if (!run) byStatus.set(r[2], (run = { s: [], e: [] }));
    join(run, r[0], r[1]);
    join(all, r[0], r[1]);
  }
  const runs = [...byStatus].map(([st, r]) => ({ status: st, start: Float64Array.from(r.s), end: Float64Array.from(r.e), at: new Int32Array(r.s.length) }));
  const union = { start: Float64Array.from(all.s), end: Float64Array.from(all.e), iso: new Array<string | undefined>(all.s.length * 2) };
  return { tenantId, calendarId, version, start, end, status, uid, eventKey, maxLength, runs, sorted: sortRuns(runs), union };
}

/** Merges the runs by (start, end), ties in run order, and formats every span once. */
function sortRuns(runs: StatusRun[]): SortedSpans {
  const n = runs.reduce((x, r) => x + r.start.length, 0);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const offset = new Int32Array(n + 1);
  const parts: string[] = [];
  const pos = new Int32Array(runs.length);
  let length = 0;
  for (let out = 0; out < n; out++) {
    let best = -1;
    for (let r = 0; r < runs.length; r++) {
      const i = pos[r]!;
      if (i >= runs[r]!.start.length) continue;
      if (best < 0) best = r;
      else {
        const b = runs[best]!;
        const j = pos[best]!;
        const run = runs[r]!;
        if (run.start[i]! < b.start[j]! || (run.start[i] === b.start[j] && run.end[i]! < b.end[j]!)) best = r;
      }
    }
    const run = runs[best]!;
    const i = pos[best]!;
    pos[best] = i + 1;
    run.at[i] = out;
    start[out] = run.start[i]!;
    end[out] = run.end[i]!;
    const json = spanJson(run.start[i]!, run.end[i]!, run.status);
    parts.push(json);
    offset[out] = length;
    length += json.length + 1;
  }
  offset[n] = length;
  return { start, end, offset, text: parts.length ? `${parts.join(',')},` : '' };
}

/** Appends [s, e) to disjoint sorted runs, joining it with the last when they overlap or touch (input sorted by start). */
function join(run: { s: number[]; e: number[] }, s: number, e: number): void {
  const last = run.e.length - 1;
  if (last >= 0 && s <= run.e[last]!) {
    if (e > run.e[last]!) run.e[last] = e;
  } else {
    run.s.push(s);
    run.e.push(e);
  }
}

/** First index whose value is > x (`strict`) or ≥ x, in a sorted array. */
export function lowerBound(a: Float64Array, x: number, strict: boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? a[mid]! <= x : a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const spanJson = (s: number, e: number, status: string): string => `{"start":"${isoUtc(s)}","end":"${isoUtc(e)}","status":${JSON.stringify(status)}}`;
