/** What operators are told about a calendar's outbox: writes the provider refused, writes still pending. */
import type { Queryable } from './db.ts';
import type { SendUpdates } from '../model/index.ts';
import { parkedDeleteRetryAt, REFUSALS_BEFORE_PARKING, sendUpdatesByKeyOf, sendUpdatesOf } from './sync-repo.ts';

export interface RefusedWrites {
  calendarId: string;
  count: number;
  /** Up to three distinct reasons. */
  errors: string[];
  /**
   * The oldest three refused changes by UID, and whether each is parked (REFUSALS_BEFORE_PARKING);
   * a parked delete is offered again at `retryAt` (parkedDeleteRetryAt), otherwise null.
   */
  items: Array<{ uid: string; error: string; parked: boolean; retryAt: string | null }>;
}

export async function refusedWrites(db: Queryable, calendarIds: string[]): Promise<RefusedWrites[]> {
  type Item = { uid: string; error: string; op: 'put' | 'delete'; attempts: number; refused_at: string | null };
  const rows = await db.query<{ calendar_id: string; n: number; errors: string[]; items: Item[] }>(
    `SELECT calendar_id, count(*)::int AS n, (array_agg(DISTINCT last_error))[1:3] AS errors,
            jsonb_agg(jsonb_build_object('uid', uid, 'error', last_error, 'op', op, 'attempts', attempts, 'refused_at', refused_at) ORDER BY created_at, uid) AS items
       FROM outbox WHERE calendar_id = ANY($1) AND last_error IS NOT NULL GROUP BY calendar_id`,
    [calendarIds],
  );
  return rows.map((r) => ({
    calendarId: r.calendar_id,
    count: r.n,
    errors: r.errors,
    items: r.items.slice(0, 3).map((i) => ({
      uid: i.uid,
      error: i.error,
      parked: i.attempts >= REFUSALS_BEFORE_PARKING,
      retryAt: parkedDeleteRetryAt(i.op, i.attempts, i.refused_at ? new Date(i.refused_at) : null)?.toISOString() ?? null,
    })),
  }));
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

export interface OutboxRow {
  uid: string;
  op: 'put' | 'delete';
  attempts: number;
  lastError: string | null;
  sendUpdates: SendUpdates | null;
  /** By occurrence key ('' the series or single event): see OutboxEntry.sendUpdatesByKey. */
  sendUpdatesByKey: Record<string, SendUpdates>;
  conference: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** When the provider last refused its content (migration 0081); null when it has not, or the account cannot write. */
  refusedAt: Date | null;
}

/** Every local change of the calendar not yet written to its provider, by UID. */
export async function outboxOf(db: Queryable, tenantId: string, calendarId: string): Promise<OutboxRow[]> {
  const rows = await db.query<{ uid: string; op: 'put' | 'delete'; attempts: number; last_error: string | null; send_updates: number | null; send_updates_by_key: Record<string, number> | string | null; add_conference: boolean; created_at: Date; updated_at: Date; refused_at: Date | null }>(
    'SELECT uid, op, attempts, last_error, send_updates, send_updates_by_key, add_conference, created_at, updated_at, refused_at FROM outbox WHERE tenant_id = $1 AND calendar_id = $2 ORDER BY uid',
    [tenantId, calendarId],
  );
  return rows.map((r) => ({
    uid: r.uid,
    op: r.op,
    attempts: r.attempts,
    lastError: r.last_error,
    sendUpdates: sendUpdatesOf(r.send_updates),
    sendUpdatesByKey: sendUpdatesByKeyOf(r.send_updates_by_key),
    conference: r.add_conference,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    refusedAt: r.refused_at === null ? null : new Date(r.refused_at),
  }));
}

/** The last push attempt of a calendar that did not write its outbox: why, and when it is next tried (null: the queue's backoff decides). */
export interface PushWait {
  reason: string;
  nextTryAt: Date | null;
  notedAt: Date;
}

/** Notes why a push of the calendar waits (push_waits, migration 0080); `calhub calendars writes` shows it with each pending write. */
export async function notePushWait(db: Queryable, tenantId: string, calendarId: string, reason: string, nextTryAt: Date | null): Promise<void> {
  await db.query(
    `INSERT INTO push_waits (calendar_id, tenant_id, reason, next_try_at, noted_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (calendar_id) DO UPDATE SET reason = EXCLUDED.reason, next_try_at = EXCLUDED.next_try_at, noted_at = EXCLUDED.noted_at`,
    [calendarId, tenantId, reason, nextTryAt],
  );
}

/** A push of the calendar succeeded: its writes no longer wait for the reason noted. */
export async function clearPushWait(db: Queryable, calendarId: string): Promise<void> {
  await db.query('DELETE FROM push_waits WHERE calendar_id = $1', [calendarId]);
}

export async function pushWaitOf(db: Queryable, tenantId: string, calendarId: string): Promise<PushWait | null> {
  const [r] = await db.query<{ reason: string; next_try_at: Date | null; noted_at: Date }>('SELECT reason, next_try_at, noted_at FROM push_waits WHERE tenant_id = $1 AND calendar_id = $2', [tenantId, calendarId]);
  return r ? { reason: r.reason, nextTryAt: r.next_try_at ? new Date(r.next_try_at) : null, notedAt: new Date(r.noted_at) } : null;
}
