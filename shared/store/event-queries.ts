/**
 * Read queries the HTTP API needs beyond the repositories: calendar resolution for free/busy,
 * event labels for `explain`, keyset paging and window candidates. All tenant-scoped; no writes.
 */
import type { CanonicalEvent } from '../model/index.ts';
import type { Queryable } from './db.ts';
import type { StoredEvent } from './events.ts';
import { UNEXPANDABLE } from './events.ts';

export interface ResolvedCalendar {
  id: string;
  accountId: string;
  timeZone: string;
  /** calendars.busy_version as text: changes whenever the calendar's busy spans do. */
  busyVersion: string;
  /** Whether it counts when its account is named (migration 0019); only read when accounts are. */
  countsForBusy?: boolean;
  /** Its sync is off, and it would count for its account's busy time if it were on; only read when accounts are. */
  countsIfSynced?: boolean;
}

/** A calendar's busy time counts for its account: none whose sync is off, else the tenant's choice, else owned or writable ones. */
const COUNTS_IF_SYNCED_SQL = `COALESCE(counts_for_busy, access_role IN ('owner', 'writer'))`;
export const COUNTS_FOR_BUSY_SQL = `(sync_enabled AND ${COUNTS_IF_SYNCED_SQL})`;

/**
 * The tenant's calendars named directly or through their accounts, plus which of the given ids
 * exist for this tenant (an id of another tenant is simply absent). One round trip.
 */
export async function resolveCalendars(
  db: Queryable,
  tenantId: string,
  calendarIds: string[],
  accountIds: string[],
): Promise<{ calendars: ResolvedCalendar[]; foundAccountIds: Set<string> }> {
  // Calendars by id alone is the hot path (every free/busy request): the plain statement costs
  // PGlite about half as much as the union.
  const sql =
    accountIds.length === 0
      ? `SELECT 'c' AS kind, id, account_id, time_zone, busy_version::text AS v FROM calendars WHERE tenant_id = $1 AND id = ANY($2::text[])`
      : `SELECT 'c' AS kind, id, account_id, time_zone, busy_version::text AS v, ${COUNTS_FOR_BUSY_SQL} AS counts,
                (NOT sync_enabled AND ${COUNTS_IF_SYNCED_SQL}) AS off FROM calendars
          WHERE tenant_id = $1 AND (id = ANY($2::text[]) OR account_id = ANY($3::text[]))
         UNION ALL
         SELECT 'a', id, id, '', '', true, false FROM accounts WHERE tenant_id = $1 AND id = ANY($3::text[])`;
  const rows = await db.query<{ kind: string; id: string; account_id: string; time_zone: string; v: string; counts?: boolean; off?: boolean }>(
    sql,
    accountIds.length === 0 ? [tenantId, calendarIds] : [tenantId, calendarIds, accountIds],
  );
  const calendars: ResolvedCalendar[] = [];
  const foundAccountIds = new Set<string>();
  for (const r of rows) {
    if (r.kind === 'a') foundAccountIds.add(r.id);
    else calendars.push({ id: r.id, accountId: r.account_id, timeZone: r.time_zone, busyVersion: r.v, ...(r.counts === undefined ? {} : { countsForBusy: r.counts }), ...(r.off ? { countsIfSynced: true } : {}) });
  }
  return { calendars, foundAccountIds };
}

export interface EventLabel {
  id: string;
  calendarId: string;
  uid: string;
  eventKey: string;
  title: string | null;
  visibility: string;
}

