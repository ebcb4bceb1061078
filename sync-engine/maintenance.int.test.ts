/** Maintenance as a BullMQ job scheduler on a real Redis: one scheduler however many workers, and each tick's work. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { Maintenance, maintenanceTick } from './maintenance.ts';
import { memoryEnv, type MemoryEnv } from './test-support/memory-env.ts';
import { pollPhaseMs } from '../shared/store/sync-repo.ts';

const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
after(() => redis.disconnect());

const until = async (cond: () => Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
};

describe('maintenance', () => {
  let env: MemoryEnv;
  after(() => env?.close());

  it('a tick reaps silent runs, requests pulls for calendars due for polling, and leaves fresh ones alone', async () => {
    env = await memoryEnv({ calendars: 2 });
    const [stale, fresh] = env.calendars;
    const t = env.store.tenant(env.tenantId);
    await t.calendars.claimSync(stale!, 'dead-worker', 600_000);
    await env.store.db.query(`UPDATE calendars SET stage_started_at = now() - interval '1 hour' WHERE id = $1`, [stale]);
    await env.store.db.query(`UPDATE calendars SET last_pull_at = now() WHERE id = $1`, [fresh]);
    const pulls: string[] = [];
    const r = await maintenanceTick({ store: env.store, log: env.deps.log, staleRunMs: 600_000, pollIntervalMs: 60_000, requestPull: async (_t, c) => void pulls.push(c) });
    assert.deepEqual(r.reaped, [stale]);
    assert.deepEqual(pulls, [stale], 'the reaped calendar never synced; the fresh one is not due');
    assert.equal((await t.calendars.get(stale!))?.syncStage, 'failed');
  });

  it('calendars of an account that needs reauth are not polled: the provider would only refuse again', async () => {
    const t = env.store.tenant(env.tenantId);
    const [account] = await t.accounts.list();
    await t.accounts.setStatus(account!.id, 'needs_reauth', 'invalid_grant');
    const pulls: string[] = [];
    const r = await maintenanceTick({ store: env.store, log: env.deps.log, staleRunMs: 600_000, pollIntervalMs: 60_000, requestPull: async (_t, c) => void pulls.push(c) });
    assert.deepEqual([r.polled, pulls], [0, []]);
    await t.accounts.upsert({ provider: account!.provider, externalId: account!.externalId }); // reconnected
    assert.ok((await maintenanceTick({ store: env.store, log: env.deps.log, staleRunMs: 600_000, pollIntervalMs: 60_000, requestPull: async () => {} })).polled > 0);
  });

  it('several workers share one scheduler, and its ticks run on whichever worker takes them', async () => {
    const prefix = `calhub-test-${randomBytes(4).toString('hex')}`;
    const pulls: string[] = [];
    const make = () => new Maintenance({ connection: redis, prefix, store: env.store, log: env.deps.log, staleRunMs: 600_000, pollIntervalMs: 60_000, requestPull: async (_t, c) => void pulls.push(c) });
    const a = make();
    const b = make();
    try {
      await a.schedule(200);
      await b.schedule(200);
      assert.equal((await a.queue.getJobSchedulers()).length, 1);
      a.startWorker();
      b.startWorker();
      await until(async () => (await a.queue.getCompletedCount()) >= 3);
      assert.ok(pulls.length >= 3, 'each tick polled the calendar that is still due');
    } finally {
      await a.queue.obliterate({ force: true }).catch(() => {});
      await a.close();
      await b.close();
    }
  });

  it('a Redis that lost its data gets the scheduler back from the running workers, and polling resumes', async () => {
    const prefix = `calhub-test-${randomBytes(4).toString('hex')}`;
    const pulls: string[] = [];
    const m = new Maintenance({
      connection: redis, prefix, store: env.store, log: env.deps.log, staleRunMs: 600_000, pollIntervalMs: 60_000,
      requestPull: async (_t, c) => void pulls.push(c), everyMs: 200, reassertMs: 300,
    });
    // Only this test's keys: the Redis is shared, so never FLUSHDB.
    const dropOwnKeys = async () => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    };
    try {
      await m.schedule();
      m.startWorker();
      await until(async () => pulls.length >= 2);
      await dropOwnKeys();
      assert.equal((await m.queue.getJobSchedulers()).length, 0, 'the flush took the scheduler');
      const seen = pulls.length;
      await until(async () => pulls.length >= seen + 2, 10_000);
      assert.equal((await m.queue.getJobSchedulers()).length, 1);
      assert.ok((await m.queue.getDelayedCount()) <= 1, 'asserting again does not pile up ticks');
    } finally {
      await m.queue.obliterate({ force: true }).catch(() => {});
      await m.close();
      await dropOwnKeys();
    }
  });

  it('a worker starting after downtime pulls the calendars that rely on push at once; one joining a running deployment pulls none', async () => {
    const down = await memoryEnv({ calendars: 2 });
    const prefix = `calhub-test-${randomBytes(4).toString('hex')}`;
    const [pushed, polled] = down.calendars;
    const t = down.store.tenant(down.tenantId);
    const [account] = await t.accounts.list();
    await t.channels.trackAccount(account!.id, new Date());
    const day = 86_400_000;
    await t.channels.saveActive(pushed!, { channelId: 'ch-1', resourceId: null, secretHash: 'h', address: 'https://hub.example/webhooks/google', expiresAt: new Date(Date.now() + day), nextCheckAt: new Date(Date.now() + day) });
    assert.equal((await t.channels.get(pushed!))?.status, 'active');
    // Synced a minute ago, polled once a month: no poll is due, only a catch-up pulls.
    await down.store.db.query(`UPDATE calendars SET last_success_at = now() - interval '1 minute', last_pull_at = now() - interval '1 minute'`);
    const pulls: string[] = [];
    const make = () => new Maintenance({ connection: redis, prefix, store: down.store, log: down.deps.log, staleRunMs: 600_000, pollIntervalMs: 30 * day, requestPull: async (_t, c) => void pulls.push(c), everyMs: 200 });
    const first = make();
    const second = make();
    try {
      await first.schedule();
      first.startWorker();
      await until(async () => (await first.queue.getCompletedCount()) >= 2);
      assert.deepEqual(pulls, [pushed], 'the push calendar caught up; the polled one waits for its poll');
      assert.ok(!pulls.includes(polled!));
      pulls.length = 0;
      second.startWorker();
      await until(async () => (await first.queue.getCompletedCount()) >= 4);
      assert.deepEqual(pulls, [], 'ticks ran until it started: nothing was missed');
    } finally {
      await first.queue.obliterate({ force: true }).catch(() => {});
      await first.close();
      await second.close();
      await down.close();
    }
  });
  it('a poll starts at its slot, not at the first tick after it (a tick per half interval started it up to that late)', async () => {
    const timed = await memoryEnv({ calendars: 1 });
    const [cal] = timed.calendars as [string];
    const every = 6_000;
    const prefix = `calhub-test-${randomBytes(4).toString('hex')}`;
    const pulls: number[] = [];
    // Pulled now: its next poll is at its next slot. Each poll is taken as a pull that began then.
    await timed.store.db.query('UPDATE calendars SET last_pull_at = now()');
    const requestPull = async () => {
      pulls.push(Date.now());
      await timed.store.db.query('UPDATE calendars SET last_pull_at = now()');
    };
    const m = new Maintenance({ connection: redis, prefix, store: timed.store, log: timed.deps.log, staleRunMs: 600_000, pollIntervalMs: every, requestPull, everyMs: 5_000 });
    try {
      await m.schedule();
      m.startWorker();
      await until(async () => pulls.length >= 3, every * 5);
      const late = pulls.slice(0, 3).map((at) => (at - pollPhaseMs(cal, every)) % every);
      // A tick every 5 s: a poll at a tick was up to 5 s late; a timed one only by the timer's own delay.
      assert.ok(late.every((ms) => ms < 1_000), `the polls came ${late.join(', ')} ms after their slots`);
    } finally {
      await m.queue.obliterate({ force: true }).catch(() => {});
      await m.close();
      await timed.close();
    }
  });
  it('ticks at least twice per poll interval under a minute: at one a minute, a 30 s interval polled every 60 s', async () => {
    env ??= await memoryEnv({ calendars: 1 });
    const prefix = `calhub-test-${randomBytes(4).toString('hex')}`;
    const m = new Maintenance({ connection: redis, prefix, store: env.store, log: env.deps.log, staleRunMs: 600_000, pollIntervalMs: 30_000, requestPull: async () => {} });
    const slow = new Maintenance({ connection: redis, prefix: `${prefix}-slow`, store: env.store, log: env.deps.log, staleRunMs: 600_000, pollIntervalMs: 300_000, requestPull: async () => {} });
    try {
      await m.schedule();
      await slow.schedule();
      assert.equal((await m.queue.getJobSchedulers())[0]?.every, 15_000);
      assert.equal(Number((await slow.queue.getJobSchedulers())[0]?.every), 60_000, 'the default interval keeps a tick a minute');
    } finally {
      await m.queue.obliterate({ force: true });
      await slow.queue.obliterate({ force: true });
      await m.close();
      await slow.close();
    }
  });
});
