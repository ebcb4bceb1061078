import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { managedRedisPids, managedRedisUrl } from './managed-redis.ts';
import { stampRecord } from './run-records.ts';
import { embeddedInUse } from './store/embedded.ts';

// A live process that is not this one, to stand for the hub that wrote the records.
const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'calhub-run-records-'));
});
after(() => {
  holder.kill();
  rmSync(root, { recursive: true, force: true });
});

function dataDirHeldBy(name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'run'), { recursive: true });
  writeFileSync(join(dir, 'pglite.lock'), stampRecord(String(holder.pid), dir));
  writeFileSync(join(dir, 'run', 'redis.pid'), stampRecord(`${holder.pid} ${holder.pid}`, dir));
  writeFileSync(join(dir, 'run', 'redis.socket'), stampRecord(join(dir, 'run', 'redis', 'redis.sock'), dir));
  return dir;
}

it("a copy of a data dir does not take the original's lock, Redis pid or Redis socket for its own", async () => {
  const secrets = join(root, 'secrets');
  mkdirSync(secrets, { recursive: true });
  writeFileSync(join(secrets, 'redis-password'), 'pw');
  const original = dataDirHeldBy('original');
  assert.equal(await embeddedInUse(original), true);
  assert.equal(managedRedisPids(original)?.redis, holder.pid);
  assert.match(managedRedisUrl(original, secrets) ?? '', /original\/run\/redis\/redis\.sock$/);

  const copy = join(root, 'copy');
  cpSync(original, copy, { recursive: true });
  // It said "the embedded database is in use by process <the original's hub>", and its CLI reached the original's Redis.
  assert.equal(await embeddedInUse(copy), false);
  assert.equal(managedRedisPids(copy), null);
  assert.equal(managedRedisUrl(copy, secrets), null);
});

it('records from before the stamp still count as the dir they are in', async () => {
  const dir = join(root, 'older');
  mkdirSync(join(dir, 'run'), { recursive: true });
  writeFileSync(join(dir, 'pglite.lock'), String(holder.pid));
  writeFileSync(join(dir, 'run', 'redis.pid'), `${holder.pid} ${holder.pid}\n`);
  assert.equal(await embeddedInUse(dir), true);
  assert.equal(managedRedisPids(dir)?.owner, holder.pid);
});
