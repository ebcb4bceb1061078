/** One account as an operator sees it (calhub accounts show): status, why, and each calendar's health. */
import { syncRepo } from '../../shared/store/index.ts';
import { calendarHealth, type CalendarHealth } from '../calendar-health.ts';
import { MissingError } from '../errors.ts';
import type { Hub } from '../open-hub.ts';
import type { ConflictPolicy } from '../../shared/policies.ts';
import { countsForBusy, publicAccount, withAccess, type PublicAccount } from './list.ts';

export interface AccountDetail extends PublicAccount {
  tenantId: string;
  calendars: Array<CalendarHealth & { timeZone: string; timeZoneChosen: boolean; readOnly: boolean; primary: boolean; countsForBusy: boolean; lastSuccessAt: string | null; conflictPolicy: ConflictPolicy }>;
}

/**
 * The tenant an account belongs to. The CLI runs with the operator's authority over every tenant,
 * so it may name an account alone; `tenantId`, when given, must match (else: not found).
 */
export async function accountTenantOf(hub: Hub, accountId: string, tenantId?: string): Promise<string> {
  const owner = await syncRepo.accountTenant(hub.store.db, accountId);
  if (!owner || (tenantId !== undefined && owner !== tenantId)) throw new MissingError('account', accountId, tenantId);
  return owner;
}

export async function showAccount(hub: Hub, accountId: string, tenantId?: string): Promise<AccountDetail> {
  const tid = await accountTenantOf(hub, accountId, tenantId);
  const t = hub.store.tenant(tid);
  const account = (await t.accounts.get(accountId))!;
  const cals = await t.calendars.list({ accountId });
  const health = new Map((await calendarHealth(hub, tid, cals.map((c) => c.id))).map((h) => [h.id, h]));
  const policies = await t.sync.conflictPolicies();
  return {
    ...publicAccount(await withAccess(hub, account)),
    tenantId: tid,
    calendars: cals.map((c) => ({ ...health.get(c.id)!, timeZone: c.timeZone, timeZoneChosen: c.timeZoneChosen, readOnly: c.accessRole !== 'owner' && c.accessRole !== 'writer', primary: c.primary, countsForBusy: countsForBusy(c), lastSuccessAt: c.lastSuccessAt, conflictPolicy: policies.get(c.id) ?? 'latest-wins' })),
  };
}
