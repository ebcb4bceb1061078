/**
 * Switching a calendar's sync off or on (migration 0021). Off, calhub keeps no copy of it: its
 * events, busy index and sync state go in one transaction under the calendar's lock (the lock
 * every sync commit and API write takes, so none lands after it), and the calendar row stays, so
 * the calendar is still listed and can be switched on again, which starts from nothing (a full
 * sync). Refused while something would be lost or would write into it: mirror rules naming it,
 * local changes not yet written to the provider (parked deletes too, unless dropped on purpose).
 */
import type { Calendar } from '../model/index.ts';
import { spansLayout, type BusyLayout } from './busy-layout.ts';
import { toCalendar, type CalendarRow } from './calendars.ts';
import type { Queryable } from './db.ts';
import { parkedDeleteRetryAt, REFUSALS_BEFORE_PARKING } from './sync-repo.ts';
import { followZoneChange } from './zone-change.ts';

export type SyncSwitch =
  | { done: true; changed: boolean; calendar: Calendar }
  | { done: false; reason: 'mirrored'; ruleIds: string[] }
  /**
   * `pending`: changes still tried by each push; `parkedDeletes`: deletes the provider refused for
   * their content REFUSALS_BEFORE_PARKING times, in their wait (offered again from `retryAt`, the
   * soonest; null when none is). Each is a copy the user wants gone at the provider.
   */
  | { done: false; reason: 'writes-pending'; pending: number; parkedDeletes: number; retryAt: string | null };

/** A switch off may leave parked deletes behind at the provider, when the caller says so. */
export interface SyncOffOptions {
  /** Switch off even though parked deletes wait (their copies stay at the provider); changes still tried refuse it all the same. */
  dropParkedDeletes?: boolean;
}

// Every table holding the calendar's copy or its sync state. Deleting the events sends
// event.deleted for each (the statement trigger), as a deleted event at the provider would: a
// consumer's copy follows without knowing about the switch.
const COPY_TABLES = ['events', 'busy_spans', 'busy_truncated', 'busy_horizons', 'quarantine', 'read_warnings', 'sync_ledger', 'sync_seen', 'outbox', 'conflicts', 'mirror_links', 'write_journal'];

export type SyncOffRefusal = Extract<SyncSwitch, { done: false }>;

/**
 * Why switching the calendar's sync off would be refused now (null: it would not). The switch
 * checks it again under the calendar's lock; a request that changes more than the switch asks it
 * first, so a refusal comes before anything else of that request is done.
 */
export async function syncOffRefusal(db: Queryable, tenantId: string, calendarId: string, opts: SyncOffOptions = {}): Promise<SyncOffRefusal | null> {
  const rules = await db.query<{ id: string }>('SELECT id FROM mirror_rules WHERE tenant_id = $1 AND (source_calendar_id = $2 OR target_calendar_id = $2) ORDER BY created_at', [tenantId, calendarId]);
  if (rules.length) return { done: false, reason: 'mirrored', ruleIds: rules.map((r) => r.id) };
  // A parked delete is offered again after its wait (sync-repo.ts parkedDeleteRetryAt): a write the
  // user still wants sent, not one given up on, so it counts unless the caller drops it. A parked
  // edit waits for a new edit the switch rules out, and a write parked because the account cannot
  // write (no refused_at) waits for a reconnect: neither counts, as before.
  const rows = await db.query<{ op: 'put' | 'delete'; attempts: number; refused_at: Date | null }>(
    `SELECT op, attempts, refused_at FROM outbox WHERE calendar_id = $1
        AND (attempts < $2 OR (op = 'delete' AND refused_at IS NOT NULL))`,
    [calendarId, REFUSALS_BEFORE_PARKING],
  );
  const retries = rows.map((r) => parkedDeleteRetryAt(r.op, r.attempts, r.refused_at === null ? null : new Date(r.refused_at))).filter((d): d is Date => d !== null);
  const pending = rows.length - retries.length;
  if (pending === 0 && (retries.length === 0 || opts.dropParkedDeletes)) return null;
  const soonest = retries.length ? new Date(Math.min(...retries.map((d) => d.getTime()))).toISOString() : null;
  return { done: false, reason: 'writes-pending', pending, parkedDeletes: retries.length, retryAt: soonest };
}

