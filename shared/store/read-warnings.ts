/**
 * Provider items kept with a fallback reading, stored with each page so that operators see them
 * next to quarantine (a log line alone was seen by no one).
 */
import { storableText } from '../model/index.ts';
import type { Queryable } from './db.ts';
import type { IncomingChange } from './incoming-change.ts';
import { oldestPerCalendar, type ItemSummary } from './oldest-per-calendar.ts';

/** Replaces the warnings of every item the page touched: an item read cleanly, deleted or set aside (`quarantined`) has none left. */
export async function recordReadWarnings(tx: Queryable, scope: { tenantId: string; calendarId: string }, changes: IncomingChange[], quarantined: ReadonlySet<string>): Promise<void> {
  const touched = [...new Set(changes.map((c) => c.remoteId))];
  if (touched.length === 0) return;
  const kept = changes.flatMap((c) => (c.kind === 'upsert' && c.warnings?.length && !quarantined.has(c.remoteId) ? [{ r: storableText(c.remoteId), w: c.warnings.map(storableText) }] : []));
  await tx.query('DELETE FROM read_warnings WHERE calendar_id = $1 AND remote_id <> ALL($2::text[]) AND remote_id = ANY($3::text[])', [scope.calendarId, kept.map((k) => k.r), touched]);
  if (kept.length === 0) return;
  await tx.query(
    `INSERT INTO read_warnings (calendar_id, tenant_id, remote_id, warnings)
     SELECT $1, $2, x.r, ARRAY(SELECT jsonb_array_elements_text(x.w)) FROM jsonb_to_recordset($3::jsonb) AS x(r text, w jsonb)
     ON CONFLICT (calendar_id, remote_id) DO UPDATE SET warnings = EXCLUDED.warnings`,
    [scope.calendarId, scope.tenantId, JSON.stringify(kept)],
  );
}

export type ReadWarningSummary = ItemSummary<{ warnings: string[] }>;

export const readWarningSummary = (db: Queryable, calendarIds: string[], shown = 3): Promise<ReadWarningSummary[]> =>
  oldestPerCalendar<'warnings', string[]>(db, 'read_warnings', 'warnings', calendarIds, shown);
