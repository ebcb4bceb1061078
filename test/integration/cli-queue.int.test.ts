/** `calhub queue list|retry` against a real Redis: failed jobs are inspectable and can be replayed. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { Store } from '../../shared/store/index.ts';
import { Queue } from 'bullmq';
import { DEFAULT_REDIS_PREFIX } from '../../shared/redis-keys.ts';
import { QUEUE_NAME, SyncEngine } from '../../sync-engine/index.ts';
import { memoryEnv, type MemoryEnv } from '../../sync-engine/test-support/memory-env.ts';
import { calhub } from '../support/cli.ts';

// The CLI uses the default queue prefix, so this test keeps to a Redis database of its own.
const REDIS_URL = process.env.TEST_REDIS_QUEUE_URL ?? 'redis://127.0.0.1:6379/13';
// One process per command; opening a fresh embedded store took 100 s at load 20 on the 2-core machine.
const SLOW = 300_000;

describe('calhub queue', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'calhub-queue-'));
  const env = { CALHUB_DATA_DIR: dataDir, REDIS_URL, LOG_LEVEL: 'silent' };
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  let mem: MemoryEnv;
  let engine: SyncEngine;
  before(async () => {
    await redis.flushdb();
    // The failing job runs here against a memory provider; the CLI only talks to Redis.
    mem = await memoryEnv({ calendars: 1, store: await Store.open({ dataDir: null }) });
    engine = new SyncEngine({ connection: redis, deps: mem.deps, attempts: 2 });
    mem.backend.failNext('grant-revoked');
    await engine.requestPull(mem.tenantId, mem.calendars[0]!);
    engine.startWorker(1);
    for (let i = 0; i < 600 && (await engine.queue.getFailedCount()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await engine.close();
  });
  after(async () => {
    await redis.flushdb();
    redis.disconnect();
    await mem?.store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists failed jobs with their reason, as a table and as JSON', async () => {
    const r = await calhub(['queue', 'list', '--json'], env, SLOW);
    assert.equal(r.code, 0, r.stderr);
    const jobs = JSON.parse(r.stdout) as Array<{ id: string; name: string; tenantId: string; calendarId: string; failedReason: string; attemptsMade: number }>;
    assert.equal(jobs.length, 1);
    assert.deepEqual([jobs[0]!.name, jobs[0]!.tenantId, jobs[0]!.calendarId, jobs[0]!.attemptsMade], ['pull', mem.tenantId, mem.calendars[0], 1]);
    assert.match(jobs[0]!.failedReason, /AUTH_GRANT_REVOKED/);
    const human = await calhub(['queue', 'list'], env, SLOW);
    assert.match(human.stdout, /AUTH_GRANT_REVOKED/);
    // A tenant the store does not hold is refused by name (exit 2), as for every --tenant.
    const other = await calhub(['queue', 'list', '--tenant', 'ten_other', '--json'], env, SLOW);
    assert.equal(other.code, 2, other.stderr);
    assert.equal((JSON.parse(other.stderr) as { error: { code: string; message: string } }).error.code, 'NOT_FOUND');
  });

  it('retries a failed job by id; unknown ids and bad states are usage errors', async () => {
    const [job] = JSON.parse((await calhub(['queue', 'list', '--json'], env, SLOW)).stdout) as Array<{ id: string }>;
    const bad = await calhub(['queue', 'retry', 'no-such-job'], env, SLOW);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /no-such-job/);
    assert.equal((await calhub(['queue', 'list', '--state', 'nonsense'], env, SLOW)).code, 2);
    const r = await calhub(['queue', 'retry', job!.id, '--json'], env, SLOW);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { retried: [job!.id] });
    assert.equal(JSON.parse((await calhub(['queue', 'list', '--json'], env, SLOW)).stdout).length, 0, 'no longer failed');
    assert.equal(JSON.parse((await calhub(['queue', 'list', '--state', 'waiting', '--json'], env, SLOW)).stdout).length, 1, 'waiting for a worker');
  });

  it('says when it read only the first 1,000 jobs of a state (a list cut at exactly 1,000 rows said nothing)', async () => {
    const queue = new Queue(QUEUE_NAME, { connection: redis, prefix: DEFAULT_REDIS_PREFIX });
    await queue.addBulk(Array.from({ length: 1001 }, (_, i) => ({ name: 'pull', data: { tenantId: mem.tenantId, calendarId: `cal_many_${i}` }, opts: { delay: 3_600_000 } })));
    await queue.close();
    const human = await calhub(['queue', 'list', '--state', 'delayed'], env, SLOW);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /only the first 1000 delayed jobs were read; there are more/);
    const json = await calhub(['queue', 'list', '--state', 'delayed', '--json'], env, SLOW);
    assert.equal((JSON.parse(json.stdout) as unknown[]).length, 1000);
    assert.match(json.stderr, /only the first 1000 delayed jobs were read/);
  });
});
