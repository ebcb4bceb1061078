import type { Account, AccountStatus, ProviderId } from '../model/index.ts';
import type { Queryable } from './db.ts';
import { newId } from './ids.ts';
import type { AccessLevel } from './oauth-repo.ts';

export interface AccountRow extends Account {
  config: Record<string, unknown>;
  statusReason: string | null;
  /**
   * What the account was connected to do (migration 0027). Null only for an OAuth account from
   * before the column, whose access is still only in its encrypted grant (hub/account-access.ts fills it).
   */
  access: AccessLevel | null;
  /**
   * The OAuth client its grant was issued through (migration 0059), read without the grant; null
   * for a grant stored before the columns and not refreshed since (hub/oauth-clients.ts fills it).
   */
  grantClient: GrantClient | null;
  /** False until a listing of its calendars succeeded (migration 0068): a connect cut short, the sweep lists it. */
  calendarsListed: boolean;
}

type Row = {
  id: string;
  tenant_id: string;
  provider: ProviderId;
  external_id: string;
  display_name: string | null;
  /** Absent on a benchmark's schema from before migration 0091. */
  email?: string | null;
  credentials: string | null;
  config: Record<string, unknown>;
  status: AccountStatus;
  status_reason: string | null;
  access: AccessLevel | null;
  grant_app: GrantClient['app'] | null;
  grant_client_id: string | null;
  calendars_listed: boolean;
  created_at: Date;
  updated_at: Date;
};

const toAccount = (r: Row): AccountRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  provider: r.provider,
  externalId: r.external_id,
  displayName: r.display_name,
  email: r.email ?? null,
  credentials: r.credentials,
  config: r.config,
  status: r.status,
  statusReason: r.status_reason,
  access: r.access ?? null,
  grantClient: r.grant_app ? { app: r.grant_app, clientId: r.grant_client_id } : null,
  calendarsListed: r.calendars_listed,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/**
 * The other accounts, in any tenant, that sign in as this provider user and whose grant may still
 * work (stored, not `needs_reauth`): the candidates a revocation could break. At Google, revoking a
 * token ends the user's grant to that client; whether one of these holds a grant of the same client
 * is in its encrypted grant (oauth/token-manager.ts `sameClientSignIns`). Callers answer a count,
 * never another tenant's rows.
 */
export async function liveSignInsAs(db: Queryable, provider: ProviderId, externalId: string, exceptAccountId: string | null): Promise<Array<{ tenantId: string; credentials: string }>> {
  const rows = await db.query<{ tenant_id: string; credentials: string }>(
    `SELECT tenant_id, credentials FROM accounts
     WHERE provider = $1 AND lower(external_id) = lower($2) AND id IS DISTINCT FROM $3 AND credentials IS NOT NULL AND status <> 'needs_reauth'`,
    [provider, externalId, exceptAccountId],
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, credentials: r.credentials }));
}

/**
 * The OAuth client a grant was issued through, kept in clear beside it (migration 0059): a client
 * id is public, and `calhub status` reads it without decrypting the grant. `clientId` null: a grant
 * from before client ids were recorded (it follows the hub's current client).
 */
export interface GrantClient {
  app: 'default' | 'tenant';
  clientId: string | null;
}

/** Accounts of one tenant; every query carries the tenant id. */
export class AccountRepo {
  constructor(private readonly db: Queryable, private readonly tenantId: string) {}

  /**
   * Creates or re-links (same provider + external id → same account, never a duplicate).
   * `access` absent: a re-linked account keeps its own; a new one has none recorded (NULL): a
   * CalDAV one then reads and writes, a Google or Microsoft one has its grant's, read when first
   * needed (hub/account-access.ts). `email` absent: a re-linked account keeps its own.
   */
  async upsert(a: { provider: ProviderId; externalId: string; displayName?: string | null; credentials?: string | null; config?: Record<string, unknown>; access?: AccessLevel; grant?: GrantClient; email?: string | null }): Promise<AccountRow> {
    const params: unknown[] = [newId('acc'), this.tenantId, a.provider, a.externalId, a.displayName ?? null, a.credentials ?? null, JSON.stringify(a.config ?? {})];
    // Named only when given: a benchmark's schema from before migration 0027 (0059) has no such column.
    const extra: Array<[string, unknown]> = [];
    if (a.access) extra.push(['access', a.access]);
    if (a.grant) extra.push(['grant_app', a.grant.app], ['grant_client_id', a.grant.clientId]);
    if (a.email !== undefined) extra.push(['email', a.email]);
    const rows = await this.db.query<Row>(
      `INSERT INTO accounts (id, tenant_id, provider, external_id, display_name, credentials, config${extra.map(([c]) => `, ${c}`).join('')})
       VALUES ($1, $2, $3, $4, $5, $6, $7${extra.map((_, i) => `, $${8 + i}`).join('')})
       ON CONFLICT (tenant_id, provider, external_id) DO UPDATE SET
         display_name = EXCLUDED.display_name, credentials = EXCLUDED.credentials, config = EXCLUDED.config,${extra.map(([c]) => ` ${c} = EXCLUDED.${c},`).join('')}
         status = 'active', status_reason = NULL, updated_at = now()
       RETURNING *`,
      [...params, ...extra.map(([, v]) => v)],
    );
    return toAccount(rows[0]!);
  }

