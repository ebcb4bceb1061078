/**
 * `calhub status` about sync jobs that wait in the delayed state: an outside user saw a push
 * retrying after Graph 503s while `status` was all green with WAITING 0. Status now counts them,
 * says the most common reason and the soonest next try, and points at the command that lists them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, test } from 'node:test';
import { Redis } from 'ioredis';
import type { CalendarConnector } from '../connectors/index.ts';
import { RateLimitedError, TransientError } from '../connectors/errors.ts';
import { createLogger } from '../shared/logger.ts';
import { createMetrics } from '../shared/metrics.ts';
import { SyncEngine } from '../sync-engine/engine.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from '../sync-engine/test-support/memory-env.ts';
import { human } from '../cli/commands/status.ts';
import { deploymentStatus, openHub, type Hub } from './index.ts';

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

test('status counts delayed and retrying sync jobs, with the most common reason, the soonest next try and where to look', async () => {
  env = await memoryEnv({ calendars: 3 });
  const [throttledA, throttledB, failing] = env.calendars as [string, string, string];
  const inner = env.deps.connect;
  env.deps.connect = async (a, c) => {
    const got = await inner(a, c);
    const connector: CalendarConnector = Object.create(got.connector);
    connector.putObject = async () => {
      if (c?.id === failing) throw new TransientError('Microsoft Graph answered 503');
      throw new RateLimitedError('Microsoft Graph answered 429 (Retry-After: 120)', 120_000);
    };
    return { ...got, connector };
  };
  engine = new SyncEngine({ connection: redis, prefix: `calhub-test-${randomBytes(4).toString('hex')}`, deps: env.deps, attempts: 8 });
  const opened = await openHub({ store: env.store, connect: env.deps.connect, metrics: createMetrics(), logger: createLogger({ level: 'silent' }) });
  const hub = { ...opened, engine } as Hub;

  const quiet = await deploymentStatus(hub);
  assert.deepEqual(quiet.delayedJobs, { total: 0, sampled: 0, retrying: 0, mostCommonReason: null, mostCommonFailure: null, nextTryAt: null, listCommand: 'calhub queue list --state delayed' });
  assert.match(human(quiet), /^Sync jobs delayed or retrying: 0$/m);

  for (const cal of [throttledA, throttledB, failing]) {
    await env.writer.create(env.tenantId, cal, sampleEvent({ title: `write to ${cal}` }));
    await engine.requestPush(env.tenantId, cal);
  }
  const started = Date.now();
  const worker = engine.startWorker(3);
  const retried = async () => (await engine.queue.getJobs(['delayed'])).some((j) => j.data.calendarId === failing && j.attemptsMade >= 1);
  await until(async () => (await engine.queue.getDelayedCount()) === 3 && (await retried()));
  // Stopped, the worker leaves them where they are: what status reads stays still.
  await worker.close();
  if ((await engine.queue.getDelayedCount()) !== 3) await until(async () => (await engine.queue.getDelayedCount()) === 3);

  const s = await deploymentStatus(hub);
  const d = s.delayedJobs!;
  assert.deepEqual([d.total, d.sampled, d.retrying], [3, 3, 1]);
  assert.deepEqual(d.mostCommonReason, { reason: 'CONNECTOR_RATE_LIMITED', n: 2 });
  const next = Date.parse(d.nextTryAt ?? '');
  assert.ok(next >= started && next < started + 100_000, `the soonest next try is the retrying push's backoff (${d.nextTryAt}), not the rate limit's 120 s`);
  assert.ok(s.attention.some((l) => l.startsWith('1 sync job(s) failed and retrying') && l.includes('calhub queue list --state delayed')), s.attention.join('\n'));
  // The headline names the failure, not what the other jobs wait on (it said CONNECTOR_RATE_LIMITED).
  assert.deepEqual(d.mostCommonFailure, { reason: 'Microsoft Graph answered 503', n: 1 });
  assert.ok(s.attention.some((l) => l.includes('(most common failure: Microsoft Graph answered 503)')), s.attention.join('\n'));
  const text = human(s);
  assert.match(text, /^Sync jobs delayed or retrying: 3 \(1 failed and retrying\); most common: CONNECTOR_RATE_LIMITED \(2\); most common failure: Microsoft Graph answered 503 \(1\); next try (in \d|due now).*: calhub queue list --state delayed$/m);

  // A bounded sample: the count stays the queue's, the reasons are of the soonest read.
  const sampled = await engine.delayedSummary(1);
  assert.deepEqual([sampled.total, sampled.sampled, sampled.retrying], [3, 1, 1]);
  assert.equal(sampled.mostCommonReason?.reason, 'failed, retrying: Microsoft Graph answered 503');
});
