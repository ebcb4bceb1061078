/** Tenants and their API keys (stored hashed; a new key is shown once). */
import { hashApiKey, type Tenant } from '../shared/store/index.ts';
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
