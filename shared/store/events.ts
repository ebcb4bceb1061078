import { CalendarNotSyncedError, NotFoundError, SyncCursorResetError } from '../errors.ts';
import { eventTimeKey, parseEvent, storableText, type CanonicalEvent } from '../model/index.ts';
import { seriesShift } from '../time/index.ts';
import { expandEach, expandOne, expandUids, groupByUid, type BusySpan, type Horizon, type UidBusy } from './busy.ts';
import { rebuildBusy, type BusyLayout } from './busy-layout.ts';
import type { Db, Queryable } from './db.ts';
import { objectRows, ROWS, rowParams, toRow, toRows, writeEvents, type EventRow, type Quarantine } from './event-write.ts';
import { mirrorCopiesOf, newlyTaken } from './free-slot.ts';
import { PreparedPage } from './prepare.ts';
import { recordReadWarnings } from './read-warnings.ts';
import type { IncomingChange } from './incoming-change.ts';
import { PIN_LEDGER_BASES } from './sync-repo.ts';

export type { IncomingChange };

export interface ApplyResult {
  upserted: number;
  deleted: number;
  quarantined: number;
  /** Remote ids set aside by this call (their stored rows, if any, stay as they were). */
  quarantinedIds: string[];
  busyRows: number;
  /** Series whose busy time stops early: their expansion was cut short (busy_truncated names them). */
  truncated: Array<{ uid: string; reason: string }>;
}

export interface StoredEvent {
  id: string;
  calendarId: string;
  remoteId: string | null;
  contentHash: string;
  event: CanonicalEvent;
}

/**
 * How the quarantine entry of a series whose stored rows the busy index could not expand begins
 * (its rows hold the provider's current version). Every other entry is an item that could not be
 * read: the rows of its remote id, if any, are the last good copy (stale).
 */
export const UNEXPANDABLE = 'recurrence cannot be expanded';
const UNREADABLE = `q.error NOT LIKE '${UNEXPANDABLE}%'`;

export interface QuarantinedItem {
  calendarId: string;
  remoteId: string;
  /** The kept event (quarantined() fills it; null elsewhere and for an item never read). */
  eventId: string | null;
  version: string | null;
  error: string;
  raw: string | null;
  firstSeen: string;
  lastSeen: string;
}

/** Inserts or updates event rows by (calendar, UID, original start); existing rows keep their ids. */
async function upsertRows(tx: Queryable, tenantId: string, calendarId: string, rows: EventRow[]): Promise<void> {
  await tx.query(
    `INSERT INTO events (id, tenant_id, calendar_id, remote_id, uid, original_start_key, data, content_hash, provider_version, busy_hash)
     SELECT x.id, $1, $2, x.rid, x.uid, x.k, x.d::jsonb, x.h, x.v, x.b FROM ${ROWS(3)}
     ON CONFLICT (calendar_id, uid, original_start_key) DO UPDATE SET
       remote_id = EXCLUDED.remote_id, data = EXCLUDED.data, content_hash = EXCLUDED.content_hash,
       provider_version = EXCLUDED.provider_version, busy_hash = EXCLUDED.busy_hash, updated_at = now()`,
    [tenantId, calendarId, ...rowParams(rows)],
  );
}

/**
 * Moves stored rows to new original start keys in place, keeping their ids: the same occurrences
 * re-keyed when their series moved (`moves`: row id -> new key). A row of the UID that held a
 * target key and is not moved itself is displaced (its occurrence went). In three steps, because
 * the rows may take each other's keys (a series moved by a day) and (calendar, UID, key) is unique.
 * The keys alone change here (no webhook row: the content hash stays); the write that follows
 * gives the rows their new content.
 */
async function rekeyRows(tx: Queryable, calendarId: string, uid: string, moves: Map<string, string>): Promise<void> {
  if (moves.size === 0) return;
  const ids = [...moves.keys()];
  const keys = ids.map((id) => moves.get(id)!);
  await tx.query("UPDATE events SET original_start_key = 'rekeying:' || id WHERE calendar_id = $1 AND id = ANY($2::text[])", [calendarId, ids]);
  await tx.query('DELETE FROM events WHERE calendar_id = $1 AND uid = $2 AND original_start_key = ANY($3::text[]) AND id <> ALL($4::text[])', [calendarId, uid, keys, ids]);
  await tx.query('UPDATE events e SET original_start_key = m.k FROM unnest($2::text[], $3::text[]) AS m(id, k) WHERE e.calendar_id = $1 AND e.id = m.id', [calendarId, ids, keys]);
}

