/**
 * An endpoint's failure state (migration 0061). Healthy (failures = 0): its streams send side by
 * side. Failing: nothing goes to it before `retry_at`, and then one attempt at a time, by whoever
 * holds the probe; the probe's success makes it healthy and its owed messages due at once.
 */
import type { Db } from './db.ts';

export interface EndpointHealth {
  failures: number;
  retryAt: Date | null;
  /** This failure moved the backoff a step (the first of an outage or of a probe's failure). */
  stepped: boolean;
}

/** Takes the endpoint's probe: only when it is failing, its retry time has come and no other probe is live. */
export async function claimProbe(db: Db, endpointId: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
  const rows = await db.query(
    `UPDATE webhook_endpoints SET probe_owner = $2, probe_until = $4
      WHERE id = $1 AND failures > 0 AND (retry_at IS NULL OR retry_at <= $3) AND (probe_until IS NULL OR probe_until < $3 OR probe_owner = $2)
      RETURNING id`,
    [endpointId, owner, now, new Date(now.getTime() + ttlMs)],
  );
  return rows.length > 0;
}

export async function releaseProbe(db: Db, endpointId: string, owner: string): Promise<void> {
  await db.query('UPDATE webhook_endpoints SET probe_owner = NULL, probe_until = NULL WHERE id = $1 AND probe_owner = $2', [endpointId, owner]);
}

/**
 * Records a failed attempt started at `startedAt` and returns when the endpoint is tried next. An
 * attempt that overlapped another failure already recorded (several streams in flight when the
 * receiver went down) does not step the backoff again: one outage, one step.
 */
export async function endpointFailed(
  db: Db,
  endpointId: string,
  startedAt: Date,
  at: Date,
  o: { status: number | null; error: string | null },
  delayMs: (failures: number) => number,
): Promise<EndpointHealth> {
  return db.transaction(async (tx) => {
    const [cur] = await tx.query<{ failures: number; retry_at: Date | null }>('SELECT failures, retry_at FROM webhook_endpoints WHERE id = $1 FOR UPDATE', [endpointId]);
    if (!cur) return { failures: 0, retryAt: null, stepped: false };
    const stepped = !(cur.failures > 0 && cur.retry_at && cur.retry_at > startedAt);
    const failures = stepped ? cur.failures + 1 : cur.failures;
    const retryAt = stepped ? new Date(at.getTime() + delayMs(failures)) : cur.retry_at!;
    await tx.query(
      `UPDATE webhook_endpoints SET failures = $2, retry_at = $3, failing_since = COALESCE(failing_since, $4), probe_owner = NULL, probe_until = NULL,
              last_error_at = $4, last_error_status = $5, last_error = $6
        WHERE id = $1`,
      [endpointId, failures, retryAt, at, o.status, o.error],
    );
    return { failures, retryAt, stepped };
  });
}

/** A success: healthy again. True when it had been failing (the caller wakes its other streams). */
export async function endpointRecovered(db: Db, endpointId: string): Promise<boolean> {
  const rows = await db.query(
    `UPDATE webhook_endpoints SET failures = 0, retry_at = NULL, failing_since = NULL, probe_owner = NULL, probe_until = NULL WHERE id = $1 AND failures > 0 RETURNING id`,
    [endpointId],
  );
  // Heads keep their own times: in an outage only probes were tried, each due by the next probe,
  // while a message the receiver refuses by itself (one it cannot parse) keeps backing off alone.
  return rows.length > 0;
}

/** Its tenant fixed it (a new URL, enabled again): no backoff left, owed messages due now. */
export async function resetEndpointHealth(db: Db, endpointId: string, now: Date): Promise<void> {
  await db.query(`UPDATE webhook_endpoints SET failures = 0, retry_at = NULL, failing_since = NULL, probe_owner = NULL, probe_until = NULL WHERE id = $1`, [endpointId]);
  await db.query(`UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE endpoint_id = $1 AND status = 'pending' AND next_attempt_at > $2`, [endpointId, now]);
}
