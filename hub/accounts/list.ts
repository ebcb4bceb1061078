/** Accounts as operators and API clients see them: never credentials or provider configuration. */
import { accountReasonCode, codeOfError } from '../../shared/error-codes.ts';
import type { Calendar } from '../../shared/model/index.ts';
import type { AccountRow } from '../../shared/store/index.ts';
import { accessOf } from '../account-access.ts';
import { calendarHealth } from '../calendar-health.ts';
import { MissingError } from '../errors.ts';
import { clientProblemOf } from '../oauth-clients.ts';
import type { Hub } from '../open-hub.ts';

export const publicAccount = (a: AccountRow) => ({
  id: a.id,
  provider: a.provider,
  externalId: a.externalId,
  displayName: a.displayName,
  /** The account's address as its provider tells it; null when none is known (see README). */
  email: a.email,
  status: a.status,
  statusReason: a.statusReason,
  /** The stable code of statusReason (which is the provider's word or a message). */
  statusReasonCode: accountReasonCode(a.status),
  /** What it was connected to do; null only when its grant's key is missing from the key ring. */
  access: a.access,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
});
export type PublicAccount = ReturnType<typeof publicAccount>;

/** Whether the calendar's busy time counts when its account is named (the same rule as COUNTS_FOR_BUSY_SQL). */
export const countsForBusy = (c: Pick<Calendar, 'countsForBusy' | 'accessRole' | 'syncEnabled'>): boolean =>
  c.syncEnabled && (c.countsForBusy ?? (c.accessRole === 'owner' || c.accessRole === 'writer'));

export const publicCalendar = (c: Calendar) => {
  const { syncCursor: _c, tenantId: _t, stageStartedAt: _s, ...rest } = c;
  return { ...rest, lastErrorCode: codeOfError(c.lastError), countsForBusy: countsForBusy(c), countsForBusyChosen: c.countsForBusy !== null };
};

/** The row with its access read from the grant when the column does not hold it yet (migration 0027). */
export async function withAccess(hub: Hub, a: AccountRow): Promise<AccountRow> {
  return a.access ? a : { ...a, access: await accessOf(hub.store, (c) => hub.tokens.decrypt(c).access, a) };
}

export async function listAccounts(hub: Hub, tenantId: string): Promise<PublicAccount[]> {
  const rows = await hub.store.tenant(tenantId).accounts.list();
  return (await Promise.all(rows.map((a) => withAccess(hub, a)))).map(publicAccount);
}

export async function getAccount(hub: Hub, tenantId: string, accountId: string): Promise<PublicAccount> {
  const a = await hub.store.tenant(tenantId).accounts.get(accountId);
  if (!a) throw new MissingError('account', accountId, tenantId);
  return publicAccount(await withAccess(hub, a));
}

export async function listCalendars(hub: Hub, tenantId: string, accountId?: string) {
  const t = hub.store.tenant(tenantId);
  if (accountId !== undefined && !(await t.accounts.get(accountId))) throw new MissingError('account', accountId, tenantId);
  const cals = await t.calendars.list(accountId === undefined ? {} : { accountId });
  const policies = await t.sync.conflictPolicies();
  // A calendar deleted between the two reads is answered with the column's default (migration 0002).
  return cals.map((c) => ({ ...publicCalendar(c), conflictPolicy: policies.get(c.id) ?? 'latest-wins' }));
}

export async function getCalendar(hub: Hub, tenantId: string, calendarId: string) {
  const c = await hub.store.tenant(tenantId).calendars.get(calendarId);
  if (!c) throw new MissingError('calendar', calendarId, tenantId);
  return publicCalendar(c);
}

export interface AccountOverview {
  id: string;
  tenantId: string;
  provider: string;
  externalId: string;
  status: string;
  statusReason: string | null;
  /** As publicAccount's: null only when its grant's key is missing from the key ring. */
  access: AccountRow['access'];
  calendars: number;
  errors: Array<{ calendarId: string; name: string; error: string }>;
  /** Its grant's OAuth client is no longer configured or kept, so its tokens cannot be refreshed (hub/oauth-clients.ts); null when fine. */
  clientProblem: string | null;
  /** Active, but its calendar list was never read (a connect cut short): the sweep reads it within a minute or two. */
  calendarsUnlisted: boolean;
}

/** What `calhub accounts list` narrows to: a provider, accounts with a problem (PROBLEMS not empty, or not active). */
export interface AccountsFilter {
  provider?: string;
  needsAttention?: boolean;
}

/** Whether an account's row asks something of someone: not active, or a problem in its PROBLEMS column. */
export function needsAttention(r: AccountOverview): boolean {
  return r.status !== 'active' || r.errors.length > 0 || r.clientProblem !== null || r.calendarsUnlisted;
}

/**
 * Every account of the tenants (all when none is named) with its calendars' problems. Read from the
 * columns beside the grants: no grant is decrypted to list accounts (access is null for an account
 * from before migration 0027 whose grant was never read since: `unknown`).
 * A tenant's calendars and their health are read at once, not per account: per account, 1,235
 * accounts took 10.6 s (seven queries each).
 */
export async function accountsOverview(hub: Hub, tenantId?: string, filter: AccountsFilter = {}): Promise<AccountOverview[]> {
  const tenants = tenantId ? [tenantId] : (await hub.store.tenants.list()).map((t) => t.id);
  const rows: AccountOverview[] = [];
  for (const tid of tenants) {
    const t = hub.store.tenant(tid);
    const accounts = (await t.accounts.list()).filter((a) => filter.provider === undefined || a.provider === filter.provider);
    if (accounts.length === 0) continue;
    const mine = new Set(accounts.map((a) => a.id));
    const cals = (await t.calendars.list()).filter((c) => mine.has(c.accountId));
    const health = new Map((await calendarHealth(hub, tid, cals.map((c) => c.id))).map((h) => [h.id, h]));
    const byAccount = new Map<string, typeof cals>();
    for (const c of cals) byAccount.set(c.accountId, [...(byAccount.get(c.accountId) ?? []), c]);
    for (const a of accounts) {
      const own = byAccount.get(a.id) ?? [];
      // A calendar that syncs but set items aside names them here too: only the account's list shows it.
      const errors = own.flatMap((c) => {
        const h = health.get(c.id);
        const note = h && (h.error ?? h.quarantine ?? h.truncated ?? h.fallbacks);
        return h && note ? [{ calendarId: h.id, name: h.name, error: note }] : [];
      });
      const clientProblem = await clientProblemOf(hub, a);
      const row: AccountOverview = { id: a.id, tenantId: tid, provider: a.provider, externalId: a.externalId, status: a.status, statusReason: a.statusReason, access: a.access, calendars: own.length, errors, clientProblem, calendarsUnlisted: a.status === 'active' && !a.calendarsListed };
      if (!filter.needsAttention || needsAttention(row)) rows.push(row);
    }
  }
  return rows;
}
