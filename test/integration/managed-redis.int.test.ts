/**
 * The managed redis-server is tied to its calhub (issue 12): it dies within seconds of a kill -9
 * of calhub, a stale one left behind is stopped by the next start, a second calhub on the same
 * data directory is refused, and a redis-server that dies is started again on the same port.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { hasBinary } from '../support/dav-servers.ts';
import { managedRedisUrl, startManagedRedis } from '../../shared/managed-redis.ts';
import { processAlive } from '../../shared/process-alive.ts';

/** What a client that speaks RESP but knows no password hears for `commands` on the socket. */
function raw(socket: string, commands: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const c = net.connect({ path: socket }, () => c.write(commands));
    c.on('data', (d) => {
      out += d;
      if (out.split('\r\n').length > commands.split('\r\n').length - 1) c.end();
    });
    c.on('close', () => resolve(out));
    c.on('error', reject);
    setTimeout(() => c.destroy(), 3000).unref();
  });
}

/** Every regular file under a directory (sockets and the like skipped). */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.isFile() ? [p] : [];
  });
}

async function until(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string; redisPid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../support/managed-redis-child.ts'), dataDir, `${dataDir}/secrets`], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    await assert.rejects(startManagedRedis({ dataDir: dir, secretsDir: `${dir}/secrets`, bin: 'redis-server' }), /no other calhub uses/);
    first.child.kill('SIGKILL');
    const took = await until('redis-server gone after its owner was killed', 10_000, () => !processAlive(first.redisPid));
    assert.ok(took < 10_000);
  });

  it('a stale redis-server from a previous run (its owner dead, no watchdog) is stopped on start', async () => {
    const dir = await tmp();
    // A redis-server whose owner is gone: what a kill -9 of calhub and of its watchdog leaves.
    const stale = spawn('redis-server', ['--port', '0', '--dir', dir, '--save', ''], { stdio: 'ignore', detached: true });
    await until('stale redis-server up', 5000, () => processAlive(stale.pid!));
    const deadOwner = spawn('true');
    await new Promise((r) => deadOwner.once('exit', r));
    mkdirSync(path.join(dir, 'run'), { recursive: true });
    writeFileSync(path.join(dir, 'run', 'redis.pid'), `${stale.pid} ${deadOwner.pid}\n`);
    const managed = await startManagedRedis({ dataDir: dir, secretsDir: `${dir}/secrets`, bin: 'redis-server' });
    try {
      assert.equal(processAlive(stale.pid!), false, 'the stale redis-server was stopped');
      assert.ok(await ping(managed.url));
    } finally {
      await managed.stop();
    }
  });

  it('a redis-server that dies is started again on the same URL', async () => {
    const dir = await tmp();
    let restarts = 0;
    const managed = await startManagedRedis({ dataDir: dir, secretsDir: `${dir}/secrets`, bin: 'redis-server', onRestart: () => (restarts += 1) });
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
    await until('stopped for good', 5000, () => !processAlive(last));
  });

  // Issue 18: the managed Redis had no password and listened on TCP for every local user.
  it('listens only on a unix socket in a 0700 directory, with a generated password (0600) that is in no argv and no log', async () => {
    const dir = await tmp();
    const secretsDir = path.join(`${dir}-config`, 'calhub');
    dirs.push(`${dir}-config`);
    const managed = await startManagedRedis({ dataDir: dir, secretsDir, bin: 'redis-server' });
    try {
      const passwordFile = path.join(secretsDir, 'redis-password');
      const password = readFileSync(passwordFile, 'utf8').trim();
      assert.match(password, /^[0-9a-f]{64}$/);
      assert.equal(statSync(passwordFile).mode & 0o777, 0o600);
      assert.equal(statSync(secretsDir).mode & 0o777, 0o700);
      for (const d of [dir, path.join(dir, 'redis'), path.join(dir, 'run'), path.join(dir, 'run', 'redis')]) assert.equal(statSync(d).mode & 0o777, 0o700, d);

      const socket = managed.socket;
      assert.equal(socket, path.join(dir, 'run', 'redis', 'redis.sock'));
      assert.ok(statSync(socket).isSocket());
      assert.equal(managedRedisUrl(dir, secretsDir), managed.url, 'other processes of the data dir find it');

      // Without the password: refused. With it: answered, and no TCP port is open.
      assert.match(await raw(socket, 'PING\r\nSET k v\r\n'), /^-NOAUTH.*\r\n-NOAUTH/s);
      assert.match(await raw(socket, 'AUTH guess\r\nPING\r\n'), /^-WRONGPASS.*\r\n-NOAUTH/s);
      const client = new Redis(managed.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      try {
        await client.connect();
        assert.equal(await client.ping(), 'PONG');
        assert.deepEqual(await client.config('GET', 'port'), ['port', '0']);
      } finally {
        client.disconnect();
      }

      // The password is on no command line (readable by any local user) and in no file of the data dir.
      const cmdline = readFileSync(`/proc/${managed.pid()}/cmdline`, 'utf8');
      assert.ok(!cmdline.includes(password), 'the password is in redis-server\'s argv');
      assert.match(cmdline, /redis-server/);
      for (const f of walk(dir)) assert.ok(!readFileSync(f).includes(password), `the password is in ${f}`);
    } finally {
      await managed.stop();
    }
    assert.equal(managedRedisUrl(dir, secretsDir), null, 'a stopped one is not offered');
  });

  it('a data dir too deep for a socket path gets a private temporary socket directory, removed on stop', async () => {
    const deep = path.join(await tmp(), 'a'.repeat(60), 'b'.repeat(30));
    const managed = await startManagedRedis({ dataDir: deep, secretsDir: `${deep}-secrets`, bin: 'redis-server' });
    const socket = managed.socket;
    try {
      assert.ok(socket.length < 108 && !socket.startsWith(deep), socket);
      assert.equal(statSync(path.dirname(socket)).mode & 0o777, 0o700);
      assert.ok(await ping(managed.url));
    } finally {
      await managed.stop();
      await rm(`${deep}-secrets`, { recursive: true, force: true });
    }
    assert.equal(existsSync(path.dirname(socket)), false);
  });
});
