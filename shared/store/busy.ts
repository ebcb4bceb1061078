import { createHash } from 'node:crypto';
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

/** Expansion results: a UID that fails keeps no spans and is reported with the reason. */
export interface ExpandedBusy {
  rows: BusyRow[];
  failures: Array<{ uid: string; error: string }>;
}

type UidBusy = BusyRow[] | { error: string };

export function groupByUid(events: CanonicalEvent[]): Map<string, CanonicalEvent[]> {
  const byUid = new Map<string, CanonicalEvent[]>();
  for (const e of events) {
    const list = byUid.get(e.uid);
    if (list) list.push(e);
    else byUid.set(e.uid, [e]);
  }
  return byUid;
}

function expandOne(events: CanonicalEvent[], calendarTimeZone: string, horizon: Horizon): UidBusy {
  try {
    return expandUid(events, calendarTimeZone, horizon);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Per-UID results, for a caller that expands before it knows which UIDs it will need. */
export function expandEach(byUid: Map<string, CanonicalEvent[]>, calendarTimeZone: string, horizon: Horizon): Map<string, UidBusy> {
  return new Map([...byUid].map(([uid, events]) => [uid, expandOne(events, calendarTimeZone, horizon)]));
}

/** Expands every UID of `byUid`, reusing `ready` results (from expandEach over the same rows). */
export function expandUids(byUid: Map<string, CanonicalEvent[]>, calendarTimeZone: string, horizon: Horizon, ready?: Map<string, UidBusy>): ExpandedBusy {
  const rows: BusyRow[] = [];
  const failures: ExpandedBusy['failures'] = [];
  for (const [uid, events] of byUid) {
    const r = ready?.get(uid) ?? expandOne(events, calendarTimeZone, horizon);
    if ('error' in r) failures.push({ uid, error: r.error });
    else for (const b of r) rows.push(b);
  }
  return { rows, failures };
}

/**
 * Digest of everything expandUid reads from one row (times, recurrence, status, availability, the
 * owner's response) plus the calendar zone and horizon it was expanded for. If busy policy or
 * expansion starts reading another field, add it here, or unchanged digests would keep stale spans.
 */
export function busyHash(e: CanonicalEvent, calendarTimeZone: string, horizon: Horizon): string {
  const self = e.attendees.find((a) => a.self)?.response ?? null;
  const key = [e.uid, e.originalStart, e.start, e.end, e.recurrence, e.status, e.availability, self, calendarTimeZone, horizon.start.getTime(), horizon.end.getTime()];
  return createHash('sha1').update(JSON.stringify(key)).digest('base64');
}

/**
 * Replaces the busy spans of `uids` with `rows` and bumps busy_version, in one statement so the
 * busy index costs one round trip per page. UIDs that failed to expand get busy_hash NULL, so the
 * next write of the same content retries (and quarantines) instead of skipping them.
 */
export async function replaceBusy(tx: Queryable, scope: { tenantId: string; calendarId: string }, uids: string[], busy: ExpandedBusy): Promise<void> {
  if (uids.length === 0) return;
  const r = busy.rows;
  // The spans to clear are found by one index probe per UID (OFFSET 0 stops the planner from
  // flattening it): with the stale statistics of a table being bulk-loaded it walked the calendar's
  // whole GiST range instead, so each page cost more than the last. The caller holds the calendar
  // row lock, so deleting by ctid is safe.
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
): Promise<{ rows: number; failures: Array<{ uid: string; error: string }> }> {
  if (uids.length === 0) return { rows: 0, failures: [] };
  const stored = await tx.query<{ uid: string; data: CanonicalEvent }>('SELECT uid, data FROM events WHERE calendar_id = $1 AND uid = ANY($2::text[])', [
    scope.calendarId,
    uids,
  ]);
  const busy = expandUids(groupByUid(stored.map((r) => r.data)), scope.timeZone, scope.horizon);
  await replaceBusy(tx, scope, uids, busy);
  return { rows: busy.rows.length, failures: busy.failures };
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
