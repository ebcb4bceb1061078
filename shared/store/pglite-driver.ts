import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { StoreError } from '../errors.ts';
import type { Db, Queryable } from './db.ts';
import { IMAGE_ENV, imagePath, readImage, saveImage } from './pglite-image.ts';

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

/**
 * V8's optimizing tier for PGlite's WebAssembly keeps ~60 MB of compiler memory in malloc's arenas
 * for good; the baseline compiler alone (`small`, the default) spares it, which keeps `calhub
 * start`'s peak under 400 MB, but writes about a third slower (initial upsert 4,048 against 5,973
 * events/s, quiet machine, issue 15). `CALHUB_PGLITE_WASM=fast` picks the speed. The V8 flag is the
 * process's: it holds for WebAssembly compiled from then on, so it is read here, before PGlite
 * compiles, and not through the hub's configuration.
 */
function wasmTier(): 'small' | 'fast' {
  const v = process.env['CALHUB_PGLITE_WASM'];
  if (v === undefined || v === '' || v === 'small') return 'small';
  if (v === 'fast') return 'fast';
  throw new StoreError(`CALHUB_PGLITE_WASM must be "small" or "fast" (got "${v}")`);
}

/** PGlite is single-process: only the process that holds the data-dir lock may open it. */
export async function openPglite(dataDir: string | null): Promise<{ db: Db; pglite: PGlite }> {
  if (wasmTier() === 'small') setFlagsFromString('--liftoff-only');
  const startParams = [...PGlite.defaultStartParams, ...SETTINGS.flatMap((s) => ['-c', s])];
  const extensions = { btree_gist };
  // Tests only (pglite-image.ts): an in-memory cluster starts from a saved initdb when the runner asks.
  const imageDir = dataDir === null ? process.env[IMAGE_ENV] || null : null;
  const image = imageDir ? imagePath(imageDir, startParams, Object.keys(extensions)) : null;
  const loadDataDir = image ? (readImage(image) ?? undefined) : undefined;
  const pglite = await PGlite.create({ dataDir: dataDir ?? undefined, extensions, startParams, loadDataDir }).catch((e: unknown) => {
    throw new StoreError(`cannot open the embedded database in ${dataDir ?? 'memory'}`, e);
  });
  if (imageDir && image && !loadDataDir) saveImage(image, imageDir, new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  const run = async <R>(q: Pick<PGlite, 'query'>, sql: string, params?: unknown[]) =>
    (await q.query<R>(sql, params).catch(wrap)).rows;
  const db: Db = {
    driver: 'pglite',
    embedded: true,
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
