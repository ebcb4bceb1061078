/**
 * Private redis-server processes for tests that must stop, pause or cluster their Redis (the shared
 * one on 127.0.0.1:6379 serves every other test at once and must not be paused). Each gets free
 * loopback ports and a temporary directory, no persistence; `stop()` kills and removes them.
 *
 * `startRedisCluster(3)` is a real Redis Cluster from Debian's redis-server: three masters, the
 * 16,384 slots split by `redis-cli --cluster create`, ready when every node reports cluster_state:ok.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

/** Why these tests cannot run here, or null. Only a missing binary is a reason to skip. */
export function redisMissing(): string | null {
  for (const bin of ['redis-server', 'redis-cli']) {
    if (spawnSync(bin, ['--version'], { stdio: 'ignore' }).status !== 0) return `${bin} is not installed (Debian: apt-get install redis-server redis-tools)`;
  }
  return null;
}

export interface RedisProcess {
  port: number;
  url: string;
  child: ChildProcess;
  /** SIGSTOP: the socket stays open and nothing answers (a hung Redis). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export interface RedisClusterProcess {
  nodes: RedisProcess[];
  /** REDIS_CLUSTER_NODES for calhub: every node's redis:// URL, comma-separated. */
  nodesEnv: string;
  stop(): Promise<void>;
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

async function answers(port: number, child: ChildProcess, output: () => string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`redis-server on ${port} exited with ${child.exitCode}: ${output()}`);
    const r = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => {});
    const ok = await r.connect().then(() => r.ping().then(() => true), () => false).catch(() => false);
    r.disconnect();
    if (ok) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`redis-server did not answer on 127.0.0.1:${port} within ${ms} ms: ${output()}`);
}

async function launch(dir: string, extra: (port: number) => string[]): Promise<RedisProcess> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', ...extra(port)];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-3000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  await answers(port, child, () => out);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    child,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      const gone = new Promise((res) => child.once('exit', res));
      child.kill('SIGKILL');
      await gone;
    },
  };
}

/** One private redis-server. */
export async function startRedis(): Promise<RedisProcess & { dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calhub-redis-'));
  const r = await launch(dir, () => []);
  return { ...r, dir, stop: async () => (await r.stop(), rmSync(dir, { recursive: true, force: true })) };
}

/** A Redis Cluster of `size` masters (at least 3, as redis-cli requires), no replicas. */
export async function startRedisCluster(size = 3): Promise<RedisClusterProcess> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'calhub-redis-cluster-'));
  const nodes: RedisProcess[] = [];
  const stop = async () => {
    for (const n of nodes) await n.stop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i++) {
      const dir = path.join(root, `n${i}`);
      mkdirSync(dir);
      // Its own free cluster bus port (not port + 10000, which another process may hold).
      const bus = await freePort();
      nodes.push(await launch(dir, () => ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '3000', '--cluster-port', String(bus)]));
    }
    const create = spawnSync('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed (${create.status}): ${create.stdout}${create.stderr}`);
    // Every node must agree the slots are covered before a client's first command lands.
    const until = Date.now() + 20_000;
    for (const n of nodes) {
      const r = new Redis(n.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
      r.on('error', () => {});
      try {
        while (!/cluster_state:ok/.test(String(await r.cluster('INFO')))) {
          if (Date.now() > until) throw new Error(`cluster node ${n.port} never reached cluster_state:ok`);
          await new Promise((res) => setTimeout(res, 100));
        }
      } finally {
        r.disconnect();
      }
    }
    return { nodes, nodesEnv: nodes.map((n) => n.url).join(','), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
