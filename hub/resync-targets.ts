/** `resync <accountId> | --tenant T | --all`: which accounts that names, each with its tenant. */
import { syncRepo } from '../shared/store/index.ts';
import { MissingError } from './errors.ts';
import type { Hub } from './open-hub.ts';

export type ResyncTarget = { accountId: string } | { tenantId: string } | { all: true };

export async function resyncAccounts(hub: Hub, target: ResyncTarget): Promise<Array<{ tenantId: string; accountId: string }>> {
  if ('accountId' in target) {
    const tenantId = await syncRepo.accountTenant(hub.store.db, target.accountId);
    if (!tenantId) throw new MissingError('account', target.accountId);
    return [{ tenantId, accountId: target.accountId }];
  }
  const tenants = 'tenantId' in target ? [target.tenantId] : (await hub.store.tenants.list()).map((t) => t.id);
  if ('tenantId' in target && !(await hub.store.tenants.list()).some((t) => t.id === target.tenantId)) throw new MissingError('tenant', target.tenantId);
  const out: Array<{ tenantId: string; accountId: string }> = [];
  for (const tenantId of tenants) for (const a of await hub.store.tenant(tenantId).accounts.list()) out.push({ tenantId, accountId: a.id });
  return out;
}

/** The calendars of those accounts (what `resync --wait` shows progress for). */
export async function resyncCalendarIds(hub: Hub, accounts: Array<{ tenantId: string; accountId: string }>): Promise<string[]> {
  const ids: string[] = [];
  for (const a of accounts) for (const c of await hub.store.tenant(a.tenantId).calendars.list({ accountId: a.accountId, synced: true })) ids.push(c.id);
  return ids;
}
