/**
 * `calhub status` counts this deployment's workers only: BullMQ lists the worker clients of every
 * database of the Redis server, so a deployment on db 1 with the same prefix was counted in db 0's
 * (WORKERS 1 after the only worker of db 0 was killed).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, it } from 'node:test';
import { Redis } from 'ioredis';
import { SyncEngine } from './engine.ts';
import { memoryEnv, type MemoryEnv } from './test-support/memory-env.ts';

const URL_ = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ours = new Redis(`${URL_}/0`, { maxRetriesPerRequest: null });
const theirs = new Redis(`${URL_}/1`, { maxRetriesPerRequest: null });
let env: MemoryEnv | undefined;
const engines: SyncEngine[] = [];

after(async () => {
  for (const e of engines) await e.close();
  ours.disconnect();
  theirs.disconnect();
  await env?.close();
});

it('a worker of another deployment on another db of the same Redis, same prefix, is not ours', async () => {
  env = await memoryEnv({ calendars: 1 });
  const prefix = `calhub-test-${randomBytes(4).toString('hex')}`;
  const mine = new SyncEngine({ connection: ours, prefix, deps: env.deps });
  const other = new SyncEngine({ connection: theirs, prefix, deps: env.deps });
  engines.push(mine, other);
  const worker = other.startWorker(1);
  await worker.waitUntilReady();
  let seen = await other.workersSeen();
  for (let i = 0; i < 50 && seen.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    seen = await other.workersSeen();
  }
  assert.equal(seen.length, 1, 'the other deployment sees its worker');
  assert.deepEqual(await mine.workersSeen(), [], 'and this one does not count it');
});
