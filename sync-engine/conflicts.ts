import type { Queryable } from '../shared/store/index.ts';
import { randomBytes } from 'node:crypto';
import type { ConflictRecord } from './plan.ts';

export async function recordConflicts(tx: Queryable, tenantId: string, calendarId: string, list: ConflictRecord[]): Promise<void> {
  for (const c of list) {
    await tx.query(
      `INSERT INTO conflicts (id, tenant_id, calendar_id, uid, remote_id, policy, fields, base, local, remote, outcome, resolved_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CASE WHEN $11 = 'parked' THEN NULL ELSE now() END)`,
      [
        `cfl_${randomBytes(10).toString('base64url')}`,
        tenantId,
        calendarId,
        c.uid,
        c.remoteId,
        c.policy,
        JSON.stringify(c.fields),
        JSON.stringify(c.base),
        JSON.stringify(c.local),
        JSON.stringify(c.remote),
        c.outcome,
      ],
    );
  }
}
