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
  // Tests only (pglite-image.ts): an in-memory cluster starts from a saved initdb when the runner asks.
  const imageDir = dataDir === null ? process.env[IMAGE_ENV] || null : null;
  const image = imageDir ? imagePath(imageDir, START_PARAMS(), Object.keys(EXTENSIONS)) : null;
  const loadDataDir = image ? (readImage(image) ?? undefined) : undefined;
  const pglite = await createPglite(dataDir, loadDataDir);
  if (imageDir && image && !loadDataDir) saveImage(image, imageDir, new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  return { db: dbOver(() => pglite, () => pglite.close()), pglite };
}

const EXTENSIONS = { btree_gist };
const START_PARAMS = () => [...PGlite.defaultStartParams, ...SETTINGS.flatMap((s) => ['-c', s])];

async function createPglite(dataDir: string | null, loadDataDir?: Blob): Promise<PGlite> {
  if (wasmTier() === 'small') setFlagsFromString('--liftoff-only');
  return PGlite.create({ dataDir: dataDir ?? undefined, extensions: EXTENSIONS, startParams: START_PARAMS(), loadDataDir }).catch((e: unknown) => {
    throw new StoreError(`cannot open the embedded database in ${dataDir ?? 'memory'}`, e);
  });
}

function dbOver(current: () => PGlite | Promise<PGlite>, close: () => Promise<void>): Db {
  const run = async <R>(q: Pick<PGlite, 'query'>, sql: string, params?: unknown[]) =>
    (await q.query<R>(sql, params).catch(wrap)).rows;
  return {
    driver: 'pglite',
    embedded: true,
    query: async (sql, params) => run(await current(), sql, params),
    transaction: async (fn) =>
      (await current()).transaction(async (t) => {
        const tx: Queryable = { query: (sql, params) => run(t, sql, params) };
        return fn(tx);
      }),
    close,
  };
}

/** A test's in-memory store that starts PGlite only at its first use (openImagedPglite). */
export interface ImagedPglite {
  db: Db;
  /** Nothing has used the database yet. */
  untouched(): boolean;
  /** Starts the database from the migrated image named by `key`, if one was saved: true if it did. */
  startMigrated(key: string): Promise<boolean>;
  /** Saves the database, just migrated from the unmigrated image and used for nothing else, as the migrated image `key`. */
  saveMigrated(key: string): Promise<void>;
}

/**
 * Tests only (pglite-image.ts), with CALHUB_TEST_PGLITE_IMAGE set: an in-memory store whose
 * PGlite starts at its first use, from the saved unmigrated initdb, or, when that first use is a
 * full migration (Store.migrate), from the saved image of a store migrated that far: the 64
 * migrations cost each new store ~2-3 s of CPU, and the tests open ~200 of them.
 */
export function openImagedPglite(imageDir: string): ImagedPglite {
  const base = imagePath(imageDir, START_PARAMS(), Object.keys(EXTENSIONS));
  let started: Promise<PGlite> | null = null;
  const start = (load: () => Promise<PGlite>) => (started ??= load());
  const fromBase = async () => {
    const loadDataDir = readImage(base) ?? undefined;
    const pglite = await createPglite(null, loadDataDir);
    if (!loadDataDir) saveImage(base, imageDir, new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer()));
    return pglite;
  };
  const migrated = (key: string) => base.replace(/\.tar$/, `-migrated-${key}.tar`);
  return {
    db: dbOver(() => start(fromBase), async () => void (started && (await (await started).close()))),
    untouched: () => started === null,
    async startMigrated(key) {
      if (started) return false;
      const image = readImage(migrated(key));
      if (!image) return false;
      await start(() => createPglite(null, image));
      return true;
    },
    async saveMigrated(key) {
      if (!started) return;
      saveImage(migrated(key), imageDir, new Uint8Array(await (await (await started).dumpDataDir('none')).arrayBuffer()));
    },
  };
}
