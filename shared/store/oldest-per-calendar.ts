/**
 * What operators are told about a calendar's set-aside items (quarantine, read warnings): how many
 * there are, and the oldest few by name with what is wrong with each.
 */
import type { Queryable } from './db.ts';

export interface ItemSummary<T> {
  calendarId: string;
  count: number;
  /** The oldest `shown` items. */
  items: Array<{ remoteId: string } & T>;
}

/** `table` and `column` are this module's callers' constants, never input. */
export async function oldestPerCalendar<K extends string, V>(
  db: Queryable,
  table: 'quarantine' | 'read_warnings',
  column: K,
  calendarIds: string[],
  shown: number,
): Promise<Array<ItemSummary<Record<K, V>>>> {
  const rows = await db.query<{ calendar_id: string; n: number; remote_id: string; v: V }>(
    `SELECT calendar_id, n::int AS n, remote_id, v FROM (
       SELECT calendar_id, remote_id, ${column} AS v,
              row_number() OVER (PARTITION BY calendar_id ORDER BY first_seen, remote_id) AS i,
              count(*) OVER (PARTITION BY calendar_id) AS n
         FROM ${table} WHERE calendar_id = ANY($1)) q
      WHERE i <= $2 ORDER BY calendar_id, i`,
    [calendarIds, shown],
  );
  const out = new Map<string, ItemSummary<Record<K, V>>>();
  for (const r of rows) {
    const s = out.get(r.calendar_id) ?? { calendarId: r.calendar_id, count: r.n, items: [] };
    s.items.push({ remoteId: r.remote_id, [column]: r.v } as { remoteId: string } & Record<K, V>);
    out.set(r.calendar_id, s);
  }
  return [...out.values()];
}
