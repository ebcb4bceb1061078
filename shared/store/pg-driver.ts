import pg from 'pg';
import { StoreError } from '../errors.ts';
import { STORE_UNAVAILABLE, storeOutage } from '../outage-log.ts';
import type { Db, Queryable } from './db.ts';
import { pgConnectionCause } from './pg-error-cause.ts';

export interface PgOptions {
  connectionString?: string;
  /** Unix socket directory or host, for the embedded socket of a running `calhub start`. */
  host?: string;
  port?: number;
  user?: string;
  database?: string;
  /** Isolates a test or a tenant deployment in its own schema. */
  schema?: string;
  max?: number;
  /**
   * DATABASE_QUERY_TIMEOUT_MS: a query the server has not answered within this fails as the store
   * being unreachable (its client is dropped, not reused); 0 or absent: no limit.
   */
  queryTimeoutMs?: number;
  /** DATABASE_CONNECT_TIMEOUT_MS: the longest wait for a connection (a new one, or a free one of the pool); absent: no limit. */
  connectTimeoutMs?: number;
}

/**
 * Connection failures mean the server cannot be reached now (an outage, a restart): the API
 * answers them 503 STORE_UNAVAILABLE and the process logs them once as a store outage. A role or
 * database that does not exist (28, 3D) is a setting to fix, not an outage: STORE_FAILED.
 */
const UNREACHABLE_CODES = /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ENOENT|08|53|57P)/;

/**
 * A server that accepts the connection and answers nothing (SIGSTOPped, a path dropping packets)
 * gives no error at all: only the deadlines say it, as these messages (the client's connection
 * timeout, the pool's wait for a client, a query's read timeout).
 */
const UNANSWERED = /^Connection terminated|^timeout expired|^timeout exceeded when trying to connect|^Query read timeout/;

export function pgUnreachable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = String((e as { code?: unknown }).code ?? '');
  return UNREACHABLE_CODES.test(code) || UNANSWERED.test(e.message);
}

/**
 * A deadline passed without an answer (not a refusal, not the server closing the connection): the
 * server is hung, or the path to it is, and the next caller would wait the same deadline.
 */
const DEADLINE_PASSED = /^Connection terminated due to connection timeout|^timeout expired|^timeout exceeded when trying to connect|^Query read timeout/;

function deadlinePassed(e: unknown): boolean {
  return e instanceof Error && ((e as { code?: unknown }).code === 'ETIMEDOUT' || DEADLINE_PASSED.test(e.message));
}

/** The longest a check of a hung server waits to connect, and then for its answer. */
const CHECK_DEADLINE_MS = 5000;

/** What a query is answered while the store is known hung (storeOutage.hung), without trying it. */
const notAnswering = () =>
  new StoreError('database query failed: the server did not answer in time, and has not answered since (checked once a second)', undefined, STORE_UNAVAILABLE);

const answered = <T>(v: T): T => {
  storeOutage.back();
  return v;
};

/** How a pool's clients connect (another connection of the same process uses it too: change-bus.ts). */
export function pgConnection(opts: PgOptions): pg.ClientConfig {
  return {
    connectionString: opts.connectionString,
    host: opts.host,
    port: opts.port,
    user: opts.user,
    database: opts.database,
    options: opts.schema ? `-c search_path=${opts.schema},public` : undefined,
  };
}

export async function openPg(opts: PgOptions): Promise<Db> {
  // Without deadlines a hung server (the connection open, nothing answered) held every request
  // and loop forever, and soon every client of the pool (store-hung.int.test.ts).
  const pool = new pg.Pool({
    ...pgConnection(opts),
    max: opts.max ?? 10,
    ...(opts.queryTimeoutMs ? { query_timeout: opts.queryTimeoutMs } : {}),
    ...(opts.connectTimeoutMs ? { connectionTimeoutMillis: opts.connectTimeoutMs } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // Whether a hung server answers again: a connection of its own (the pool's may all be waiting on
  // the hung server), short deadlines, closed after.
  const deadline = (ms: number | undefined) => Math.min(ms || CHECK_DEADLINE_MS, CHECK_DEADLINE_MS);
  const check = async () => {
    const c = new pg.Client({
      ...pgConnection(opts),
      application_name: 'calhub-store-check',
      connectionTimeoutMillis: deadline(opts.connectTimeoutMs),
      query_timeout: deadline(opts.queryTimeoutMs),
    });
    c.on('error', () => {}); // its failure is the check's answer
    try {
      await c.connect();
      await c.query('SELECT 1');
    } finally {
      // Not awaited: a hung connection's end waits for nothing (pg destroys it), a good one's is a goodbye.
      void c.end().catch(() => undefined);
    }
  };
  const wrap = (e: unknown): never => {
    if (e instanceof StoreError) throw e;
    const cause = pgConnectionCause(e);
    if (pgUnreachable(e)) {
      const said = new Error(cause ?? 'unreachable');
      if (deadlinePassed(e)) storeOutage.unanswered('store', said, check);
      else storeOutage.report(undefined, 'store', said, true);
      throw new StoreError(`database query failed: ${cause ?? 'no connection'}`, e, STORE_UNAVAILABLE);
    }
    // The server answered (a query's own error): it is reachable.
    storeOutage.back();
    throw new StoreError(cause ? `database query failed: ${cause}` : 'database query failed', e);
  };
  // Known hung: a query is not tried (it would wait its whole deadline too); the check says when it answers.
  const gate = () => {
    if (storeOutage.hung) throw notAnswering();
  };
  if (opts.schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new StoreError(`invalid schema name "${opts.schema}"`);
    // Two processes creating the schema at once: the loser fails on pg_namespace's unique index
    // (23505) although the schema it wanted now exists.
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`).catch((e: unknown) => {
      if ((e as { code?: string }).code !== '23505') wrap(e);
    });
  }
  const run = async <R>(q: Pick<pg.Pool, 'query'>, sql: string, params?: unknown[]) => {
    gate();
    return answered(((await q.query(sql, params as unknown[]).catch(wrap)) as pg.QueryResult).rows as R[]);
  };
  return {
    driver: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      gate();
      const client = await pool.connect().catch(wrap);
      // A checked-out client losing its server emits 'error' on itself (the pool's handler covers
      // idle ones only): unheard, that killed the process on a PostgreSQL restart. The query in
      // flight fails anyway; the broken client is then destroyed instead of going back to the pool.
      let broken: Error | undefined;
      const onError = (e: Error) => void (broken = e);
      client.on('error', onError);
      // A query that timed out leaves the client waiting for its answer: it is not reused, and a
      // ROLLBACK would only queue behind it (the server rolls back when the connection goes).
      const timedOut = (e: unknown): never => {
        if (e instanceof Error && /^Query read timeout/.test(e.message)) broken = e;
        return wrap(e);
      };
      try {
        await client.query('BEGIN').catch(timedOut);
        const tx: Queryable = { query: async (sql, params) => answered(((await client.query(sql, params as unknown[]).catch(timedOut)) as pg.QueryResult).rows) };
        const out = await fn(tx);
        await client.query('COMMIT').catch(timedOut);
        return out;
      } catch (e) {
        if (!broken) await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    close: () => {
      storeOutage.withdraw(check);
      return pool.end();
    },
  };
}