  /**
   * account.connected for an account connected again while already connected (active): the
   * status trigger sends nothing for it, and a product learns of every connect from its webhooks.
   * The message says alreadyConnected: true.
   */
  async connectedAgain(id: string): Promise<void> {
    await this.db.query(
      `INSERT INTO webhook_outbox (tenant_id, kind, op, account_id, subject_id, data)
       SELECT tenant_id, 'account', 'connected', id, id, jsonb_build_object(
         'provider', provider, 'externalId', external_id, 'status', status, 'reason', status_reason, 'access', access, 'email', email, 'alreadyConnected', true)
       FROM accounts WHERE id = $1 AND tenant_id = $2 AND calhub_webhooks_wanted(tenant_id)`,
      [id, this.tenantId],
    );
  }

  /** Fills the access of an account from before migration 0027 (read from its grant); a known one stays. */
  async fillAccess(id: string, access: AccessLevel): Promise<void> {
    await this.db.query('UPDATE accounts SET access = $3 WHERE id = $1 AND tenant_id = $2 AND access IS NULL', [id, this.tenantId, access]);
  }

  /** The account's address as a later reading tells it (an account from before migration 0091, or one that changed at the provider). */
  async setEmail(id: string, email: string | null): Promise<void> {
    await this.db.query('UPDATE accounts SET email = $3, updated_at = now() WHERE id = $1 AND tenant_id = $2 AND email IS DISTINCT FROM $3', [id, this.tenantId, email]);
  }

  /** A new identity for an account (a CalDAV account's, from the address typed to its principal). */
  async rekey(id: string, externalId: string): Promise<void> {
    await this.db.query('UPDATE accounts SET external_id = $1, updated_at = now() WHERE id = $2 AND tenant_id = $3', [externalId, id, this.tenantId]);
  }