/**
 * Overrides another client moved with their series (the whole UID moved by a time shift and each
 * override's RECURRENCE-ID with it, or Google and Graph answering a moved exception under a new
 * instance id): a stored override whose original start, moved by the series' shift, is where the
 * page now holds an override is that override, re-keyed in place so it keeps its event id instead
 * of going and coming back as a new one. Only a UID whose page rows hold its recurring master and
 * an override is looked at. A stored override the page still holds at its own key stays there,
 * unless another re-keyed row takes that key (a series moved by a day).
 */
async function rekeyMovedOverrides(tx: Queryable, calendarId: string, calendarZone: string, rows: EventRow[]): Promise<void> {
  const page = new Map<string, EventRow[]>();
  for (const r of rows) {
    const l = page.get(r.uid);
    if (l) l.push(r);
    else page.set(r.uid, [r]);
  }
  const uids = [...page].filter(([, rs]) => rs.some((r) => r.k === '' && r.d.recurrence) && rs.some((r) => r.k !== '')).map(([uid]) => uid);
  if (uids.length === 0) return;
  const stored = await tx.query<{ id: string; uid: string; k: string; d: CanonicalEvent }>(
    "SELECT id, uid, original_start_key AS k, data AS d FROM events WHERE calendar_id = $1 AND uid = ANY($2::text[]) ORDER BY original_start_key",
    [calendarId, uids],
  );
  for (const uid of uids) {
    const mine = stored.filter((s) => s.uid === uid);
    const was = mine.find((s) => s.k === '')?.d;
    const now = page.get(uid)!.find((r) => r.k === '')!.d;
    const shift = was ? seriesShift(was, now, calendarZone) : null;
    if (!shift) continue;
    const pageKeys = new Set(page.get(uid)!.map((r) => r.k));
    const candidates: Array<{ id: string; k: string; to: string }> = [];
    for (const s of mine) {
      if (s.k === '' || !s.d.originalStart) continue;
      const slot = shift(s.d.originalStart);
      const to = slot && eventTimeKey(slot);
      if (to && to !== s.k && pageKeys.has(to)) candidates.push({ id: s.id, k: s.k, to });
    }
    const moves = new Map<string, string>();
    const taken = new Set<string>();
    for (let grew = true; grew; ) {
      grew = false;
      for (const c of candidates) {
        if (moves.has(c.id) || (pageKeys.has(c.k) && !taken.has(c.k))) continue;
        moves.set(c.id, c.to);
        taken.add(c.to);
        grew = true;
      }
    }
    await rekeyRows(tx, calendarId, uid, moves);
  }
}

export type HorizonOf = (tx: Queryable, calendarId: string) => Promise<Horizon>;

/**
 * Where an EventRepo runs: `q` for reads; `write` for a write that must be atomic — its own
 * transaction on the pool, or the unit of work's transaction it is bound to.
 */
export interface EventScope {
  q: Queryable;
  write<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  driver: Db['driver'];
  horizonOf: HorizonOf;
  busy: BusyLayout;
}

/** Events, the busy index and quarantine of one tenant's calendars. */
export class EventRepo {
  private readonly db: Queryable;

  constructor(
    private readonly scope: EventScope,
    private readonly tenantId: string,
  ) {
    this.db = scope.q;
  }

  /**
   * Locks a calendar against other writers until the transaction ends (NotFoundError when the
   * tenant has no such calendar). In a unit of work, take it before reading what a write depends
   * on (an If-Match, an outbox token): read before the lock, it could change before the write.
   */
  async lock(calendarId: string): Promise<void> {
    await this.scope.write((tx) => this.lockCalendar(tx, calendarId));
  }

