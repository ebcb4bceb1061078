/** The engine on a real Redis: coalescing, delays for rate limits, permanent failures kept for replay. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { CalendarConnector } from '../connectors/index.ts';
import { createMetrics } from '../shared/metrics.ts';
import { QUEUE_NAME, SyncEngine } from './engine.ts';
import { PullAsks } from './pull-asks.ts';
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

/**
 * Counts listChanges calls (one per pull: these listings fit one page). With `hold`, the first
 * listing waits after it has read the provider and before it returns, so whatever changes at the
 * provider meanwhile is something the running pull cannot see.
 */
function counting(env: MemoryEnv, hold?: { listed: () => void; gate: Promise<void> }) {
  const counter = { pulls: 0 };
  const inner = env.deps.connect;
  env.deps.connect = async (a, c) => {
    const got = await inner(a, c);
    const connector: CalendarConnector = Object.create(got.connector);
    connector.listChanges = async (...args) => {
      counter.pulls += 1;
      const first = counter.pulls === 1;
      await new Promise((r) => setTimeout(r, 50));
      const page = await got.connector.listChanges(...args);
      if (first && hold) {
        hold.listed();
        await hold.gate;
      }
      return page;
    };
    return { ...got, connector };
  };
  return counter;
}

const until = async (cond: () => Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
};

/**
 * Every wait the queue put a job through, in order, in ms: from the queue's event stream, whose
 * entries hold the end of each delay and whose ids the time it was set (the job's own `delay` is
 * reset once it is promoted).
 */
async function delaysOf(engine: SyncEngine, jobId: string): Promise<number[]> {
  const events = await redis.xrange(`${engine.queue.opts.prefix}:${QUEUE_NAME}:events`, '-', '+');
  return events
    .map(([id, fields]) => ({ at: Number(id.split('-')[0]), f: Object.fromEntries(fields.flatMap((v, i) => (i % 2 ? [] : [[v, fields[i + 1]]]))) }))
    .filter((e) => e.f['event'] === 'delayed' && e.f['jobId'] === jobId)
    .map((e) => Number(e.f['delay']) - e.at);
}

const makeEngine = (env: MemoryEnv) =>
  new SyncEngine({ connection: redis, prefix: `calhub-test-${randomBytes(4).toString('hex')}`, deps: env.deps, attempts: 3 });

