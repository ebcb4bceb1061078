import { digest } from '../digest.ts';
import { busyStatusOf, type CanonicalEvent } from '../model/index.ts';
import { expandSeries, type Occurrence } from '../time/index.ts';
import { isoKey } from '../time/iso.ts';
import type { Queryable } from './db.ts';

export interface Horizon {
  start: Date;
  end: Date;
}

/**
 * One row of the busy index: the occurrences of one event row (a master's regular occurrences, a
 * single event, or one override) over the horizon, joined where they overlap or touch, as a
 * tstzmultirange literal. Joining loses nothing free/busy reports: busyInWindow joins spans of one
 * status that overlap or touch, and an event row has one status.
 */
export interface BusyRow {
  uid: string;
  k: string;
  st: string;
  /** `{[start,end),…}` with ISO instants; PostgreSQL parses it as tstzmultirange. */
  m: string;
  /** How many disjoint ranges `m` holds. */
  n: number;
}

/**
 * Disjoint ranges one event row may hold. Occurrences that overlap or touch are joined as they
 * come, so a series of any length that keeps one busy (back-to-back minutes) is one range; only a
 * series with more separate occurrences in the horizon than this (hourly or finer, with gaps,
 * for years) is cut here, at its latest ones.
 */
export const MAX_RANGES = 20_000;
/**
 * Occurrences one UID may be expanded to for the index (20 times expandSeries' own cap, ~150 ms
 * of CPU at worst): the bound on write-path work. Back-to-back minutes are covered for ~70 days,
 * hourly series for the whole horizon.
 */
export const MAX_BUSY_OCCURRENCES = 100_000;

/** One event row's occurrences joined into disjoint ranges, in arrival order until sorted. */
class Ranges {
  s: number[] = [];
  e: number[] = [];
  /** Ranges past MAX_RANGES were dropped. */
  cut = false;
  private sorted = true;

  constructor(readonly uid: string, readonly st: string) {}

  add(start: number, end: number): void {
    const last = this.e.length - 1;
    if (last < 0 || start > this.e[last]!) {
      this.s.push(start);
      this.e.push(end);
    } else if (start >= this.s[last]!) {
      if (end > this.e[last]!) this.e[last] = end;
    } else {
      // Another rule or an RDATE went back in time: keep it and sort before use.
      this.s.push(start);
      this.e.push(end);
      this.sorted = false;
    }
    if (this.s.length > MAX_RANGES) this.compact();
  }

  /** Sorts and joins; past MAX_RANGES keeps the earliest. */
  compact(): void {
    if (!this.sorted) {
      const order = this.s.map((_, i) => i).sort((a, b) => this.s[a]! - this.s[b]! || this.e[a]! - this.e[b]!);
      const s: number[] = [];
      const e: number[] = [];
      for (const i of order) {
        const last = e.length - 1;
        if (last >= 0 && this.s[i]! <= e[last]!) {
          if (this.e[i]! > e[last]!) e[last] = this.e[i]!;
        } else {
          s.push(this.s[i]!);
          e.push(this.e[i]!);
        }
      }
      this.s = s;
      this.e = e;
      this.sorted = true;
    }
    if (this.s.length > MAX_RANGES) {
      this.s.length = this.e.length = MAX_RANGES;
      this.cut = true;
    }
  }

  get full(): boolean {
    return this.sorted && this.s.length >= MAX_RANGES;
  }
}

/**
 * Groups a UID's rows into master (or single) + overrides and folds their occurrences over the
 * horizon into one row per event row. Occurrences stream through (expandSeries' sink), so a long
 * series costs its ranges in memory, not its occurrences, and is covered past MAX_OCCURRENCES.
 */
/** Why a UID's busy spans stop early: a budget of shared/time, MAX_BUSY_OCCURRENCES or MAX_RANGES. */
export type Truncation = 'work budget' | 'time budget' | 'occurrence cap' | 'range cap';

