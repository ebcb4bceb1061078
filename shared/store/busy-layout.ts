/**
 * The busy index's table layout, and the operations that go through it. Production uses
 * `spansLayout` (migration 0010); the interface lets the benchmarks run the per-occurrence layout
 * of migration 0001 beside it (bench/legacy-busy-layout.ts).
 */
import type { CanonicalEvent } from '../model/index.ts';
import { busyHorizonSpans, expandUid, expandUids, groupByUid, queryBusy, replaceBusy, uidBusy, type BusySpan, type CalendarBusyRows, type ExpandedBusy, type Horizon, type Truncation } from './busy.ts';
import type { Queryable } from './db.ts';

/** How a UID's events become index rows, and how rows are replaced, trimmed and read. */
export interface BusyLayout {
  readonly name: string;
  /** `truncated` is told when the expansion was cut short (the spans stop early). */
  expandUid(events: CanonicalEvent[], calendarTimeZone: string, horizon: Horizon, truncated?: (why: Truncation) => void): unknown[];
  replace(tx: Queryable, scope: { tenantId: string; calendarId: string }, uids: string[], busy: ExpandedBusy): Promise<void>;
  /** Drops rows wholly before `before` (the horizon moved on). */
  trim(tx: Queryable, calendarId: string, before: Date): Promise<void>;
  query(db: Queryable, tenantId: string, calendarIds: string[], start: Date, end: Date): Promise<BusySpan[]>;
  /** Every span of one UID in one calendar, over the whole horizon (a write checking the time it takes). */
  uidSpans(db: Queryable, tenantId: string, calendarId: string, uid: string): Promise<BusySpan[]>;
  horizonSpans(db: Queryable, tenantId: string, calendarIds: string[]): Promise<CalendarBusyRows[]>;
}

export const spansLayout: BusyLayout = {
  name: 'one tstzmultirange row per event row',
  expandUid,
  replace: replaceBusy,
  async trim(tx, calendarId, before) {
    await tx.query('DELETE FROM busy_spans WHERE calendar_id = $1 AND upper(spans) < $2', [calendarId, before]);
  },
  query: queryBusy,
  uidSpans: uidBusy,
  horizonSpans: busyHorizonSpans,
};

/**
 * Recomputes the busy spans of the given UIDs from their stored event rows, inside the caller's
 * transaction, so the index never disagrees with the events. Returns UIDs whose recurrence could
 * not be expanded, with the reason.
 */
export async function rebuildBusy(
  layout: BusyLayout,
  tx: Queryable,
  scope: { tenantId: string; calendarId: string; timeZone: string; horizon: Horizon },
  uids: string[],
): Promise<{ rows: number; failures: Array<{ uid: string; error: string }>; truncated: ExpandedBusy['truncated'] }> {
  if (uids.length === 0) return { rows: 0, failures: [], truncated: [] };
  const stored = await tx.query<{ uid: string; data: CanonicalEvent }>('SELECT uid, data FROM events WHERE calendar_id = $1 AND uid = ANY($2::text[])', [
    scope.calendarId,
    uids,
  ]);
  const busy = expandUids(layout.expandUid, groupByUid(stored.map((r) => r.data)), scope.timeZone, scope.horizon);
  await layout.replace(tx, scope, uids, busy);
  return { rows: busy.rows.length, failures: busy.failures, truncated: busy.truncated };
}

