import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { StoreError } from '../errors.ts';
import type { Db, Queryable } from './db.ts';

const wrap = (e: unknown): never => {
  throw e instanceof StoreError ? e : new StoreError('database query failed', e);
};

/**
 * PostgreSQL settings on top of PGlite's own. The cluster's postgresql.conf says shared_buffers =
 * 128MB, and in WebAssembly the whole buffer pool is resident from the start and never given
 * back: it was 120 of the ~500 MB `calhub start` held idle (issue 15). A page the pool does not
 * hold is one read() from the OS's page cache away.
 */
const SETTINGS = [
  'shared_buffers=16MB',
  // The WAL a checkpoint keeps for reuse stays on disk: 80MB of the data dir after a large first
  // sync with PostgreSQL's defaults (min_wal_size=80MB, max_wal_size=1GB), 64MB with these.
  'min_wal_size=32MB',
  'max_wal_size=64MB',
];

/** PGlite is single-process: only the process that holds the data-dir lock may open it. */
export async function openPglite(dataDir: string | null): Promise<{ db: Db; pglite: PGlite }> {
  // V8's optimizing tier for PGlite's WebAssembly kept ~60 MB of compiler memory in malloc's
  // arenas for good, and the 10,000-event sync and the upsert bench ran no slower on the baseline
  // compiler alone (issue 15). The flag is the process's: it holds for WebAssembly compiled from here on.
  setFlagsFromString('--liftoff-only');
  const startParams = [...PGlite.defaultStartParams, ...SETTINGS.flatMap((s) => ['-c', s])];
  const pglite = await PGlite.create({ dataDir: dataDir ?? undefined, extensions: { btree_gist }, startParams }).catch((e: unknown) => {
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
