/** Progress of the calendars a resync waits for, read from the store (any mode: queue or in-process). */
import { scrubSecrets } from '../shared/logger.ts';
import { opsQueries } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';

export interface CalendarProgressView {
  id: string;
  name: string;
  /** waiting: not synced since the request; running; done; failed; flagged: held by the mass-change guard until unflagged (its jobs end skipped) */
  state: 'waiting' | 'running' | 'done' | 'failed' | 'flagged';
  /** Items the hub holds for the calendar now (listed from the provider and stored). */
  stored: number;
  /** Local changes still to be written to the provider. */
  writesLeft: number;
  error: string | null;
}

export async function syncProgress(hub: Hub, calendarIds: string[], since: Date): Promise<CalendarProgressView[]> {
  return (await opsQueries.calendarProgress(hub.store.db, calendarIds)).map((c) => {
    const synced = c.lastSuccessAt !== null && c.lastSuccessAt.getTime() >= since.getTime();
    // Flagged before or during the resync, its runs end skipped: it would show as waiting for good.
    if (c.flaggedReason !== null && c.stage !== 'running') {
      const error = `CALENDAR_FLAGGED: ${scrubSecrets(c.flaggedReason)}; not synced until \`calhub calendars unflag ${c.id} --tenant ${c.tenantId}\``;
      return { id: c.id, name: c.name, state: 'flagged' as const, stored: c.events, writesLeft: c.writesLeft, error };
    }
    const state = c.stage === 'running' ? 'running' : c.stage === 'failed' ? 'failed' : synced && c.writesLeft === 0 ? 'done' : 'waiting';
    return { id: c.id, name: c.name, state, stored: c.events, writesLeft: c.writesLeft, error: state === 'failed' && c.lastError ? scrubSecrets(c.lastError) : null };
  });
}
