import { busyStatusOf, type CanonicalEvent } from '../model/index.ts';
import { expandSeries } from '../time/index.ts';
import type { Queryable } from './db.ts';

export interface Horizon {
  start: Date;
  end: Date;
}

export interface BusyRow {
  uid: string;
  k: string;
  s: string;
  e: string;
  st: string;
}

/** Groups a UID's rows into master (or single) + overrides, as expandSeries wants them. */
export function expandUid(events: CanonicalEvent[], calendarTimeZone: string, horizon: Horizon): BusyRow[] {
  const master = events.find((e) => e.originalStart === null) ?? null;
  const overrides = events.filter((e) => e.originalStart !== null);
  const out: BusyRow[] = [];
  for (const occ of expandSeries({ master, overrides, calendarTimeZone, window: horizon })) {
    const status = busyStatusOf(occ.event);
    if (status === null || occ.endMs <= occ.startMs) continue;
    out.push({
      uid: occ.event.uid,
      k: occ.isOverride ? occ.originalStartKey : '',
      s: new Date(occ.startMs).toISOString(),
      e: new Date(occ.endMs).toISOString(),
      st: status,
    });
  }
  return out;
}

/**
 * Recomputes the busy spans of the given UIDs from their stored event rows, inside the caller's
 * transaction, so the index never disagrees with the events. Returns UIDs whose recurrence could
 * not be expanded, with the reason.
 */
export async function rebuildBusy(
  tx: Queryable,
  scope: { tenantId: string; calendarId: string; timeZone: string; horizon: Horizon },
  uids: string[],
  /** Rows the caller just wrote (all rows of these remote ids), so they need not be read back. */
  known?: { remoteIds: string[]; events: CanonicalEvent[] },
): Promise<{ rows: number; failures: Array<{ uid: string; error: string }> }> {
  if (uids.length === 0) return { rows: 0, failures: [] };
  await bumpBusyVersion(tx, scope.calendarId);
  await tx.query('DELETE FROM busy_intervals WHERE calendar_id = $1 AND uid = ANY($2)', [scope.calendarId, uids]);
  const stored = await tx.query<{ uid: string; data: CanonicalEvent }>(
    'SELECT uid, data FROM events WHERE calendar_id = $1 AND uid = ANY($2) AND (remote_id IS NULL OR remote_id <> ALL($3))',
    [scope.calendarId, uids, known?.remoteIds ?? []],
  );
  const byUid = new Map<string, CanonicalEvent[]>();
  for (const e of known?.events ?? []) byUid.set(e.uid, [...(byUid.get(e.uid) ?? []), e]);
  for (const r of stored) byUid.set(r.uid, [...(byUid.get(r.uid) ?? []), r.data]);
  const rows: BusyRow[] = [];
  const failures: Array<{ uid: string; error: string }> = [];
  for (const [uid, events] of byUid) {
    try {
      rows.push(...expandUid(events, scope.timeZone, scope.horizon));
    } catch (e) {
      failures.push({ uid, error: (e as Error).message });
    }
  }
  for (let i = 0; i < rows.length; i += 5000) {
    await tx.query(
      `INSERT INTO busy_intervals (calendar_id, tenant_id, uid, event_key, span, status)
       SELECT $1, $2, x.uid, x.k, tstzrange(x.s, x.e, '[)'), x.st
         FROM jsonb_to_recordset($3::jsonb) AS x(uid text, k text, s timestamptz, e timestamptz, st text)`,
      [scope.calendarId, scope.tenantId, JSON.stringify(rows.slice(i, i + 5000))],
    );
  }
  return { rows: rows.length, failures };
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

/** Busy spans overlapping [start, end) for the tenant's calendars: one index scan, no expansion. */
export async function queryBusy(db: Queryable, tenantId: string, calendarIds: string[], start: Date, end: Date): Promise<BusySpan[]> {
  const rows = await db.query<{ calendar_id: string; s: Date; e: Date; status: string; uid: string; event_key: string }>(
    `SELECT calendar_id, lower(span) AS s, upper(span) AS e, status, uid, event_key
       FROM busy_intervals
      WHERE calendar_id = ANY($2) AND tenant_id = $1 AND span && tstzrange($3, $4, '[)')
      ORDER BY calendar_id, lower(span), upper(span)`,
    [tenantId, calendarIds, start.toISOString(), end.toISOString()],
  );
  return rows.map((r) => ({ calendarId: r.calendar_id, start: r.s, end: r.e, status: r.status, uid: r.uid, eventKey: r.event_key }));
}
