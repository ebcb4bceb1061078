import { HubError } from '../errors.ts';
import type { Db } from './db.ts';
import { hashApiKey, newApiKey, newId } from './ids.ts';

export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
}

/** An API key as operators see it: never the key or its hash, only its id and non-secret head. */
export interface ApiKeyInfo {
  id: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

type KeyRow = { id: string; prefix: string; created_at: Date; revoked_at: Date | null };
const toKey = (r: KeyRow): ApiKeyInfo => ({ id: r.id, prefix: r.prefix, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null });

const toTenant = (r: { id: string; name: string; created_at: Date }): Tenant => ({ id: r.id, name: r.name, createdAt: r.created_at.toISOString() });

export class TenantRepo {
  constructor(private readonly db: Db) {}

  /** Creates a tenant and its first API key; the plain key is returned once and never stored. A name taken (in any case) is TENANT_NAME_TAKEN. */
  async create(name: string): Promise<{ tenant: Tenant; apiKey: string }> {
    await this.refuseTaken(name);
    try {
      return await this.insert(name);
    } catch (e) {
      // Two creates of one name at once: the unique index (migration 0070) refuses the second.
      if ((e as { code?: string }).code === '23505' || /tenants_name_lower/.test(String((e as Error).message))) await this.refuseTaken(name);
      throw e;
    }
  }

  private async refuseTaken(name: string): Promise<void> {
    const [taken] = await this.db.query<{ id: string; name: string }>('SELECT id, name FROM tenants WHERE lower(name) = lower($1)', [name]);
    if (taken) throw new HubError('TENANT_NAME_TAKEN', 'never', `a tenant named "${name}" exists already: ${taken.id} ("${taken.name}"); tenant names are unique regardless of case`);
  }

  private async insert(name: string): Promise<{ tenant: Tenant; apiKey: string }> {
    const id = newId('ten');
    const apiKey = newApiKey();
    const row = await this.db.transaction(async (tx) => {
      const [t] = await tx.query<{ id: string; name: string; created_at: Date }>(
        'INSERT INTO tenants (id, name) VALUES ($1, $2) RETURNING id, name, created_at',
        [id, name],
      );
      await tx.query('INSERT INTO api_keys (id, tenant_id, key_hash, prefix) VALUES ($1, $2, $3, $4)', [
        newId('key'),
        id,
        hashApiKey(apiKey),
        apiKey.slice(0, 8),
      ]);
      return t!;
    });
    return { tenant: toTenant(row), apiKey };
  }

  async createApiKey(tenantId: string): Promise<string> {
    return (await this.addApiKey(tenantId)).apiKey;
  }

  /** A new key for the tenant: the plain key is returned once and never stored. */
  async addApiKey(tenantId: string): Promise<{ key: ApiKeyInfo; apiKey: string }> {
    const apiKey = newApiKey();
    const [row] = await this.db.query<KeyRow>('INSERT INTO api_keys (id, tenant_id, key_hash, prefix) VALUES ($1, $2, $3, $4) RETURNING id, prefix, created_at, revoked_at', [
      newId('key'),
      tenantId,
      hashApiKey(apiKey),
      apiKey.slice(0, 8),
    ]);
    return { key: toKey(row!), apiKey };
  }

  async listApiKeys(tenantId: string): Promise<ApiKeyInfo[]> {
    const rows = await this.db.query<KeyRow>('SELECT id, prefix, created_at, revoked_at FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId]);
    return rows.map(toKey);
  }

  /** Marks the key revoked (kept for the record); null when the tenant has no such key. Revoking twice keeps the first time. */
  async revokeApiKey(tenantId: string, keyId: string): Promise<ApiKeyInfo | null> {
    const rows = await this.db.query<KeyRow>(
      'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING id, prefix, created_at, revoked_at',
      [tenantId, keyId],
    );
    return rows[0] ? toKey(rows[0]) : null;
  }

  /** The tenant a presented API key belongs to, or null; lookup is by hash only. */
  async authenticate(apiKey: string): Promise<Tenant | null> {
    const rows = await this.db.query<{ id: string; name: string; created_at: Date }>(
      `SELECT t.id, t.name, t.created_at FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [hashApiKey(apiKey)],
    );
    return rows[0] ? toTenant(rows[0]) : null;
  }

  async get(id: string): Promise<Tenant | null> {
    const rows = await this.db.query<{ id: string; name: string; created_at: Date }>('SELECT id, name, created_at FROM tenants WHERE id = $1', [id]);
    return rows[0] ? toTenant(rows[0]) : null;
  }

  /** The names of these tenants, by id (one query: for tables that show a name beside each id). */
  async namesOf(ids: string[]): Promise<Record<string, string>> {
    if (ids.length === 0) return {};
    const rows = await this.db.query<{ id: string; name: string }>('SELECT id, name FROM tenants WHERE id = ANY($1::text[])', [[...new Set(ids)]]);
    return Object.fromEntries(rows.map((r) => [r.id, r.name]));
  }

  async list(): Promise<Tenant[]> {
    const rows = await this.db.query<{ id: string; name: string; created_at: Date }>('SELECT id, name, created_at FROM tenants ORDER BY created_at, id');
    return rows.map(toTenant);
  }
}
