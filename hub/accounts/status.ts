/** Switch an account off (its jobs fail with ACCOUNT_DISABLED, polling skips it) or on again. */
import type { AccountStatus } from '../../shared/model/index.ts';
import { MissingError, RefusedError } from '../errors.ts';
import type { Hub } from '../open-hub.ts';

export async function setAccountStatus(hub: Hub, tenantId: string, accountId: string, action: 'enable' | 'disable'): Promise<{ id: string; status: AccountStatus }> {
  const t = hub.store.tenant(tenantId);
  const account = await t.accounts.get(accountId);
  if (!account) throw new MissingError('account', accountId, tenantId);
  if (action === 'enable' && account.status === 'needs_reauth') throw new RefusedError(`account ${accountId} needs to be reconnected, not enabled`);
  const status = action === 'disable' ? 'disabled' : 'active';
  await t.accounts.setStatus(accountId, status, action === 'disable' ? 'disabled by an operator' : null);
  return { id: accountId, status };
}
