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
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = 'id, tenant_id, url, description, event_types, status, disabled_reason, disabled_at, created_at, updated_at';

export const toEndpoint = (r: Row): WebhookEndpointRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  url: r.url,
  description: r.description,
  eventTypes: r.event_types,
  status: r.status,
  disabledReason: r.disabled_reason,
  disabledAt: r.disabled_at ? r.disabled_at.toISOString() : null,
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

  /** The new secret signs from now on; the old one keeps signing alongside until `previousUntil`. */
  async rotateSecret(id: string, encryptedSecret: string, previousUntil: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_until = $4, secret = $3, updated_at = now()
        WHERE id = $1 AND tenant_id = $2 RETURNING id`,
      [id, this.tenantId, encryptedSecret, previousUntil],
    );
    return rows.length > 0;
  }
}
