import type { Queryable } from './db.ts';

/**
 * Why calhub dropped a calendar's cursor because the calendar went away at the provider: a
 * calendar list left it out (`missing`), or a pull met NOT_FOUND (`not_found`). Either way it may
 * come back as another collection at the same address (migration 0059).
 */
export type CursorResetReason = 'missing' | 'not_found';

/** A calendar's sync cursor as a pull starts from it: the cursor, and the epoch its commits must still find. */
export interface CursorState {
  cursor: string | null;
  epoch: number;
  resetReason: CursorResetReason | null;
  /** The database's clock as the state was read: a pull that completes from it has seen every change made before. */
  readAt?: Date;
}

/**
 * The sync cursor's epoch (migration 0059). A pull reads cursor and epoch together and commits its
 * cursor only while the epoch is unchanged (events.ts applyRemoteChanges); anything else that clears
 * the cursor bumps it, so the clear wins over a pull that was already running.
 */
export class CalendarCursorRepo {
  constructor(private readonly db: Queryable, private readonly tenantId: string) {}

  async state(id: string): Promise<CursorState | null> {
    const [r] = await this.db.query<{ sync_cursor: string | null; cursor_epoch: number; cursor_reset_reason: CursorResetReason | null; read_at: Date }>(
      'SELECT sync_cursor, cursor_epoch, cursor_reset_reason, now() AS read_at FROM calendars WHERE id = $1 AND tenant_id = $2',
      [id, this.tenantId],
    );
    return r ? { cursor: r.sync_cursor, epoch: r.cursor_epoch, resetReason: r.cursor_reset_reason, readAt: new Date(r.read_at) } : null;
  }

  /** Clears the cursor so the next pull lists in full, and makes a running pull's cursor commits fail. */
  async drop(id: string, reason: CursorResetReason | null = null): Promise<void> {
    await this.db.query(
      `UPDATE calendars SET sync_cursor = NULL, cursor_epoch = cursor_epoch + 1, cursor_reset_reason = COALESCE($3, cursor_reset_reason), updated_at = now()
        WHERE id = $1 AND tenant_id = $2`,
      [id, this.tenantId, reason],
    );
  }

  /**
   * A pull under `epoch` completed: the reset it started from is done with, and — `listedFrom`, when
   * its listing began — the polling backstop counts from it (migration 0095, dueForPoll).
   */
  async settle(id: string, epoch: number, listedFrom?: Date): Promise<void> {
    await this.db.query(
      `UPDATE calendars SET cursor_reset_reason = CASE WHEN cursor_epoch = $3 THEN NULL ELSE cursor_reset_reason END,
              last_pull_at = GREATEST(last_pull_at, $4::timestamptz)
        WHERE id = $1 AND tenant_id = $2 AND ((cursor_epoch = $3 AND cursor_reset_reason IS NOT NULL) OR $4::timestamptz IS NOT NULL)`,
      [id, this.tenantId, epoch, listedFrom ?? null],
    );
  }
}
