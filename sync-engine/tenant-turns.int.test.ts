/** Tenant turns on a real Redis: the priorities the queue's jobs get. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { TenantTurns } from './tenant-turns.ts';

const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const prefix = `calhub-test-turns-${randomBytes(4).toString('hex')}`;
after(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('tenant turns', () => {
  it("every tenant's first pending job comes before any tenant's second; a key added twice keeps its place", async () => {
    const turns = new TenantTurns(redis, prefix);
    const busy = await Promise.all(Array.from({ length: 5 }, (_, i) => turns.enter('busy', `pull-${i}`)));
    assert.deepEqual(busy, [1, 2, 3, 4, 5]);
    assert.equal(await turns.enter('quiet', 'pull-q'), 1);
    assert.equal(await turns.enter('busy', 'pull-2'), 3);
  });

  it("a job queued after its tenant's line got shorter still goes behind the tenant's older jobs", async () => {
    // On a saturated worker: ten calendars of a tenant wait; five are served and come back as
    // re-polls. The waiting five (say, new accounts' first syncs) must not be overtaken by them.
    const turns = new TenantTurns(redis, prefix);
    const first = [];
    for (let i = 0; i < 10; i++) first.push(await turns.enter('t', `pull-${i}`));
    for (let i = 0; i < 5; i++) await turns.leave('t', `pull-${i}`);
    const again = [];
    for (let i = 0; i < 5; i++) again.push(await turns.enter('t', `pull-${i}`));
    assert.ok(Math.min(...again) > Math.max(...first.slice(5)), `re-polls ${again.join(',')} went ahead of waiting jobs ${first.slice(5).join(',')}`);
  });

  it('a tenant whose line emptied starts again at the front', async () => {
    const turns = new TenantTurns(redis, prefix);
    for (let i = 0; i < 3; i++) await turns.enter('u', `pull-${i}`);
    for (let i = 0; i < 3; i++) await turns.leave('u', `pull-${i}`);
    assert.equal(await turns.enter('u', 'pull-9'), 1);
  });

  it('an entry older than the ttl (its job lost) ages out', async () => {
    const turns = new TenantTurns(redis, prefix, 50);
    await turns.enter('v', 'lost');
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(await turns.enter('v', 'next'), 1);
  });
});

describe('tenant turns against the clock', () => {
  it("a tenant arriving with a backlog does not queue ahead of a tenant whose line has been busy for long", async () => {
    // Tenant a keeps five jobs pending for a thousand jobs in a row: its places climb past 1,000.
    const turns = new TenantTurns(redis, `${prefix}-clock`);
    const places: number[] = [];
    for (let i = 0; i < 1000; i++) {
      places.push(await turns.enter('ten_a', `pull-${i}`));
      if (i >= 5) {
        await turns.started(places[i - 5]);
        await turns.leave('ten_a', `pull-${i - 5}`);
      }
    }
    const aHead = places[995]!;
    assert.ok(aHead > 900, `a's places climbed (${aHead})`);
    const b = [];
    for (let i = 0; i < 50; i++) b.push(await turns.enter('ten_b', `pull-${i}`));
    // b's first job goes one place behind the running one, beside a's head; its backlog after it.
    assert.ok(b[0]! >= aHead && b[0]! <= aHead + 1, `b's first place ${b[0]} against a's head ${aHead}`);
    assert.ok(b[1]! > aHead, `b's second job (${b[1]}) goes after a's head (${aHead})`);
  });

  it('the clock starts again when nothing is pending', async () => {
    const turns = new TenantTurns(redis, `${prefix}-reset`);
    for (let i = 0; i < 20; i++) {
      const p = await turns.enter('ten_c', `pull-${i}`);
      await turns.started(p);
      await turns.leave('ten_c', `pull-${i}`);
    }
    await turns.enter('ten_c', 'x');
    await turns.started(await turns.enter('ten_d', 'y'));
    assert.equal(await turns.enter('ten_d', 'z'), 2, 'the clock counts while jobs are pending');
    for (const [t, k] of [['ten_c', 'x'], ['ten_d', 'y'], ['ten_d', 'z']] as const) await turns.leave(t, k);
    assert.equal(await turns.enter('ten_e', 'w'), 1);
  });

  it('a job sent to the back goes after the clock too', async () => {
    const turns = new TenantTurns(redis, `${prefix}-back`);
    const first = await turns.enter('ten_f', 'slow');
    for (let i = 0; i < 10; i++) await turns.started(await turns.enter('ten_g', `pull-${i}`));
    assert.ok((await turns.toBack('ten_f', 'slow')) > 10, 'behind the jobs started since');
    assert.equal(first, 1);
  });
});
