import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SyncSlotLostError } from './deps.ts';
import { slotFence } from './fence.ts';
import { pullCalendar } from './pull.ts';
import { pushCalendar } from './push.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

describe('sync slot fencing', () => {
  let env: MemoryEnv;
  before(async () => (env = await memoryEnv({ calendars: 1 })));
  after(() => env.close());
  const t = () => env.store.tenant(env.tenantId);
  const cal = () => env.calendars[0]!;

  it('a run whose slot was reaped and taken over commits nothing, and the new holder does', async () => {
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'from the provider' })]);
    assert.ok(await t().calendars.claimSync(cal(), 'run-a', 600_000));
    await env.store.db.query(`UPDATE calendars SET stage_started_at = now() - interval '1 hour' WHERE id = $1`, [cal()]);
    assert.deepEqual(await env.store.reapStaleSyncs(600_000), [cal()]);
    assert.ok(await t().calendars.claimSync(cal(), 'run-b', 600_000));
    await assert.rejects(pullCalendar(env.deps, env.tenantId, cal(), { fence: slotFence(cal(), 'run-a') }), SyncSlotLostError);
    assert.equal((await t().events.list(cal())).length, 0, 'the stale run wrote nothing');
    assert.equal((await t().calendars.get(cal()))?.syncCursor ?? null, null, 'nor its cursor');
    await pullCalendar(env.deps, env.tenantId, cal(), { fence: slotFence(cal(), 'run-b') });
    assert.equal((await t().events.list(cal())).length, 1);
  });

  it('each commit is a heartbeat: a live run is never reaped however long it runs', async () => {
    await env.store.db.query(`UPDATE calendars SET stage_started_at = now() - interval '1 hour' WHERE id = $1`, [cal()]);
    await env.writer.create(env.tenantId, cal(), sampleEvent({ title: 'from the hub' }));
    await pushCalendar(env.deps, env.tenantId, cal(), 'run-b', slotFence(cal(), 'run-b'));
    assert.deepEqual(await env.store.reapStaleSyncs(600_000), [], 'the commit refreshed the slot');
    await t().calendars.releaseSync(cal(), 'run-b', { ok: true });
    assert.equal((await t().calendars.get(cal()))?.syncStage, 'idle');
  });

  it('a push whose slot is gone leaves its outbox entry for the next run', async () => {
    await env.writer.create(env.tenantId, cal(), sampleEvent({ title: 'pending' }));
    await assert.rejects(pushCalendar(env.deps, env.tenantId, cal(), 'run-c', slotFence(cal(), 'run-c')), SyncSlotLostError);
    const r = await pushCalendar(env.deps, env.tenantId, cal(), 'run-d');
    assert.equal(r.written, 1, 'the next run writes it; the first attempt\'s provider write is adopted, not duplicated');
    const titles = env.backend.list(env.providerIds[0]!).map((o) => o.events[0]!.title).filter((x) => x === 'pending');
    assert.equal(titles.length, 1);
  });
});