/** Null when the tenant has no such calendar. */
export async function switchSync(tx: Queryable, tenantId: string, calendarId: string, enabled: boolean, opts: SyncOffOptions = {}): Promise<SyncSwitch | null> {
  // The calendar as this switch left it is the answer: read again afterwards, a concurrent switch could show through.
  const [cal] = await tx.query<CalendarRow>('SELECT * FROM calendars WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [calendarId, tenantId]);
  if (!cal) return null;
  if (cal.sync_enabled === enabled) return { done: true, changed: false, calendar: toCalendar(cal) };
  if (enabled) {
    // Polled on the next maintenance tick (no last success), its channel made on the supervisor's next sweep.
    const [on] = await tx.query<CalendarRow>('UPDATE calendars SET sync_enabled = true, updated_at = now() WHERE id = $1 AND tenant_id = $2 RETURNING *', [calendarId, tenantId]);
    return { done: true, changed: true, calendar: toCalendar(on!) };
  }
  const refused = await syncOffRefusal(tx, tenantId, calendarId, opts);
  if (refused) return refused;
  // The calendar first: its calendar.updated (syncEnabled false) then precedes the event.deleted
  // of each event on the calendar's webhook stream, so a consumer can tell them from deletions at the provider.
  const [off] = await tx.query<CalendarRow>(
    `UPDATE calendars SET sync_enabled = false, sync_cursor = NULL, cursor_epoch = cursor_epoch + 1, cursor_reset_reason = NULL, last_success_at = NULL, last_pull_at = NULL, failure_count = 0, last_error = NULL,
       flagged_reason = NULL, guard_tripped = NULL, guard_allowance = NULL, pull_requested_at = NULL, busy_version = busy_version + 1, updated_at = now()
     WHERE id = $1 AND tenant_id = $2 RETURNING *`,
    [calendarId, tenantId],
  );
  for (const table of COPY_TABLES) {
    const column = table === 'mirror_links' ? 'target_calendar_id' : 'calendar_id';
    await tx.query(`DELETE FROM ${table} WHERE ${column} = $1`, [calendarId]);
  }
  // The supervisor's next pass stops the channel at the provider. A minute back: the pass that
  // follows at once compares with its own clock, which can be behind the server's by a fraction of a millisecond.
  await tx.query(`UPDATE push_channels SET next_check_at = now() - interval '1 minute' WHERE calendar_id = $1 AND tenant_id = $2`, [calendarId, tenantId]);
  return { done: true, changed: true, calendar: toCalendar(off!) };
}

/** What one PATCH of a calendar sets in calhub (the name: as the provider now has it). */
export interface CalendarSettings {
  name?: string | undefined;
  countsForBusy?: boolean | null | undefined;
  syncEnabled?: boolean | undefined;
  /** A zone the tenant chose for the calendar (a resolved IANA name); null: the provider's again. */
  timeZone?: string | null | undefined;
  /** With syncEnabled false: see SyncOffOptions. */
  dropParkedDeletes?: boolean | undefined;
}

/** Thrown inside the transaction so a refused switch takes the other settings back with it. */
class Refused extends Error {
  constructor(readonly refusal: SyncOffRefusal) {
    super(refusal.reason);
  }
}

/**
 * The settings of one PATCH in one transaction: one calendar.updated naming every field that
 * changed (webhook-payloads.ts merges a transaction's updates of a calendar), and a refused sync
 * switch changes nothing. `changed` is whether the sync switch changed. Null: no such calendar.
 */
export async function applyCalendarSettings(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  tenantId: string,
  calendarId: string,
  s: CalendarSettings,
  busy: BusyLayout = spansLayout,
): Promise<SyncSwitch | null> {
  try {
    return await db.transaction(async (tx) => {
      const zone = s.timeZone !== undefined;
      // The zone before, under the row's lock: the busy spans follow a change in this transaction.
      const [before] = zone ? await tx.query<{ time_zone: string }>('SELECT time_zone FROM calendars WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [calendarId, tenantId]) : [];
      const [row] = await tx.query<CalendarRow>(
        `UPDATE calendars SET name = CASE WHEN $3 THEN $4 ELSE name END, counts_for_busy = CASE WHEN $5 THEN $6::boolean ELSE counts_for_busy END,
                time_zone = CASE WHEN $7 THEN COALESCE($8, provider_time_zone) ELSE time_zone END,
                time_zone_chosen = CASE WHEN $7 THEN $8::text IS NOT NULL ELSE time_zone_chosen END,
                updated_at = CASE WHEN $3 OR $5 OR $7 THEN now() ELSE updated_at END
          WHERE id = $1 AND tenant_id = $2 RETURNING *`,
        [calendarId, tenantId, s.name !== undefined, s.name ?? null, s.countsForBusy !== undefined, s.countsForBusy ?? null, zone, s.timeZone ?? null],
      );
      if (!row) return null;
      if (before && before.time_zone !== row.time_zone) await followZoneChange(tx, busy, { tenantId, calendarId, timeZone: row.time_zone });
      if (s.syncEnabled === undefined) return { done: true, changed: false, calendar: toCalendar(row) };
      const r = await switchSync(tx, tenantId, calendarId, s.syncEnabled, { dropParkedDeletes: s.dropParkedDeletes === true });
      if (r && !r.done) throw new Refused(r);
      return r;
    });
  } catch (e) {
    if (e instanceof Refused) return e.refusal;
    throw e;
  }
}