  async get(id: string): Promise<AccountRow | null> {
    const rows = await this.db.query<Row>('SELECT * FROM accounts WHERE id = $1 AND tenant_id = $2', [id, this.tenantId]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async list(): Promise<AccountRow[]> {
    const rows = await this.db.query<Row>('SELECT * FROM accounts WHERE tenant_id = $1 ORDER BY created_at, id', [this.tenantId]);
    return rows.map(toAccount);
  }

  async setStatus(id: string, status: AccountStatus, reason: string | null = null): Promise<void> {
    await this.db.query('UPDATE accounts SET status = $3, status_reason = $4, updated_at = now() WHERE id = $1 AND tenant_id = $2', [
      id,
      this.tenantId,
      status,
      reason,
    ]);
  }

  /**
   * An operator switches the account off (migration 0051): the status it leaves is kept when it is
   * one that enabling must return to (needs_reauth: its grant was dead, and stays so while
   * disabled), with its reason. Disabling a disabled account changes nothing. Returns whether it changed.
   */
  async disable(id: string, reason: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE accounts SET status = 'disabled', status_reason = $3, updated_at = now(),
         disabled_from = CASE WHEN status = 'needs_reauth' THEN status END,
         disabled_from_reason = CASE WHEN status = 'needs_reauth' THEN status_reason END
        WHERE id = $1 AND tenant_id = $2 AND status <> 'disabled' RETURNING id`,
      [id, this.tenantId, reason],
    );
    return rows.length > 0;
  }

  /** A disabled account switched on again: back to the status disable() kept (needs_reauth, with its reason), else active. Null: it was not disabled. */
  async enable(id: string): Promise<AccountStatus | null> {
    const rows = await this.db.query<{ status: AccountStatus }>(
      `UPDATE accounts SET status = COALESCE(disabled_from, 'active'), status_reason = disabled_from_reason, updated_at = now(),
         disabled_from = NULL, disabled_from_reason = NULL
        WHERE id = $1 AND tenant_id = $2 AND status = 'disabled' RETURNING status`,
      [id, this.tenantId],
    );
    return rows[0]?.status ?? null;
  }

  /** needs_reauth with `reason`, unless it already is (its first reason is kept). */
  async markNeedsReauth(id: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE accounts SET status = 'needs_reauth', status_reason = $3, updated_at = now() WHERE id = $1 AND tenant_id = $2 AND status <> 'needs_reauth'`,
      [id, this.tenantId, reason],
    );
  }

  async setCredentials(id: string, credentials: string): Promise<void> {
    await this.db.query('UPDATE accounts SET credentials = $3, updated_at = now() WHERE id = $1 AND tenant_id = $2', [id, this.tenantId, credentials]);
  }

  /**
   * Takes the account's token-refresh lease when it is free or has lapsed (a crashed holder), so
   * one process at a time talks to the token endpoint for this account. Returns the row as it is
   * under the lease, or null while another process holds it.
   */
  async takeRefreshLease(id: string, owner: string, leaseMs: number): Promise<AccountRow | null> {
    const rows = await this.db.query<Row>(
      `UPDATE accounts SET refresh_lease_owner = $3, refresh_lease_until = now() + ($4::int * interval '1 millisecond')
        WHERE id = $1 AND tenant_id = $2 AND (refresh_lease_until IS NULL OR refresh_lease_until < now())
        RETURNING *`,
      [id, this.tenantId, owner, leaseMs],
    );
    return rows[0] ? toAccount(rows[0]) : null;
  }

  /** Ends the lease, storing the new credentials (and the client they were issued through) in the same write when there are any. */
  async releaseRefreshLease(id: string, owner: string, credentials: string | null, grant: GrantClient | null = null): Promise<void> {
    await this.db.query(
      `UPDATE accounts SET refresh_lease_owner = NULL, refresh_lease_until = NULL,
         credentials = COALESCE($4, credentials),
         grant_app = CASE WHEN $4::text IS NOT NULL AND $5::text IS NOT NULL THEN $5 ELSE grant_app END,
         grant_client_id = CASE WHEN $4::text IS NOT NULL AND $5::text IS NOT NULL THEN $6 ELSE grant_client_id END, updated_at = now()
        WHERE id = $1 AND tenant_id = $2 AND refresh_lease_owner = $3`,
      [id, this.tenantId, owner, credentials, grant?.app ?? null, grant?.clientId ?? null],
    );
  }

  /**
   * Records the client read from a grant stored before migration 0059, unless one is recorded by
   * now: a refresh meanwhile recorded the client of the grant it stored.
   */
  async fillGrantClient(id: string, grant: GrantClient): Promise<void> {
    await this.db.query('UPDATE accounts SET grant_app = $3, grant_client_id = $4 WHERE id = $1 AND tenant_id = $2 AND grant_app IS NULL', [id, this.tenantId, grant.app, grant.clientId]);
  }

  /** Records the client of the grant the account holds (a grant stamped with its client, or one read to backfill the column). */
  async setGrantClient(id: string, grant: GrantClient): Promise<void> {
    await this.db.query('UPDATE accounts SET grant_app = $3, grant_client_id = $4 WHERE id = $1 AND tenant_id = $2', [id, this.tenantId, grant.app, grant.clientId]);
  }

  /**
   * The account's calendar list was read (calendar-lists refresh), or a reading failed and waits
   * for its next turn; not a change of the account, so updated_at stays. `answered`: the request
   * the reading began under (listRequest), cleared unless a newer one came meanwhile.
   */
  async markCalendarsListed(id: string, answered?: { requestedAt: string | null }): Promise<void> {
    if (!answered) {
      await this.db.query('UPDATE accounts SET calendars_listed_at = now(), calendars_listed = true WHERE id = $1 AND tenant_id = $2', [id, this.tenantId]);
      return;
    }
    await this.db.query(
      `UPDATE accounts SET calendars_listed_at = now(), calendars_listed = true,
         calendars_list_requested_at = CASE WHEN calendars_list_requested_at IS NOT DISTINCT FROM $3::timestamptz THEN NULL ELSE calendars_list_requested_at END
        WHERE id = $1 AND tenant_id = $2`,
      [id, this.tenantId, answered.requestedAt],
    );
  }

  /** A reading failed: it waits for its turn (a minute, for an account never listed) without counting as a listing. */
  async deferCalendarList(id: string): Promise<void> {
    await this.db.query('UPDATE accounts SET calendars_listed_at = now() WHERE id = $1 AND tenant_id = $2', [id, this.tenantId]);
  }

  /** A notification said the calendar list changed (migration 0023): durable until a reading answers it. */
  async requestCalendarList(id: string): Promise<void> {
    await this.db.query('UPDATE accounts SET calendars_list_requested_at = now() WHERE id = $1 AND tenant_id = $2', [id, this.tenantId]);
  }

  /** The standing request to read the list again (its time as the store wrote it), null when none. */
  async listRequest(id: string): Promise<{ requestedAt: string | null }> {
    const [row] = await this.db.query<{ at: string | null }>('SELECT calendars_list_requested_at::text AS at FROM accounts WHERE id = $1 AND tenant_id = $2', [id, this.tenantId]);
    return { requestedAt: row?.at ?? null };
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM accounts WHERE id = $1 AND tenant_id = $2 RETURNING id', [id, this.tenantId]);
    return rows.length > 0;
  }
}
