/**
 * The busy index as it was before migration 0010: one GiST-indexed `busy_intervals` row per
 * occurrence (migration 0001). Kept only so the benchmarks can measure it beside the current
 * layout in one run, on a schema migrated up to 0009; production never uses it.
 */
import { busyStatusOf, type CanonicalEvent } from '../shared/model/index.ts';
import type { BusyLayout, BusySpan, CalendarBusyRows, Queryable } from '../shared/store/index.ts';
import { expandSeries } from '../shared/time/index.ts';

/** The last migration of the old layout. */
export const LEGACY_UP_TO = 9;

type Row = { uid: string; k: string; s: string; e: string; st: string };

function expandUid(events: CanonicalEvent[], calendarTimeZone: string, horizon: { start: Date; end: Date }): Row[] {
  const master = events.find((e) => e.originalStart === null) ?? null;
  const overrides = events.filter((e) => e.originalStart !== null);
  const out: Row[] = [];
  for (const occ of expandSeries({ master, overrides, calendarTimeZone, window: horizon })) {
    const status = busyStatusOf(occ.event);
    if (status === null || occ.endMs <= occ.startMs) continue;
    out.push({ uid: occ.event.uid, k: occ.isOverride ? occ.originalStartKey : '', s: new Date(occ.startMs).toISOString(), e: new Date(occ.endMs).toISOString(), st: status });
  }
  return out;
}

export const legacyLayout: BusyLayout = {
  name: 'one busy_intervals row per occurrence (GiST)',
  expandUid,
  async replace(tx, scope, uids, busy) {
    if (uids.length === 0) return;
    const r = busy.rows as Row[];
    await tx.query(
      `WITH cleared AS (
         DELETE FROM busy_intervals WHERE ctid = ANY(ARRAY(
           SELECT b.ctid FROM unnest($3::text[]) AS u(uid),
                  LATERAL (SELECT ctid FROM busy_intervals WHERE calendar_id = $1 AND uid = u.uid OFFSET 0) b))),
            bumped AS (UPDATE calendars SET busy_version = busy_version + 1 WHERE id = $1)
       INSERT INTO busy_intervals (calendar_id, tenant_id, uid, event_key, span, status)
       SELECT $1, $2, x.uid, x.k, tstzrange(x.s, x.e, '[)'), x.st
         FROM unnest($4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[]) AS x(uid, k, s, e, st)`,
      [scope.calendarId, scope.tenantId, uids, r.map((b) => b.uid), r.map((b) => b.k), r.map((b) => b.s), r.map((b) => b.e), r.map((b) => b.st)],
    );
    if (busy.failures.length) {
      await tx.query('UPDATE events SET busy_hash = NULL WHERE calendar_id = $1 AND uid = ANY($2::text[])', [scope.calendarId, busy.failures.map((f) => f.uid)]);
    }
  },
  async trim(tx, calendarId, before) {
    await tx.query('DELETE FROM busy_intervals WHERE calendar_id = $1 AND upper(span) < $2', [calendarId, before]);
  },
  async query(db: Queryable, tenantId, calendarIds, start, end): Promise<BusySpan[]> {
    const rows = await db.query<{ calendar_id: string; s: Date; e: Date; status: string; uid: string; event_key: string }>(
      `SELECT calendar_id, lower(span) AS s, upper(span) AS e, status, uid, event_key FROM busy_intervals
        WHERE calendar_id = ANY($2) AND tenant_id = $1 AND span && tstzrange($3, $4, '[)') ORDER BY calendar_id, lower(span), upper(span)`,
      [tenantId, calendarIds, start.toISOString(), end.toISOString()],
    );
    return rows.map((r) => ({ calendarId: r.calendar_id, start: r.s, end: r.e, status: r.status, uid: r.uid, eventKey: r.event_key }));
  },
  async uidSpans(db: Queryable, tenantId, calendarId, uid): Promise<BusySpan[]> {
    const rows = await db.query<{ s: Date; e: Date; status: string; event_key: string }>(
      'SELECT lower(span) AS s, upper(span) AS e, status, event_key FROM busy_intervals WHERE calendar_id = $2 AND tenant_id = $1 AND uid = $3 ORDER BY lower(span)',
      [tenantId, calendarId, uid],
    );
    return rows.map((r) => ({ calendarId, start: r.s, end: r.e, status: r.status, uid, eventKey: r.event_key }));
  },
  async horizonSpans(db, tenantId, calendarIds): Promise<CalendarBusyRows[]> {
    if (calendarIds.length === 0) return [];
    const rows = await db.query<{ id: string; v: string; j: string | null }>(
      `SELECT c.id, c.busy_version::text AS v,
              (SELECT json_agg(json_build_array((date_part('epoch', lower(b.span)) * 1000)::int8, (date_part('epoch', upper(b.span)) * 1000)::int8,
                                                b.status, b.uid, b.event_key))::text
                 FROM busy_intervals b WHERE b.calendar_id = c.id AND b.tenant_id = $1) AS j
         FROM calendars c WHERE c.tenant_id = $1 AND c.id = ANY($2::text[])`,
      [tenantId, calendarIds],
    );
    return rows.map((r) => ({ calendarId: r.id, busyVersion: r.v, spans: r.j === null ? [] : (JSON.parse(r.j) as CalendarBusyRows['spans']) }));
  },
};