/** The event rows behind busy spans, by (calendar, uid, original-start key). */
export async function eventLabels(
  db: Queryable,
  tenantId: string,
  keys: Array<{ calendarId: string; uid: string; eventKey: string }>,
): Promise<EventLabel[]> {
  if (keys.length === 0) return [];
  const rows = await db.query<{ id: string; calendar_id: string; uid: string; original_start_key: string; title: string | null; visibility: string | null }>(
    `SELECT e.id, e.calendar_id, e.uid, e.original_start_key, e.data->>'title' AS title, e.data->>'visibility' AS visibility
       FROM events e
       JOIN unnest($2::text[], $3::text[], $4::text[]) AS k(calendar_id, uid, ek)
         ON e.calendar_id = k.calendar_id AND e.uid = k.uid AND e.original_start_key = k.ek
      WHERE e.tenant_id = $1`,
    [tenantId, keys.map((k) => k.calendarId), keys.map((k) => k.uid), keys.map((k) => k.eventKey)],
  );
  return rows.map((r) => ({ id: r.id, calendarId: r.calendar_id, uid: r.uid, eventKey: r.original_start_key, title: r.title, visibility: r.visibility ?? 'default' }));
}

type EventRow = { id: string; calendar_id: string; remote_id: string | null; content_hash: string; data: CanonicalEvent };
const toStored = (r: EventRow): StoredEvent => ({ id: r.id, calendarId: r.calendar_id, remoteId: r.remote_id, contentHash: r.content_hash, event: r.data });

/** Stored rows (masters, singles, overrides) of a calendar in id order, after `afterId`. */
/** Filters of event listings: changed since, status, and text in title, description or location. */
export interface EventFilter {
  updatedSince?: Date;
  status?: string[];
  text?: string;
}

export async function pageEvents(db: Queryable, tenantId: string, calendarId: string, afterId: string | null, limit: number, filter: EventFilter = {}): Promise<StoredEvent[]> {
  const rows = await db.query<EventRow>(
    `SELECT id, calendar_id, remote_id, content_hash, data FROM events
      WHERE tenant_id = $1 AND calendar_id = $2 AND ($3::text IS NULL OR id > $3)
        AND ($5::timestamptz IS NULL OR updated_at >= $5)
        AND ($6::text[] IS NULL OR data->>'status' = ANY($6))
        AND ($7::text IS NULL OR strpos(lower(concat_ws(' ', data->>'title', data->>'description', data->>'location')), lower($7)) > 0)
      ORDER BY id LIMIT $4`,
    [tenantId, calendarId, afterId, limit, filter.updatedSince ?? null, filter.status?.length ? filter.status : null, filter.text || null],
  );
  return rows.map(toStored);
}

/** Ids of a calendar's event rows changed at or after `since` (the updated-since filter of instance listings). */
export async function eventIdsUpdatedSince(db: Queryable, tenantId: string, calendarId: string, since: Date): Promise<Set<string>> {
  const rows = await db.query<{ id: string }>('SELECT id FROM events WHERE tenant_id = $1 AND calendar_id = $2 AND updated_at >= $3', [tenantId, calendarId, since]);
  return new Set(rows.map((r) => r.id));
}

/**
 * Every row of each UID that may have an occurrence in [start, end): recurring UIDs, and UIDs with
 * a row whose own start/end fall near the window. The text comparison spans all three time forms
 * (`…Z` instants, dates, floating times), so the window is widened by a day for zone offsets; the
 * caller expands and filters exactly.
 */
export async function eventsForWindow(db: Queryable, tenantId: string, calendarId: string, start: Date, end: Date): Promise<StoredEvent[]> {
  const DAY = 86_400_000;
  const lo = new Date(start.getTime() - DAY).toISOString();
  const hi = new Date(end.getTime() + DAY).toISOString();
  const rows = await db.query<EventRow>(
    `WITH t AS (
       SELECT uid, data,
              coalesce(data->'start'->>'dateTime', data->'start'->>'date', data->'start'->>'local') AS s,
              coalesce(data->'end'->>'dateTime', data->'end'->>'date', data->'end'->>'local') AS e
         FROM events WHERE tenant_id = $1 AND calendar_id = $2
     ), u AS (
       SELECT DISTINCT uid FROM t
        WHERE jsonb_typeof(data->'recurrence') = 'object' OR (s < $4 AND e > $3)
     )
     SELECT id, calendar_id, remote_id, content_hash, data FROM events
      WHERE tenant_id = $1 AND calendar_id = $2 AND uid IN (SELECT uid FROM u)
      ORDER BY uid, original_start_key`,
    [tenantId, calendarId, lo, hi],
  );
  return rows.map(toStored);
}