describe('sync engine on BullMQ', () => {
  it('a burst of 1,000 triggers for one calendar causes one pull, and a change during a pull is not lost: the triggers during it make exactly one follow-up', async () => {
    env = await memoryEnv({ calendars: 1 });
    let listed!: () => void;
    const listing = new Promise<void>((r) => (listed = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const counter = counting(env, { listed, gate });
    engine = makeEngine(env);
    const [cal] = env.calendars;
    const titles = async () => (await env.store.tenant(env.tenantId).events.list(cal!)).map((e) => e.event.title);
    await Promise.all(Array.from({ length: 1000 }, () => engine.requestPull(env.tenantId, cal!)));
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'before the pull' })]);
    engine.startWorker();
    // The pull has read the provider and not yet committed: this change is invisible to it.
    await listing;
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'late change' })]);
    await Promise.all(Array.from({ length: 100 }, () => engine.requestPull(env.tenantId, cal!)));
    release();
    await until(async () => (await titles()).includes('before the pull'));
    await until(async () => (await titles()).includes('late change'));
    await until(async () => {
      const n = await engine.queue.getJobCounts('waiting', 'active', 'delayed');
      return (n.waiting ?? 0) + (n.active ?? 0) + (n.delayed ?? 0) === 0;
    });
    assert.equal(counter.pulls, 2, 'one pull for the burst before it, one follow-up for the 100 triggers during it');
  });

  it('a run over its budget that committed pages goes on at once; one that committed nothing backs off', async () => {
    env = await memoryEnv({ calendars: 2 });
    const [busy, stuck] = env.calendars;
    for (let i = 0; i < 250; i++) env.backend.put(env.providerIds[0]!, null, [sampleEvent()]); // 10 pages of 25
    env.backend.put(env.providerIds[1]!, null, [sampleEvent()]);
    const inner = env.deps.connect;
    env.deps.connect = async (a, c) => {
      const got = await inner(a, c);
      const connector: CalendarConnector = Object.create(got.connector);
      connector.listChanges = async (ctx, ...rest) => {
        // A provider as slow as its run's budget allows a few pages of (and one that never answers).
        await sleep(c!.id === stuck ? 60_000 : 300, undefined, { signal: ctx.signal });
        return got.connector.listChanges(ctx, ...rest);
      };
      return { ...got, connector };
    };
    engine = new SyncEngine({ connection: redis, prefix: `calhub-test-${randomBytes(4).toString('hex')}`, deps: env.deps, attempts: 3, runBudgetMs: 1000 });
    const count = async (cal: string) => (await env.store.tenant(env.tenantId).events.list(cal)).length;
    // An endpoint, so that the store records the tenant's `sync.failed` webhooks (none is sent here).
    await env.store.tenant(env.tenantId).webhooks.create({ url: 'https://example.com/hook', eventTypes: ['sync.failed'], encryptedSecret: 'unused' });
    const syncFailed = async (cal: string) =>
      (await env.store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_outbox WHERE kind = 'sync' AND op = 'failed' AND calendar_id = $1`, [cal]))[0]!.n;
    const busyJob = await engine.requestPull(env.tenantId, busy!);
    const stuckJobId = await engine.requestPull(env.tenantId, stuck!);
    engine.startWorker(2);
    // 10 pages at 300 ms in runs of 1 s: four or five runs back to back. Backing off after each
    // budget (15 s, then 30 s) it took over 45 s. What is checked is the wait the engine set after
    // each budget that committed pages, not the wall clock: at load 20-40 the runs alone took
    // over 15 s, and a run starved of CPU may commit nothing and back off rightly. The reasons are
    // read from the job as it goes (data.delay, one per delay), the waits from the event stream.
    const reasons = new Map<number, string>();
    await until(async () => {
      const job = await engine.queue.getJob(busyJob);
      if (job?.data.delay) reasons.set(job.data.delay.count, job.data.delay.reason);
      return (await count(busy!)) === 250;
    }, 120_000);
    const waits = (await delaysOf(engine, busyJob)).map((ms, i) => ({ ms, reason: reasons.get(i + 1) ?? '?' }));
    const goesOn = waits.filter((w) => /goes on from what it committed/.test(w.reason));
    assert.ok(goesOn.length >= 2, `the busy calendar went over its budget and on more than once: ${JSON.stringify(waits)}`);
    assert.ok(goesOn.every((w) => w.ms < 5000), `the busy calendar waited between its runs: ${JSON.stringify(waits)}`);
    assert.equal(await syncFailed(busy!), 0, 'a run over its budget that committed pages is not a failed sync');
    // The stuck calendar's backoff (7.5-22.5 s) may be over by now on a loaded machine: its first wait is what counts.
    const stuckJob = await engine.queue.getJob(stuckJobId);
    assert.match(stuckJob?.data.delay?.reason ?? '', /with nothing committed; backing off/, 'the calendar whose run committed nothing was delayed');
    const [backoff] = await delaysOf(engine, stuckJobId);
    assert.ok(backoff !== undefined && backoff >= 5000, `and backs off (${backoff} ms), not at once`);
    assert.ok(((await env.store.tenant(env.tenantId).calendars.get(stuck!))?.failureCount ?? 0) >= 1, 'a run that committed nothing in its budget is a failure');
  });

  it('a pull taken up again after its worker died runs, though that worker served its asks: it frees the dead run\'s slot', async () => {
    env = await memoryEnv({ calendars: 1 });
    const prefix = `calhub-test-${randomBytes(4).toString('hex')}`;
    engine = new SyncEngine({ connection: redis, prefix, deps: env.deps, attempts: 3, staleRunMs: 300 });
    const [cal] = env.calendars;
    const t = env.store.tenant(env.tenantId);
    const id = await engine.requestPull(env.tenantId, cal!);
    // What a worker killed between serving the asks and freeing the slot leaves: the asks served,
    // the slot held by the dead run, the job stalled (its lock expired and BullMQ put it back).
    assert.ok(await t.calendars.claimSync(cal!, `w-dead-1:${id}`, 300));
    await new PullAsks(redis, prefix).served(cal!, 1);
    await redis.hset(`${prefix}:${QUEUE_NAME}:${id}`, 'stc', 1);
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'after the kill' })]);
    engine.startWorker();
    await until(async () => (await t.calendars.get(cal!))?.syncStage === 'idle');
    assert.deepEqual((await t.events.list(cal!)).map((e) => e.event.title), ['after the kill']);
  });

  it('a rate-limited error delays just that job, without spending an attempt', async () => {
    env = await memoryEnv({ calendars: 2 });
    engine = makeEngine(env);
    const [a, b] = env.calendars;
    env.backend.put(env.providerIds[1]!, null, [sampleEvent({ title: 'other calendar' })]);
    env.backend.failNext('rate-limited'); // the first request (calendar a's pull) is told to wait 1 s
    await engine.requestPull(env.tenantId, a!);
    await new Promise((r) => setTimeout(r, 20));
    await engine.requestPull(env.tenantId, b!);
    engine.startWorker(1);
    await until(async () => (await env.store.tenant(env.tenantId).events.list(b!)).length === 1);
    await until(async () => (await env.store.tenant(env.tenantId).calendars.get(a!))?.lastSuccessAt !== null);
    const failed = await engine.queue.getFailed();
    assert.equal(failed.length, 0);
  });

  it('a permanent error is not retried, is counted by its code; the failed job stays inspectable and can be replayed', async () => {
    env = await memoryEnv({ calendars: 1 });
    const metrics = createMetrics();
    env.deps.metrics = metrics;
    engine = makeEngine(env);
    const [cal] = env.calendars;
    env.backend.failNext('grant-revoked');
    await engine.requestPull(env.tenantId, cal!);
    engine.startWorker(1);
    await until(async () => (await engine.queue.getFailed()).length === 1);
    const [job] = await engine.queue.getFailed();
    assert.equal(job!.attemptsMade, 1, 'a permanent error must not be retried');
    assert.match(job!.failedReason, /AUTH_GRANT_REVOKED/);
    // Wrapped to stop the retries, it was counted as outcome="error".
    const text = await metrics.registry.metrics();
    assert.match(text, /calhub_sync_runs_total\{provider="memory",job="pull",outcome="AUTH_GRANT_REVOKED"\} 1/);
    assert.doesNotMatch(text, /outcome="error"/);
    const account = (await env.store.tenant(env.tenantId).accounts.list())[0]!;
    assert.equal(account.status, 'needs_reauth');
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'after reconnect' })]);
    // Until the user reconnects, a replay is refused without asking the provider again.
    const requests = env.backend.requests;
    await job!.retry();
    await until(async () => (await engine.queue.getFailed()).length === 1 && (await engine.queue.getFailed())[0]!.attemptsMade >= 1 && (await engine.queue.getWaitingCount()) === 0 && (await engine.queue.getActiveCount()) === 0);
    assert.equal(env.backend.requests, requests, 'no provider request for an account that needs reauth');
    assert.equal((await engine.queue.getFailed())[0]!.failedReason.includes('needs to be reconnected'), true);
    await env.store.tenant(env.tenantId).accounts.upsert({ provider: account.provider, externalId: account.externalId }); // the reconnect
    await (await engine.queue.getFailed())[0]!.retry();
    await until(async () => (await env.store.tenant(env.tenantId).events.list(cal!)).length === 1);
  });

  // An operator's `calhub status` kept "1 failed sync job(s)" (and the failed-depth metric 1) for a
  // calendar whose later pulls succeeded and whose `sync.recovered` had been sent.
  it('a later successful run of the same calendar removes its failed jobs: status and metrics count only unrecovered failures', async () => {
    env = await memoryEnv({ calendars: 2 });
    const metrics = createMetrics();
    env.deps.metrics = metrics;
    engine = makeEngine(env);
    const [cal, other] = env.calendars;
    env.backend.failNext('grant-revoked');
    await engine.requestPull(env.tenantId, cal!);
    engine.startWorker(1);
    await until(async () => (await engine.queue.getFailedCount()) === 1);
    const account = (await env.store.tenant(env.tenantId).accounts.list())[0]!;
    await env.store.tenant(env.tenantId).accounts.upsert({ provider: account.provider, externalId: account.externalId }); // the reconnect
    // Another calendar's success leaves this one's failure alone.
    await engine.requestPull(env.tenantId, other!);
    await until(async () => (await env.store.tenant(env.tenantId).calendars.get(other!))?.lastSuccessAt !== null);
    assert.equal(await engine.queue.getFailedCount(), 1);
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'after reconnect' })]);
    await engine.requestPull(env.tenantId, cal!);
    await until(async () => (await env.store.tenant(env.tenantId).events.list(cal!)).length === 1);
    await until(async () => (await engine.queue.getFailedCount()) === 0, 5000);
    assert.equal((await engine.queueGauges()).counts.failed, 0);
    assert.match(await metrics.registry.metrics(), /calhub_queue_depth\{state="failed"\} 0/);
  });

  // A failed resync (key resync-<id>) stayed "1 failed sync job(s)" after the calendar's pulls (key
  // pull-<id>) succeeded: only the same key was cleared.
  it("a successful pull removes its calendar's failed jobs of every kind, not another calendar's", async () => {
    env = await memoryEnv({ calendars: 2 });
    engine = makeEngine(env);
    const [cal, other] = env.calendars;
    env.backend.failNext('grant-revoked');
    await engine.requestPull(env.tenantId, cal!, { full: true });
    engine.startWorker(1);
    await until(async () => (await engine.queue.getFailedCount()) === 1);
    assert.equal((await engine.queue.getFailed())[0]!.data.key, `resync-${cal}`);
    const account = (await env.store.tenant(env.tenantId).accounts.list())[0]!;
    await env.store.tenant(env.tenantId).accounts.upsert({ provider: account.provider, externalId: account.externalId }); // the reconnect
    await engine.requestPull(env.tenantId, other!);
    await until(async () => (await env.store.tenant(env.tenantId).calendars.get(other!))?.lastSuccessAt !== null);
    assert.equal(await engine.queue.getFailedCount(), 1, "another calendar's pull leaves it");
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'after reconnect' })]);
    await engine.requestPull(env.tenantId, cal!);
    await until(async () => (await env.store.tenant(env.tenantId).events.list(cal!)).length === 1);
    await until(async () => (await engine.queue.getFailedCount()) === 0, 5000);
  });

  it('a pull through the queue shows up in the metrics: job outcome, provider calls, events applied, echoes', async () => {
    env = await memoryEnv({ calendars: 1 });
    const metrics = createMetrics();
    env.deps.metrics = metrics;
    engine = makeEngine(env);
    const [cal] = env.calendars;
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'counted' })]);
    await engine.requestPull(env.tenantId, cal!);
    engine.startWorker(1);
    await until(async () => (await engine.queue.getCompletedCount()) >= 1);
    const text = await metrics.registry.metrics();
    assert.match(text, /calhub_sync_runs_total\{provider="memory",job="pull",outcome="ok"\} 1/);
    assert.match(text, /calhub_provider_requests_total\{provider="memory",status="ok"\} [1-9]/);
    assert.match(text, /calhub_events_applied_total\{kind="upsert"\} 1/);
    assert.match(text, /calhub_queue_depth\{state="failed"\} 0/);
  });

  // A job for a calendar the mass-change guard flagged (a webhook's pull, a push of an API write)
  // failed with CALENDAR_FLAGGED and stayed in the failed set ("33 failed sync job(s)" in `calhub
  // status`), counted as a failed run (CalhubSyncErrorsRising) and as one more failure of the
  // calendar (its failure count raised, its last error, MASS_CHANGE_GUARD, overwritten), though
  // the flag was reported already.
  it('pulls and pushes of a flagged calendar end as skipped: no failed job, no failed run, the calendar as the flag left it', async () => {
    env = await memoryEnv({ calendars: 1 });
    const metrics = createMetrics();
    env.deps.metrics = metrics;
    engine = makeEngine(env);
    const [cal] = env.calendars;
    const t = env.store.tenant(env.tenantId);
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'not pulled while flagged' })]);
    await t.sync.flag(cal!, 'one run would delete or cancel 12 of 40 objects', { removed: 12, rewritten: 0 });
    const before = (await t.calendars.get(cal!))!;
    const requests = env.backend.requests;

    await engine.requestPull(env.tenantId, cal!);
    await engine.requestPush(env.tenantId, cal!);
    engine.startWorker(1);
    await until(async () => (await engine.queue.getCompletedCount()) + (await engine.queue.getFailedCount()) >= 2, 30_000);

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
    await until(async () => (await t.events.list(cal!)).length === 1, 30_000);
  });

  it("tenants take turns: one tenant's backlog of 14 pulls does not queue ahead of another tenant's one pull", async () => {
    env = await memoryEnv({ calendars: 7 });
    const other = await memoryEnv({ calendars: 1, store: env.store });
    const order: string[] = [];
    const tenantOf = new Map<string, string>([...env.calendars.map((c) => [c, 'busy'] as const), [other.calendars[0]!, 'quiet']]);
    const inner = env.deps.connect;
    env.deps.connect = async (a, c) => {
      const got = await inner(a, c);
      const connector: CalendarConnector = Object.create(got.connector);
      connector.listChanges = async (...args) => {
        order.push(tenantOf.get(c!.id) ?? '?');
        return got.connector.listChanges(...args);
      };
      return { ...got, connector };
    };
    engine = makeEngine(env);
    // The busy tenant queues first: each calendar twice (an incremental pull and a full resync).
    for (const cal of env.calendars) {
      await engine.requestPull(env.tenantId, cal);
      await engine.requestPull(env.tenantId, cal, { full: true });
    }
    await engine.requestPull(other.tenantId, other.calendars[0]!);
    engine.startWorker(1);
    await until(async () => order.length >= 15, 60_000);
    assert.ok(order.indexOf('quiet') <= 1, `the quiet tenant's pull ran as number ${order.indexOf('quiet') + 1} of ${order.length}: ${order.join(' ')}`);
    await until(async () => (await redis.keys(`${engine.queue.opts.prefix}:turns:*`)).length === 0 || (await redis.zcard(`${engine.queue.opts.prefix}:turns:${env.tenantId}`)) === 0);
  });

  it("a job waiting for its account's share goes to the back of its tenant's line, behind the tenant's other work", async () => {
    env = await memoryEnv({ calendars: 3 });
    const t = env.store.tenant(env.tenantId);
    const other = await t.accounts.upsert({ provider: 'memory', externalId: 'second-user' });
    const [b1] = await t.calendars.upsertMany(other.id, [{ providerCalendarId: env.backend.addCalendar({ id: 'cal-B1', name: 'B1' }), name: 'B1', timeZone: 'UTC', color: null, readOnly: false }]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const inner = env.deps.connect;
    const [a1, a2, a3] = env.calendars;
    env.deps.connect = async (a, c) => {
      const got = await inner(a, c);
      const connector: CalendarConnector = Object.create(got.connector);
      connector.listChanges = async (...args) => {
        if (c!.id === a1) await gate; // A1 holds its account's one share
        return got.connector.listChanges(...args);
      };
      return { ...got, connector };
    };
    engine = new SyncEngine({ connection: redis, prefix: `calhub-test-${randomBytes(4).toString('hex')}`, deps: env.deps, attempts: 3, fairShare: { perHost: 2, perAccount: 1, leaseMs: 15_000 } });
    const ids: string[] = [];
    for (const cal of [a1!, a2!, a3!, b1!.id]) ids.push(await engine.requestPull(env.tenantId, cal));
    const priorityOf = async (id: string) => (await engine.queue.getJob(id))!.priority;
    const bPriority = await priorityOf(ids[3]!);
    engine.startWorker(2);
    try {
      // A2 and A3 find their account's share taken and wait delayed; they must come back behind B1.
      await until(async () => (await priorityOf(ids[1]!)) > bPriority, 15_000);
      await until(async () => (await priorityOf(ids[2]!)) > bPriority, 15_000);
    } finally {
      release();
    }
  });
});
