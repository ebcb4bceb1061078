/** Tenants and their API keys (stored hashed; a new key is shown once). */
import { NotFoundError } from '../shared/errors.ts';
import { hashApiKey, type ApiKeyInfo, type Tenant } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';

export function createTenant(hub: Hub, name: string): Promise<{ tenant: Tenant; apiKey: string }> {
  return hub.store.tenants.create(name);
}

export function listTenants(hub: Hub): Promise<Tenant[]> {
  return hub.store.tenants.list();
}

/** The tenant an API key belongs to, or null. */
export async function tenantOfKey(hub: Hub, apiKey: string): Promise<string | null> {
  return (await hub.store.tenants.authenticate(apiKey))?.id ?? null;
}

/** A stable, non-secret handle of an API key (its hash): what caches and rate limits key on. */
export const apiKeyHandle = (apiKey: string): string => hashApiKey(apiKey);

async function tenantOf(hub: Hub, tenantId: string): Promise<Tenant> {
  const tenant = await hub.store.tenants.get(tenantId);
  if (!tenant) throw new NotFoundError(`tenant ${tenantId}`);
  return tenant;
}

/** The tenant's API keys, revoked ones included (with when), never the keys themselves. */
export async function listApiKeys(hub: Hub, tenantId: string): Promise<ApiKeyInfo[]> {
  await tenantOf(hub, tenantId);
  return hub.store.tenants.listApiKeys(tenantId);
}

/** A further key for the tenant (for rotation: create, switch clients over, revoke the old one). */
export async function createApiKey(hub: Hub, tenantId: string): Promise<{ key: ApiKeyInfo; apiKey: string }> {
  await tenantOf(hub, tenantId);
  return hub.store.tenants.addApiKey(tenantId);
}

/**
 * Revokes one key: the store refuses it from then on; an API process that resolved it recently
 * keeps accepting it for at most its key cache time (10 s by default, api/auth.ts).
 */
export async function revokeApiKey(hub: Hub, tenantId: string, keyId: string): Promise<ApiKeyInfo> {
  await tenantOf(hub, tenantId);
  const key = await hub.store.tenants.revokeApiKey(tenantId, keyId);
  if (!key) throw new NotFoundError(`API key ${keyId} of tenant ${tenantId}`);
  return key;
}
