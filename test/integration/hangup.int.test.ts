/**
 * The terminal of a foreground `calhub start` goes away (SIGHUP): the hub shuts down as on Ctrl-C,
 * exit 0 and its managed redis-server stopped. Node's default for SIGHUP ends the process at once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { processAlive } from '../../shared/process-alive.ts';
import { hasBinary } from '../support/dav-servers.ts';
import { BIN, ROOT, startHub, stopHub, withSecretsDir } from '../support/cli.ts';

describe('calhub start and SIGHUP', { skip: !hasBinary('redis-server') && 'redis-server is not installed' }, () => {
  const root = mkdtempSync(join(os.tmpdir(), 'calhub-hangup-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('shuts down cleanly: exit 0, the managed redis-server stopped', { timeout: 120_000 }, async () => {
    const dataDir = join(root, 'data');
    const env = { CALHUB_DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'info' };
    const hub = await startHub(env);
    const redisPid = Number(readFileSync(join(dataDir, 'run', 'redis.pid'), 'utf8').trim().split(/\s+/)[0]);
    assert.ok(processAlive(redisPid));
    const code = await stopHub(hub.child, dataDir, 30_000, 'SIGHUP');
    assert.equal(code, 0, hub.log());
    assert.match(hub.log(), /shutting down/);
    assert.equal(processAlive(redisPid), false, 'the managed redis-server outlived its calhub');
    assert.equal(existsSync(join(dataDir, 'run', 'redis.pid')), false);
  });

  // Under load (CI), the signal can come between the "listening" line and the handlers: Node's
  // default then ends the process at once. The handlers are now in place before the launch.
  it('a signal while the hub is still starting stops it cleanly once it is up', { timeout: 120_000 }, async () => {
    const dataDir = join(root, 'early');
    const child = spawn(process.execPath, [BIN, 'start'], { cwd: ROOT, env: withSecretsDir({ ...process.env, PORT: '0', CALHUB_DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'info' }) });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      const on = (d: Buffer) => {
        out += d;
        // Logged by the launch, before the hub listens.
        if (out.includes('started a managed redis-server')) resolve();
      };
      child.stdout.on('data', on);
      child.stderr.on('data', on);
    });
    child.kill('SIGHUP');
    const code = await Promise.race([exited, new Promise<'late'>((r) => setTimeout(() => r('late'), 60_000).unref())]);
    if (code === 'late') child.kill('SIGKILL');
    assert.equal(code, 0, out);
    assert.match(out, /shutting down/);
    assert.equal(existsSync(join(dataDir, 'run', 'redis.pid')), false, 'the managed redis-server was stopped');
  });
});