  /**
   * Applies a page of remote changes, and the new cursor when given, atomically: each upsert
   * replaces everything stored for its remoteId, invalid items go to quarantine, and the busy
   * index of every UID whose busy-relevant content changed is rebuilt before commit (so
   * `busyRows` counts spans written, not spans held). Re-applying a page is harmless. In a unit
   * of work, the ledger, outbox and conflicts written next to it commit or roll back with it.
   */
  async applyRemoteChanges(calendarId: string, changes: IncomingChange[], opts: { cursor?: string | null; cursorEpoch?: number; prepared?: PreparedPage | null } = {}): Promise<ApplyResult> {
    return this.scope.write(async (tx) => {
      const { cal, horizon } = await this.lockCalendar(tx, calendarId);
      const scope = { tenantId: this.tenantId, calendarId, timeZone: cal.time_zone, horizon };
      const touched = [...new Set(changes.map((c) => c.remoteId))];
      const { rows, quarantine, busyAhead } = toRows(changes, cal.time_zone, horizon, opts.prepared ?? undefined);
      const settled = changes.flatMap((c) => {
        if (c.kind === 'delete') return c.settlesUnsentOf !== undefined ? [c.settlesUnsentOf] : [];
        return c.kind === 'upsert' && c.settlesUnsent && !quarantine.has(c.remoteId) ? c.events.map((e) => e.uid) : [];
      });
      await rekeyMovedOverrides(tx, calendarId, cal.time_zone, rows);
      // An object set aside keeps the rows it had: the hub's last good copy of its events stays
      // (same ids, busy time, mirror copies; no event.deleted) until the item is readable again or
      // deleted at the provider. They were deleted, and came back under new ids when it healed.
      const readable = touched.filter((id) => !quarantine.has(id));
      const writing = writeEvents(tx, scope, rows, readable, readable, [...new Set(settled)]);
      // A server runs the write in another process: expanding the page meanwhile costs no wall
      // time, and on a first sync nearly every UID is needed. PGlite shares this thread, so there
      // only the UIDs that changed are expanded, after the write. Expansions made ahead (prepare)
      // are taken as they are.
      const early: Map<string, UidBusy> = busyAhead;
      if (this.scope.driver === 'postgres') {
        const rest = groupByUid(rows.filter((r) => !busyAhead.has(r.uid)).map((r) => r.d));
        for (const [uid, b] of expandEach(this.scope.busy.expandUid, rest, cal.time_zone, horizon)) early.set(uid, b);
      }
      const written = await writing;
      if (quarantine.size) await this.quarantine(tx, calendarId, quarantine);

      // Only UIDs whose busy-relevant content changed are re-expanded; the rest keep their spans.
      for (const e of written.others) early.delete(e.uid);
      const byUid = groupByUid([...rows.map((r) => r.d), ...written.others].filter((e) => written.changedUids.has(e.uid)));
      const busy = expandUids(this.scope.busy.expandUid, byUid, cal.time_zone, horizon, early);
      await this.scope.busy.replace(tx, scope, [...written.changedUids], busy);
      const failed = new Map<string, Quarantine>();
      for (const f of busy.failures) {
        const remoteId = rows.find((r) => r.uid === f.uid)?.rid ?? `uid:${f.uid}`;
        failed.set(remoteId, { version: null, error: `${UNEXPANDABLE}: ${f.error}`, raw: null });
      }
      if (failed.size) await this.quarantine(tx, calendarId, failed);
      await recordReadWarnings(tx, scope, changes, new Set([...quarantine.keys(), ...failed.keys()]));
      if (opts.cursor !== undefined) {
        // With the epoch the pull started under: a clear made since (calendar-cursor.ts) wins, and
        // the whole page rolls back with the refused cursor.
        const moved = await tx.query(
          'UPDATE calendars SET sync_cursor = $3, updated_at = now() WHERE id = $1 AND tenant_id = $2 AND ($4::int IS NULL OR cursor_epoch = $4) RETURNING id',
          [calendarId, this.tenantId, opts.cursor, opts.cursorEpoch ?? null],
        );
        if (moved.length === 0) throw new SyncCursorResetError(calendarId);
      }
      const deletedIds = changes.filter((c) => c.kind === 'delete').length;
      return { upserted: changes.length - deletedIds - quarantine.size, deleted: deletedIds, quarantined: quarantine.size, quarantinedIds: [...quarantine.keys()], busyRows: busy.rows.length, truncated: busy.truncated };
    });
  }

