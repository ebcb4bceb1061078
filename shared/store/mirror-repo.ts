/** Mirror rules and the links from source UIDs to their copies (migration 0002). */
import type { Queryable } from './db.ts';
import { newId } from './ids.ts';

export interface MirrorRuleRow {
  id: string;
  tenantId: string;
  sourceCalendarId: string;
  targetCalendarId: string;
  config: unknown;
  createdAt: string;
  /** Set while a delete removes the rule's copies (migration 0024); such a rule makes no more. */
  deletingSince: string | null;
  /** Set while a user has paused the rule (migration 0062): it makes no copies and keeps those it made. */
  pausedAt: string | null;
  /** Its last run's end (migration 0064), null before the first: when the rule was last checked. */
  lastRun: RuleRun | null;
  /**
   * The last run that changed a copy, null before one did. A run with nothing to do (most are)
   * updates lastRun only: its 0/0/0 would otherwise hide what the rule last did.
   */
  lastChange: RuleChange | null;
}

/** What a run that changed copies did, and when it ended. */
export interface RuleChange {
  at: string;
  created: number;
  updated: number;
  deleted: number;
}

/** A rule run's end: when, what it wrote, and the error that stopped it (scrubbed), else null. */
export interface RuleRun {
  at: string;
  created: number;
  updated: number;
  deleted: number;
  error: { code: string; message: string } | null;
}

const changed = (r: RuleRun): boolean => r.created + r.updated + r.deleted > 0;
const changeOf = (r: RuleRun): RuleChange => ({ at: r.at, created: r.created, updated: r.updated, deleted: r.deleted });

/** last_run holds the run and, under `lastChange`, the last run that changed copies (no column of its own). */
function runsOf(raw: unknown): { lastRun: RuleRun | null; lastChange: RuleChange | null } {
  const stored = (typeof raw === 'string' ? JSON.parse(raw) : raw ?? null) as (RuleRun & { lastChange?: RuleChange | null }) | null;
  if (!stored) return { lastRun: null, lastChange: null };
  const { lastChange, ...lastRun } = stored;
  // Written before lastChange was kept: the run itself, where it changed something.
  return { lastRun, lastChange: lastChange !== undefined ? lastChange : changed(lastRun) ? changeOf(lastRun) : null };
}

type Row = { id: string; tenant_id: string; source_calendar_id: string; target_calendar_id: string; config: unknown; created_at: Date; deleting_since?: Date | null; paused_at?: Date | null; last_run?: RuleRun | string | null };
const toRule = (r: Row): MirrorRuleRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  sourceCalendarId: r.source_calendar_id,
  targetCalendarId: r.target_calendar_id,
  config: r.config,
  createdAt: r.created_at.toISOString(),
  deletingSince: r.deleting_since ? r.deleting_since.toISOString() : null,
  pausedAt: r.paused_at ? r.paused_at.toISOString() : null,
  ...runsOf(r.last_run),
});

export class MirrorRepo {
  constructor(private readonly db: Queryable, private readonly tenantId: string) {}

  /** Both calendars must belong to the tenant; null otherwise. */
  async create(sourceCalendarId: string, targetCalendarId: string, config: unknown): Promise<MirrorRuleRow | null> {
    const rows = await this.db.query<Row>(
      `INSERT INTO mirror_rules (id, tenant_id, source_calendar_id, target_calendar_id, config)
       SELECT $1, $2, $3, $4, $5 WHERE (SELECT count(*) FROM calendars WHERE tenant_id = $2 AND id IN ($3, $4)) = 2
       RETURNING *`,
      [newId('rule'), this.tenantId, sourceCalendarId, targetCalendarId, JSON.stringify(config)],
    );
    return rows[0] ? toRule(rows[0]) : null;
  }

