/**
 * Push-channel activity (migration 0006): when notifications last arrived, and which channels
 * have gone silent. Deployment-wide like the supervisor's sweep; each function is one statement.
 */
import type { Queryable } from './db.ts';

/** The time constant of a calendar's provider-change count (migration 0096): about the changes of the last 30 days. */
export const CHANGE_RATE_WINDOW_MS = 30 * 24 * 3_600_000;

/**
 * SQL: calendar `c`'s provider-change count decayed from its last provider change to now (0 when
 * none). Capped at e^-700 of it, where float8 would underflow: such a count is nothing anyway.
 */
export const providerChangesNow = (c: string): string =>
  `COALESCE(${c}.provider_change_rate * exp(-LEAST(GREATEST(extract(epoch FROM now() - ${c}.provider_changed_at)::float8, 0) * 1000 / ${CHANGE_RATE_WINDOW_MS}, 700)), 0)`;

/** Written by the receivers on every verified notification; ends a silence. */
export async function recordNotification(q: Queryable, calendarId: string, at: Date): Promise<void> {
  await q.query('UPDATE push_channels SET last_notification_at = $2, silent_since = NULL WHERE calendar_id = $1', [calendarId, at]);
}

export interface ChannelView {
  calendarId: string;
  /** `calendar-list`: a Google account's calendar-list channel (calendarId is listChannelKey). */
  kind: string;
  tenantId: string;
  accountId: string;
  provider: string;
  calendarName: string | null;
  status: string;
  channelId: string | null;
  expiresAt: Date | null;
  lastNotificationAt: Date | null;
  lastPullAt: Date | null;
  /** The account's status (active, disabled, needs_reauth, …); null: the account is gone. */
  accountStatus: string | null;
  silentSince: Date | null;
  failures: number;
  lastError: string | null;
  createdAt: Date;
  /**
   * The calendar's usual change rate: pulls that stored a change made at the provider, counted
   * with a 30-day decay (about those of the last 30 days; migration 0096). Not the hub's own
   * writes or its rewrites of event rows. 0 for a calendar list's channel.
   */
  recentChanges: number;
}

type ViewRow = {
  calendar_id: string;
  kind: string;
  tenant_id: string;
  account_id: string;
  provider: string;
  name: string | null;
  status: string;
  channel_id: string | null;
  expires_at: Date | null;
  last_notification_at: Date | null;
  last_success_at: Date | null;
  account_status: string | null;
  silent_since: Date | null;
  failures: number;
  last_error: string | null;
  created_at: Date;
  recent_changes: number;
};

/**
 * Every channel (one tenant's, or all), soonest expiry first; with `onlyAttention`, only those
 * `calhub status` reports — live channels expiring before the given time, and calendars of active
 * accounts polled because creating their channel failed (list-channels.ts pushFellBack) — so its
 * cost follows what it reports, not the deployment's size.
 * Inputs: $1 tenant id or null, $2 the expiry bound or null, $3 how many of the live channels
 * expiring to answer (the soonest) or null for all. Reads push_channels, calendars, accounts: no events.
 */