/**
 * Calendars by (tenant, id) pairs, for several requests at once: a pair whose calendar belongs to
 * another tenant finds nothing. Rows carry their tenant so each request takes only its own.
 */
export async function calendarsByTenantIds(db: Queryable, pairs: Array<{ tenantId: string; calendarId: string }>): Promise<Array<ResolvedCalendar & { tenantId: string }>> {
  if (pairs.length === 0) return [];
  // Two plain ANY filters cost PGlite less than joining unnest pairs; the pairing is checked below.
  const rows = await db.query<{ tenant_id: string; id: string; account_id: string; time_zone: string; v: string }>(
    `SELECT tenant_id, id, account_id, time_zone, busy_version::text AS v FROM calendars WHERE id = ANY($1::text[]) AND tenant_id = ANY($2::text[])`,
    [[...new Set(pairs.map((p) => p.calendarId))], [...new Set(pairs.map((p) => p.tenantId))]],
  );
  const asked = new Set(pairs.map((p) => `${p.tenantId}\u0000${p.calendarId}`));
  return rows
    .filter((r) => asked.has(`${r.tenant_id}\u0000${r.id}`))
    .map((r) => ({ tenantId: r.tenant_id, id: r.id, accountId: r.account_id, timeZone: r.time_zone, busyVersion: r.v }));
}

/** What makes a calendar's busy time incomplete: its account cannot sync, or its last sync failed or was stopped. */
export interface CalendarProblemRow {
  calendarId: string;
  accountStatus: string;
  accountReason: string | null;
  syncStage: string;
  failureCount: number;
  lastError: string | null;
  flaggedReason: string | null;
  /** False: its sync is switched off, and calhub holds none of its busy time. */
  syncEnabled: boolean;
  lastSuccessAt: string | null;
  /** Provider items set aside (quarantine). */
  quarantined: number;
  /** Of those, unreadable items whose last good copy the hub keeps: their busy time is as of that copy; the others' is missing. */
  kept: number;
}

/** The calendars among `ids` with a problem (usually none: one indexed statement that returns nothing). */
export async function calendarProblems(db: Queryable, tenantId: string, ids: string[]): Promise<CalendarProblemRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{
    id: string; status: string; status_reason: string | null; sync_stage: string; failure_count: number; last_error: string | null; flagged_reason: string | null; sync_enabled: boolean; last_success_at: Date | null; quarantined: number; kept: number;
  }>(
    `SELECT c.id, a.status, a.status_reason, c.sync_stage, c.failure_count, c.last_error, c.flagged_reason, c.sync_enabled, c.last_success_at, q.n AS quarantined, q.kept
       FROM calendars c JOIN accounts a ON a.id = c.account_id
       CROSS JOIN LATERAL (
         SELECT count(*)::int AS n,
                count(*) FILTER (WHERE x.error NOT LIKE '${UNEXPANDABLE}%' AND EXISTS (SELECT 1 FROM events e WHERE e.calendar_id = x.calendar_id AND e.remote_id = x.remote_id))::int AS kept
           FROM quarantine x WHERE x.calendar_id = c.id) q
      WHERE c.tenant_id = $1 AND c.id = ANY($2::text[])
        AND (a.status <> 'active' OR c.sync_stage = 'failed' OR c.failure_count > 0 OR c.flagged_reason IS NOT NULL OR NOT c.sync_enabled OR q.n > 0)`,
    [tenantId, ids],
  );
  return rows.map((r) => ({
    calendarId: r.id, accountStatus: r.status, accountReason: r.status_reason, syncStage: r.sync_stage, failureCount: r.failure_count,
    lastError: r.last_error, flaggedReason: r.flagged_reason, syncEnabled: r.sync_enabled, lastSuccessAt: r.last_success_at ? new Date(r.last_success_at).toISOString() : null,
    quarantined: r.quarantined,
    kept: r.kept,
  }));
}
