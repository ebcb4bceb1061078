import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { StoreError } from '../errors.ts';
import type { Db, Queryable } from './db.ts';

const wrap = (e: unknown): never => {
  throw e instanceof StoreError ? e : new StoreError('database query failed', e);
};

/** PGlite is single-process: only the process that holds the data-dir lock may open it. */
export async function openPglite(dataDir: string | null): Promise<{ db: Db; pglite: PGlite }> {
  const pglite = await PGlite.create({ dataDir: dataDir ?? undefined, extensions: { btree_gist } }).catch((e: unknown) => {
    throw new StoreError(`cannot open the embedded database in ${dataDir ?? 'memory'}`, e);
  });
  const run = async <R>(q: Pick<PGlite, 'query'>, sql: string, params?: unknown[]) =>
    (await q.query<R>(sql, params).catch(wrap)).rows;
  const db: Db = {
    driver: 'pglite',
    query: (sql, params) => run(pglite, sql, params),
    transaction: (fn) =>
      pglite.transaction(async (t) => {
        const tx: Queryable = { query: (sql, params) => run(t, sql, params) };
        return fn(tx);
      }),
    close: () => pglite.close(),
  };
  return { db, pglite };
}
