/**
 * Channels to stop that push_channels no longer (or never) names (migration 0056): Google watches
 * whose answer may be lost (`opening`), and stops to retry (`stop`). The functions span tenants:
 * a notification names only a channel, and the supervisor's sweep covers the deployment.
 */
import type { ProviderId } from '../model/index.ts';
import type { Queryable } from './db.ts';

export interface ChannelStop {
  provider: ProviderId;
  channelId: string;
  resourceId: string | null;
  tenantId: string;
  accountId: string;
  state: 'opening' | 'stop';
  secretHash: string | null;
  /** The grant envelope, only when the account row is gone (a disconnect's stop). */
  credentials: string | null;
  /** The account's pinned API origin, kept with `credentials`. */
  apiBase: string | null;
  /** Revoke the grant once the account's last queued stop is done (its disconnect deferred it). */
  revokeGrant: boolean;
  /** The provider user (accounts.external_id), for the deferred revocation's check of other sign-ins. */
  externalId: string | null;
  expiresAt: Date;
  nextTryAt: Date;
  tries: number;
  lastError: string | null;
  createdAt: Date;
}

type Row = {
  provider: ProviderId; channel_id: string; resource_id: string | null; tenant_id: string; account_id: string; state: 'opening' | 'stop';
  secret_hash: string | null; credentials: string | null; api_base: string | null; revoke_grant: boolean; external_id: string | null; expires_at: Date; next_try_at: Date; tries: number;
  last_error: string | null; created_at: Date;
};

const toStop = (r: Row): ChannelStop => ({
  provider: r.provider, channelId: r.channel_id, resourceId: r.resource_id, tenantId: r.tenant_id, accountId: r.account_id, state: r.state,
  secretHash: r.secret_hash, credentials: r.credentials, apiBase: r.api_base, revokeGrant: r.revoke_grant, externalId: r.external_id, expiresAt: r.expires_at, nextTryAt: r.next_try_at,
  tries: r.tries, lastError: r.last_error, createdAt: r.created_at,
});

/**
 * How long a watch may be `opening` before it counts as abandoned (a process that died mid-call
 * never marks it): far beyond any request deadline.
 */
export const OPENING_GRACE_MS = 10 * 60_000;

/**
 * How long a lost Google watch waits for its channel's `sync` handshake, which Google sends as the
 * channel opens (and retries with backoff while the receiver fails, A.7). None by then: the watch
 * opened nothing, and there is nothing to stop (nor could it be: channels.stop needs the resourceId).
 */
export const HANDSHAKE_WAIT_MS = 60 * 60_000;

/** A watch is about to be sent with this channel id. */
export async function recordOpening(q: Queryable, o: { provider: ProviderId; channelId: string; tenantId: string; accountId: string; secretHash: string; expiresAt: Date; now: Date }): Promise<void> {
  await q.query(
    `INSERT INTO channel_stops (provider, channel_id, tenant_id, account_id, state, secret_hash, expires_at, next_try_at, created_at)
     VALUES ($1, $2, $3, $4, 'opening', $5, $6, $6, $7) ON CONFLICT (provider, channel_id) DO NOTHING`,
    [o.provider, o.channelId, o.tenantId, o.accountId, o.secretHash, o.expiresAt, o.now],
  );
}

/** The watch answered and its channel is saved in push_channels: nothing to stop. */
export async function forgetOpening(q: Queryable, provider: ProviderId, channelId: string): Promise<void> {
  await q.query(`DELETE FROM channel_stops WHERE provider = $1 AND channel_id = $2 AND state = 'opening'`, [provider, channelId]);
}

/**
 * The watch failed without an answer that proves no channel was made: stop it as soon as its
 * resource id is known (now, if its handshake already came).
 */
export async function abandonOpening(q: Queryable, provider: ProviderId, channelId: string, error: string, now: Date): Promise<void> {
  await q.query(
    `UPDATE channel_stops SET state = 'stop', last_error = $3, next_try_at = $4 WHERE provider = $1 AND channel_id = $2 AND state = 'opening'`,
    [provider, channelId, error, now],
  );
}

/** The row a notification's unknown channel id may belong to. */
export async function stopByChannelId(q: Queryable, provider: ProviderId, channelId: string): Promise<ChannelStop | null> {
  const [r] = await q.query<Row>('SELECT * FROM channel_stops WHERE provider = $1 AND channel_id = $2', [provider, channelId]);
  return r ? toStop(r) : null;
}

/** A verified notification named the channel's resource id: kept, and an abandoned watch is due now. */
export async function noteResource(q: Queryable, provider: ProviderId, channelId: string, resourceId: string, now: Date): Promise<void> {
  await q.query(
    `UPDATE channel_stops SET resource_id = COALESCE(resource_id, $3),
       next_try_at = CASE WHEN state = 'stop' OR created_at < $5 THEN LEAST(next_try_at, $4) ELSE next_try_at END
     WHERE provider = $1 AND channel_id = $2`,
    [provider, channelId, resourceId, now, new Date(now.getTime() - OPENING_GRACE_MS)],
  );
}

