/**
 * Idempotency keys of API writes (migration 0009). A request claims its tenant's key; the claim
 * holder stores the answer, retries read it. Each function is one statement.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from './db.ts';

export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Claim =
  | { kind: 'claimed'; token: string }
  | { kind: 'done'; fingerprint: string; answer: StoredAnswer }
  | { kind: 'pending'; fingerprint: string };

type Row = { fingerprint: string; state: string; token: string; status: number | null; headers: Record<string, string> | null; body: string | null };

export class IdempotencyRepo {
  constructor(private readonly q: Queryable) {}

  /**
   * Takes the key for this request, unless a live row holds it: an expired row, or a pending one
   * whose holder has been silent since `staleBefore` (a crashed process), is taken over.
   */
  async claim(tenantId: string, key: string, fingerprint: string, now: Date, ttlMs: number, staleBefore: Date): Promise<Claim> {
    const token = randomBytes(16).toString('hex');
    const taken = await this.q.query<{ token: string }>(
      `INSERT INTO idempotency_keys AS k (tenant_id, key, fingerprint, state, token, claimed_at, expires_at)
         VALUES ($1, $2, $3, 'pending', $4, $5, $6)
       ON CONFLICT (tenant_id, key) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, state = 'pending', token = EXCLUDED.token, claimed_at = EXCLUDED.claimed_at,
             expires_at = EXCLUDED.expires_at, status = NULL, headers = NULL, body = NULL
         WHERE k.expires_at <= $5 OR (k.state = 'pending' AND k.claimed_at < $7)
       RETURNING token`,
      [tenantId, key, fingerprint, token, now, new Date(now.getTime() + ttlMs), staleBefore],
    );
    if (taken.length) return { kind: 'claimed', token };
    const [row] = await this.q.query<Row>('SELECT fingerprint, state, token, status, headers, body FROM idempotency_keys WHERE tenant_id = $1 AND key = $2', [tenantId, key]);
    // Deleted between the two statements (released by its holder): the caller claims again.
    if (!row) return { kind: 'pending', fingerprint };
    if (row.state === 'done') return { kind: 'done', fingerprint: row.fingerprint, answer: { status: row.status!, headers: row.headers ?? {}, body: row.body ?? '' } };
    return { kind: 'pending', fingerprint: row.fingerprint };
  }

  /** Stores the answer of the claim `token` holds; false when the claim was taken over meanwhile. */
  async complete(tenantId: string, key: string, token: string, answer: StoredAnswer): Promise<boolean> {
    const rows = await this.q.query(
      `UPDATE idempotency_keys SET state = 'done', status = $4, headers = $5, body = $6
        WHERE tenant_id = $1 AND key = $2 AND token = $3 AND state = 'pending' RETURNING 1`,
      [tenantId, key, token, answer.status, JSON.stringify(answer.headers), answer.body],
    );
    return rows.length > 0;
  }

  /** Gives the key up (the request failed without an answer worth keeping): a retry runs again. */
  async release(tenantId: string, key: string, token: string): Promise<void> {
    await this.q.query(`DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND token = $3 AND state = 'pending'`, [tenantId, key, token]);
  }

  /** Deletes rows expired before `now` (maintenance); returns how many. */
  async purgeExpired(now: Date): Promise<number> {
    const rows = await this.q.query('DELETE FROM idempotency_keys WHERE expires_at <= $1 RETURNING 1', [now]);
    return rows.length;
  }
}
