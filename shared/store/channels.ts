/**
 * Push channels (migration 0005), one per calendar. The tenant-scoped repository serves the
 * supervisor's writes; the functions below it span tenants because a notification names only a
 * channel, and the supervisor's sweep covers the whole deployment.
 */
import type { ProviderId } from '../model/index.ts';
import type { Db, Queryable } from './db.ts';

export type ChannelStatus = 'new' | 'active' | 'renew' | 'removed' | 'polling';
/** A calendar's events (events.watch, a Graph subscription), or a Google account's calendar list (calendarList.watch, migration 0022). */
export type ChannelKind = 'events' | 'calendar-list';

/** The row key of an account's calendar-list channel (the table is keyed by calendar id). */
/** How long a supervisor pass holds a claimed row (hub/channels/supervisor.ts); a pass that dies is retried after it. */
export const CHANNEL_LEASE_MS = 5 * 60_000;
/** Clock skew between the hub (the claim's next check) and the database (its updated_at) allowed for when telling a lease apart. */
const LEASE_TOLERANCE_MS = 30_000;

export const listChannelKey = (accountId: string): string => `list:${accountId}`;

export interface PushChannel {
  /** The calendar's id; for a calendar-list channel listChannelKey(accountId). */
  calendarId: string;
  kind: ChannelKind;
  tenantId: string;
  accountId: string;
  provider: ProviderId;
  providerCalendarId: string;
  timeZone: string;
  status: ChannelStatus;
  channelId: string | null;
  resourceId: string | null;
  /** SHA-256 (hex) of the secret the provider echoes; never the secret itself. */
  secretHash: string | null;
  address: string | null;
  expiresAt: Date | null;
  nextCheckAt: Date;
  failures: number;
  lastError: string | null;
  /** Set while the channel is suspected silent (channel-activity.ts markSilent); cleared by a notification or a new channel. */
  silentSince?: Date | null;
}

type Row = {
  calendar_id: string;
  kind: ChannelKind;
  tenant_id: string;
  account_id: string;
  provider: ProviderId;
  provider_calendar_id: string;
  time_zone: string;
  status: ChannelStatus;
  channel_id: string | null;
  resource_id: string | null;
  secret_hash: string | null;
  address: string | null;
  expires_at: Date | null;
  next_check_at: Date;
  failures: number;
  last_error: string | null;
  silent_since: Date | null;
};

const toChannel = (r: Row): PushChannel => ({
  calendarId: r.calendar_id,
  kind: r.kind,
  tenantId: r.tenant_id,
  accountId: r.account_id,
  provider: r.provider,
  providerCalendarId: r.provider_calendar_id,
  timeZone: r.time_zone,
  status: r.status,
  channelId: r.channel_id,
  resourceId: r.resource_id,
  secretHash: r.secret_hash,
  address: r.address,
  expiresAt: r.expires_at,
  nextCheckAt: r.next_check_at,
  failures: r.failures,
  lastError: r.last_error,
  silentSince: r.silent_since ?? null,
});

export interface ActiveChannel {
  channelId: string;
  resourceId: string | null;
  secretHash: string;
  address: string;
  expiresAt: Date;
  nextCheckAt: Date;
  /** A new channel replacing a lost or silent one: it has not been silent yet. */
  clearSilence?: boolean;
}

const TRACK = `INSERT INTO push_channels (calendar_id, tenant_id, account_id, provider, provider_calendar_id, time_zone, next_check_at)
  SELECT c.id, c.tenant_id, c.account_id, a.provider, c.provider_calendar_id, c.time_zone, $1
    FROM calendars c JOIN accounts a ON a.id = c.account_id AND c.sync_enabled`;
// Only Google has a channel on the calendar list (Graph has no subscription on /me/calendars, CalDAV no push).
const TRACK_LISTS = `INSERT INTO push_channels (calendar_id, tenant_id, account_id, provider, provider_calendar_id, time_zone, next_check_at, kind)
  SELECT 'list:' || a.id, a.tenant_id, a.id, a.provider, '', 'UTC', $1, 'calendar-list' FROM accounts a WHERE a.provider = 'google'`;

/** One tenant's channels; every query carries the tenant id. */
export class ChannelRepo {
  constructor(private readonly db: Queryable, private readonly tenantId: string) {}

  async get(calendarId: string): Promise<PushChannel | null> {
    const [r] = await this.db.query<Row>('SELECT * FROM push_channels WHERE calendar_id = $1 AND tenant_id = $2', [calendarId, this.tenantId]);
    return r ? toChannel(r) : null;
  }

  async list(): Promise<PushChannel[]> {
    const rows = await this.db.query<Row>('SELECT * FROM push_channels WHERE tenant_id = $1 ORDER BY calendar_id', [this.tenantId]);
    return rows.map(toChannel);
  }