  /**
   * Makes the rows and busy expansions of a page that applyRemoteChanges will write next, so that
   * on PostgreSQL this process does it while the server writes the page before (the write takes
   * them, passed as `prepared`, if zone and horizon are unchanged). Yields to the event loop every few milliseconds, so
   * the page being written meanwhile is not held up. Objects that cannot be stored are left to the
   * write, which quarantines them. PGlite runs in this thread, so there it does nothing.
   */
  async prepare(calendarId: string, changes: IncomingChange[]): Promise<PreparedPage | null> {
    if (this.scope.driver !== 'postgres') return null;
    const [basis] = await this.db.query<{ time_zone: string; start_at: Date | null; end_at: Date | null }>(
      `SELECT c.time_zone, h.start_at, h.end_at FROM calendars c LEFT JOIN busy_horizons h ON h.calendar_id = c.id WHERE c.id = $1 AND c.tenant_id = $2`,
      [calendarId, this.tenantId],
    );
    // No horizon yet: the first write fixes it, and makes its page itself.
    if (!basis?.start_at || !basis.end_at) return null;
    const horizon = { start: basis.start_at, end: basis.end_at };
    const page = new PreparedPage(basis.time_zone, horizon);
    let slice = performance.now();
    for (const c of changes) {
      if (c.kind !== 'upsert') continue;
      let rows: EventRow[];
      try {
        rows = objectRows(c, basis.time_zone, horizon);
      } catch {
        continue;
      }
      const busy = new Map<string, UidBusy>();
      for (const [uid, events] of groupByUid(rows.map((r) => r.d))) busy.set(uid, expandOne(this.scope.busy.expandUid, events, basis.time_zone, horizon));
      page.put(c, { rows, busy });
      if (performance.now() - slice > 2) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
    }
    return page;
  }

  /**
   * A change made in the hub (API write, mirror copy, merge result) to every row of one UID,
   * atomically: rows keep their ids and remote ids (from providerEventId) and the busy index
   * follows. The outbox entry that goes with it belongs in the same unit of work. `afterLock` runs
   * once the calendar is locked, before any row changes (a writer's If-Match or UID check):
   * locking here and again in the caller cost the write path two statements each time.
   * `rekeyed` (original start key -> new one): overrides whose occurrence the change moved (a series
   * moved by a time shift); their rows keep their ids under the new keys.
   */
  async writeLocal(calendarId: string, uid: string, events: CanonicalEvent[], afterLock?: () => Promise<void>, rekeyed?: ReadonlyMap<string, string>): Promise<void> {
    await this.scope.write(async (tx) => {
      const { cal, horizon } = await this.lockCalendar(tx, calendarId);
      await afterLock?.();
      if (rekeyed?.size) {
        const held = await tx.query<{ id: string; k: string }>('SELECT id, original_start_key AS k FROM events WHERE calendar_id = $1 AND uid = $2 AND original_start_key = ANY($3::text[])', [calendarId, uid, [...rekeyed.keys()]]);
        await rekeyRows(tx, calendarId, uid, new Map(held.map((r) => [r.id, rekeyed.get(r.k)!])));
      }
      const rows = events.map((e) => toRow(parseEvent(e), uid, null, cal.time_zone, horizon));
      // The ledger's bases that are these rows must keep the agreed version, not the local edit.
      await tx.query(PIN_LEDGER_BASES('l.uid = $2 OR l.remote_id IN (SELECT remote_id FROM events WHERE calendar_id = $1 AND uid = $2 AND remote_id IS NOT NULL)'), [calendarId, uid]);
      await upsertRows(tx, this.tenantId, calendarId, rows);
      await tx.query('DELETE FROM events WHERE calendar_id = $1 AND uid = $2 AND original_start_key <> ALL($3)', [calendarId, uid, rows.map((r) => r.k)]);
      await rebuildBusy(this.scope.busy, tx, { tenantId: this.tenantId, calendarId, timeZone: cal.time_zone, horizon }, [uid]);
    });
  }

