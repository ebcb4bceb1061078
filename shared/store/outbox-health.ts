/** What operators are told about a calendar's outbox: writes the provider refused, writes still pending. */
import type { Queryable } from './db.ts';
import { REFUSALS_BEFORE_PARKING } from './sync-repo.ts';

export interface RefusedWrites {
  calendarId: string;
  count: number;
  /** Up to three distinct reasons. */
  errors: string[];
  /** The oldest three refused changes by UID, and whether each is parked (REFUSALS_BEFORE_PARKING). */
  items: Array<{ uid: string; error: string; parked: boolean }>;
}

export async function refusedWrites(db: Queryable, calendarIds: string[]): Promise<RefusedWrites[]> {
  const rows = await db.query<{ calendar_id: string; n: number; errors: string[]; items: Array<{ uid: string; error: string; parked: boolean }> }>(
    `SELECT calendar_id, count(*)::int AS n, (array_agg(DISTINCT last_error))[1:3] AS errors,
            jsonb_agg(jsonb_build_object('uid', uid, 'error', last_error, 'parked', attempts >= $2) ORDER BY created_at, uid) AS items
       FROM outbox WHERE calendar_id = ANY($1) AND last_error IS NOT NULL GROUP BY calendar_id`,
    [calendarIds, REFUSALS_BEFORE_PARKING],
  );
  return rows.map((r) => ({ calendarId: r.calendar_id, count: r.n, errors: r.errors, items: r.items.slice(0, 3) }));
}

/** Calendars among `calendarIds` with local changes waiting to be written (not refused ones). */
export async function calendarsWithPendingWrites(db: Queryable, calendarIds: string[]): Promise<Set<string>> {
  const rows = await db.query<{ calendar_id: string }>('SELECT DISTINCT calendar_id FROM outbox WHERE calendar_id = ANY($1) AND last_error IS NULL', [calendarIds]);
  return new Set(rows.map((r) => r.calendar_id));
}

/** The store's clock (rows' timestamps come from it, not from this process). */
export async function storeNow(db: Queryable): Promise<Date> {
  return (await db.query<{ now: Date }>('SELECT clock_timestamp() AS now'))[0]!.now;
}
