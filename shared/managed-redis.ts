/**
 * `calhub start` without REDIS_URL: runs a private redis-server with its data under
 * CALHUB_DATA_DIR (AOF on, loopback only, noeviction as BullMQ requires) and stops it on exit.
 * It is tied to calhub (issue 12): a pidfile names it and its owner, a stale one left by a calhub
 * that was killed is stopped on start, a watchdog kills it when calhub dies, and calhub starts it
 * again when it dies on its own.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { ConfigError } from './errors.ts';

export interface ManagedRedis {
  url: string;
  /** The running redis-server's pid (it changes when a dead one is restarted). */
  pid(): number | null;
  stop(): Promise<void>;
}

export function redisServerInstalled(bin: string): boolean {
  const r = spawnSync(bin, ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

const PID_FILE = 'redis.pid';
const RESTART_DELAYS_MS = [200, 1000, 2000, 5000];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What the pidfile says: the redis-server and the calhub that owns it. */
function readPids(file: string): { redis: number; owner: number } | null {
  try {
    const [redis, owner] = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
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
    return alive(pid);
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
  if (pids.owner !== process.pid && alive(pids.owner) && alive(pids.redis)) {
    throw new ConfigError('CALHUB_DATA_DIR', `a data directory no other calhub uses (process ${pids.owner} runs a redis-server here)`);
  }
  if (alive(pids.redis) && isRedisServer(pids.redis)) {
    process.kill(pids.redis, 'SIGTERM');
    const until = Date.now() + 5000;
    while (alive(pids.redis) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    if (alive(pids.redis)) process.kill(pids.redis, 'SIGKILL');
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

export async function startManagedRedis(opts: { dataDir: string; bin: string; onRestart?: (attempt: number) => void }): Promise<ManagedRedis> {
  if (!redisServerInstalled(opts.bin)) {
    throw new ConfigError('REDIS_URL', `a Redis URL, or redis-server installed (run: sudo apt-get install -y redis-server)`);
  }
  const dir = join(opts.dataDir, 'redis');
  const runDir = join(opts.dataDir, 'run');
  mkdirSync(dir, { recursive: true });
  mkdirSync(runDir, { recursive: true });
  await stopStale(runDir);
  const port = await freePort();
  const launch = () => {
    const c = spawn(
      opts.bin,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--protected-mode', 'yes', '--daemonize', 'no', '--logfile', join(dir, 'redis.log')],
      // Its own process group: a Ctrl-C or group SIGTERM reaches calhub, which then stops Redis last,
      // after the workers that still need it.
      { stdio: 'ignore', detached: true },
    );
    if (c.pid) {
      writeFileSync(join(runDir, PID_FILE), `${c.pid} ${process.pid}\n`);
      watchdog(process.pid, c.pid);
    }
    return c;
  };
  let child = launch();
  await waitForPort(port, child, 10_000);
  const portFile = join(runDir, 'redis.port');
  writeFileSync(portFile, String(port));
  let stopping: Promise<void> | null = null;
  // If calhub exits without cleanup, its redis-server must not outlive it (the watchdog covers SIGKILL).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  // A redis-server that dies is started again on the same port and AOF: clients reconnect on
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
        waitForPort(port, child, 10_000).then(() => setTimeout(() => (attempt = 0), 60_000).unref(), () => undefined);
      }, delay).unref();
    });
  };
  supervise(child);

  return {
    url: `redis://127.0.0.1:${port}`,
    pid: () => child.pid ?? null,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        process.off('exit', killOnExit);
        rmSync(portFile, { force: true });
        rmSync(join(runDir, PID_FILE), { force: true });
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      })),
  };
}