  /** Starts tracking an account's calendars (and its calendar list); those waiting or polling are looked at now. */
  async trackAccount(accountId: string, now: Date): Promise<void> {
    // A new row that never failed and is not due is held by a pass under way (its claim's lease):
    // brought forward, a second pass (the connect's own beside the sweep's) opened a second watch.
    const again = `ON CONFLICT (calendar_id) DO UPDATE SET next_check_at = $1, updated_at = now() WHERE push_channels.status IN ('new', 'polling')
      AND NOT (push_channels.status = 'new' AND push_channels.failures = 0 AND push_channels.next_check_at > $1)`;
    await this.db.query(`${TRACK} WHERE c.account_id = $2 AND c.tenant_id = $3 ${again}`, [now, accountId, this.tenantId]);
    await this.db.query(`${TRACK_LISTS} AND a.id = $2 AND a.tenant_id = $3 ${again}`, [now, accountId, this.tenantId]);
  }

  /** Takes the row for one supervisor pass if it is due; the lease keeps other passes off it. */
  async claim(calendarId: string, now: Date, leaseUntil: Date): Promise<PushChannel | null> {
    const [r] = await this.db.query<Row>(
      `UPDATE push_channels SET next_check_at = $4, updated_at = now()
        WHERE calendar_id = $1 AND tenant_id = $2 AND next_check_at <= $3 RETURNING *`,
      [calendarId, this.tenantId, now, leaseUntil],
    );
    return r ? toChannel(r) : null;
  }

  async saveActive(calendarId: string, c: ActiveChannel): Promise<void> {
    await this.db.query(
      `UPDATE push_channels SET status = 'active', channel_id = $3, resource_id = $4, secret_hash = $5, address = $6,
         expires_at = $7, next_check_at = $8, failures = 0, last_error = NULL, updated_at = now(),
         silent_since = CASE WHEN $9::boolean THEN NULL ELSE silent_since END
       WHERE calendar_id = $1 AND tenant_id = $2`,
      [calendarId, this.tenantId, c.channelId, c.resourceId, c.secretHash, c.address, c.expiresAt, c.nextCheckAt, c.clearSilence === true],
    );
  }

  /** A failed pass: `polling` drops the channel (push is off until a later pass succeeds). */
  async recordFailure(calendarId: string, f: { error: string; nextCheckAt: Date; status: ChannelStatus }): Promise<void> {
    await this.db.query(
      `UPDATE push_channels SET status = $3::text, last_error = $4, next_check_at = $5, failures = failures + 1,
         channel_id = CASE WHEN $3::text = 'polling' THEN NULL ELSE channel_id END,
         secret_hash = CASE WHEN $3::text = 'polling' THEN NULL ELSE secret_hash END,
         -- A channel dropped keeps no expiry: channels list would show a lifetime nothing has.
         expires_at = CASE WHEN $3::text = 'polling' THEN NULL ELSE expires_at END, updated_at = now()
       WHERE calendar_id = $1 AND tenant_id = $2`,
      [calendarId, this.tenantId, f.status, f.error, f.nextCheckAt],
    );
  }

  /**
   * A pull of the calendar just went through: a channel that fell back to polling because its
   * provider failed (CONNECTOR_TRANSIENT) is created again from `at` instead of after its backoff
   * (1 min doubling to an hour). After an outage, fell-back Graph calendars showed the outage's
   * 503 up to 6 minutes after their pulls succeeded again, and stayed without push until then.
   * A row a supervisor pass holds (claimed: next check = claim + CHANNEL_LEASE_MS, updated then)
   * is left alone: brought forward, a second pass would open a second channel. Returns whether it moved.
   */
  async retryFellBackSoon(calendarId: string, at: Date): Promise<boolean> {
    const rows = await this.db.query<{ calendar_id: string }>(
      `UPDATE push_channels SET next_check_at = $3, updated_at = now()
        WHERE calendar_id = $1 AND tenant_id = $2 AND status = 'polling' AND failures > 0
          AND last_error LIKE 'CONNECTOR\\_TRANSIENT:%' AND next_check_at > $3
          AND abs(extract(epoch FROM next_check_at - updated_at) * 1000 - $4) > $5
        RETURNING calendar_id`,
      [calendarId, this.tenantId, at, CHANNEL_LEASE_MS, LEASE_TOLERANCE_MS],
    );
    return rows.length > 0;
  }

