/**
 * `calhub queue list` during a PostgreSQL outage: it failed with the store although the queue
 * lives in Redis. It lists the jobs from Redis and says the store was not read.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_NAME } from '../sync-engine/index.ts';
import { freePort } from '../test/support/free-port.ts';
import { EXIT } from './exit-codes.ts';
import { runCaptured } from './run-captured.ts';

const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const dataDir = mkdtempSync(join(tmpdir(), 'calhub-queue-store-down-'));
const prefix = `calhubtest${randomBytes(4).toString('hex')}`;
const redis = new Redis(REDIS, { maxRetriesPerRequest: null });
const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
after(async () => {
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  redis.disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

it('with the store unreachable, queue list lists the jobs from Redis and says the store was not read', async () => {
  await queue.add('pull', { tenantId: 'ten_outage', calendarId: 'cal_outage' }, { jobId: 'job-outage-1' });
  const saved = { ...process.env };
  Object.assign(process.env, { CALHUB_DATA_DIR: dataDir, REDIS_URL: REDIS, REDIS_PREFIX: prefix, CALHUB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`, DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/test` });
  try {
    const r = await runCaptured(['queue', 'list', '--state', 'waiting', '--json']);
    assert.equal(r.code, EXIT.OK, r.stderr);
    const jobs = JSON.parse(r.stdout) as Array<{ id: string; tenantId: string }>;
    assert.deepEqual(jobs.map((j) => [j.id, j.tenantId]), [['job-outage-1', 'ten_outage']]);
    assert.match(r.stderr, /the store is unavailable \(database query failed: connection refused at 127\.0\.0\.1:\d+\); the jobs are listed from Redis/);
  } finally {
    process.env = saved;
  }
});