  /**
   * The busy time of `uid` in `calendarId` (as written) that other busy time overlaps, in that
   * calendar or the others given: what makes a slot taken for a write that asked for a free one.
   * Spans of a status in `freeStatuses` take nothing and block nothing; spans only touching are
   * no overlap; the event's own mirror copies are no other busy time. Run in the write's unit of
   * work, after the write, with those calendars locked. Null when `uid` takes no time in the busy
   * index (a free or cancelled event, or one wholly outside the horizon the index covers).
   * `eventKey`: only that row of the UID is checked (one occurrence's override, or the master), and
   * the UID's other rows count as anyone's busy time. `before`: the row's busy time before the
   * write; only time the write newly takes is checked (a retitle takes none).
   */
  async overlapsOf(
    calendarId: string,
    uid: string,
    otherCalendarIds: string[],
    freeStatuses: readonly string[],
    opts: { eventKey?: string; before?: Array<Pick<BusySpan, 'start' | 'end'> & { status?: string }> } = {},
  ): Promise<BusySpan[] | null> {
    const { eventKey } = opts;
    const own = (s: Pick<BusySpan, 'eventKey'>) => eventKey === undefined || s.eventKey === eventKey;
    const all = (await this.rowBusy(calendarId, uid, eventKey)).filter((s) => !freeStatuses.includes(s.status));
    if (all.length === 0) return null;
    const mine = opts.before ? newlyTaken(all, opts.before.filter((s) => s.status === undefined || !freeStatuses.includes(s.status))) : all;
    if (mine.length === 0) return [];
    const from = new Date(Math.min(...mine.map((s) => s.start.getTime())));
    const to = new Date(Math.max(...mine.map((s) => s.end.getTime())));
    const spans = await this.scope.busy.query(this.db, this.tenantId, [...new Set([calendarId, ...otherCalendarIds])], from, to);
    const overlapping = spans.filter(
      (o) => !(o.calendarId === calendarId && o.uid === uid && own(o)) && !freeStatuses.includes(o.status) && mine.some((m) => o.start < m.end && m.start < o.end),
    );
    if (overlapping.length === 0) return overlapping;
    const copies = await mirrorCopiesOf(this.db, this.tenantId, calendarId, uid);
    return overlapping.filter((o) => !copies.has(`${o.calendarId} ${o.uid}`));
  }

  /** The busy time one UID's rows hold in the index (`eventKey`: that row only). */
  async rowBusy(calendarId: string, uid: string, eventKey?: string): Promise<BusySpan[]> {
    return (await this.scope.busy.uidSpans(this.db, this.tenantId, calendarId, uid)).filter((s) => eventKey === undefined || s.eventKey === eventKey);
  }

  /** The remote id each stored instance of these UIDs is held under, by instance key (UID, \u0001, original start key). */
  async instanceHolders(calendarId: string, uids: string[]): Promise<Map<string, string>> {
    if (uids.length === 0) return new Map();
    const rows = await this.db.query<{ uid: string; k: string; remote_id: string }>(
      'SELECT uid, original_start_key AS k, remote_id FROM events WHERE calendar_id = $1 AND tenant_id = $2 AND uid = ANY($3) AND remote_id IS NOT NULL',
      [calendarId, this.tenantId, uids],
    );
    return new Map(rows.map((r) => [`${r.uid}\u0001${r.k}`, r.remote_id]));
  }

  /** Every row of one UID in a calendar (master first). */
  async byUid(calendarId: string, uid: string): Promise<StoredEvent[]> {
    const rows = await this.db.query<{ id: string; calendar_id: string; remote_id: string | null; content_hash: string; data: CanonicalEvent }>(
      `SELECT id, calendar_id, remote_id, content_hash, data FROM events WHERE calendar_id = $1 AND tenant_id = $2 AND uid = $3
        ORDER BY original_start_key`,
      [calendarId, this.tenantId, uid],
    );
    return rows.map((r) => ({ id: r.id, calendarId: r.calendar_id, remoteId: r.remote_id, contentHash: r.content_hash, event: r.data }));
  }

  /** Every row of each of these UIDs in a calendar, by UID (master first; a UID with none is absent): one query for many. */
  async byUids(calendarId: string, uids: string[]): Promise<Map<string, StoredEvent[]>> {
    const out = new Map<string, StoredEvent[]>();
    if (uids.length === 0) return out;
    const rows = await this.db.query<{ id: string; calendar_id: string; uid: string; remote_id: string | null; content_hash: string; data: CanonicalEvent }>(
      `SELECT id, calendar_id, uid, remote_id, content_hash, data FROM events WHERE calendar_id = $1 AND tenant_id = $2 AND uid = ANY($3::text[])
        ORDER BY uid, original_start_key`,
      [calendarId, this.tenantId, uids],
    );
    for (const r of rows) {
      const row = { id: r.id, calendarId: r.calendar_id, remoteId: r.remote_id, contentHash: r.content_hash, event: r.data };
      const list = out.get(r.uid);
      if (list) list.push(row);
      else out.set(r.uid, [row]);
    }
    return out;
  }