export async function listChannelViews(q: Queryable, tenantId: string | null, onlyAttention: { expiringBefore: Date; expiringShown?: number } | null = null): Promise<ChannelView[]> {
  const rows = await q.query<ViewRow>(
    // The live channels expiring are cut to the soonest $3 (status: a count and the first few).
    `SELECT v.* FROM (
       SELECT ${providerChangesNow('c')} AS recent_changes, p.calendar_id, p.kind, p.tenant_id, p.account_id, p.provider, COALESCE(c.name, CASE p.kind WHEN 'calendar-list' THEN '(calendar list)' END) AS name, p.status, p.channel_id, p.expires_at,
              p.last_notification_at, c.last_success_at, a.status AS account_status, p.silent_since, p.failures, p.last_error, p.created_at,
              row_number() OVER (PARTITION BY p.status IN ('active', 'renew') ORDER BY p.expires_at ASC NULLS LAST, p.calendar_id) AS live_rank
         FROM push_channels p LEFT JOIN calendars c ON c.id = p.calendar_id LEFT JOIN accounts a ON a.id = p.account_id
        WHERE ($1::text IS NULL OR p.tenant_id = $1)
          AND ($2::timestamptz IS NULL
               OR (p.status IN ('active', 'renew') AND p.expires_at <= $2)
               OR (p.status = 'polling' AND (p.failures > 0 OR p.last_error LIKE 'CONNECTOR\\_%') AND COALESCE(a.status, 'active') = 'active'))) v
      WHERE $3::int IS NULL OR v.status NOT IN ('active', 'renew') OR v.live_rank <= $3
      ORDER BY v.expires_at ASC NULLS LAST, v.calendar_id`,
    [tenantId, onlyAttention?.expiringBefore ?? null, onlyAttention?.expiringShown ?? null],
  );
  return rows.map((r) => ({
    calendarId: r.calendar_id,
    kind: r.kind,
    tenantId: r.tenant_id,
    accountId: r.account_id,
    provider: r.provider,
    calendarName: r.name,
    status: r.status,
    channelId: r.channel_id,
    expiresAt: r.expires_at,
    lastNotificationAt: r.last_notification_at,
    lastPullAt: r.last_success_at,
    accountStatus: r.account_status,
    silentSince: r.silent_since,
    failures: r.failures,
    lastError: r.last_error,
    createdAt: r.created_at,
    recentChanges: r.recent_changes,
  }));
}

/** Marks a channel silent; true only the first time, so the calendar is polled once per silence. */
export async function markSilent(q: Queryable, calendarId: string, since: Date): Promise<boolean> {
  const rows = await q.query('UPDATE push_channels SET silent_since = $2 WHERE calendar_id = $1 AND silent_since IS NULL RETURNING 1', [calendarId, since]);
  return rows.length > 0;
}

/**
 * Live channels that missed a change: a pull (a poll, or the silence check's) stored a change made
 * at the provider (calendars.provider_changed_at, migration 0093: the newest such pull; not the
 * hub's own writes coming back nor its rewrites of event rows) more than `graceMs` after the
 * channel's last notification (or since the channel was last saved or claimed), and `graceMs` have
 * passed since without a notification that would have accounted for it. Each is marked silent and
 * due for a supervisor pass at once (`renew`), which checks the channel at its provider and
 * recreates it when gone (pass-steps.ts keepChannel). Only unflagged rows: a channel is suspected
 * once per silence. Returns the rows marked. Reads one calendars row per live channel (by key),
 * no events.
 */
export async function markMissedChanges(q: Queryable, now: Date, graceMs: number): Promise<{ calendarId: string; tenantId: string; accountId: string; provider: string }[]> {
  const rows = await q.query<{ calendar_id: string; tenant_id: string; account_id: string; provider: string }>(
    `UPDATE push_channels p SET silent_since = $1, status = 'renew', next_check_at = LEAST(p.next_check_at, $1), updated_at = now()
       FROM calendars c
      WHERE c.id = p.calendar_id
        AND p.kind = 'events' AND p.status = 'active' AND p.silent_since IS NULL AND p.channel_id IS NOT NULL
        AND c.provider_changed_at > GREATEST(p.last_notification_at, p.updated_at) + $2::float8 * interval '1 millisecond'
        AND c.provider_changed_at <= $1::timestamptz - $2::float8 * interval '1 millisecond'
      RETURNING p.calendar_id, p.tenant_id, p.account_id, p.provider`,
    [now, graceMs],
  );
  return rows.map((r) => ({ calendarId: r.calendar_id, tenantId: r.tenant_id, accountId: r.account_id, provider: r.provider }));
}

/**
 * `calhub channels renew`: the supervisor looks at these rows at its next pass (now), and renews
 * or replaces their live channels, or tries to create one for a polled calendar (a row without a
 * channel keeps its status: the pass creates). Returns the calendars marked.
 */
export async function markForRenewal(q: Queryable, calendarIds: string[], now: Date): Promise<string[]> {
  const rows = await q.query<{ calendar_id: string }>(
    `UPDATE push_channels SET status = CASE WHEN status IN ('active', 'renew') THEN 'renew' ELSE status END,
       next_check_at = $2, updated_at = now()
      WHERE calendar_id = ANY($1) RETURNING calendar_id`,
    [calendarIds, now],
  );
  return rows.map((r) => r.calendar_id);
}
