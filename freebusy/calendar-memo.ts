/**
 * What every free/busy and availability request reads about its calendars besides their spans —
 * ownership, time zone, busy_version and problems (account status, failed or flagged sync,
 * quarantine) — kept in memory, for a process told of every change its hub's threads make
 * (`calhub start`: the store's write watch, shared/store/write-watch.ts, reports the API
 * thread's own writes at once and the sync thread's over a BroadcastChannel). A request then
 * waits for no store session, which on PGlite is the one the sync transactions hold.
 *
 * An entry is dropped when a change may touch it and read again by the next request that needs
 * it. On PostgreSQL, other processes' writes are reported too (`calhub serve` beside workers, CLI
 * commands, other API processes: shared/store/change-bus.ts). On a data dir they are not (a CLI
 * command that did not hand its work to the running hub, cli/operations.ts), and a notification
 * can be lost: an entry older than `recheckMs` is served and re-read in the background, one
 * older than `maxAgeMs` is re-read before answering. A load that overlaps a change to its calendar answers its request
 * but is not kept. Entries belong to the tenant they were read for: another tenant's request
 * never hits them and reads the store (which scopes by tenant).
 */
import { calendarProblems, type CalendarProblemRow, type Queryable, type ResolvedCalendar, type StoreChange } from '../shared/store/index.ts';
import type { CalendarLookups } from './calendar-lookups.ts';

export interface CalendarMemoOptions {
  /** Older entries are served and re-read in the background (default 1,000 ms). */
  recheckMs?: number;
  /** Older entries are re-read before answering (default 5,000 ms). */
  maxAgeMs?: number;
  /** Calendars kept (default 100,000), least recently used first out. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  tenantId: string;
  cal: ResolvedCalendar;
  problem: CalendarProblemRow | null;
  at: number;
}

export class CalendarMemo {
  private readonly entries = new Map<string, Entry>();
  /** Which calendar each answered object came from, for its problem (no second lookup, no race). */
  private readonly problems = new WeakMap<ResolvedCalendar, CalendarProblemRow | null>();
  private readonly rechecking = new Set<string>();
  /** Invalidation marks (a counter's value at the change): a load older than a mark is not kept. */
  private epoch = 0;
  private allMark = 0;
  private readonly tenantMarks = new Map<string, number>();
  private readonly calendarMarks = new Map<string, number>();
  private loads = 0;
  private readonly recheckMs: number;
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Store reads made (blocking and background), for tests and the benchmark. */
  reads = 0;
  /** Reported changes. */
  changes = 0;

  constructor(
    private readonly db: Queryable,
    private readonly lookups: CalendarLookups,
    opts: CalendarMemoOptions = {},
  ) {
    this.recheckMs = opts.recheckMs ?? 1000;
    this.maxAgeMs = Math.max(this.recheckMs, opts.maxAgeMs ?? 5000);
    this.maxEntries = opts.maxEntries ?? 100_000;
    this.now = opts.now ?? (() => performance.now());
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops what `c` may have changed. */
  invalidate(c: StoreChange): void {
    this.changes++;
    const mark = ++this.epoch;
    if (c.scope === 'all') {
      this.entries.clear();
      this.allMark = mark;
    } else if (c.scope === 'tenant') {
      for (const [id, e] of this.entries) if (e.tenantId === c.tenantId) this.entries.delete(id);
      this.tenantMarks.set(c.tenantId, mark);
    } else {
      this.entries.delete(c.calendarId);
      this.calendarMarks.set(c.calendarId, mark);
    }
  }

  /** The tenant's calendars among `ids` (others, and other tenants' calendars, are absent): CalendarLookups' contract. */
  async lookup(tenantId: string, ids: string[]): Promise<ResolvedCalendar[]> {
    const now = this.now();
    const out = new Map<string, ResolvedCalendar>();
    const missing: string[] = [];
    const recheck: string[] = [];
    for (const id of new Set(ids)) {
      const e = this.entries.get(id);
      if (!e || e.tenantId !== tenantId || now - e.at > this.maxAgeMs) {
        missing.push(id);
        continue;
      }
      this.entries.delete(id);
      this.entries.set(id, e);
      out.set(id, e.cal);
      if (now - e.at > this.recheckMs && !this.rechecking.has(id)) recheck.push(id);
    }
    if (recheck.length) {
      for (const id of recheck) this.rechecking.add(id);
      void this.load(tenantId, recheck)
        .catch(() => undefined) // the entries stay until maxAgeMs; then a request reads (and reports) it
        .finally(() => {
          for (const id of recheck) this.rechecking.delete(id);
        });
    }
    if (missing.length) for (const c of await this.load(tenantId, missing)) out.set(c.id, c);
    return ids.filter((id, i) => ids.indexOf(id) === i && out.has(id)).map((id) => out.get(id)!);
  }

  /** The problem of a calendar this memo answered (null: none); undefined for objects it did not answer. */
  problemOf(c: ResolvedCalendar): CalendarProblemRow | null | undefined {
    return this.problems.get(c);
  }

  private async load(tenantId: string, ids: string[]): Promise<ResolvedCalendar[]> {
    const started = this.epoch;
    this.loads++;
    this.reads++;
    try {
      const [cals, problems] = await Promise.all([this.lookups.lookup(tenantId, ids), calendarProblems(this.db, tenantId, ids)]);
      const byId = new Map(problems.map((p) => [p.calendarId, p]));
      const at = this.now();
      const found = new Set<string>();
      for (const cal of cals) {
        const problem = byId.get(cal.id) ?? null;
        this.problems.set(cal, problem);
        found.add(cal.id);
        if (this.changedSince(started, tenantId, cal.id)) continue;
        this.entries.delete(cal.id);
        this.entries.set(cal.id, { tenantId, cal, problem, at });
      }
      // Gone (deleted, or never this tenant's): forget what this tenant had under the id.
      for (const id of ids) if (!found.has(id) && this.entries.get(id)?.tenantId === tenantId) this.entries.delete(id);
      for (const [id] of this.entries) {
        if (this.entries.size <= this.maxEntries) break;
        this.entries.delete(id);
      }
      return cals;
    } finally {
      if (--this.loads === 0) {
        // No load is running that a mark could still concern.
        this.tenantMarks.clear();
        this.calendarMarks.clear();
      }
    }
  }

  private changedSince(epoch: number, tenantId: string, calendarId: string): boolean {
    return this.allMark > epoch || (this.tenantMarks.get(tenantId) ?? 0) > epoch || (this.calendarMarks.get(calendarId) ?? 0) > epoch;
  }
}
