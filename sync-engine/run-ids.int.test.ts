/**
 * Run ids outlive Redis: BullMQ's job ids start at 1 again once Redis loses its data, and a run id
 * taken from the job id named an old run and a new one at once; `calhub runs revert` of the old
 * run then undid the new, unrelated write too (an API-created event deleted).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { SyncEngine } from './engine.ts';
import { revertRun } from './revert.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';
import { EventWriterService } from './writer.ts';

const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const prefix = `calhub-runids-${randomBytes(4).toString('hex')}`;

/** Redis "loses its data": only this test's keys, never the shared database's others. */
async function dropOwnKeys(): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

const until = async (what: string, cond: () => Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('run ids', () => {
  let env: MemoryEnv;
  after(async () => {
    await dropOwnKeys();
    redis.disconnect();
    await env?.close();
  });

  it('a run after Redis lost its data gets an id of its own, and reverting the old run leaves the new run\'s write alone', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const t = env.store.tenant(env.tenantId);
    let writes = 0;
    const pushRun = async (title: string): Promise<string> => {
      const engine = new SyncEngine({ connection: redis, prefix, deps: env.deps });
      try {
        engine.startWorker(1);
        await new EventWriterService(engine.deps).create(env.tenantId, cal!, sampleEvent({ title }));
        writes += 1;
        await until(`the push of '${title}' is journalled`, async () => (await t.journal.runs()).reduce((n, r) => n + r.writes, 0) === writes);
        // Newest first: the run that wrote this event.
        return (await t.journal.runs())[0]!.runId;
      } finally {
        await engine.close();
      }
    };
    const before = await pushRun('old run');
    await dropOwnKeys();
    const after = await pushRun('new run, unrelated');
    assert.notEqual(after, before, 'the new run reused the old run\'s id');
    assert.equal((await t.journal.ofRun(before)).length, 1);

    assert.equal((await revertRun(env.deps, env.tenantId, before)).queued.length, 1, 'reverting the old run touches its own write only');
    const titles = (await t.events.list(cal!)).map((e) => e.event.title);
    assert.deepEqual(titles, ['new run, unrelated']);
  });
});
