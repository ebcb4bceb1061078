/**
 * `calhub start` without REDIS_URL: runs a private redis-server with its data under
 * CALHUB_DATA_DIR (AOF on, loopback only, noeviction as BullMQ requires) and stops it on exit.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { ConfigError } from './errors.ts';

export interface ManagedRedis {
  url: string;
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

export async function startManagedRedis(opts: { dataDir: string; bin: string }): Promise<ManagedRedis> {
  if (!redisServerInstalled(opts.bin)) {
    throw new ConfigError('REDIS_URL', `a Redis URL, or redis-server installed (run: sudo apt-get install -y redis-server)`);
  }
  const dir = join(opts.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    opts.bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--protected-mode', 'yes', '--daemonize', 'no', '--logfile', join(dir, 'redis.log')],
    // Its own process group: a Ctrl-C or group SIGTERM reaches calhub, which then stops Redis last,
    // after the workers that still need it.
    { stdio: 'ignore', detached: true },
  );
  await waitForPort(port, child, 10_000);
  const portFile = join(opts.dataDir, 'run', 'redis.port');
  mkdirSync(join(opts.dataDir, 'run'), { recursive: true });
  writeFileSync(portFile, String(port));
  let stopping: Promise<void> | null = null;
  // If calhub dies without cleanup, its redis-server must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        process.off('exit', killOnExit);
        rmSync(portFile, { force: true });
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      })),
  };
}
