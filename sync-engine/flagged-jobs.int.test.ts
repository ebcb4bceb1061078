/**
 * A job for a calendar the mass-change guard flagged (a webhook's pull, a resync, a push of an API
 * write) ends without failing. Every one of them failed with CALENDAR_FLAGGED and stayed in the
 * queue's failed set ("33 failed sync job(s)" in `calhub status`), counted as a failed run in the
 * metrics (CalhubSyncErrorsRising) and as one more failure of the calendar (its failure count
 * raised, its last error, MASS_CHANGE_GUARD, overwritten), though the flag was reported already.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, it } from 'node:test';
import { Redis } from 'ioredis';
import { createMetrics } from '../shared/metrics.ts';
import { SyncEngine } from './engine.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
after(() => redis.disconnect());

let env: MemoryEnv;
let engine: SyncEngine;
afterEach(async () => {
  await engine?.queue.obliterate({ force: true }).catch(() => {});
  await engine?.close();
  await env?.close();
});

const until = async (cond: () => Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
};

it('pulls and pushes of a flagged calendar end as skipped: no failed job, no failed run, the calendar as the flag left it', async () => {
  env = await memoryEnv({ calendars: 1 });
  const metrics = createMetrics();
  env.deps.metrics = metrics;
  engine = new SyncEngine({ connection: redis, prefix: `calhub-test-${randomBytes(4).toString('hex')}`, deps: env.deps, attempts: 3 });
  const [cal] = env.calendars;
  const t = env.store.tenant(env.tenantId);
  env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'not pulled while flagged' })]);
  await t.sync.flag(cal!, 'one run would delete or cancel 12 of 40 objects', { removed: 12, rewritten: 0 });
  const before = (await t.calendars.get(cal!))!;
  const requests = env.backend.requests;

  await engine.requestPull(env.tenantId, cal!);
  await engine.requestPush(env.tenantId, cal!);
  engine.startWorker(1);
  await until(async () => (await engine.queue.getCompletedCount()) + (await engine.queue.getFailedCount()) >= 2);

  assert.equal(await engine.queue.getFailedCount(), 0, 'no failed job for a flagged calendar');
  const done = await engine.queue.getCompleted();
  assert.deepEqual(done.map((j) => (j.returnvalue as { skipped?: string }).skipped).sort(), ['calendar is flagged', 'calendar is flagged']);
  const text = await metrics.registry.metrics();
  assert.match(text, /calhub_sync_runs_total\{provider="memory",job="pull",outcome="flagged"\} 1/);
  assert.doesNotMatch(text, /outcome="CALENDAR_FLAGGED"/);
  assert.equal(env.backend.requests, requests, 'the provider was not asked');
  const now = (await t.calendars.get(cal!))!;
  assert.deepEqual([now.syncStage, now.failureCount, now.lastError], [before.syncStage, before.failureCount, before.lastError], 'the calendar is as the flag left it');
  assert.equal((await t.events.list(cal!)).length, 0);

  // Unflagged, the calendar's next pull runs as any other.
  await t.sync.unflag(cal!);
  await engine.requestPull(env.tenantId, cal!);
  await until(async () => (await t.events.list(cal!)).length === 1);
});
