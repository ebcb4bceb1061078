/**
 * The write half of applyRemoteChanges: one statement upserts a page's event rows, deletes the rows
 * its objects no longer hold, heals their quarantine entries and returns what the busy index needs
 * to know (which UIDs changed in a way that moves busy time, and stored rows of those UIDs the page
 * did not carry), so nothing just written is read back.
 */
import { contentHash, eventTimeKey, isParsedEvent, parseEvent, storableText, textProblem, type CanonicalEvent } from '../model/index.ts';
import { busyHash, type Horizon, type UidBusy } from './busy.ts';
import type { Queryable } from './db.ts';
import type { IncomingChange } from './incoming-change.ts';
import { newId } from './ids.ts';
import type { EventRow, PreparedPage } from './prepare.ts';

export type { EventRow } from './prepare.ts';
import { PIN_LEDGER_BASES } from './sync-repo.ts';

export type Quarantine = { version: string | null; error: string; raw: string | null };

export function toRow(d: CanonicalEvent, uid: string, rid: string | null, timeZone: string, horizon: Horizon): EventRow {
  const k = d.originalStart ? eventTimeKey(d.originalStart) : '';
  return { id: newId('evt'), rid: rid ?? d.providerEventId, uid, k, d, j: JSON.stringify(d), h: contentHash(d), v: d.providerVersion, b: busyHash(d, timeZone, horizon) };
}

/**
 * Why an object's rows cannot be stored, or null. JSON.stringify writes a NUL or a lone surrogate
 * only as a `\u` escape (other characters go out as themselves), so rows whose JSON holds no `\u`
 * at all are storable without walking every string; the rest get the exact, named check.
 */
function unstorable(events: unknown[], rows: EventRow[]): string | null {
  if (!rows.some((r) => r.j.includes('\\u'))) return null;
  return textProblem(events, 'event') ?? textProblem(rows.map((r) => r.d), 'event');
}

/** Event rows as statement parameters from `$first` on; `ROWS(first)` reads them back as x(id, rid, uid, k, h, v, b, d). */
export const rowParams = (rows: EventRow[]): unknown[] => [
  rows.map((r) => r.id),
  rows.map((r) => r.rid),
  rows.map((r) => r.uid),
  rows.map((r) => r.k),
  rows.map((r) => r.h),
  rows.map((r) => r.v),
  rows.map((r) => r.b),
  // JSON.stringify never writes a raw newline, so the joined text splits back exactly. Splitting it
  // costs the server far less than reading one JSON document of all rows or an array literal.
  rows.length ? rows.map((r) => r.j).join('\n') : null,
];
export const ROWS = (first: number): string => {
  const p = (i: number) => `$${first + i}::text[]`;
  return `ROWS FROM (unnest(${[0, 1, 2, 3, 4, 5, 6].map(p).join(', ')}), string_to_table($${first + 7}, E'\\n')) AS x(id, rid, uid, k, h, v, b, d)`;
};

/**
 * Validates a page: an object's rows all go in, or none and it is quarantined (so are `invalid`
 * items). A later valid version of a quarantined object heals it. Rows made ahead (`prepared`) for
 * the same object, zone and horizon are taken as they are; `busyAhead` holds their expansions.
 */
export function toRows(
  changes: IncomingChange[],
  timeZone: string,
  horizon: Horizon,
  prepared?: PreparedPage,
): { rows: EventRow[]; quarantine: Map<string, Quarantine>; busyAhead: Map<string, UidBusy> } {
  const rows: EventRow[] = [];
  const quarantine = new Map<string, Quarantine>();
  const ahead = new Map<string, UidBusy>();
  const objectsOfUid = new Map<string, number>();
  for (const c of changes) {
    if (c.kind === 'invalid') quarantine.set(c.remoteId, { version: c.version, error: c.error, raw: c.raw });
    if (c.kind !== 'upsert') continue;
    try {
      const made = prepared?.take(c, timeZone, horizon);
      const mine = made?.rows ?? objectRows(c, timeZone, horizon);
      for (const r of mine) rows.push(r);
      for (const uid of new Set(mine.map((r) => r.uid))) {
        objectsOfUid.set(uid, (objectsOfUid.get(uid) ?? 0) + 1);
        const b = made?.busy.get(uid);
        if (b) ahead.set(uid, b);
      }
      quarantine.delete(c.remoteId);
    } catch (e) {
      quarantine.set(c.remoteId, { version: c.version, error: (e as Error).message, raw: storableText(JSON.stringify(c.events)) });
    }
  }
  // An expansion made ahead covers its object's rows only: a UID that other objects of the page
  // also hold is expanded again from all of them.
  for (const [uid, n] of objectsOfUid) if (n > 1) ahead.delete(uid);
  return { rows, quarantine, busyAhead: ahead };
}

