/** Switch an account off (its jobs fail with ACCOUNT_DISABLED, polling skips it) or on again. */
import type { AccountStatus } from '../../shared/model/index.ts';
import { MissingError, RefusedError } from '../errors.ts';
import type { Hub } from '../open-hub.ts';

export interface AccountStatusChange {
  id: string;
  status: AccountStatus;
  /** Why it is in that status (needs_reauth: the reason kept from before it was disabled). */
  statusReason: string | null;
  /** Pulls queued for the account's synced calendars by an enable (0 without a queue: the next poll or start pulls them). */
  pullsQueued: number;
}

/**
 * An account that needed reauth when it was disabled is enabled back to needs_reauth with its
 * reason (its grant is still dead: enabling is no way around reconnecting). One enabled to active
 * has its synced calendars pulled at once: they stay ACCOUNT_DISABLED until their next sync, and a
 * push notification that came while it was disabled was dropped.
 */
export async function setAccountStatus(hub: Hub, tenantId: string, accountId: string, action: 'enable' | 'disable'): Promise<AccountStatusChange> {
  const t = hub.store.tenant(tenantId);
  const account = await t.accounts.get(accountId);
  if (!account) throw new MissingError('account', accountId, tenantId);
  if (action === 'enable' && account.status === 'needs_reauth') throw new RefusedError(`account ${accountId} needs to be reconnected, not enabled`);
  if (action === 'disable') {
    await t.accounts.disable(accountId, 'disabled by an operator');
    return { id: accountId, status: 'disabled', statusReason: 'disabled by an operator', pullsQueued: 0 };
  }
  // Not disabled (active, or error): made active as before.
  const status = (await t.accounts.enable(accountId)) ?? (await t.accounts.setStatus(accountId, 'active', null), 'active');
  const statusReason = status === 'active' ? null : ((await t.accounts.get(accountId))?.statusReason ?? null);
  let pullsQueued = 0;
  if (status === 'active' && hub.engine) {
    for (const c of await t.calendars.list({ accountId, synced: true })) {
      await hub.requestPull(tenantId, c.id);
      pullsQueued++;
    }
  }
  return { id: accountId, status, statusReason, pullsQueued };
}
