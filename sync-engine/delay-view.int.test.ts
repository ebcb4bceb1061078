/**
 * A push the provider throttles (a Graph 429 with Retry-After: 60) waits delayed in the queue
 * without spending an attempt. An outside operator saw it as ATTEMPTS 0 with no REASON in
 * `calhub queue list --state delayed` and as a plain `pending` write in `calhub calendars writes`:
 * both now say why it waits and until when, and a later successful push clears the note.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { CalendarConnector } from '../connectors/index.ts';
import { RateLimitedError } from '../connectors/errors.ts';
import type { Hub } from '../hub/index.ts';
import { listJobs } from '../hub/queue.ts';
import { listPendingWrites } from '../hub/pending-writes.ts';
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

const until = async (cond: () => Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
};

/** The provider answers writes with a rate limit of `retryAfterMs` while `throttled.on`. */
function throttling(env: MemoryEnv, retryAfterMs: number) {
  const throttled = { on: true, refused: 0 };
  const inner = env.deps.connect;
  env.deps.connect = async (a, c) => {
    const got = await inner(a, c);
    const connector: CalendarConnector = Object.create(got.connector);
    connector.putObject = async (...args) => {
      if (throttled.on) {
        throttled.refused += 1;
        throw new RateLimitedError('Microsoft Graph answered 429 (Retry-After: 60)', retryAfterMs);
      }
      return got.connector.putObject(...args);
    };
    return { ...got, connector };
  };
  return throttled;
}

describe('a push delayed by a provider rate limit', () => {
  it('shows why and until when in the queue listing and in the calendar pending writes; a successful push clears it', async () => {
    env = await memoryEnv({ calendars: 1 });
    const throttled = throttling(env, 60_000);
    engine = new SyncEngine({ connection: redis, prefix: `calhub-test-${randomBytes(4).toString('hex')}`, deps: env.deps, attempts: 3 });
    const hub = { engine, store: env.store } as unknown as Hub;
    const [cal] = env.calendars;
    const ev = sampleEvent({ title: 'throttled write' });
    await env.writer.create(env.tenantId, cal!, ev);
    const before = Date.now();
    await engine.requestPush(env.tenantId, cal!);
    engine.startWorker(1);
    await until(async () => throttled.refused === 1 && (await engine.queue.getDelayedCount()) === 1);

    const [job] = (await listJobs(hub, 'delayed')).jobs;
    assert.equal(job?.name, 'push');
    assert.equal(job.attemptsMade, 0, 'a delay spends no attempt');
    assert.equal(job.failedReason, null);
    assert.match(job.delayReason ?? '', /^CONNECTOR_RATE_LIMITED: Microsoft Graph answered 429/);
    const untilMs = Date.parse(job.delayedUntil ?? '');
    assert.ok(untilMs >= before + 60_000, `delayed until ${job.delayedUntil}, the provider's Retry-After from now`);
    assert.equal(job.delays, 1);

    const [write] = await listPendingWrites(hub, env.tenantId, cal!);
    assert.equal(write?.uid, ev.uid);
    assert.equal(write.state, 'pending');
    assert.match(write.lastAttempt ?? '', /^CONNECTOR_RATE_LIMITED: Microsoft Graph answered 429/);
    assert.equal(write.nextTryAt, job.delayedUntil);

    // The provider lets writes through again and the job is promoted: the write lands, the note goes.
    throttled.on = false;
    await (await engine.queue.getJobs(['delayed']))[0]!.promote();
    await until(async () => (await env.store.tenant(env.tenantId).outbox.any(cal!)) === false);
    await until(async () => (await engine.queue.getJobCounts('active', 'delayed', 'waiting', 'prioritized')).active === 0);
    await env.writer.create(env.tenantId, cal!, sampleEvent({ title: 'queued after' }));
    const [later] = await listPendingWrites(hub, env.tenantId, cal!);
    assert.deepEqual([later?.lastAttempt, later?.nextTryAt], [null, null], 'a successful push clears what the throttled one noted');
  });
});