export function expandUid(events: CanonicalEvent[], calendarTimeZone: string, horizon: Horizon, truncated?: (why: Truncation) => void): BusyRow[] {
  const master = events.find((e) => e.originalStart === null) ?? null;
  const overrides = events.filter((e) => e.originalStart !== null);
  const byKey = new Map<string, Ranges>();
  let seen = 0;
  // A method, not a named closure: the build's keepNames defines a named closure's `name` each
  // time it is made (~1 µs, twice per UID here); object literal methods are left as they are.
  const { sink } = { sink(occ: Occurrence): boolean {
    if (++seen > MAX_BUSY_OCCURRENCES) {
      truncated?.('occurrence cap');
      return false;
    }
    const status = busyStatusOf(occ.event);
    if (status === null || occ.endMs <= occ.startMs) return true;
    // A range override's later occurrences share its row (same content, so the same status).
    const k = occ.isOverride ? occ.originalStartKey : (occ.rangeKey ?? '');
    let row = byKey.get(k);
    // A full master row of a single rule would only grow later: this occurrence and the rest are cut.
    if (row && k === '' && row.full && singleRule) {
      truncated?.('range cap');
      return false;
    }
    if (!row) byKey.set(k, (row = new Ranges(occ.event.uid, status)));
    row.add(occ.startMs, occ.endMs);
    return true;
  } };
  const singleRule = (master?.recurrence?.rrules.length ?? 0) <= 1 && (master?.recurrence?.rdates.length ?? 0) === 0;
  expandSeries({ master, overrides, calendarTimeZone, window: horizon, sink, onBudgetExhausted(b) {
    truncated?.(b === 'work' ? 'work budget' : 'time budget');
  } });
  const out: BusyRow[] = [];
  for (const [k, r] of byKey) {
    r.compact();
    if (r.cut) truncated?.('range cap');
    out.push({ uid: r.uid, k, st: r.st, m: multirange(r.s, r.e), n: r.s.length });
  }
  return out;
}

/**
 * A tstzmultirange literal of sorted, disjoint [s, e) pairs (epoch ms); ISO instants need no
 * quoting, and whole seconds go without `.000` (shorter to send and to parse).
 */
export function multirange(s: number[], e: number[]): string {
  const parts = new Array<string>(s.length);
  for (let i = 0; i < s.length; i++) parts[i] = `[${isoKey(s[i]!)},${isoKey(e[i]!)})`;
  return `{${parts.join(',')}}`;
}

/** Expansion results: a UID that fails keeps no spans and is reported with the reason. */
export interface ExpandedBusy {
  /** Rows of the layout that expanded them (BusyRow for the default one). */
  rows: unknown[];
  failures: Array<{ uid: string; error: string }>;
  /** UIDs whose spans stop early (their expansion was cut short), with why. */
  truncated: Array<{ uid: string; reason: Truncation }>;
}

export type UidBusy = { rows: unknown[]; truncated: Truncation | null } | { error: string };

export function groupByUid(events: CanonicalEvent[]): Map<string, CanonicalEvent[]> {
  const byUid = new Map<string, CanonicalEvent[]>();
  for (const e of events) {
    const list = byUid.get(e.uid);
    if (list) list.push(e);
    else byUid.set(e.uid, [e]);
  }
  return byUid;
}

/** A layout's expansion of one UID's event rows into its index rows. */
export type ExpandUid = (events: CanonicalEvent[], calendarTimeZone: string, horizon: Horizon, truncated?: (why: Truncation) => void) => unknown[];

