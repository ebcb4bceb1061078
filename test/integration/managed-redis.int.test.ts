/**
 * The managed redis-server is tied to its calhub (issue 12): it dies within seconds of a kill -9
 * of calhub, a stale one left behind is stopped by the next start, a second calhub on the same
 * data directory is refused, and a redis-server that dies is started again on the same port.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { hasBinary } from '../support/dav-servers.ts';
import { startManagedRedis } from '../../shared/managed-redis.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string; redisPid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../support/managed-redis-child.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, ...(JSON.parse(line) as { url: string; redisPid: number }) }));
    child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
}

const ping = async (url: string) => {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
};

describe('managed redis-server', { skip: !hasBinary('redis-server') && 'redis-server is not installed' }, () => {
  const dirs: string[] = [];
  const tmp = async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'calhub-managed-redis-'));
    dirs.push(d);
    return d;
  };
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('dies within seconds of a kill -9 of its calhub, and a second calhub on the same data directory is refused', async () => {
    const dir = await tmp();
    const first = await startChild(dir);
    assert.ok(await ping(first.url));
    await assert.rejects(startManagedRedis({ dataDir: dir, bin: 'redis-server' }), /no other calhub uses/);
    first.child.kill('SIGKILL');
    const took = await until('redis-server gone after its owner was killed', 10_000, () => !alive(first.redisPid));
    assert.ok(took < 10_000);
  });

  it('a stale redis-server from a previous run (its owner dead, no watchdog) is stopped on start', async () => {
    const dir = await tmp();
    // A redis-server whose owner is gone: what a kill -9 of calhub and of its watchdog leaves.
    const stale = spawn('redis-server', ['--port', '0', '--dir', dir, '--save', ''], { stdio: 'ignore', detached: true });
    await until('stale redis-server up', 5000, () => alive(stale.pid!));
    const deadOwner = spawn('true');
    await new Promise((r) => deadOwner.once('exit', r));
    mkdirSync(path.join(dir, 'run'), { recursive: true });
    writeFileSync(path.join(dir, 'run', 'redis.pid'), `${stale.pid} ${deadOwner.pid}\n`);
    const managed = await startManagedRedis({ dataDir: dir, bin: 'redis-server' });
    try {
      assert.equal(alive(stale.pid!), false, 'the stale redis-server was stopped');
      assert.ok(await ping(managed.url));
    } finally {
      await managed.stop();
    }
  });

  it('a redis-server that dies is started again on the same URL', async () => {
    const dir = await tmp();
    let restarts = 0;
    const managed = await startManagedRedis({ dataDir: dir, bin: 'redis-server', onRestart: () => (restarts += 1) });
    try {
      const before = managed.pid()!;
      process.kill(before, 'SIGKILL');
      const took = await until('redis answers again', 15_000, async () => managed.pid() !== before && (await ping(managed.url)));
      assert.equal(restarts, 1);
      assert.ok(took < 15_000);
    } finally {
      await managed.stop();
    }
    const last = managed.pid()!;
    await until('stopped for good', 5000, () => !alive(last));
  });
});
