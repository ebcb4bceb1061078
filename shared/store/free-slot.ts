/**
 * The parts of a free-slot check (a write with ifFree) that are not the busy index itself: which
 * busy time the write newly takes, and which other busy time is the same event's own (its mirror
 * copies), so that neither a retitle of an event that already overlaps something nor the copy a
 * mirror rule made of the event refuses it.
 */
import type { BusySpan } from './busy.ts';
import type { Queryable } from './db.ts';

/** `spans` with every instant `taken` covers cut out (both as half-open ranges). */
export function newlyTaken(spans: BusySpan[], taken: Array<Pick<BusySpan, 'start' | 'end'>>): BusySpan[] {
  const cuts = [...taken].sort((a, b) => a.start.getTime() - b.start.getTime());
  const out: BusySpan[] = [];
  for (const s of spans) {
    let from = s.start.getTime();
    const end = s.end.getTime();
    for (const c of cuts) {
      if (c.end.getTime() <= from || c.start.getTime() >= end) continue;
      if (c.start.getTime() > from) out.push({ ...s, start: new Date(from), end: c.start });
      from = Math.max(from, c.end.getTime());
      if (from >= end) break;
    }
    if (from < end) out.push({ ...s, start: new Date(from), end: s.end });
  }
  return out;
}

/**
 * The copies mirror rules made of one event (`uid` in `calendarId`), as `calendarId uid` keys: a
 * link's key is its rule id with `>` (source to target) or `<` (target back to source, two-way).
 */
export async function mirrorCopiesOf(db: Queryable, tenantId: string, calendarId: string, uid: string): Promise<Set<string>> {
  const rows = await db.query<{ target_calendar_id: string; copy_uid: string }>(
    `SELECT l.target_calendar_id, l.copy_uid FROM mirror_links l JOIN mirror_rules r ON l.rule_id IN (r.id || '>', r.id || '<')
      WHERE r.tenant_id = $1 AND l.source_uid = $3
        AND ((l.rule_id = r.id || '>' AND r.source_calendar_id = $2) OR (l.rule_id = r.id || '<' AND r.target_calendar_id = $2))`,
    [tenantId, calendarId, uid],
  );
  return new Set(rows.map((r) => `${r.target_calendar_id} ${r.copy_uid}`));
}
