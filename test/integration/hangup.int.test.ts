/**
 * The terminal of a foreground `calhub start` goes away (SIGHUP): the hub shuts down as on Ctrl-C,
 * exit 0 and its managed redis-server stopped. Node's default for SIGHUP ends the process at once.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { processAlive } from '../../shared/process-alive.ts';
import { hasBinary } from '../support/dav-servers.ts';
import { startHub, stopHub } from '../support/cli.ts';

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
});
