import pg from 'pg';
import { StoreError } from '../errors.ts';
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
}

const wrap = (e: unknown): never => {
  if (e instanceof StoreError) throw e;
  const cause = pgConnectionCause(e);
  throw new StoreError(cause ? `database query failed: ${cause}` : 'database query failed', e);
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
  const pool = new pg.Pool({ ...pgConnection(opts), max: opts.max ?? 10 });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  if (opts.schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new StoreError(`invalid schema name "${opts.schema}"`);
    // Two processes creating the schema at once: the loser fails on pg_namespace's unique index
    // (23505) although the schema it wanted now exists.
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`).catch((e: unknown) => {
      if ((e as { code?: string }).code !== '23505') wrap(e);
    });
  }
  const run = async <R>(q: Pick<pg.Pool, 'query'>, sql: string, params?: unknown[]) =>
    ((await q.query(sql, params as unknown[]).catch(wrap)) as pg.QueryResult).rows as R[];
  return {
    driver: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect().catch(wrap);
      // A checked-out client losing its server emits 'error' on itself (the pool's handler covers
      // idle ones only): unheard, that killed the process on a PostgreSQL restart. The query in
      // flight fails anyway; the broken client is then destroyed instead of going back to the pool.
      let broken: Error | undefined;
      const onError = (e: Error) => void (broken = e);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const tx: Queryable = { query: (sql, params) => run(client, sql, params) };
        const out = await fn(tx);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
