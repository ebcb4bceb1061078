/**
 * A store write's enqueue (its push, its mirrors) is not awaited by the write, but close() waits
 * for it: `calhub runs revert` quit Redis right after closing the engine and logged
 * `enqueue push failed: Connection is closed`, and the reverted events waited for another change.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, it } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger } from '../shared/logger.ts';
import { QUEUE_NAME, SyncEngine } from './engine.ts';
import { memoryEnv } from './test-support/memory-env.ts';

const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `calhub-enqclose-${randomBytes(4).toString('hex')}`;
const reader = new Redis(url, { maxRetriesPerRequest: null });
const queue = new Queue(QUEUE_NAME, { connection: reader, prefix });
after(async () => {
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  reader.disconnect();
});

it('close waits for the enqueues a write started before Redis is quit', async () => {
  const env = await memoryEnv({ calendars: 1 });
  const lines: string[] = [];
  env.deps.log = createLogger({ level: 'info', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) as never });
  // What a command does: its own connection, the engine only to enqueue, then both closed at once.
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const engine = new SyncEngine({ connection, prefix, deps: env.deps });
  try {
    engine.deps.onOutbox!(env.tenantId, env.calendars[0]!);
    await engine.close();
  } finally {
    await connection.quit();
    await env.close();
  }
  assert.deepEqual(lines.filter((l) => l.includes('enqueue')), [], 'no enqueue failed');
  const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
  assert.deepEqual(jobs.map((j) => [j.name, j.data.calendarId]), [['push', env.calendars[0]]]);
});
