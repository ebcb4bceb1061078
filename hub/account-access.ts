/**
 * An account's access level (freebusy | read | readwrite) and what changes when a reconnect
 * changes it. The level is the accounts.access column (migration 0027); an OAuth account from
 * before the column has it only in its encrypted grant, read and stored the first time it is asked.
 */
import type { AccessLevel } from '../oauth/index.ts';
import { isOAuthProvider } from '../oauth/index.ts';
import type { AccountRow, Store, TenantTx } from '../shared/store/index.ts';

/** Reads a grant's access; throws when the key ring lacks its key. */
export type GrantAccess = (credentials: string) => AccessLevel | undefined;

/**
 * The account's access; null when it is unknown here (a grant whose key the ring lacks: every call
 * with it fails anyway, and says so). Fills the column the first time it is read from a grant.
 */
export async function accessOf(store: Store, grantAccess: GrantAccess, account: AccountRow): Promise<AccessLevel | null> {
  if (account.access) return account.access;
  if (!isOAuthProvider(account.provider) || !account.credentials) return 'readwrite';
  let access: AccessLevel;
  try {
    // Grants from before access levels were asked wrote and read everything.
    access = grantAccess(account.credentials) ?? 'readwrite';
  } catch {
    return null;
  }
  await store.tenant(account.tenantId).accounts.fillAccess(account.id, access);
  return access;
}

export const canWrite = (access: AccessLevel | null): boolean => access === null || access === 'readwrite';

export interface AccessChange {
  from: AccessLevel;
  to: AccessLevel;
  /** Event rows whose details were dropped (to freebusy). */
  scrubbed: number;
  /** Waiting writes parked (to an access that cannot write). */
  parked: number;
  /** Writes parked earlier offered to the provider again (back to readwrite). */
  unparked: number;
}

const why = (to: AccessLevel) => `the account was connected again with ${to} access, which cannot write; connect it with readwrite access to write this change`;

/**
 * Applies a change of access in the reconnect's transaction (the account row already carries `to`).
 * Less access: waiting writes are parked, and to freebusy what was stored of each event beyond its
 * busy time goes, in the rows and in every copy the hub keeps (the connection no longer allows
 * them). Back from freebusy: the next pull of each calendar lists everything again, and no
 * version agreed on without details counts as seen, so the details are stored again. The ledger
 * versions go in both directions: a push of a scrubbed event meets a 412 and merges, never writes
 * the empty fields over the provider's. Either way the next pull is a full listing.
 */
export async function applyAccessChange(tx: TenantTx, accountId: string, from: AccessLevel, to: AccessLevel): Promise<AccessChange> {
  const change: AccessChange = { from, to, scrubbed: 0, parked: 0, unparked: 0 };
  if (from === to) return change;
  // First, so a pull that began under the old access commits before this transaction or never:
  // its cursor and the details it read would otherwise outlive the scrub (to freebusy) or keep
  // the versions agreed on without details (back from it).
  if (to === 'freebusy' || from === 'freebusy') await tx.accessChange.forgetCursors(accountId);
  if (to === 'readwrite') change.unparked = await tx.accessChange.unparkWrites(accountId);
  else change.parked = await tx.accessChange.parkWrites(accountId, why(to));
  if (to === 'freebusy') change.scrubbed = await tx.accessChange.scrubDetails(accountId);
  if (to === 'freebusy' || from === 'freebusy') await tx.accessChange.forgetVersions(accountId);
  return change;
}
