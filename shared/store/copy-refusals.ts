/**
 * Mirror copies their target's provider refuses (migration 0073): one row a copy, or a copy's
 * occurrence, with a stable code, the latest message, how often and since when. Kept by the push
 * (a refusal) and cleared by it (a write of the copy that got through) or by the rule's run (it no
 * longer asks for what was refused); read per rule for GET /v1/rules and calhub rules list/show.
 */
import type { Queryable } from './db.ts';

/** The refusals of one rule's copies in one calendar, by code: `copies` refused, `times` asked and refused in all. */
export interface CopyRefusal {
  code: string;
  calendarId: string;
  copies: number;
  times: number;
  firstAt: string;
  lastAt: string;
  /** The latest refusal's message (secrets removed by the caller). */
  message: string;
}

export interface RefusalRecord {
  ruleId: string;
  uid: string;
  /** '' the copy's write as a whole; else the refused occurrence's key. */
  occurrence: string;
  code: string;
  message: string;
}

export class CopyRefusalRepo {
  constructor(private readonly q: Queryable, private readonly tenantId: string) {}

  /** Counts one more refusal (the code and message are the latest's); nothing when the rule is gone meanwhile. */
  async record(calendarId: string, r: RefusalRecord): Promise<void> {
    await this.q.query(
      `INSERT INTO copy_refusals (tenant_id, rule_id, calendar_id, uid, occurrence, code, message)
       SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM mirror_rules WHERE id = $2 AND tenant_id = $1)
       ON CONFLICT (calendar_id, uid, occurrence) DO UPDATE SET rule_id = EXCLUDED.rule_id, code = EXCLUDED.code,
         message = EXCLUDED.message, times = copy_refusals.times + 1, last_at = now(),
         first_at = CASE WHEN copy_refusals.code = EXCLUDED.code THEN copy_refusals.first_at ELSE now() END`,
      [this.tenantId, r.ruleId, calendarId, r.uid, r.occurrence, r.code, r.message],
    );
  }

  /** The UIDs of a calendar with a refusal standing (usually none: then nothing is cleared one by one). */
  async uidsIn(calendarId: string): Promise<Set<string>> {
    const rows = await this.q.query<{ uid: string }>('SELECT DISTINCT uid FROM copy_refusals WHERE tenant_id = $1 AND calendar_id = $2', [this.tenantId, calendarId]);
    return new Set(rows.map((r) => r.uid));
  }

  /**
   * Clears a copy's refusals but those of `keep` (occurrence keys refused again just now);
   * `occurrencesOnly` leaves the refusal of the copy's write as a whole ('').
   */
  async clear(calendarId: string, uid: string, opts: { keep?: string[]; occurrencesOnly?: boolean } = {}): Promise<void> {
    await this.q.query(
      `DELETE FROM copy_refusals WHERE tenant_id = $1 AND calendar_id = $2 AND uid = $3 AND NOT (occurrence = ANY($4::text[])) AND (NOT $5::boolean OR occurrence <> '')`,
      [this.tenantId, calendarId, uid, opts.keep ?? [], opts.occurrencesOnly ?? false],
    );
  }

  /** The refusal of a copy's write as a whole, or null. */
  async standing(calendarId: string, uid: string): Promise<{ code: string; message: string } | null> {
    const rows = await this.q.query<{ code: string; message: string }>(
      `SELECT code, message FROM copy_refusals WHERE tenant_id = $1 AND calendar_id = $2 AND uid = $3 AND occurrence = ''`,
      [this.tenantId, calendarId, uid],
    );
    return rows[0] ?? null;
  }

  /** The refusals standing for each of these rules, by rule id, grouped by calendar and code (one query whatever the number of rules). */
  async byRule(ruleIds: string[]): Promise<Map<string, CopyRefusal[]>> {
    const out = new Map<string, CopyRefusal[]>();
    if (ruleIds.length === 0) return out;
    const rows = await this.q.query<{ rule_id: string; calendar_id: string; code: string; copies: number; times: number; first_at: Date; last_at: Date; message: string }>(
      `SELECT rule_id, calendar_id, code, count(DISTINCT uid)::int AS copies, sum(times)::int AS times, min(first_at) AS first_at, max(last_at) AS last_at,
              (array_agg(message ORDER BY last_at DESC))[1] AS message
         FROM copy_refusals WHERE tenant_id = $1 AND rule_id = ANY($2) GROUP BY rule_id, calendar_id, code ORDER BY rule_id, calendar_id, code`,
      [this.tenantId, ruleIds],
    );
    for (const r of rows) {
      const list = out.get(r.rule_id) ?? out.set(r.rule_id, []).get(r.rule_id)!;
      list.push({ code: r.code, calendarId: r.calendar_id, copies: Number(r.copies), times: Number(r.times), firstAt: new Date(r.first_at).toISOString(), lastAt: new Date(r.last_at).toISOString(), message: r.message });
    }
    return out;
  }
}