/**
 * One upsert's rows, or a throw naming why the object cannot be stored (all its rows go in, or none).
 */
export function objectRows(c: Extract<IncomingChange, { kind: 'upsert' }>, timeZone: string, horizon: Horizon): EventRow[] {
  const mine = c.events.map((e) => {
    // Parsed once, by the connector's mapper: the ids below are strings or null, as the schema wants.
    const d = isParsedEvent(e) ? { ...e, providerEventId: c.remoteId, providerVersion: c.version } : parseEvent({ ...e, providerEventId: c.remoteId, providerVersion: c.version });
    return toRow(d, d.uid, c.remoteId, timeZone, horizon);
  });
  // The engine screens pages first (sync-engine/screen.ts); this keeps any other caller's one
  // unstorable object from failing the whole transaction.
  const problem = unstorable(c.events, mine);
  if (problem) throw new Error(`unstorable text: ${problem}`);
  return mine;
}

export interface WriteOutcome {
  /** UIDs whose busy spans must be rebuilt: a row added, removed, or with a new busy hash. */
  changedUids: Set<string>;
  /** Stored rows of changed UIDs that the page did not carry (e.g. Google overrides), still in place. */
  others: CanonicalEvent[];
}

const keyOf = (uid: string, k: string) => `${uid}\u0000${k}`;

/**
 * Every sub-statement sees the snapshot from before the statement, so `old` is the state the page
 * replaces. The upsert and the delete touch disjoint rows: the delete keeps every (uid, key) the
 * page carries. The page's rows travel as one JSON document: JSON.stringify is native, where
 * driver-side array literals would escape each ~1 KB event in JavaScript.
 *
 * Stored rows are found by one index probe per UID or remote id. OFFSET 0 keeps the planner from
 * flattening the probes into a join that, with the stale statistics of a table being bulk-loaded
 * (PGlite never analyzes), scans the whole calendar, so each page cost more than the one before.
 * Deleting by ctid is safe: the caller holds the calendar row lock that every writer takes.
 * `pinned` copies the ledger base of other remote ids whose rows of the page's UIDs this page may
 * overwrite (an instance moving between objects), read from the snapshot before the write.
 * `$14` are UIDs whose unsent rows the page does not carry go as well (IncomingChange.settlesUnsent).
 * A new row of a UID the hub deleted, whose delete still waits in the outbox, is the provider's change
 * winning over that delete (modify-wins, or parked): it takes the id the delete removed (migration 0101).
 */
