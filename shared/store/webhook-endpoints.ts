/** A tenant's outbound webhook endpoints. Secrets arrive and leave encrypted; the caller owns the key ring. */
import type { Queryable } from './db.ts';
import { newId } from './ids.ts';

export interface WebhookEndpointRow {
  id: string;
  tenantId: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  status: 'active' | 'disabled';
  disabledReason: string | null;
  disabledAt: string | null;
  /** Consecutive failed attempts' backoff steps since the last success (0: healthy). */
  failures: number;
  failingSince: string | null;
  /** While failing: when the next attempt (the probe) may go. */
  retryAt: string | null;
  lastErrorAt: string | null;
  lastErrorStatus: number | null;
  /** As the dispatcher recorded it; views strip a receiver's answer body (hub/webhooks-out/view.ts). */
  lastError: string | null;
  /** While a rotation's overlap runs (or ran): until when the replaced secret still signs; null: no replaced secret kept. */
  previousSecretUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EndpointSecrets {
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
}

type Row = {
  id: string;
  tenant_id: string;
  url: string;
  description: string | null;
  event_types: string[];
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  disabled_at: Date | null;
  failures: number;
  failing_since: Date | null;
  retry_at: Date | null;
  last_error_at: Date | null;
  last_error_status: number | null;
  last_error: string | null;
  previous_secret_until: Date | null;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS =
  'id, tenant_id, url, description, event_types, status, disabled_reason, disabled_at, failures, failing_since, retry_at, last_error_at, last_error_status, last_error, CASE WHEN previous_secret IS NOT NULL THEN previous_secret_until END AS previous_secret_until, created_at, updated_at';
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toEndpoint = (r: Row): WebhookEndpointRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  url: r.url,
  description: r.description,
  eventTypes: r.event_types,
  status: r.status,
  disabledReason: r.disabled_reason,
  disabledAt: iso(r.disabled_at),
  failures: r.failures,
  failingSince: iso(r.failing_since),
  retryAt: iso(r.retry_at),
  lastErrorAt: iso(r.last_error_at),
  lastErrorStatus: r.last_error_status,
  lastError: r.last_error,
  previousSecretUntil: iso(r.previous_secret_until),
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export class WebhookEndpointRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  async create(e: { url: string; description?: string | null; eventTypes: string[]; encryptedSecret: string }): Promise<WebhookEndpointRow> {
    const [r] = await this.db.query<Row>(
      `INSERT INTO webhook_endpoints (id, tenant_id, url, description, event_types, secret) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [newId('whe'), this.tenantId, e.url, e.description ?? null, e.eventTypes, e.encryptedSecret],
    );
    return toEndpoint(r!);
  }

  async list(): Promise<WebhookEndpointRow[]> {
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE tenant_id = $1 ORDER BY created_at, id`, [this.tenantId]);
    return rows.map(toEndpoint);
  }

  async get(id: string): Promise<WebhookEndpointRow | null> {
    const [r] = await this.db.query<Row>(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2`, [id, this.tenantId]);
    return r ? toEndpoint(r) : null;
  }

  /**
   * Fields left undefined stay; `status: 'active'` also clears the reason it was disabled.
   * `status: 'disabled'` of an endpoint already disabled keeps the first disable's reason and time.
   */
  async update(id: string, patch: { url?: string; description?: string | null; eventTypes?: string[]; status?: 'active' | 'disabled' }): Promise<WebhookEndpointRow | null> {
    const [r] = await this.db.query<Row>(
      `UPDATE webhook_endpoints SET
         url = COALESCE($3, url),
         description = CASE WHEN $4::boolean THEN $5 ELSE description END,
         event_types = COALESCE($6, event_types),
         status = COALESCE($7, status),
         disabled_reason = CASE WHEN $7 = 'active' THEN NULL WHEN $7 = 'disabled' AND status <> 'disabled' THEN 'disabled by the tenant' ELSE disabled_reason END,
         disabled_at = CASE WHEN $7 = 'active' THEN NULL WHEN $7 = 'disabled' AND status <> 'disabled' THEN now() ELSE disabled_at END,
         updated_at = now()
       WHERE id = $1 AND tenant_id = $2 RETURNING ${COLUMNS}`,
      [id, this.tenantId, patch.url ?? null, patch.description !== undefined, patch.description ?? null, patch.eventTypes ?? null, patch.status ?? null],
    );
    return r ? toEndpoint(r) : null;
  }

  /**
   * Messages each endpoint is owed, counted up to `cap` (an endpoint owing more shows `cap`): one
   * index range scan per endpoint (webhook_deliveries_pending), however large its backlog.
   */
  async owedCounts(ids: string[], cap: number): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<{ id: string; n: number }>(
      `SELECT e.id, (SELECT count(*)::int FROM (SELECT 1 FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending' LIMIT $3) x) AS n
         FROM webhook_endpoints e WHERE e.id = ANY($1::text[]) AND e.tenant_id = $2`,
      [ids, this.tenantId, cap],
    );
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2 RETURNING id', [id, this.tenantId]);
    return rows.length > 0;
  }

  async secrets(id: string): Promise<EndpointSecrets | null> {
    const [r] = await this.db.query<{ secret: string; previous_secret: string | null; previous_secret_until: Date | null }>(
      'SELECT secret, previous_secret, previous_secret_until FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2',
      [id, this.tenantId],
    );
    return r ? { secret: r.secret, previousSecret: r.previous_secret, previousSecretUntil: r.previous_secret_until } : null;
  }

  /**
   * The new secret signs from now on; the old one keeps signing alongside until `previousUntil`.
   * Refused (answering until when) while an earlier rotation's old secret still signs: rotating
   * again would drop that one at once, inside the window promised for it. `force` does so anyway
   * (a leaked secret): the secret being replaced overlaps, the older one ends now.
   */
  /**
   * Ends a rotation's overlap now: the secret it replaced stops signing. Returns until when that
   * secret would have signed (null: none was signing any more), or null for no such endpoint.
   */
  async retirePreviousSecret(id: string, now: Date): Promise<{ retiredUntil: Date | null } | null> {
    const rows = await this.db.query<{ until: Date | null }>(
      `UPDATE webhook_endpoints e SET previous_secret = NULL, previous_secret_until = NULL,
              updated_at = CASE WHEN old.previous_secret IS NULL THEN e.updated_at ELSE now() END
         FROM (SELECT id, previous_secret, previous_secret_until FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2 FOR UPDATE) old
        WHERE e.id = old.id
        RETURNING CASE WHEN old.previous_secret_until > $3 THEN old.previous_secret_until END AS until`,
      [id, this.tenantId, now],
    );
    return rows[0] ? { retiredUntil: rows[0].until } : null;
  }

  async rotateSecret(id: string, encryptedSecret: string, now: Date, previousUntil: Date, force = false): Promise<{ rotated: true } | { rotated: false; overlapUntil: Date } | null> {
    const rows = await this.db.query(
      `UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_until = $4, secret = $3, updated_at = now()
        WHERE id = $1 AND tenant_id = $2 AND ($6::boolean OR previous_secret_until IS NULL OR previous_secret_until <= $5) RETURNING id`,
      [id, this.tenantId, encryptedSecret, previousUntil, now, force],
    );
    if (rows.length > 0) return { rotated: true };
    const [r] = await this.db.query<{ previous_secret_until: Date | null }>('SELECT previous_secret_until FROM webhook_endpoints WHERE id = $1 AND tenant_id = $2', [id, this.tenantId]);
    return r ? { rotated: false, overlapUntil: r.previous_secret_until ?? now } : null;
  }
}
