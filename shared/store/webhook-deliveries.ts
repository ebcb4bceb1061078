/**
 * Deliveries of composed webhook messages, per endpoint and stream. A stream is sent by one
 * holder of its lease at a time, head first, so one calendar's messages reach an endpoint in
 * commit order. Every time comparison takes `now` from the caller (a simulated clock in tests).
 */
import type { Db } from './db.ts';
import type { DeliveryStream } from './webhook-compose.ts';
import { currentPayload, needsFacts, type StoredFacts } from './webhook-old-messages.ts';

export * from './webhook-endpoint-health.ts';

export interface PendingDelivery {
  endpointId: string;
  tenantId: string;
  url: string;
  endpointStatus: 'active' | 'disabled';
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  messageSeq: string;
  messageId: string;
  type: string;
  payload: unknown;
  attempts: number;
  nextAttemptAt: Date;
  firstFailedAt: Date | null;
  /** The endpoint's failure state as read with the batch (webhook-endpoint-health.ts). */
  endpointFailures: number;
  endpointRetryAt: Date | null;
}

export interface DeliveryLogEntry {
  /** The message's place in the log (newest highest): where a page continues. */
  seq: number;
  messageId: string;
  type: string;
  stream: string;
  status: 'pending' | 'delivered';
  attempts: number;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  latencyMs: number | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/**
 * Whether delivery `d` (message `m`) of a calendar's stream waits for an earlier message its
 * account's stream still owes the endpoint. Streams are sent side by side; what must not overtake
 * an account's message is what depends on it: the calendar messages (a new account's
 * calendar.created came before its account.connected; account.disconnected goes before its
 * calendars' calendar.deleted), and every message of a calendar the endpoint had heard nothing of
 * before that account message (its first event of a new account). Other messages of a calendar
 * the endpoint already knows (events, sync, conflicts) do not wait: an account message its
 * receiver keeps failing (an account.updated it cannot parse) held back every event of the
 * account's calendars for up to the 3-day retry window.
 */
const HELD_BY_ACCOUNT = `EXISTS (SELECT 1 FROM webhook_deliveries a
   WHERE a.endpoint_id = d.endpoint_id AND a.status = 'pending' AND a.message_seq < d.message_seq
     AND a.stream = m.payload->'data'->>'accountId' AND a.stream <> d.stream
     AND (m.type LIKE 'calendar.%'
          OR NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id AND p.stream = d.stream AND p.message_seq < a.message_seq)))`;

/** Takes (or renews) the lease of one endpoint's stream; false when another holder has it. */
export async function acquireStreamLease(db: Db, s: DeliveryStream, owner: string, now: Date, ttlMs: number): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO webhook_streams (endpoint_id, stream, lease_owner, lease_until) VALUES ($1, $2, $3, $4)
     ON CONFLICT (endpoint_id, stream) DO UPDATE SET lease_owner = EXCLUDED.lease_owner, lease_until = EXCLUDED.lease_until
      WHERE webhook_streams.lease_owner IS NULL OR webhook_streams.lease_owner = EXCLUDED.lease_owner OR webhook_streams.lease_until < $5
     RETURNING endpoint_id`,
    [s.endpointId, s.stream, owner, new Date(now.getTime() + ttlMs), now],
  );
  return rows.length > 0;
}

export async function releaseStreamLease(db: Db, s: DeliveryStream, owner: string): Promise<void> {
  await db.query('UPDATE webhook_streams SET lease_owner = NULL, lease_until = NULL WHERE endpoint_id = $1 AND stream = $2 AND lease_owner = $3', [s.endpointId, s.stream, owner]);
}

/** The oldest undelivered message of a stream for its endpoint, with what sending it needs. */
export async function headOfStream(db: Db, s: DeliveryStream): Promise<PendingDelivery | null> {
  return (await pendingOfStream(db, s, 1))[0] ?? null;
}

/**
 * The stream's undelivered messages, oldest first, up to `limit`: a sender takes them in one
 * read instead of one per message (on the embedded store every round trip waits its turn).
 *
 * A calendar's stream stops before a message that must wait for an earlier one its account's
 * stream still owes the endpoint (HELD_BY_ACCOUNT); the account stream's sender wakes it
 * (streamsHeldBy).
 */
export async function pendingOfStream(db: Db, s: DeliveryStream, limit: number): Promise<PendingDelivery[]> {
  const rows = await db.query<{
    endpoint_id: string; tenant_id: string; url: string; status: 'active' | 'disabled'; secret: string; previous_secret: string | null; previous_secret_until: Date | null;
    message_seq: string; message_id: string; type: string; payload: unknown; attempts: number; next_attempt_at: Date; first_failed_at: Date | null; held: boolean;
    failures: number; retry_at: Date | null;
  }>(
    `SELECT d.endpoint_id, e.tenant_id, e.url, e.status, e.secret, e.previous_secret, e.previous_secret_until, e.failures, e.retry_at,
            d.message_seq, m.id AS message_id, m.type, m.payload, d.attempts, d.next_attempt_at, d.first_failed_at,
            ${HELD_BY_ACCOUNT} AS held
       FROM webhook_deliveries d
       JOIN webhook_endpoints e ON e.id = d.endpoint_id
       JOIN webhook_messages m ON m.seq = d.message_seq
      WHERE d.endpoint_id = $1 AND d.stream = $2 AND d.status = 'pending'
      ORDER BY d.message_seq LIMIT $3`,
    [s.endpointId, s.stream, limit],
  );
  // In order up to the first held message: the ones after it wait too, the stream's order being kept.
  const held = rows.findIndex((r) => r.held);
  const sent = rows.slice(0, held < 0 ? rows.length : held);
  const facts = await storedFacts(db, sent.filter((r) => needsFacts(r.type, r.payload)).map((r) => String(r.message_seq)));
  return sent.map((r) => ({
    endpointId: r.endpoint_id, tenantId: r.tenant_id, url: r.url, endpointStatus: r.status, secret: r.secret, previousSecret: r.previous_secret,
    previousSecretUntil: r.previous_secret_until, messageSeq: String(r.message_seq), messageId: r.message_id, type: r.type, payload: currentPayload(r.type, r.payload, facts.get(String(r.message_seq))),
    attempts: r.attempts, nextAttemptAt: r.next_attempt_at, firstFailedAt: r.first_failed_at, endpointFailures: r.failures, endpointRetryAt: r.retry_at,
  }));
}

/**
 * What messages an older release composed do not carry, read from the store as it is now
 * (webhook-old-messages.ts): their account's email, their events' provenance. Only such messages
 * are asked for, so a stream of current ones costs no read.
 */
async function storedFacts(db: Db, seqs: string[]): Promise<Map<string, StoredFacts>> {
  if (seqs.length === 0) return new Map();
  const rows = await db.query<{ seq: string } & StoredFacts>(
    `SELECT m.seq::text AS seq,
            (SELECT jsonb_build_object('email', a.email) FROM accounts a WHERE a.id = m.payload->'data'->>'accountId' AND a.tenant_id = m.tenant_id) AS account,
            (SELECT jsonb_object_agg(e.id, e.data->'provenance') FROM events e WHERE e.tenant_id = m.tenant_id AND e.id IN (
               SELECT jsonb_path_query(m.payload, 'lax $.data.event.id') #>> '{}'
               UNION ALL SELECT jsonb_path_query(m.payload, 'lax $.data.series.instances[*].event.id') #>> '{}')) AS provenance
       FROM webhook_messages m WHERE m.seq = ANY($1::bigint[])`,
    [seqs],
  );
  return new Map(rows.map(({ seq, ...f }) => [seq, f]));
}

/** The endpoint's other streams with pending messages of the account whose stream `s` is: those pendingOfStream may have held back. */
export async function streamsHeldBy(db: Db, s: DeliveryStream): Promise<DeliveryStream[]> {
  const rows = await db.query<{ stream: string }>(
    `SELECT DISTINCT d.stream FROM webhook_deliveries d JOIN webhook_messages m ON m.seq = d.message_seq
      WHERE d.endpoint_id = $1 AND d.status = 'pending' AND d.stream <> $2 AND m.payload->'data'->>'accountId' = $2`,
    [s.endpointId, s.stream],
  );
  return rows.map((r) => ({ endpointId: s.endpointId, stream: r.stream }));
}

export type AttemptOutcome = { status: number | null; error: string | null; latencyMs: number };

export type DeliveredMark = { messageSeq: string; at: Date; outcome: AttemptOutcome };

/** Marks a run of messages of one endpoint delivered in one statement. */
export async function markDelivered(db: Db, endpointId: string, marks: DeliveredMark[]): Promise<void> {
  if (marks.length === 0) return;
  await db.query(
    `UPDATE webhook_deliveries d SET status = 'delivered', attempts = d.attempts + 1, last_attempt_at = x.at, last_status = x.st, last_error = NULL,
            last_latency_ms = x.ms, delivered_at = x.at, first_failed_at = NULL
       FROM unnest($2::bigint[], $3::timestamptz[], $4::int[], $5::int[]) AS x(seq, at, st, ms)
      WHERE d.endpoint_id = $1 AND d.message_seq = x.seq`,
    [endpointId, marks.map((m) => m.messageSeq), marks.map((m) => m.at), marks.map((m) => m.outcome.status), marks.map((m) => Math.round(m.outcome.latencyMs))],
  );
}

export async function markFailed(db: Db, endpointId: string, messageSeq: string, at: Date, o: AttemptOutcome, nextAttemptAt: Date): Promise<void> {
  await db.query(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = $3, last_status = $4, last_error = $5, last_latency_ms = $6,
            next_attempt_at = $7, first_failed_at = COALESCE(first_failed_at, $3)
      WHERE endpoint_id = $1 AND message_seq = $2`,
    [endpointId, messageSeq, at, o.status, o.error, Math.round(o.latencyMs), nextAttemptAt],
  );
}

/** The retry window is over: the endpoint stops receiving, with the reason the tenant sees. */
export async function disableEndpoint(db: Db, endpointId: string, reason: string, at: Date): Promise<void> {
  // Already disabled (by its tenant meanwhile): the first disable's reason and time stand.
  await db.query(`UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = $2, disabled_at = $3, updated_at = now() WHERE id = $1 AND status <> 'disabled'`, [endpointId, reason, at]);
}

/**
 * Streams of active endpoints whose head is due and whose lease is free: the sweep that makes
 * up for jobs lost with Redis or with a killed worker. A failing endpoint's streams wait for its
 * retry time and then for a free probe: one attempt at a time goes to it, whatever its streams.
 */
export async function dueStreams(db: Db, now: Date, limit = 1000, endpointId: string | null = null): Promise<DeliveryStream[]> {
  const rows = await db.query<{ endpoint_id: string; stream: string }>(
    `SELECT h.endpoint_id, h.stream FROM (
        SELECT DISTINCT ON (d.endpoint_id, d.stream) d.endpoint_id, d.stream, d.next_attempt_at, ${HELD_BY_ACCOUNT} AS held
          FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.status = 'active'
           AND (e.failures = 0 OR ((e.retry_at IS NULL OR e.retry_at <= $1) AND (e.probe_until IS NULL OR e.probe_until < $1)))
          JOIN webhook_messages m ON m.seq = d.message_seq
         WHERE d.status = 'pending' AND ($3::text IS NULL OR d.endpoint_id = $3) ORDER BY d.endpoint_id, d.stream, d.message_seq) h
       LEFT JOIN webhook_streams s ON s.endpoint_id = h.endpoint_id AND s.stream = h.stream
      -- A head held back by its account's stream (pendingOfStream) is left: that stream's sender wakes it.
      WHERE h.next_attempt_at <= $1 AND (s.lease_until IS NULL OR s.lease_until < $1) AND NOT h.held
      LIMIT $2`,
    [now, limit, endpointId],
  );
  return rows.map((r) => ({ endpointId: r.endpoint_id, stream: r.stream }));
}

/**
 * Newest first; `beforeSeq` continues a page, the filters narrow it (last attempt, else creation; status; event type).
 * A pending message's nextAttemptAt is when it can really go: its own, its stream head's next
 * attempt, or its failing endpoint's next probe, whichever is latest. Without the endpoint's, the
 * messages of streams never tried read `due now` in `webhooks deliveries` while `webhooks show`
 * said the endpoint waits minutes for its next retry (an outside operator's report).
 */
export async function deliveryLog(
  db: Db,
  tenantId: string,
  endpointId: string,
  limit: number,
  opts: { beforeSeq?: number | null; updatedSince?: Date; status?: string[]; text?: string } = {},
): Promise<DeliveryLogEntry[]> {
  const rows = await db.query<{
    seq: string | number; id: string; type: string; stream: string; status: 'pending' | 'delivered'; attempts: number; last_attempt_at: Date | null; last_status: number | null;
    last_error: string | null; last_latency_ms: number | null; next_attempt_at: Date; delivered_at: Date | null; created_at: Date;
  }>(
    // A message behind its stream's head goes no earlier than the head's next attempt (the head may be backing off).
    `SELECT d.message_seq AS seq, m.id, m.type, d.stream, d.status, d.attempts, d.last_attempt_at, d.last_status, d.last_error, d.last_latency_ms,
            CASE WHEN d.status = 'pending' THEN GREATEST(d.next_attempt_at, (SELECT h.next_attempt_at FROM webhook_deliveries h
              WHERE h.endpoint_id = d.endpoint_id AND h.stream = d.stream AND h.status = 'pending' ORDER BY h.message_seq LIMIT 1),
              CASE WHEN e.failures > 0 THEN e.retry_at END) ELSE d.next_attempt_at END AS next_attempt_at,
            d.delivered_at, m.created_at
       FROM webhook_deliveries d JOIN webhook_messages m ON m.seq = d.message_seq JOIN webhook_endpoints e ON e.id = d.endpoint_id
      WHERE d.endpoint_id = $1 AND e.tenant_id = $2
        AND ($4::bigint IS NULL OR d.message_seq < $4)
        AND ($5::timestamptz IS NULL OR coalesce(d.last_attempt_at, m.created_at) >= $5)
        AND ($6::text[] IS NULL OR d.status = ANY($6))
        AND ($7::text IS NULL OR strpos(lower(m.type), lower($7)) > 0)
      ORDER BY d.message_seq DESC LIMIT $3`,
    [endpointId, tenantId, limit, opts.beforeSeq ?? null, opts.updatedSince ?? null, opts.status?.length ? opts.status : null, opts.text || null],
  );
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return rows.map((r) => ({
    seq: Number(r.seq), messageId: r.id, type: r.type, stream: r.stream, status: r.status, attempts: r.attempts, lastAttemptAt: iso(r.last_attempt_at), lastStatus: r.last_status,
    lastError: r.last_error, latencyMs: r.last_latency_ms, nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null, deliveredAt: iso(r.delivered_at),
    createdAt: r.created_at.toISOString(),
  }));
}

/**
 * The owed message the endpoint is being tried with: of its pending deliveries, the one tried last
 * (a failing endpoint's probe), else the oldest owed (the next to go). Its seq, or null when none
 * is owed. `webhooks deliveries` lists newest first and a page of them could leave it out.
 */
export async function triedDeliverySeq(db: Db, tenantId: string, endpointId: string): Promise<number | null> {
  const [r] = await db.query<{ seq: string | number }>(
    `SELECT d.message_seq AS seq FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
      WHERE d.endpoint_id = $1 AND e.tenant_id = $2 AND d.status = 'pending'
      ORDER BY d.last_attempt_at DESC NULLS LAST, d.message_seq LIMIT 1`,
    [endpointId, tenantId],
  );
  return r ? Number(r.seq) : null;
}

/**
 * Owes the endpoint again every message of its types composed since `since` (delivered ones too:
 * receivers dedupe by webhook-id) and makes it active again. Returns the streams to send and the
 * number of messages owed.
 */
export async function replayDeliveries(db: Db, tenantId: string, endpointId: string, since: Date, now: Date): Promise<{ streams: DeliveryStream[]; count: number }> {
  return db.transaction(async (tx) => {
    const ep = await tx.query(
      `UPDATE webhook_endpoints SET status = 'active', disabled_reason = NULL, disabled_at = NULL, updated_at = now() WHERE id = $1 AND tenant_id = $2 RETURNING id`,
      [endpointId, tenantId],
    );
    if (ep.length === 0) return { streams: [], count: 0 };
    const rows = await tx.query<{ stream: string }>(
      `INSERT INTO webhook_deliveries (endpoint_id, message_seq, stream, next_attempt_at)
       SELECT e.id, m.seq, m.stream, $4 FROM webhook_messages m JOIN webhook_endpoints e ON e.id = $2
        WHERE m.tenant_id = $1 AND m.created_at >= $3 AND (m.type = ANY(e.event_types) OR '*' = ANY(e.event_types))
       ON CONFLICT (endpoint_id, message_seq) DO UPDATE SET status = 'pending', attempts = 0, next_attempt_at = EXCLUDED.next_attempt_at,
          first_failed_at = NULL, delivered_at = NULL
       RETURNING stream`,
      [tenantId, endpointId, since, now],
    );
    const streams = [...new Set(rows.map((r) => r.stream))].map((stream) => ({ endpointId, stream }));
    return { streams, count: rows.length };
  });
}

/**
 * What an endpoint re-enabled is owed for the time it was disabled: the messages composed since it
 * was disabled (after `disabled_after_seq`, migration 0043) that it has no delivery of (a disabled
 * endpoint gets none made), due now; each one if the types it had when that message was composed
 * cover it (migration 0046), as an active endpoint would have got it: a type added while disabled
 * is owed only what was composed after it was added, a type removed still what came before. Deliveries it already has are left as
 * they are, so nothing is sent twice. By the time of the change instead (`created_at >= since`,
 * still the rule for an endpoint disabled before migration 0043), a change made just before the
 * disable and composed after it was owed nothing: lost.
 *
 * Under the composer's lock (PostgreSQL): a compose running now, whose statement saw the endpoint
 * still disabled, commits its messages before this reads them; one after this sees it active.
 * Without it, such a compose's messages were invisible here and got no delivery there: lost.
 */
export async function owedSince(db: Db, tenantId: string, endpointId: string, since: Date, now: Date): Promise<{ streams: DeliveryStream[]; count: number }> {
  return db.transaction(async (tx) => {
    if (db.driver === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(hashtext('calhub-webhook-compose'))`);
    const rows = await tx.query<{ stream: string }>(
      `INSERT INTO webhook_deliveries (endpoint_id, message_seq, stream, next_attempt_at)
       SELECT e.id, m.seq, m.stream, $4 FROM webhook_messages m JOIN webhook_endpoints e ON e.id = $2 AND e.tenant_id = $1
        CROSS JOIN LATERAL (SELECT COALESCE(
          (SELECT t.event_types FROM webhook_endpoint_disabled_types t WHERE t.endpoint_id = e.id AND t.through_seq >= m.seq ORDER BY t.through_seq LIMIT 1),
          e.event_types) AS types) s
        WHERE m.tenant_id = $1 AND (m.type = ANY(s.types) OR '*' = ANY(s.types))
          AND (m.seq > e.disabled_after_seq OR (e.disabled_after_seq IS NULL AND m.created_at >= $3))
        ORDER BY m.seq
       ON CONFLICT (endpoint_id, message_seq) DO NOTHING
       RETURNING stream`,
      [tenantId, endpointId, since, now],
    );
    const streams = [...new Set(rows.map((r) => r.stream))].map((stream) => ({ endpointId, stream }));
    return { streams, count: rows.length };
  });
}

/**
 * An endpoint enabled again by its tenant: whatever it owes is due `now`, the head backing off
 * included (it was tried at its scheduled retry, up to hours later). Attempts and the first
 * failure stay as they were: the retry window still counts from it.
 */
export async function dueNow(db: Db, endpointId: string, now: Date): Promise<number> {
  const rows = await db.query(`UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE endpoint_id = $1 AND status = 'pending' AND next_attempt_at > $2 RETURNING message_seq`, [endpointId, now]);
  return rows.length;
}

/** Messages older than `before` that no endpoint still owes (the outbox's retention). */
export async function pruneMessages(db: Db, before: Date): Promise<number> {
  const rows = await db.query(
    `DELETE FROM webhook_messages m WHERE m.created_at < $1
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.message_seq = m.seq AND d.status = 'pending') RETURNING seq`,
    [before],
  );
  return rows.length;
}
