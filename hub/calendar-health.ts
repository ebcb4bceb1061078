/** What an operator needs to know about a calendar's syncing, as `resync` and `accounts list` show it. */
import type { SyncStage } from '../shared/model/index.ts';
import { scrubSecrets } from '../shared/logger.ts';
import { refusedWrites } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';

export interface CalendarHealth {
  id: string;
  name: string;
  stage: SyncStage;
  lastError: string | null;
  flagged: string | null;
  /** Local changes the provider refused; they stay in the outbox and are retried on every push. */
  failedWrites: number;
  writeErrors: string[];
  /** The most important problem in one line, or null when the calendar is healthy. */
  error: string | null;
}

export async function calendarHealth(hub: Hub, tenantId: string, ids: string[]): Promise<CalendarHealth[]> {
  const t = hub.store.tenant(tenantId);
  const byCal = new Map((await refusedWrites(hub.store.db, ids)).map((r) => [r.calendarId, r]));
  const out: CalendarHealth[] = [];
  for (const c of await t.calendars.list({ ids })) {
    const flagged = (await t.sync.settings(c.id))?.flaggedReason ?? null;
    const w = byCal.get(c.id);
    const writeErrors = (w?.errors ?? []).map(scrubSecrets);
    const lastError = c.lastError === null ? null : scrubSecrets(c.lastError);
    let error: string | null = null;
    if (flagged) error = `stopped by the mass-change guard: ${flagged} (check it, then: calhub calendars unflag ${c.id} --tenant ${tenantId})`;
    else if (c.syncStage === 'failed') error = `sync failed: ${lastError ?? 'unknown error'}`;
    else if (w) error = `${w.count} local change(s) refused by the provider: ${writeErrors[0]}`;
    out.push({ id: c.id, name: c.name, stage: c.syncStage, lastError, flagged, failedWrites: w?.count ?? 0, writeErrors, error });
  }
  return out;
}
