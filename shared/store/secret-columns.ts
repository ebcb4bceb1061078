/**
 * Every column that holds an encrypted envelope, for key rotation (`calhub keys rotate`): list
 * them, and swap one envelope for its re-encryption only if nobody changed it meanwhile (a token
 * refresh racing the rotation keeps its newer value; the next rotation pass picks it up).
 * A new encrypted column must be added here, or rotation would leave it on an old key.
 */
import type { Db } from './db.ts';

const COLUMNS = [
  { table: 'accounts', key: 'id', column: 'credentials' },
  { table: 'tenant_oauth_apps', key: "tenant_id || '/' || provider", column: 'client_secret' },
  { table: 'tenant_oauth_app_clients', key: "tenant_id || '/' || provider || '/' || client_id", column: 'client_secret' },
  { table: 'oauth_states', key: 'state_hash', column: 'verifier' },
  // A disconnected account's grant, kept only while its channels' stops are queued (migration 0056).
  { table: 'channel_stops', key: "provider || '/' || channel_id", column: 'credentials' },
  // Webhook signing secrets: left out, a rotation said older keys could go while every endpoint's
  // secret was still on one, and its deliveries then stayed pending forever (SECRET_UNREADABLE).
  { table: 'webhook_endpoints', key: 'id', column: 'secret' },
  { table: 'webhook_endpoints', key: 'id', column: 'previous_secret' },
] as const;

export interface SecretCell {
  table: string;
  column: string;
  key: string;
  envelope: string;
}

export async function listSecretCells(db: Db): Promise<SecretCell[]> {
  const out: SecretCell[] = [];
  for (const c of COLUMNS) {
    const rows = await db.query<{ k: string; v: string }>(`SELECT ${c.key} AS k, ${c.column} AS v FROM ${c.table} WHERE ${c.column} IS NOT NULL ORDER BY 1`);
    for (const r of rows) out.push({ table: c.table, column: c.column, key: r.k, envelope: r.v });
  }
  return out;
}

/** Compare-and-swap of one envelope; false when the cell changed since it was read. */
export async function replaceSecretCell(db: Db, cell: SecretCell, next: string): Promise<boolean> {
  const c = COLUMNS.find((x) => x.table === cell.table && x.column === cell.column)!;
  const rows = await db.query(`UPDATE ${c.table} SET ${c.column} = $3 WHERE ${c.key} = $1 AND ${c.column} = $2 RETURNING 1`, [cell.key, cell.envelope, next]);
  return rows.length > 0;
}