  /**
   * Serialises rule creation in the tenant until the transaction ends, so two creates of the same
   * copies cannot both find none (PGlite has one session: its transactions are serial anyway).
   */
  async lockRules(): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('calhub:mirror_rules:' || $1))`, [this.tenantId]);
  }

  /**
   * The rules (not being deleted) that already copy source -> target, or, with twoWay, target ->
   * source: a two-way rule copies both ways, whatever its mode.
   */
  async copyingBetween(sourceCalendarId: string, targetCalendarId: string, twoWay: boolean): Promise<MirrorRuleRow[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM mirror_rules WHERE tenant_id = $1 AND deleting_since IS NULL AND (
         (source_calendar_id = $2 AND target_calendar_id = $3)
         OR (source_calendar_id = $3 AND target_calendar_id = $2 AND ($4 OR COALESCE((config->>'twoWay')::boolean, false))))
       ORDER BY created_at, id`,
      [this.tenantId, sourceCalendarId, targetCalendarId, twoWay],
    );
    return rows.map(toRule);
  }

  /** Pauses or resumes the rule, and/or replaces its config; null when the tenant has no such rule (or it is being deleted). */
  async update(id: string, change: { paused?: boolean; config?: unknown }): Promise<MirrorRuleRow | null> {
    const rows = await this.db.query<Row>(
      `UPDATE mirror_rules SET
         paused_at = CASE WHEN $3::boolean IS NULL THEN paused_at WHEN $3 THEN COALESCE(paused_at, now()) ELSE NULL END,
         config = COALESCE($4::jsonb, config)
       WHERE id = $1 AND tenant_id = $2 AND deleting_since IS NULL RETURNING *`,
      [id, this.tenantId, change.paused ?? null, change.config === undefined ? null : JSON.stringify(change.config)],
    );
    return rows[0] ? toRule(rows[0]) : null;
  }

  /** How many copies each of the tenant's rules (or the one given) holds (its links, both ways), by rule id. */
  async copyCounts(ruleId?: string): Promise<Map<string, number>> {
    const rows = await this.db.query<{ id: string; n: number }>(
      `SELECT r.id, count(l.rule_id)::int AS n FROM mirror_rules r
       LEFT JOIN mirror_links l ON l.rule_id IN (r.id || '>', r.id || '<')
       WHERE r.tenant_id = $1 AND ($2::text IS NULL OR r.id = $2) GROUP BY r.id`,
      [this.tenantId, ruleId ?? null],
    );
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  }

  /**
   * Its last run, kept at the run's end; nothing when the rule is gone meanwhile. The last change
   * is carried over in the same statement when this run changed nothing (a row of 0064's shape has
   * none stored: its run is taken as the change where it was one).
   */
  async recordRun(id: string, run: RuleRun): Promise<void> {
    const change = changed(run) ? JSON.stringify(changeOf(run)) : null;
    await this.db.query(
      `UPDATE mirror_rules SET last_run = $3::jsonb || jsonb_build_object('lastChange', COALESCE($4::jsonb,
         CASE WHEN last_run ? 'lastChange' THEN last_run->'lastChange'
              WHEN COALESCE((last_run->>'created')::int + (last_run->>'updated')::int + (last_run->>'deleted')::int, 0) > 0
                THEN jsonb_build_object('at', last_run->'at', 'created', last_run->'created', 'updated', last_run->'updated', 'deleted', last_run->'deleted')
              ELSE 'null'::jsonb END))
       WHERE id = $1 AND tenant_id = $2`,
      [id, this.tenantId, JSON.stringify(run), change],
    );
  }

  async get(id: string): Promise<MirrorRuleRow | null> {
    const rows = await this.db.query<Row>('SELECT * FROM mirror_rules WHERE id = $1 AND tenant_id = $2', [id, this.tenantId]);
    return rows[0] ? toRule(rows[0]) : null;
  }

  async list(): Promise<MirrorRuleRow[]> {
    const rows = await this.db.query<Row>('SELECT * FROM mirror_rules WHERE tenant_id = $1 ORDER BY created_at, id', [this.tenantId]);
    return rows.map(toRule);
  }

  /** Rules that read from (or, two-way, write back to) a calendar. */
  async touching(calendarId: string): Promise<MirrorRuleRow[]> {
    const rows = await this.db.query<Row>(
      'SELECT * FROM mirror_rules WHERE tenant_id = $1 AND (source_calendar_id = $2 OR target_calendar_id = $2) ORDER BY id',
      [this.tenantId, calendarId],
    );
    return rows.map(toRule);
  }

  /**
   * Marks the rule as being deleted (migration 0024); false when the tenant has no such rule. On
   * PostgreSQL the mark waits for copies being written under the rule (holdRule) to commit, so
   * the links read after it include theirs.
   */
  async markDeleting(id: string): Promise<boolean> {
    const rows = await this.db.query('UPDATE mirror_rules SET deleting_since = COALESCE(deleting_since, now()) WHERE id = $1 AND tenant_id = $2 RETURNING id', [id, this.tenantId]);
    return rows.length > 0;
  }

  /** In a copy's write: whether the rule stands (not deleted, not being deleted), held so until the write commits. */
  async holdRule(id: string): Promise<boolean> {
    const rows = await this.db.query('SELECT id FROM mirror_rules WHERE id = $1 AND tenant_id = $2 AND deleting_since IS NULL FOR SHARE', [id, this.tenantId]);
    return rows.length > 0;
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM mirror_rules WHERE id = $1 AND tenant_id = $2 RETURNING id', [id, this.tenantId]);
    return rows.length > 0;
  }

  async links(linkKey: string): Promise<Map<string, string>> {
    const rows = await this.db.query<{ source_uid: string; copy_uid: string }>('SELECT source_uid, copy_uid FROM mirror_links WHERE rule_id = $1', [linkKey]);
    return new Map(rows.map((r) => [r.source_uid, r.copy_uid]));
  }

  /** Every copy UID any rule of this tenant made in a calendar: copies are never sources. */
  async copyUidsIn(calendarId: string): Promise<Set<string>> {
    const rows = await this.db.query<{ copy_uid: string }>('SELECT copy_uid FROM mirror_links WHERE target_calendar_id = $1', [calendarId]);
    return new Set(rows.map((r) => r.copy_uid));
  }

  async putLink(linkKey: string, targetCalendarId: string, sourceUid: string, copyUid: string): Promise<void> {
    await this.db.query(
      `INSERT INTO mirror_links (rule_id, target_calendar_id, source_uid, copy_uid) VALUES ($1, $2, $3, $4)
       ON CONFLICT (rule_id, source_uid) DO UPDATE SET copy_uid = EXCLUDED.copy_uid`,
      [linkKey, targetCalendarId, sourceUid, copyUid],
    );
  }

  async deleteLink(linkKey: string, sourceUid: string): Promise<void> {
    await this.db.query('DELETE FROM mirror_links WHERE rule_id = $1 AND source_uid = $2', [linkKey, sourceUid]);
  }
}