  /**
   * Serializes writers of one calendar. The horizon is read after the lock, in its own statement:
   * read in the locking statement it could predate an extendHorizons that held the lock.
   */
  private async lockCalendar(tx: Queryable, calendarId: string): Promise<{ cal: { time_zone: string }; horizon: Horizon }> {
    // The whole row: a benchmark's schema from before migration 0021 has no sync_enabled (and syncs).
    const [cal] = await tx.query<{ time_zone: string; sync_enabled?: boolean }>('SELECT * FROM calendars WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [
      calendarId,
      this.tenantId,
    ]);
    if (!cal) throw new NotFoundError(`calendar ${calendarId}`);
    // Switched off since the caller looked (a run under way, an API write racing the switch): nothing lands in it.
    if (cal.sync_enabled === false) throw new CalendarNotSyncedError(calendarId);
    return { cal, horizon: await this.scope.horizonOf(tx, calendarId) };
  }

  private async quarantine(tx: Queryable, calendarId: string, items: Map<string, Quarantine>) {
    await tx.query(
      `INSERT INTO quarantine (calendar_id, tenant_id, remote_id, version, error, raw)
       SELECT $1, $2, x.r, x.v, x.e, x.raw FROM jsonb_to_recordset($3::jsonb) AS x(r text, v text, e text, raw text)
       ON CONFLICT (calendar_id, remote_id) DO UPDATE SET version = EXCLUDED.version, error = EXCLUDED.error, raw = EXCLUDED.raw, last_seen = now()`,
      // What is set aside is kept as storable text: the bad characters become U+FFFD.
      [calendarId, this.tenantId, JSON.stringify([...items].map(([r, q]) => ({ r: storableText(r), v: q.version && storableText(q.version), e: storableText(q.error), raw: q.raw && storableText(q.raw) })))],
    );
  }

  async list(calendarId: string): Promise<StoredEvent[]> {
    const rows = await this.db.query<{ id: string; calendar_id: string; remote_id: string | null; content_hash: string; data: CanonicalEvent }>(
      `SELECT id, calendar_id, remote_id, content_hash, data FROM events WHERE calendar_id = $1 AND tenant_id = $2
        ORDER BY uid, original_start_key`,
      [calendarId, this.tenantId],
    );
    return rows.map((r) => ({ id: r.id, calendarId: r.calendar_id, remoteId: r.remote_id, contentHash: r.content_hash, event: r.data }));
  }

  async get(id: string): Promise<StoredEvent | null> {
    const rows = await this.db.query<{ id: string; calendar_id: string; remote_id: string | null; content_hash: string; data: CanonicalEvent }>(
      'SELECT id, calendar_id, remote_id, content_hash, data FROM events WHERE id = $1 AND tenant_id = $2',
      [id, this.tenantId],
    );
    const r = rows[0];
    return r ? { id: r.id, calendarId: r.calendar_id, remoteId: r.remote_id, contentHash: r.content_hash, event: r.data } : null;
  }

  /**
   * This transaction stored the provider's answer to calhub's own write of one UID (push.ts): its
   * webhook messages say writtenByCalhub, and each row in `was` (the hub's write, as it stood)
   * whose content the answer changed keeps that earlier hash as an etag still matching
   * (migration 0030): a caller holding the version it wrote is not refused for the provider's echo.
   */
  async answeredOwnWrite(calendarId: string, uid: string, was: Array<Pick<StoredEvent, 'id' | 'contentHash'>>): Promise<void> {
    await this.db.query("UPDATE webhook_outbox SET by_calhub = true WHERE txid = txid_current() AND calendar_id = $1 AND tenant_id = $2 AND uid = $3 AND kind = 'event'", [calendarId, this.tenantId, uid]);
    if (was.length === 0) return;
    await this.db.query(
      `UPDATE events e SET echo_hash = w.h FROM unnest($3::text[], $4::text[]) AS w(id, h)
        WHERE e.id = w.id AND e.calendar_id = $1 AND e.tenant_id = $2 AND e.content_hash <> w.h`,
      [calendarId, this.tenantId, was.map((r) => r.id), was.map((r) => r.contentHash)],
    );
  }

  /** The hash of calhub's own write the provider's answer replaced (answeredOwnWrite), while nothing else changed the row. */
  async echoHash(id: string): Promise<string | null> {
    const [r] = await this.db.query<{ echo_hash: string | null }>('SELECT echo_hash FROM events WHERE id = $1 AND tenant_id = $2', [id, this.tenantId]);
    return r?.echo_hash ?? null;
  }

  /** The remote ids stored for a calendar: a full listing deletes those it did not return. */
  /** Of these remote ids, those the calendar holds rows under. */
  async holding(calendarId: string, remoteIds: string[]): Promise<Set<string>> {
    if (remoteIds.length === 0) return new Set();
    const rows = await this.db.query<{ remote_id: string }>(
      'SELECT DISTINCT remote_id FROM events WHERE calendar_id = $1 AND tenant_id = $2 AND remote_id = ANY($3::text[])',
      [calendarId, this.tenantId, remoteIds],
    );
    return new Set(rows.map((r) => r.remote_id));
  }

  async remoteIds(calendarId: string): Promise<string[]> {
    const rows = await this.db.query<{ remote_id: string }>(
      'SELECT DISTINCT remote_id FROM events WHERE calendar_id = $1 AND tenant_id = $2 AND remote_id IS NOT NULL',
      [calendarId, this.tenantId],
    );
    return rows.map((r) => r.remote_id);
  }

  /**
   * Of these remote ids of a calendar (all when none are given), those set aside as unreadable:
   * their stored rows are the last good copy (the API marks such events `quarantined`).
   */
  async unreadable(calendarId: string, remoteIds?: Array<string | null>): Promise<Set<string>> {
    const ids = remoteIds && [...new Set(remoteIds.filter((r): r is string => r !== null))];
    if (ids?.length === 0) return new Set();
    const rows = await this.db.query<{ remote_id: string }>(
      `SELECT q.remote_id FROM quarantine q WHERE q.calendar_id = $1 AND q.tenant_id = $2 AND ($3::text[] IS NULL OR q.remote_id = ANY($3::text[])) AND ${UNREADABLE}`,
      [calendarId, this.tenantId, ids ?? null],
    );
    return new Set(rows.map((r) => r.remote_id));
  }

  /**
   * The unreadable items of one UID: set aside objects among its rows' remote ids and the objects
   * the ledger knows for it (an object whose rows a local delete removed is still at the provider).
   * A write to any of them would go over a version calhub could not read.
   */
  async unreadableOfUid(calendarId: string, uid: string): Promise<QuarantinedItem[]> {
    const rows = await this.db.query<{ calendar_id: string; remote_id: string; version: string | null; error: string; raw: string | null; first_seen: Date; last_seen: Date }>(
      `SELECT q.* FROM quarantine q WHERE q.calendar_id = $1 AND q.tenant_id = $2 AND ${UNREADABLE} AND q.remote_id IN (
         SELECT remote_id FROM events WHERE calendar_id = $1 AND uid = $3 AND remote_id IS NOT NULL
         UNION SELECT remote_id FROM sync_ledger WHERE calendar_id = $1 AND uid = $3)
       ORDER BY q.remote_id`,
      [calendarId, this.tenantId, uid],
    );
    return rows.map(toItem);
  }

  /** Every entry, with the event kept for it (the master, else the first instance; none for an item never read). */
  async quarantined(calendarId?: string): Promise<QuarantinedItem[]> {
    const rows = await this.db.query<QuarantineRow>(
      `SELECT q.*, e.id AS event_id FROM quarantine q
         LEFT JOIN LATERAL (SELECT id FROM events WHERE calendar_id = q.calendar_id AND remote_id = q.remote_id ORDER BY original_start_key LIMIT 1) e ON true
        WHERE q.tenant_id = $1 AND ($2::text IS NULL OR q.calendar_id = $2) ORDER BY q.first_seen, q.remote_id`,
      [this.tenantId, calendarId ?? null],
    );
    return rows.map(toItem);
  }
}

type QuarantineRow = { calendar_id: string; remote_id: string; version: string | null; error: string; raw: string | null; first_seen: Date; last_seen: Date; event_id?: string | null };

const toItem = (r: QuarantineRow): QuarantinedItem => ({
  calendarId: r.calendar_id,
  remoteId: r.remote_id,
  eventId: r.event_id ?? null,
  version: r.version,
  error: r.error,
  raw: r.raw,
  firstSeen: new Date(r.first_seen).toISOString(),
  lastSeen: new Date(r.last_seen).toISOString(),
});
