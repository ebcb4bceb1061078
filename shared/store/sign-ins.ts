/**
 * What an OAuth sign-in stored, written in the transaction that stores its account (migration
 * 0083): the state names the account, and the connect session the flow came from is spent with it.
 * A hub that dies after that transaction leaves a state its callback can still finish as connected.
 */
import type { Queryable } from './db.ts';
import { secretHash } from './oauth-repo.ts';

export class SignInRepo {
  constructor(private readonly q: Queryable, private readonly tenantId: string) {}

  /** The state's sign-in stored this account; `connectSession` (its stored id), if any, connects nothing more. */
  async stored(state: string, accountId: string, connectSession: string | null): Promise<void> {
    await this.q.query('UPDATE oauth_states SET stored_account_id = $2 WHERE state_hash = $1 AND tenant_id = $3', [secretHash(state), accountId, this.tenantId]);
    if (connectSession) {
      await this.q.query('UPDATE connect_sessions SET used_at = now(), claimed_at = NULL WHERE id = $1 AND tenant_id = $2 AND used_at IS NULL', [connectSession, this.tenantId]);
    }
  }
}
