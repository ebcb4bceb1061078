/**
 * Copies a rule writes wake only the rules that read the calendar they land in: five rules fanning
 * 200 events into one target each woke all five rules with every copy (1,000 mirror requests and
 * no-op follow-up runs of every rule), none of which had anything to do, since a copy is never a source.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, it } from 'node:test';
import { Redis } from 'ioredis';
import { SyncEngine } from './engine.ts';
import { reconcileRule } from './mirror.ts';
import { pullCalendar } from './pull.ts';
import { EventWriter } from './writer.ts';
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

const until = async (cond: () => Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  // What the queue held, so a timeout says whether the work was slow or stuck.
  const counts = await engine.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed');
  const failed = (await engine.queue.getFailed()).map((j) => `${j.name} ${j.attemptsMade}: ${j.failedReason}`);
  throw new Error(`condition not met in time: ${JSON.stringify(counts)} ${failed.join('; ')}`);
};

/** Mirror runs by rule, mirror requests by rule and push requests by calendar (each a queue.add, coalesced or not). */
function counting(e: SyncEngine) {
  const runs = new Map<string, number>();
  const requests = new Map<string, number>();
  const pushes = new Map<string, number>();
  const push = e.requestPush.bind(e);
  e.requestPush = (tenantId, calendarId) => {
    pushes.set(calendarId, (pushes.get(calendarId) ?? 0) + 1);
    return push(tenantId, calendarId);
  };
  const request = e.requestMirror.bind(e);
  e.requestMirror = (tenantId, ruleId) => {
    requests.set(ruleId, (requests.get(ruleId) ?? 0) + 1);
    return request(tenantId, ruleId);
  };
  const ended = { jobs: 0 };
  const onCompleted = (name: string, ruleId?: string) => {
    ended.jobs += 1;
    if (name === 'mirror') runs.set(ruleId!, (runs.get(ruleId!) ?? 0) + 1);
  };
  return { runs, requests, pushes, ended, onCompleted };
}

/**
 * Nothing queued or running and nothing on its way to the queue (a run's triggers are enqueued
 * after the store write, not awaited by it, and can land after the run is done), seen twice in a
 * row with no job ending in between (a fixed 500 ms pause stood for this). Up to 5 min: on a
 * loaded machine the first test's runs took more than the minute it was given.
 */
async function settled(e: SyncEngine, ended: { jobs: number }): Promise<void> {
  let quietBefore = false;
  await until(async () => {
    const jobs = ended.jobs;
    const quiet =
      (await e.enqueued(0)) &&
      Object.values(await e.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed')).every((n) => n === 0) &&
      (await e.enqueued(0)) &&
      ended.jobs === jobs;
    const twice = quiet && quietBefore;
    quietBefore = quiet;
    return twice;
  }, 300_000);
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

it('five rules copying 200 events into one target run once each: their copies wake no rule', async () => {
  env = await memoryEnv({ calendars: 6 });
  const sources = env.calendars.slice(0, 5);
  const target = env.calendars[5]!;
  for (let s = 0; s < 5; s++) for (let i = 0; i < 40; i++) env.backend.put(env.providerIds[s]!, null, [sampleEvent({ title: `s${s} e${i}` })]);
  for (const c of sources) await pullCalendar(env.deps, env.tenantId, c);
  const t = env.store.tenant(env.tenantId);
  const rules = [];
  for (const c of sources) rules.push((await t.mirror.create(c, target, { mode: 'busy-block' }))!);

  engine = new SyncEngine({ connection: redis, prefix: `calhub-wake-${randomBytes(4).toString('hex')}`, deps: env.deps, attempts: 3 });
  const count = counting(engine);
  for (const r of rules) await engine.requestMirror(env.tenantId, r.id);
  const worker = engine.startWorker(4);
  worker.on('completed', (job) => count.onCompleted(job.name, job.data.ruleId));
  worker.on('failed', () => (count.ended.jobs += 1));
  // Counted once every trigger, a late one from the last copies too, has reached the queue and run.
  await settled(engine, count.ended);

  console.log(`mirror requests ${sum(count.requests)}, mirror runs ${sum(count.runs)}`);
  assert.equal((await t.events.list(target)).length, 200, 'every copy written');
  assert.equal(sum(count.requests), 5, 'only the five first passes were requested');
  assert.deepEqual([...count.runs.values()], [1, 1, 1, 1, 1], 'each rule ran once');
  // One push request per rule's run (was one per copy, 200), and the pushes took every copy.
  assert.ok((count.pushes.get(target) ?? 0) <= 5, `push requests for the target: ${count.pushes.get(target)}`);
  assert.equal(await t.outbox.any(target), false, 'nothing left to push');
});

it('a copy written into a calendar a two-way rule reads from still wakes that rule (and only it)', async () => {
  env = await memoryEnv({ calendars: 3 });
  const [a, b, c] = env.calendars as [string, string, string];
  env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'in a' })]);
  await pullCalendar(env.deps, env.tenantId, a);
  const t = env.store.tenant(env.tenantId);
  const writer = (await t.mirror.create(a, b, { mode: 'busy-block' }))!;
  const reader = (await t.mirror.create(c, b, { mode: 'busy-block', twoWay: true }))!;
  const onlyTarget = (await t.mirror.create(a, c, { mode: 'busy-block' }))!;
  engine = new SyncEngine({ connection: redis, prefix: `calhub-wake-${randomBytes(4).toString('hex')}`, deps: env.deps, attempts: 3 });
  const count = counting(engine);
  await reconcileRule(engine.deps, env.tenantId, writer.id);
  // No worker runs here: what the rule's run asked for is all in the queue once its enqueues are done.
  assert.ok(await engine.enqueued(60_000), 'the run\'s enqueues reached Redis');
  assert.equal(count.requests.get(reader.id), 1, 'the two-way rule reading b, once');
  assert.equal(count.requests.get(writer.id), undefined, 'not the writing rule itself');
  assert.equal(count.requests.get(onlyTarget.id), undefined, 'not a rule that does not touch b');
});

it('a change the user makes in a target still wakes the rules writing there (a deleted copy comes back)', async () => {
  env = await memoryEnv({ calendars: 2 });
  const [a, b] = env.calendars as [string, string];
  const t = env.store.tenant(env.tenantId);
  const rule = (await t.mirror.create(a, b, { mode: 'busy-block' }))!;
  engine = new SyncEngine({ connection: redis, prefix: `calhub-wake-${randomBytes(4).toString('hex')}`, deps: env.deps, attempts: 3 });
  const count = counting(engine);
  await new EventWriter(engine.deps).create(env.tenantId, b, sampleEvent({ title: 'typed into b' }));
  assert.ok(await engine.enqueued(60_000), 'the write\'s enqueues reached Redis');
  assert.ok((count.requests.get(rule.id) ?? 0) > 0, 'the rule writing into b was asked to run');
});
