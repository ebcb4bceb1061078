/** What operators are told about a calendar's quarantine: how many items are set aside, and the oldest few by name. */
import type { Queryable } from './db.ts';

export interface QuarantineSummary {
  calendarId: string;
  count: number;
  /** The oldest `shown` items, with their reasons. */
  items: Array<{ remoteId: string; error: string }>;
}

export async function quarantineSummary(db: Queryable, calendarIds: string[], shown = 3): Promise<QuarantineSummary[]> {
  const rows = await db.query<{ calendar_id: string; n: number; remote_id: string; error: string }>(
    `SELECT calendar_id, n::int AS n, remote_id, error FROM (
       SELECT calendar_id, remote_id, error,
              row_number() OVER (PARTITION BY calendar_id ORDER BY first_seen, remote_id) AS i,
              count(*) OVER (PARTITION BY calendar_id) AS n
         FROM quarantine WHERE calendar_id = ANY($1)) q
      WHERE i <= $2 ORDER BY calendar_id, i`,
    [calendarIds, shown],
  );
  const out = new Map<string, QuarantineSummary>();
  for (const r of rows) {
    const s = out.get(r.calendar_id) ?? { calendarId: r.calendar_id, count: r.n, items: [] };
    s.items.push({ remoteId: r.remote_id, error: r.error });
    out.set(r.calendar_id, s);
  }
  return [...out.values()];
}