/** A stop the caller could not finish inline, retried by the sweep. */
export async function queueStop(q: Queryable, s: Omit<ChannelStop, 'state' | 'secretHash' | 'tries' | 'createdAt'>): Promise<void> {
  await q.query(
    `INSERT INTO channel_stops (provider, channel_id, resource_id, tenant_id, account_id, state, credentials, api_base, revoke_grant, external_id, expires_at, next_try_at, last_error)
     VALUES ($1, $2, $3, $4, $5, 'stop', $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (provider, channel_id) DO UPDATE SET state = 'stop', resource_id = COALESCE(EXCLUDED.resource_id, channel_stops.resource_id),
       credentials = EXCLUDED.credentials, api_base = EXCLUDED.api_base, revoke_grant = EXCLUDED.revoke_grant, external_id = EXCLUDED.external_id,
       next_try_at = EXCLUDED.next_try_at, last_error = EXCLUDED.last_error`,
    [s.provider, s.channelId, s.resourceId, s.tenantId, s.accountId, s.credentials, s.apiBase, s.revokeGrant, s.externalId, s.expiresAt, s.nextTryAt, s.lastError],
  );
}

/**
 * The sweep's stops: drops rows whose channel has expired (nothing left to stop), is live in
 * push_channels after all (its watch answered, the cleanup did not run), or is a Google watch whose
 * handshake never came within HANDSHAKE_WAIT_MS (never opened), then takes up to `limit`
 * due ones under a lease (an expired one still owing its grant's revocation among them). A Google stop needs the resource id: until a notification names it, the
 * row waits (at most HANDSHAKE_WAIT_MS).
 * Inputs: now, lease end, limit. Locks: the claimed rows (SKIP LOCKED: concurrent sweeps share them).
 */
export async function claimDueStops(q: Queryable, now: Date, leaseUntil: Date, limit: number): Promise<ChannelStop[]> {
  await q.query(
    `DELETE FROM channel_stops s WHERE (s.expires_at <= $1 AND NOT s.revoke_grant)
        OR EXISTS (SELECT 1 FROM push_channels p WHERE p.provider = s.provider AND p.channel_id = s.channel_id)
        OR (s.provider = 'google' AND s.resource_id IS NULL AND s.created_at < $2 AND NOT s.revoke_grant)`,
    [now, new Date(now.getTime() - HANDSHAKE_WAIT_MS)],
  );
  const rows = await q.query<Row>(
    `UPDATE channel_stops SET next_try_at = $2
      WHERE (provider, channel_id) IN (
        SELECT provider, channel_id FROM channel_stops
         WHERE next_try_at <= $1 AND (state = 'stop' OR created_at < $4) AND (resource_id IS NOT NULL OR provider <> 'google')
            OR (revoke_grant AND expires_at <= $1)
         ORDER BY next_try_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    [now, leaseUntil, limit, new Date(now.getTime() - OPENING_GRACE_MS)],
  );
  return rows.map(toStop);
}

export async function recordStopFailure(q: Queryable, provider: ProviderId, channelId: string, error: string, nextTryAt: Date): Promise<void> {
  await q.query(`UPDATE channel_stops SET state = 'stop', tries = tries + 1, last_error = $3, next_try_at = $4 WHERE provider = $1 AND channel_id = $2`, [provider, channelId, error, nextTryAt]);
}

export async function removeStop(q: Queryable, provider: ProviderId, channelId: string): Promise<void> {
  await q.query('DELETE FROM channel_stops WHERE provider = $1 AND channel_id = $2', [provider, channelId]);
}

/** Stops of a deleted account still waiting to revoke its grant (none left: the revocation is due). */
export async function stopsAwaitingRevocation(q: Queryable, tenantId: string, accountId: string): Promise<number> {
  const [r] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM channel_stops WHERE tenant_id = $1 AND account_id = $2 AND revoke_grant', [tenantId, accountId]);
  return r?.n ?? 0;
}

/** The stops waiting for a retry (not watches in flight), of one tenant or all; soonest try first. */
export async function queuedStops(q: Queryable, tenantId: string | null): Promise<ChannelStop[]> {
  const rows = await q.query<Row>(`SELECT * FROM channel_stops WHERE state = 'stop' AND ($1::text IS NULL OR tenant_id = $1) ORDER BY next_try_at, channel_id`, [tenantId]);
  return rows.map(toStop);
}

/** The stops still queued (ops, tests). */
export async function listStops(q: Queryable): Promise<ChannelStop[]> {
  return (await q.query<Row>('SELECT * FROM channel_stops ORDER BY created_at, channel_id')).map(toStop);
}
