/**
 * `calhub start` without REDIS_URL: runs a private redis-server with its data under
 * CALHUB_DATA_DIR (AOF on, noeviction as BullMQ requires) and stops it on exit.
 * It is tied to calhub (issue 12): a pidfile names it and its owner, a stale one left by a calhub
 * that was killed is stopped on start, a watchdog kills it when calhub dies, and calhub starts it
 * again when it dies on its own.
 * It is the owner's alone (issue 18): no TCP port, only a unix socket in a 0700 directory, and a
 * generated password (`<CALHUB_SECRETS_DIR>/redis-password`, 0600) that reaches redis-server on
 * its stdin, never on its command line (readable by every local user in /proc) or in a log.
 */
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from './errors.ts';
import { ensurePrivateDir, readOrCreateSecret } from './secrets-dir.ts';
import { processAlive } from './process-alive.ts';
import { readRecord, stampRecord } from './run-records.ts';

export interface ManagedRedis {
  /** `unix://:<password>@<socket>`: it holds the password, so it is never logged. */
  url: string;
  /** The unix socket it listens on (its only listener). */
  socket: string;
  /** The running redis-server's pid (it changes when a dead one is restarted). */
  pid(): number | null;
  stop(): Promise<void>;
}

export function redisServerInstalled(bin: string): boolean {
  const r = spawnSync(bin, ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

async function waitForSocket(path: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ path });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer on its socket within ${timeoutMs} ms`);
}

export const REDIS_PASSWORD_FILE = 'redis-password';
/** In the run dir: the path of the socket, for the other calhub processes of the data dir. */
const SOCKET_FILE = 'redis.socket';
/** A unix socket path is at most 107 bytes (sun_path); longer data dirs get a private temp dir. */
const MAX_SOCKET_PATH = 100;

const urlOf = (socket: string, password: string) => `unix://:${encodeURIComponent(password)}@${socket}`;

/** Where the socket goes: `<run>/redis/redis.sock` in a 0700 directory, or a 0700 temp dir when that path is too long. */
function socketPath(runDir: string): string {
  const dir = join(runDir, 'redis');
  if (join(dir, 'redis.sock').length <= MAX_SOCKET_PATH) {
    ensurePrivateDir(dir);
    return join(dir, 'redis.sock');
  }
  return join(mkdtempSync(join(tmpdir(), 'calhub-redis-')), 'redis.sock'); // mkdtemp makes it 0700
}

/**
 * The connection URL (with its password) of the redis-server a running `calhub start` manages
 * for this data dir, or null when none runs. Other commands (`calhub resync`, `queue list`) use it.
 */
export function managedRedisUrl(dataDir: string, secretsDir: string): string | null {
  const socketFile = join(dataDir, 'run', SOCKET_FILE);
  const passwordFile = join(secretsDir, REDIS_PASSWORD_FILE);
  if (!existsSync(socketFile) || !existsSync(passwordFile)) return null;
  const socket = readRecord(readFileSync(socketFile, 'utf8'), dataDir);
  return socket ? urlOf(socket, readFileSync(passwordFile, 'utf8').trim()) : null;
}

const PID_FILE = 'redis.pid';
const RESTART_DELAYS_MS = [200, 1000, 2000, 5000];

/** The managed redis-server of a data dir and the calhub that owns it, or null when none is recorded. */
export const managedRedisPids = (dataDir: string) => readPids(join(dataDir, 'run', PID_FILE));

/** What the pidfile says: the redis-server and the calhub that owns it. */
function readPids(file: string): { redis: number; owner: number } | null {
  try {
    const record = readRecord(readFileSync(file, 'utf8'), dirname(dirname(file)));
    if (record === null) return null;
    const [redis, owner] = record.split(/\s+/).map(Number);
    return Number.isInteger(redis) && Number.isInteger(owner) ? { redis: redis!, owner: owner! } : null;
  } catch {
    return null;
  }
}

/** Only a process that is still a redis-server is stopped (a pid may have been reused since). */
function isRedisServer(pid: number): boolean {
  try {
    return /redis-server/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return processAlive(pid);
  }
}

/**
 * A redis-server left by a calhub that died without cleanup (kill -9, power loss) is stopped
 * before a new one starts on the same AOF directory. A live owner means another `calhub start`
 * uses this data directory: refused, rather than stopping its Redis.
 */
async function stopStale(runDir: string): Promise<void> {
  const file = join(runDir, PID_FILE);
  const pids = readPids(file);
  if (!pids) return;
  if (pids.owner !== process.pid && processAlive(pids.owner) && processAlive(pids.redis)) {
    throw new ConfigError('CALHUB_DATA_DIR', `a data directory no other calhub uses (process ${pids.owner} runs a redis-server here)`);
  }
  if (processAlive(pids.redis) && isRedisServer(pids.redis)) {
    process.kill(pids.redis, 'SIGTERM');
    const until = Date.now() + 5000;
    while (processAlive(pids.redis) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    if (processAlive(pids.redis)) process.kill(pids.redis, 'SIGKILL');
  }
  rmSync(file, { force: true });
}

/**
 * Kills redis-server within a second of calhub's death, however calhub dies (SIGKILL runs no
 * exit handler): a shell loop outside calhub's process group that ends with either process.
 */
function watchdog(owner: number, redis: number): void {
  const script = `while kill -0 ${owner} 2>/dev/null && kill -0 ${redis} 2>/dev/null; do sleep 1; done; kill -9 ${redis} 2>/dev/null`;
  spawn('sh', ['-c', script], { stdio: 'ignore', detached: true }).unref();
}

export async function startManagedRedis(opts: { dataDir: string; secretsDir: string; bin: string; onRestart?: (attempt: number) => void }): Promise<ManagedRedis> {
  if (!redisServerInstalled(opts.bin)) {
    throw new ConfigError('REDIS_URL', `a Redis URL, or redis-server installed (run: sudo apt-get install -y redis-server)`);
  }
  // Also with DATABASE_URL (no PGlite to create it): the AOF holds every queued job.
  ensurePrivateDir(opts.dataDir);
  const dir = join(opts.dataDir, 'redis');
  const runDir = join(opts.dataDir, 'run');
  ensurePrivateDir(dir);
  ensurePrivateDir(runDir);
  await stopStale(runDir);
  const password = readOrCreateSecret(opts.secretsDir, REDIS_PASSWORD_FILE, () => randomBytes(32).toString('hex'));
  const socket = socketPath(runDir);
  const launch = () => {
    const c = spawn(
      opts.bin,
      // `-` reads the configuration from stdin first: the password never appears in argv.
      ['-', '--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--protected-mode', 'yes', '--daemonize', 'no', '--logfile', join(dir, 'redis.log')],
      // Its own process group: a Ctrl-C or group SIGTERM reaches calhub, which then stops Redis last,
      // after the workers that still need it.
      { stdio: ['pipe', 'ignore', 'ignore'], detached: true },
    );
    c.stdin?.on('error', () => undefined); // a redis-server that dies at once closes its stdin early
    c.stdin?.end(`requirepass ${password}\n`);
    if (c.pid) {
      writeFileSync(join(runDir, PID_FILE), stampRecord(`${c.pid} ${process.pid}`, opts.dataDir), { mode: 0o600 });
      watchdog(process.pid, c.pid);
    }
    return c;
  };
  let child = launch();
  await waitForSocket(socket, child, 10_000);
  const socketFile = join(runDir, SOCKET_FILE);
  writeFileSync(socketFile, stampRecord(socket, opts.dataDir), { mode: 0o600 });
  let stopping: Promise<void> | null = null;
  // If calhub exits without cleanup, its redis-server must not outlive it (the watchdog covers SIGKILL).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  // A redis-server that dies is started again on the same socket and AOF: clients reconnect on
  // their own and /readyz recovers without anyone restarting calhub.
  let attempt = 0;
  const supervise = (c: ChildProcess) => {
    c.once('exit', () => {
      if (stopping) return;
      const delay = RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)]!;
      attempt += 1;
      setTimeout(() => {
        if (stopping) return;
        child = launch();
        opts.onRestart?.(attempt);
        supervise(child);
        // A restart that stays up for a minute resets the backoff.
        waitForSocket(socket, child, 10_000).then(() => setTimeout(() => (attempt = 0), 60_000).unref(), () => undefined);
      }, delay).unref();
    });
  };
  supervise(child);

  return {
    url: urlOf(socket, password),
    socket,
    pid: () => child.pid ?? null,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        process.off('exit', killOnExit);
        rmSync(socketFile, { force: true });
        if (!socket.startsWith(runDir)) rmSync(dirname(socket), { recursive: true, force: true });
        rmSync(join(runDir, PID_FILE), { force: true });
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      })),
  };
}
