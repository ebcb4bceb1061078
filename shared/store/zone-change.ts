/**
 * A calendar moved to another time zone: the busy spans its zone places are expanded again. The
 * index is otherwise rebuilt only when an event's content changes, so all-day events and floating
 * times kept the old zone's wall clock in free/busy while the listing showed the new one.
 */
import { rebuildBusy, type BusyLayout } from './busy-layout.ts';
import type { Queryable } from './db.ts';

/**
 * UIDs any of whose rows has a time the calendar's zone resolves: a date or a floating time as
 * start, end or original start. A series whose every row starts and ends at instants with their
 * own zone does not depend on the calendar's (shared/time/expand.ts Series: a zoned series reads
 * its rule, UNTIL, RDATEs and EXDATEs, dates and floating ones included, in its own zone; only a
 * date or floating start or end goes through the calendar's), so it keeps its spans: a calendar
 * of timed series re-expanded every one of them on a zone change.
 */
const ZONE_BOUND_UIDS = `
SELECT DISTINCT uid FROM events
 WHERE calendar_id = $1 AND (
   NOT (data->'start' ? 'dateTime') OR NOT (data->'end' ? 'dateTime')
   OR (jsonb_typeof(data->'originalStart') = 'object' AND NOT (data->'originalStart' ? 'dateTime')))`;

/** The UIDs a zone change of the calendar re-expands. */
export async function zoneBoundUids(tx: Queryable, calendarId: string): Promise<string[]> {
  return (await tx.query<{ uid: string }>(ZONE_BOUND_UIDS, [calendarId])).map((u) => u.uid);
}

/**
 * Call in the transaction that stored the calendar's new zone (`timeZone`), after that write: the
 * calendar row is locked by it, so no event write interleaves. A calendar with no busy horizon
 * has no spans yet; its first write expands in the new zone.
 */
export async function followZoneChange(tx: Queryable, layout: BusyLayout, scope: { tenantId: string; calendarId: string; timeZone: string }): Promise<void> {
  const [h] = await tx.query<{ start_at: Date; end_at: Date }>('SELECT start_at, end_at FROM busy_horizons WHERE calendar_id = $1', [scope.calendarId]);
  if (!h) return;
  const uids = await zoneBoundUids(tx, scope.calendarId);
  // replaceBusy bumps busy_version, which free/busy's span cache is keyed by.
  await rebuildBusy(layout, tx, { ...scope, horizon: { start: h.start_at, end: h.end_at } }, uids);
}
