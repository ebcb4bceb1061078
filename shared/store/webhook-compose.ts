/**
 * Moves committed outbox rows into messages and per-endpoint deliveries, in one transaction: the
 * outbox rows go only when their messages and deliveries exist, so a crash here loses nothing.
 */
import type { CanonicalEvent } from '../model/index.ts';
import type { Db } from './db.ts';
import { composeMessages, mastersToLookUp, type OutboxRow } from './webhook-payloads.ts';

export interface DeliveryStream {
  endpointId: string;
  stream: string;
}

/*
 * Inputs: $1 messages as JSON (in order), $2 when their deliveries are first due.
 * Output: the (endpoint, stream) pairs that received deliveries. Message seqs follow the JSON order.
 */
const INSERT_SQL = `
WITH x AS (
  SELECT * FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (id text, tenant_id text, type text, stream text, payload jsonb, created_at timestamptz)) WITH ORDINALITY AS x(id, tenant_id, type, stream, payload, created_at, n)
), m AS (
  INSERT INTO webhook_messages (id, tenant_id, type, stream, payload, created_at)
  SELECT id, tenant_id, type, stream, payload, created_at FROM x ORDER BY n
  RETURNING seq, tenant_id, type, stream
), d AS (
  INSERT INTO webhook_deliveries (endpoint_id, message_seq, stream, next_attempt_at)
  SELECT e.id, m.seq, m.stream, $2 FROM m JOIN webhook_endpoints e
    ON e.tenant_id = m.tenant_id AND e.status = 'active' AND (m.type = ANY(e.event_types) OR '*' = ANY(e.event_types))
  RETURNING endpoint_id, stream
)
SELECT DISTINCT endpoint_id, stream FROM d`;

/**
 * Composes up to about `limit` outbox rows (whole transactions only: a transaction's rows become
 * visible together, so one cut in half would split a series edit into two messages).
 * Returns the streams that have new deliveries and how many outbox rows were consumed.
 */
export async function composeWebhooks(db: Db, opts: { now: Date; limit?: number }): Promise<{ streams: DeliveryStream[]; consumed: number }> {
  const limit = opts.limit ?? 500;
  // Asked ten times a second: one plain read while there is nothing to compose, not a transaction.
  // On the embedded database a transaction holds its one session for every round trip, and this
  // loop's empty ones were 625 transactions in one 100 s run of issue 12's neighbour test.
  const [pending] = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM webhook_outbox) AS any');
  if (!pending?.any) return { streams: [], consumed: 0 };
  return db.transaction(async (tx) => {
    // One composer at a time keeps message seqs in outbox order across workers.
    if (db.driver === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(hashtext('calhub-webhook-compose'))`);
    let rows = await tx.query<OutboxRow>('SELECT * FROM webhook_outbox ORDER BY seq LIMIT $1', [limit + 1]);
    if (rows.length === 0) return { streams: [], consumed: 0 };
    if (rows.length > limit) {
      const lastTx = rows[rows.length - 1]!.txid;
      const head = rows.filter((r) => r.txid !== lastTx);
      rows = head.length > 0 ? head : await tx.query<OutboxRow>('SELECT * FROM webhook_outbox WHERE txid = $1 ORDER BY seq', [lastTx]);
    }
    const lookups = mastersToLookUp(rows);
    const masters = new Map<string, { id: string; contentHash: string; data: CanonicalEvent }>();
    if (lookups.length) {
      const found = await tx.query<{ id: string; calendar_id: string; uid: string; content_hash: string; data: CanonicalEvent }>(
        `SELECT e.id, e.calendar_id, e.uid, e.content_hash, e.data FROM jsonb_to_recordset($1::jsonb) AS x(c text, u text)
           JOIN events e ON e.calendar_id = x.c AND e.uid = x.u AND e.original_start_key = ''`,
        [JSON.stringify(lookups.map((l) => ({ c: l.calendarId, u: l.uid })))],
      );
      for (const f of found) masters.set(`${f.calendar_id}\u0000${f.uid}`, { id: f.id, contentHash: f.content_hash, data: f.data });
    }
    const messages = composeMessages(rows, (c, u) => masters.get(`${c}\u0000${u}`));
    let streams: DeliveryStream[] = [];
    if (messages.length) {
      const json = messages.map((m) => ({ id: m.id, tenant_id: m.tenantId, type: m.type, stream: m.stream, payload: m.payload, created_at: m.createdAt.toISOString() }));
      const out = await tx.query<{ endpoint_id: string; stream: string }>(INSERT_SQL, [JSON.stringify(json), opts.now.toISOString()]);
      streams = out.map((r) => ({ endpointId: r.endpoint_id, stream: r.stream }));
    }
    await tx.query('DELETE FROM webhook_outbox WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
    return { streams, consumed: rows.length };
  });
}