export function expandOne(expand: ExpandUid, events: CanonicalEvent[], calendarTimeZone: string, horizon: Horizon): UidBusy {
  try {
    let truncated: Truncation | null = null;
    const rows = expand(events, calendarTimeZone, horizon, (why) => void (truncated ??= why));
    return { rows, truncated };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Per-UID results, for a caller that expands before it knows which UIDs it will need. */
export function expandEach(expand: ExpandUid, byUid: Map<string, CanonicalEvent[]>, calendarTimeZone: string, horizon: Horizon): Map<string, UidBusy> {
  return new Map([...byUid].map(([uid, events]) => [uid, expandOne(expand, events, calendarTimeZone, horizon)]));
}

/** Expands every UID of `byUid`, reusing `ready` results (from expandEach over the same rows). */
export function expandUids(expand: ExpandUid, byUid: Map<string, CanonicalEvent[]>, calendarTimeZone: string, horizon: Horizon, ready?: Map<string, UidBusy>): ExpandedBusy {
  const rows: unknown[] = [];
  const failures: ExpandedBusy['failures'] = [];
  const truncated: ExpandedBusy['truncated'] = [];
  for (const [uid, events] of byUid) {
    const r = ready?.get(uid) ?? expandOne(expand, events, calendarTimeZone, horizon);
    if ('error' in r) failures.push({ uid, error: r.error });
    else {
      for (const b of r.rows) rows.push(b);
      if (r.truncated) truncated.push({ uid, reason: r.truncated });
    }
  }
  return { rows, failures, truncated };
}

/**
 * Digest of everything expandUid reads from one row (times, recurrence, status, availability, the
 * owner's response) plus the calendar zone and horizon it was expanded for. If busy policy or
 * expansion starts reading another field, add it here, or unchanged digests would keep stale spans.
 */
export function busyHash(e: CanonicalEvent, calendarTimeZone: string, horizon: Horizon): string {
  const self = e.attendees.find((a) => a.self)?.response ?? null;
  const key = [e.uid, e.originalStart, e.start, e.end, e.recurrence, e.status, e.availability, self, calendarTimeZone, horizon.start.getTime(), horizon.end.getTime()];
  // Pushed only when set, so the digests of all other rows stay as they were.
  if (e.thisAndFuture) key.push('thisAndFuture');
  return digest('sha1', JSON.stringify(key), 'base64');
}

/**
 * Replaces the busy rows of `uids` with `rows` and bumps busy_version, in one statement so the
 * busy index costs one round trip per page. UIDs that failed to expand get busy_hash NULL, so the
 * next write of the same content retries (and quarantines) instead of skipping them.
 */
export async function replaceBusy(tx: Queryable, scope: { tenantId: string; calendarId: string }, uids: string[], busy: ExpandedBusy): Promise<void> {
  if (uids.length === 0) return;
  // The rows to clear are found by one index probe per UID (OFFSET 0 stops the planner from
  // flattening it into a scan of the calendar under the stale statistics of a table being
  // bulk-loaded). The caller holds the calendar row lock, so deleting by ctid is safe. The new rows
  // travel as parallel arrays, the long multirange literals as one text joined by newlines (they
  // hold none): splitting it costs the server less than reading a JSON document or an array literal.
  const rows = busy.rows as BusyRow[];
  const cut = new Set(busy.truncated.map((t) => t.uid));
  await tx.query(
    `WITH cleared AS (
       DELETE FROM busy_spans WHERE ctid = ANY(ARRAY(
         SELECT b.ctid FROM unnest($3::text[]) AS u(uid),
                LATERAL (SELECT ctid FROM busy_spans WHERE calendar_id = $1 AND uid = u.uid OFFSET 0) b))),
          bumped AS (UPDATE calendars SET busy_version = busy_version + 1 WHERE id = $1),
          -- busy_truncated follows the spans: UIDs whose expansion was not cut lose their entry.
          untruncated AS (DELETE FROM busy_truncated WHERE calendar_id = $1 AND uid = ANY($8::text[]))
     INSERT INTO busy_spans (calendar_id, tenant_id, uid, event_key, status, spans)
     SELECT $1, $2, x.uid, x.k, x.st, x.m::tstzmultirange
       FROM ROWS FROM (unnest($4::text[], $5::text[], $6::text[]), string_to_table($7, E'\\n')) AS x(uid, k, st, m)`,
    [
      scope.calendarId,
      scope.tenantId,
      uids,
      rows.map((r) => r.uid),
      rows.map((r) => r.k),
      rows.map((r) => r.st),
      rows.length ? rows.map((r) => r.m).join('\n') : null,
      busy.truncated.length ? uids.filter((u) => !cut.has(u)) : uids,
    ],
  );
  if (busy.failures.length) {
    await tx.query('UPDATE events SET busy_hash = NULL WHERE calendar_id = $1 AND uid = ANY($2::text[])', [scope.calendarId, busy.failures.map((f) => f.uid)]);
  }
  if (busy.truncated.length) await noteTruncated(tx, scope, busy.truncated);
}

/** Records the UIDs whose spans were just written cut short (replaceBusy cleared the others' entries). */
async function noteTruncated(tx: Queryable, scope: { tenantId: string; calendarId: string }, truncated: ExpandedBusy['truncated']): Promise<void> {
  await tx.query(
    `INSERT INTO busy_truncated (calendar_id, tenant_id, uid, reason)
     SELECT $1, $2, x.uid, x.reason FROM json_to_recordset($3::json) AS x(uid text, reason text)
     ON CONFLICT (calendar_id, uid) DO UPDATE SET reason = EXCLUDED.reason, at = now()`,
    [scope.calendarId, scope.tenantId, JSON.stringify(truncated)],
  );
}

/** A calendar's series whose busy time stops early, for its health: the first `shown` by UID, and how many. */
export async function truncatedSeries(db: Queryable, calendarIds: string[], shown = 3): Promise<Array<{ calendarId: string; count: number; items: Array<{ uid: string; reason: string }> }>> {
  const rows = await db.query<{ calendar_id: string; n: number; uid: string; reason: string }>(
    `SELECT calendar_id, n::int AS n, uid, reason FROM (
       SELECT calendar_id, uid, reason, row_number() OVER (PARTITION BY calendar_id ORDER BY uid) AS i, count(*) OVER (PARTITION BY calendar_id) AS n
         FROM busy_truncated WHERE calendar_id = ANY($1)) t
      WHERE i <= $2 ORDER BY calendar_id, i`,
    [calendarIds, shown],
  );
  const out = new Map<string, { calendarId: string; count: number; items: Array<{ uid: string; reason: string }> }>();
  for (const r of rows) {
    const s = out.get(r.calendar_id) ?? { calendarId: r.calendar_id, count: r.n, items: [] };
    s.items.push({ uid: r.uid, reason: r.reason });
    out.set(r.calendar_id, s);
  }
  return [...out.values()];
}

/**
 * Marks a calendar's busy spans as changed; call inside the transaction that changes them. Readers
 * caching spans compare this version, so a missed bump would serve stale free/busy.
 */
export async function bumpBusyVersion(tx: Queryable, calendarId: string): Promise<void> {
  await tx.query('UPDATE calendars SET busy_version = busy_version + 1 WHERE id = $1', [calendarId]);
}

export interface BusySpan {
  calendarId: string;
  start: Date;
  end: Date;
  status: string;
  uid: string;
  eventKey: string;
}

/**
 * Busy spans overlapping [start, end) for the tenant's calendars, one per disjoint range of each
 * event row (occurrences of one event row that touch come back joined). No expansion.
 */
export async function queryBusy(db: Queryable, tenantId: string, calendarIds: string[], start: Date, end: Date): Promise<BusySpan[]> {
  const rows = await db.query<{ calendar_id: string; s: Date; e: Date; status: string; uid: string; event_key: string }>(
    `SELECT b.calendar_id, lower(r) AS s, upper(r) AS e, b.status, b.uid, b.event_key
       FROM busy_spans b, unnest(b.spans) AS r
      WHERE b.calendar_id = ANY($2) AND b.tenant_id = $1 AND b.spans && tstzrange($3, $4, '[)') AND r && tstzrange($3, $4, '[)')
      ORDER BY b.calendar_id, lower(r), upper(r)`,
    [tenantId, calendarIds, start.toISOString(), end.toISOString()],
  );
  return rows.map((r) => ({ calendarId: r.calendar_id, start: r.s, end: r.e, status: r.status, uid: r.uid, eventKey: r.event_key }));
}

export async function uidBusy(db: Queryable, tenantId: string, calendarId: string, uid: string): Promise<BusySpan[]> {
  const rows = await db.query<{ s: Date; e: Date; status: string; event_key: string }>(
    `SELECT lower(r) AS s, upper(r) AS e, b.status, b.event_key FROM busy_spans b, unnest(b.spans) AS r
      WHERE b.calendar_id = $2 AND b.tenant_id = $1 AND b.uid = $3 ORDER BY lower(r)`,
    [tenantId, calendarId, uid],
  );
  return rows.map((r) => ({ calendarId, start: r.s, end: r.e, status: r.status, uid, eventKey: r.event_key }));
}

export interface CalendarBusyRows {
  calendarId: string;
  busyVersion: string;
  /** [start ms, end ms, status, uid, event_key] of every span of the horizon, unsorted. */
  spans: Array<[number, number, string, string, string]>;
}

/**
 * Every busy span of the tenant's given calendars with the version they belong to. One statement,
 * so one snapshot: the version cannot be newer or older than the spans. A calendar of another
 * tenant is absent.
 */
export async function busyHorizonSpans(db: Queryable, tenantId: string, calendarIds: string[]): Promise<CalendarBusyRows[]> {
  if (calendarIds.length === 0) return [];
  const rows = await db.query<{ id: string; v: string; j: string | null }>(
    `SELECT c.id, c.busy_version::text AS v,
            (SELECT json_agg(json_build_array((date_part('epoch', lower(r)) * 1000)::int8, (date_part('epoch', upper(r)) * 1000)::int8,
                                              b.status, b.uid, b.event_key))::text
               FROM busy_spans b, unnest(b.spans) AS r WHERE b.calendar_id = c.id AND b.tenant_id = $1) AS j
       FROM calendars c
      WHERE c.tenant_id = $1 AND c.id = ANY($2::text[])`,
    [tenantId, calendarIds],
  );
  return rows.map((r) => ({ calendarId: r.id, busyVersion: r.v, spans: r.j === null ? [] : (JSON.parse(r.j) as CalendarBusyRows['spans']) }));
}