const WRITE_SQL = `
WITH old AS (
  SELECT e.* FROM unnest($4::text[]) AS u(uid), LATERAL (
    SELECT e.uid, e.original_start_key AS k, e.busy_hash AS b, e.remote_id AS rid, e.data AS d
      FROM events e WHERE e.calendar_id = $2 AND e.uid = u.uid OFFSET 0) e
), x AS (
  SELECT x.*, (x.uid, x.k) IN (SELECT old.uid, old.k FROM old) AS stored FROM ${ROWS(6)}
), ins AS (
  INSERT INTO events (id, tenant_id, calendar_id, remote_id, uid, original_start_key, data, content_hash, provider_version, busy_hash)
  SELECT coalesce((SELECT o.deleted_ids ->> x.k FROM outbox o WHERE o.calendar_id = $2 AND o.uid = x.uid AND o.op = 'delete'), x.id),
         $1, $2, x.rid, x.uid, x.k, x.d::jsonb, x.h, x.v, x.b FROM x WHERE NOT x.stored
), up AS (
  INSERT INTO events (id, tenant_id, calendar_id, remote_id, uid, original_start_key, data, content_hash, provider_version, busy_hash)
  SELECT x.id, $1, $2, x.rid, x.uid, x.k, x.d::jsonb, x.h, x.v, x.b FROM x WHERE x.stored
  ON CONFLICT (calendar_id, uid, original_start_key) DO UPDATE SET
    remote_id = EXCLUDED.remote_id, data = EXCLUDED.data, content_hash = EXCLUDED.content_hash,
    provider_version = EXCLUDED.provider_version, busy_hash = EXCLUDED.busy_hash, updated_at = now()
), gone AS (
  DELETE FROM events WHERE ctid = ANY(ARRAY(
    SELECT e.ctid FROM unnest($3::text[]) AS r(rid), LATERAL (
      SELECT ctid, uid, original_start_key FROM events WHERE calendar_id = $2 AND remote_id = r.rid OFFSET 0) e
     WHERE NOT EXISTS (SELECT 1 FROM x WHERE x.uid = e.uid AND x.k = e.original_start_key)
    UNION ALL
    SELECT e.ctid FROM unnest($14::text[]) AS u(uid), LATERAL (
      SELECT ctid, original_start_key FROM events WHERE calendar_id = $2 AND uid = u.uid AND remote_id IS NULL OFFSET 0) e
     WHERE NOT EXISTS (SELECT 1 FROM x WHERE x.uid = u.uid AND x.k = e.original_start_key)))
  RETURNING uid, original_start_key AS k
), healed AS (
  DELETE FROM quarantine WHERE calendar_id = $2 AND remote_id = ANY($5::text[])
), pinned AS (
  ${PIN_LEDGER_BASES('l.remote_id IN (SELECT old.rid FROM old WHERE old.rid <> ALL($3::text[]))').replaceAll('$1', '$2')}
)
SELECT uid, k, NULL AS b, NULL::jsonb AS d, true AS gone FROM gone
UNION ALL
SELECT uid, k, b, CASE WHEN rid IS NULL OR rid <> ALL($3::text[]) THEN d END, false FROM old`;

/**
 * Writes `rows` (all rows of the `touched` remote ids) and reports what changed for the busy
 * index. `healed` are touched remote ids whose quarantine entry goes; `settled` are UIDs whose rows
 * without a remote id go unless `rows` carry them.
 */
export async function writeEvents(
  tx: Queryable,
  scope: { tenantId: string; calendarId: string },
  rows: EventRow[],
  touched: string[],
  healed: string[],
  settled: string[] = [],
): Promise<WriteOutcome> {
  const changedUids = new Set<string>();
  if (touched.length === 0 && rows.length === 0) return { changedUids, others: [] };
  const uids = [...new Set(rows.map((r) => r.uid))];
  const result = await tx.query<{ uid: string; k: string | null; b: string | null; d: CanonicalEvent | null; gone: boolean }>(WRITE_SQL, [
    scope.tenantId,
    scope.calendarId,
    touched,
    uids,
    healed,
    ...rowParams(rows),
    settled,
  ]);
  const fresh = new Set(rows.map((r) => keyOf(r.uid, r.k)));
  // An unsent row the page settled is gone, not one of the rows the page left in place.
  const removed = new Set(result.filter((r) => r.gone).map((r) => keyOf(r.uid, r.k!)));
  const stored = new Map<string, string | null>();
  const candidates: Array<{ uid: string; d: CanonicalEvent }> = [];
  for (const r of result) {
    if (r.gone) changedUids.add(r.uid);
    else {
      const key = keyOf(r.uid, r.k!);
      stored.set(key, r.b);
      // A row of another remote id that this page overwrote is one of the page's rows now.
      if (r.d !== null && !fresh.has(key) && !removed.has(key)) candidates.push({ uid: r.uid, d: r.d });
    }
  }
  for (const r of rows) if (stored.get(keyOf(r.uid, r.k)) !== r.b) changedUids.add(r.uid);
  const others = candidates.filter((c) => changedUids.has(c.uid)).map((c) => c.d);
  // A UID the page no longer carries (a deleted object): whatever rows of it remain are others'.
  const page = new Set(uids);
  const dropped = [...changedUids].filter((u) => !page.has(u));
  if (dropped.length) {
    const rest = await tx.query<{ data: CanonicalEvent }>('SELECT data FROM events WHERE calendar_id = $1 AND uid = ANY($2::text[])', [scope.calendarId, dropped]);
    for (const r of rest) others.push(r.data);
  }
  return { changedUids, others };
}
