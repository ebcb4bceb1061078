/** What an operator needs to know about a calendar's syncing, as `resync` and `accounts list` show it. */
import type { SyncStage } from '../shared/model/index.ts';
import { scrubSecrets } from '../shared/logger.ts';
import type { Runtime } from './runtime.ts';

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

export async function calendarHealth(rt: Runtime, tenantId: string, ids: string[]): Promise<CalendarHealth[]> {
  const t = rt.store.tenant(tenantId);
  const refused = await rt.store.db.query<{ calendar_id: string; n: number; errors: string[] }>(
    `SELECT calendar_id, count(*)::int AS n, (array_agg(DISTINCT last_error))[1:3] AS errors
       FROM outbox WHERE calendar_id = ANY($1) AND last_error IS NOT NULL GROUP BY calendar_id`,
    [ids],
  );
  const byCal = new Map(refused.map((r) => [r.calendar_id, r]));
  const out: CalendarHealth[] = [];
  for (const c of await t.calendars.list({ ids })) {
    const flagged = (await t.sync.settings(c.id))?.flaggedReason ?? null;
    const w = byCal.get(c.id);
    const writeErrors = (w?.errors ?? []).map(scrubSecrets);
    const lastError = c.lastError === null ? null : scrubSecrets(c.lastError);
    let error: string | null = null;
    if (flagged) error = `stopped by the mass-change guard: ${flagged} (check it, then: calhub calendars unflag ${c.id} --tenant ${tenantId})`;
    else if (c.syncStage === 'failed') error = `sync failed: ${lastError ?? 'unknown error'}`;
    else if (w) error = `${w.n} local change(s) refused by the provider: ${writeErrors[0]}`;
    out.push({ id: c.id, name: c.name, stage: c.syncStage, lastError, flagged, failedWrites: w?.n ?? 0, writeErrors, error });
  }
  return out;
}