  /** No push for this calendar (provider without push, account not active): look again later. */
  async setPolling(calendarId: string, reason: string, nextCheckAt: Date): Promise<void> {
    await this.db.query(
      `UPDATE push_channels SET status = 'polling', channel_id = NULL, resource_id = NULL, secret_hash = NULL,
         expires_at = NULL, last_error = $3, next_check_at = $4, updated_at = now()
       WHERE calendar_id = $1 AND tenant_id = $2`,
      [calendarId, this.tenantId, reason, nextCheckAt],
    );
  }

  /** A lifecycle notification: renew (`renew`) or recreate (`removed`) at the next pass. */
  async markForAction(calendarId: string, status: 'renew' | 'removed', now: Date): Promise<void> {
    await this.db.query(
      `UPDATE push_channels SET status = $3, next_check_at = LEAST(next_check_at, $4), updated_at = now()
        WHERE calendar_id = $1 AND tenant_id = $2 AND status IN ('active', 'renew')`,
      [calendarId, this.tenantId, status, now],
    );
  }

  /** markForAction for many calendars in one statement (a Graph batch of lifecycle notices). */
  async markManyForAction(calendarIds: string[], status: 'renew' | 'removed', now: Date): Promise<void> {
    if (calendarIds.length === 0) return;
    await this.db.query(
      `UPDATE push_channels SET status = $3, next_check_at = LEAST(next_check_at, $4), updated_at = now()
        WHERE calendar_id = ANY($1::text[]) AND tenant_id = $2 AND status IN ('active', 'renew')`,
      [calendarIds, this.tenantId, status, now],
    );
  }

  async remove(calendarId: string): Promise<void> {
    await this.db.query('DELETE FROM push_channels WHERE calendar_id = $1 AND tenant_id = $2', [calendarId, this.tenantId]);
  }
}

/** The channel a notification names (all tenants: a notification carries no tenant). */
export async function channelByProviderId(q: Queryable, provider: ProviderId, channelId: string): Promise<PushChannel | null> {
  const [r] = await q.query<Row>('SELECT * FROM push_channels WHERE provider = $1 AND channel_id = $2', [provider, channelId]);
  return r ? toChannel(r) : null;
}

/** The channels these provider ids name, in one query (a Graph batch names up to 1,000 subscriptions). */
export async function channelsByProviderIds(q: Queryable, provider: ProviderId, channelIds: string[]): Promise<PushChannel[]> {
  if (channelIds.length === 0) return [];
  const rows = await q.query<Row>('SELECT * FROM push_channels WHERE provider = $1 AND channel_id = ANY($2::text[])', [provider, channelIds]);
  return rows.map(toChannel);
}

/** Which of these provider channel ids a channel row holds, in any tenant (a provider's listing names no tenant). */
export async function recordedChannelIds(q: Queryable, provider: ProviderId, channelIds: string[]): Promise<Set<string>> {
  if (channelIds.length === 0) return new Set();
  const rows = await q.query<{ channel_id: string }>('SELECT channel_id FROM push_channels WHERE provider = $1 AND channel_id = ANY($2::text[])', [provider, channelIds]);
  return new Set(rows.map((r) => r.channel_id));
}

/**
 * The supervisor's sweep, step one: every synced calendar and every Google account's calendar list
 * gets a row, and rows whose calendar is gone or no longer synced (or whose account is gone) are
 * due now so their channels get stopped (only while they have not failed yet, so a stop that keeps
 * failing backs off instead of running every tick).
 */
export async function trackAllCalendars(db: Db, now: Date): Promise<void> {
  await db.query(`${TRACK} WHERE NOT EXISTS (SELECT 1 FROM push_channels p WHERE p.calendar_id = c.id) ON CONFLICT (calendar_id) DO NOTHING`, [now]);
  await db.query(`${TRACK_LISTS} AND NOT EXISTS (SELECT 1 FROM push_channels p WHERE p.calendar_id = 'list:' || a.id) ON CONFLICT (calendar_id) DO NOTHING`, [now]);
  await db.query(
    `UPDATE push_channels p SET next_check_at = $1 WHERE p.failures = 0 AND p.next_check_at > $1
       AND CASE p.kind WHEN 'calendar-list' THEN NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = p.account_id)
                       ELSE NOT EXISTS (SELECT 1 FROM calendars c WHERE c.id = p.calendar_id AND c.sync_enabled) END`,
    [now],
  );
}

/** Step two: take up to `limit` due rows under a lease (SKIP LOCKED: concurrent sweeps share the work). */
export async function claimDueChannels(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<PushChannel[]> {
  const rows = await db.query<Row>(
    `UPDATE push_channels SET next_check_at = $2, updated_at = now()
      WHERE calendar_id IN (SELECT calendar_id FROM push_channels WHERE next_check_at <= $1
                             ORDER BY next_check_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    [now, leaseUntil, limit],
  );
  return rows.map(toChannel);
}
