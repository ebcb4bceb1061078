/**
 * The embedded PGlite database in CALHUB_DATA_DIR. PGlite is single-process, so the process that
 * opens it holds a lock file and (for `calhub start`) serves it on a unix socket; any other calhub
 * process — a CLI command while the hub runs — connects to that socket with `pg` instead of opening
 * the files a second time.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { StoreError } from '../errors.ts';
import { keepQueriesWhole } from './socket-queue.ts';
import type { Db } from './db.ts';
import { openPg } from './pg-driver.ts';
import type { openPglite } from './pglite-driver.ts';
import { processAlive } from '../process-alive.ts';
import { readRecord, stampRecord } from '../run-records.ts';

const SOCKET_PORT = 5432;

export const embeddedPaths = (dataDir: string) => ({
  pgdata: join(dataDir, 'pgdata'),
  runDir: join(dataDir, 'run'),
  socket: join(dataDir, 'run', `.s.PGSQL.${SOCKET_PORT}`),
  lock: join(dataDir, 'pglite.lock'),
});

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(path);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Serve the database to other calhub processes (what `calhub start` does). */
  share: boolean;
  /** Served by another thread of this process: connect to it or fail, never open the files (its lock names this very pid). */
  clientOnly?: boolean;
}

/**
 * The data dir and the database files are the owner's alone (0700), as PostgreSQL requires of its
 * own data directory: PGlite sets its files' modes itself (most of them 0777, the catalogs and
 * pg_control included, whatever the umask), so only the directory can keep other local users out.
 * A directory created more open earlier is tightened.
 */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** The embedded database served on its socket by this process: close() stops serving and frees the data dir. */
export interface ServedEmbedded {
  close(): Promise<void>;
}

/** One connection for a command; a hub role (start's threads, serve, worker) runs queries side by side. */
const clientPool = (share: boolean) => (share ? 4 : 1);

export async function openEmbedded(opts: EmbeddedOptions): Promise<Db> {
  const p = embeddedPaths(opts.dataDir);
  // A client of the socket speaks to PGlite as to a server (its statements run in the store's thread), but it is still PGlite's one session.
  if (await waitForServer(opts.dataDir)) return { ...(await openPg({ host: p.runDir, port: SOCKET_PORT, user: 'postgres', database: 'template1', max: clientPool(opts.share) })), embedded: true };
  if (opts.clientOnly) throw new StoreError(`the embedded database in ${opts.dataDir} is not served on its socket (the store thread stopped)`);
  if (!opts.share) {
    const { db } = await openLocked(p);
    return withRelease(db, async () => {
      await db.close();
      rmSync(p.lock, { force: true });
    });
  }
  const served = await serveLocked(p);
  // Once shared, this process goes through the socket too, so the server's transaction
  // bookkeeping sees every client and in-process queries never land inside another's transaction.
  const client = await openPg({ host: p.runDir, port: SOCKET_PORT, user: 'postgres', database: 'template1', max: clientPool(true) });
  return withRelease({ ...client, driver: 'pglite', embedded: true }, async () => {
    await client.close();
    await served.close();
  });
}

/**
 * Opens the embedded database and serves it on its socket, and nothing else: `calhub start` runs
 * this in its store thread, so PGlite's query execution (WebAssembly, synchronous while it runs)
 * never blocks the thread that answers HTTP. Null when another process already serves it.
 */
export async function serveEmbedded(dataDir: string): Promise<ServedEmbedded | null> {
  const p = embeddedPaths(dataDir);
  if (await waitForServer(dataDir)) return null;
  return serveLocked(p);
}

/**
 * Whether another process has the embedded database open (serving its socket, or holding its lock
 * while it starts): something that must not change under it, such as the key ring, waits for it to stop.
 */
export async function embeddedInUse(dataDir: string): Promise<boolean> {
  const p = embeddedPaths(dataDir);
  return (existsSync(p.socket) && (await socketAnswers(p.socket))) || lockHolder(p.lock) !== null;
}

/** True once a live socket answers; false when nobody serves it (or a dead holder left its lock). */
async function waitForServer(dataDir: string): Promise<boolean> {
  const p = embeddedPaths(dataDir);
  privateDir(dataDir);
  privateDir(p.pgdata);
  // A hub that is still starting holds the lock before its socket answers: wait for it.
  for (let waited = 0; ; waited += 250) {
    if (existsSync(p.socket) && (await socketAnswers(p.socket))) return true;
    if (!lockHolder(p.lock) || waited >= 30_000) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

type Paths = ReturnType<typeof embeddedPaths>;

async function openLocked(p: Paths, o: { initApart?: boolean } = {}): Promise<Awaited<ReturnType<typeof openPglite>>> {
  mkdirSync(p.runDir, { recursive: true });
  takeLock(p.lock);
  try {
    if (o.initApart && !existsSync(join(p.pgdata, 'PG_VERSION'))) await initCluster(p.pgdata);
    // PGlite's module is loaded where it runs (the store thread), not by every client of the socket.
    const { openPglite: open } = await import('./pglite-driver.ts');
    return await open(p.pgdata);
  } catch (e) {
    rmSync(p.lock, { force: true });
    throw e;
  }
}

/**
 * Creates the cluster of a new data dir (PGlite's initdb) in a node process that then exits.
 * Done by the process that goes on serving it, PGlite keeps a copy of its whole heap from before
 * initdb (128 MB) for as long as it runs: `calhub start` idled at ~670 MB RSS after its first
 * start and at ~450 MB after every later one (issue 15).
 */
function initCluster(pgdata: string): Promise<void> {
  const script = `import { PGlite } from ${JSON.stringify(import.meta.resolve('@electric-sql/pglite'))};\nawait (await PGlite.create({ dataDir: process.argv[1] })).close();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, pgdata], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new StoreError(`cannot create the embedded database in ${pgdata}: ${stderr.trim().split('\n').slice(-3).join(' ') || `exit ${code}`}`))));
  });
}

async function serveLocked(p: Paths): Promise<ServedEmbedded> {
  const { db, pglite } = await openLocked(p, { initApart: true });
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  rmSync(p.socket, { force: true });
  const server = new PGLiteSocketServer({ db: pglite, path: p.socket, maxConnections: 16 });
  keepQueriesWhole(server);
  await server.start();
  let closing: Promise<void> | null = null;
  return {
    close: () =>
      (closing ??= (async () => {
        await server.stop();
        await db.close();
        rmSync(p.socket, { force: true });
        rmSync(p.lock, { force: true });
      })()),
  };
}

function lockHolder(lock: string): number | null {
  if (!existsSync(lock)) return null;
  const pid = Number(readRecord(readFileSync(lock, 'utf8'), dirname(lock)));
  return pid && pid !== process.pid && processAlive(pid) ? pid : null;
}

function takeLock(lock: string): void {
  const pid = lockHolder(lock);
  if (pid) {
    throw new StoreError(`the embedded database is in use by process ${pid} and it is not serving its socket; stop that process or set DATABASE_URL`);
  }
  writeFileSync(lock, stampRecord(String(process.pid), dirname(lock)));
}

function withRelease(db: Db, release: () => Promise<void>): Db {
  let closing: Promise<void> | null = null;
  return { ...db, close: () => (closing ??= release()) };
}
