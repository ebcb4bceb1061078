/**
 * A change of access against syncs around it. A pull running when the change commits: it is held
 * between reading its last page and writing it by its `asks` hook (read exactly there), so the
 * order is fixed, not timed. A hub delete made after access came back from freebusy, before the
 * sync that restores the details has run, pulled first or pushed first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent } from '../shared/model/index.ts';
import { claimRun, pullCalendar, pushCalendar, SyncSlotLostError, writeUid } from '../sync-engine/index.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from '../sync-engine/test-support/memory-env.ts';
import { applyAccessChange } from './account-access.ts';

describe('a change of access while a pull is running', () => {
  let env: MemoryEnv;
  before(async () => (env = await memoryEnv({ calendars: 1 })));
  after(() => env.close());
  const t = () => env.store.tenant(env.tenantId);
  const cal = () => env.calendars[0]!;

  it('to freebusy: the pull that read details before it commits neither them nor its cursor', async () => {
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'Therapy', location: 'Clinic' })]);
    const accountId = (await t().calendars.get(cal()))!.accountId;
    const run = (await claimRun(env.store, env.tenantId, cal(), { owner: 'run-before' }))!;
    let reached!: () => void;
    const atLastPage = new Promise<void>((r) => (reached = r));
    let go!: () => void;
    const held = new Promise<void>((r) => (go = r));
    let asked = 0;
    // Read once as the listing starts, once when its last page has arrived and is not yet written.
    const asks = async () => {
      asked += 1;
      if (asked === 2) {
        reached();
        await held;
      }
      return 0;
    };
    const pull = pullCalendar(env.deps, env.tenantId, cal(), { fence: run.fence, asks });
    pull.catch(() => undefined);
    await atLastPage;
    await t().transaction((tx) => applyAccessChange(tx, accountId, 'readwrite', 'freebusy'));
    go();
    await assert.rejects(pull, SyncSlotLostError);
    await run.release(new SyncSlotLostError(cal()));
    assert.deepEqual((await t().events.list(cal())).map((e) => e.event.title), [], 'no details stored after the scrub');
    const after = (await t().calendars.get(cal()))!;
    assert.equal(after.syncCursor, null, 'the next pull is a full listing');
    assert.notEqual(after.syncStage, 'running', 'the slot is free for the run that follows');
    const next = await claimRun(env.store, env.tenantId, cal(), { owner: 'run-after' });
    assert.ok(next, 'and can be taken');
    await next.release();
  });

  for (const first of ['pull', 'push'] as const) {
    it(`a hub delete after access came back from freebusy stands, the restoring ${first} first (modify-wins does not bring it back)`, async () => {
      const remote = env.providerIds[0]!;
      const obj = env.backend.put(remote, null, [sampleEvent({ title: `Lunch (${first})`, location: 'Cafe' })]);
      const accountId = (await t().calendars.get(cal()))!.accountId;
      await pullCalendar(env.deps, env.tenantId, cal());
      assert.equal((await t().sync.settings(cal()))!.deletePolicy, 'modify-wins');
      await t().transaction((tx) => applyAccessChange(tx, accountId, 'readwrite', 'freebusy'));
      await t().transaction((tx) => applyAccessChange(tx, accountId, 'freebusy', 'readwrite'));
      const stored = (await t().events.list(cal())).find((e) => e.remoteId === obj.remoteId)!;
      assert.equal(stored.event.title, null, 'scrubbed: the details are not back yet');
      await env.writer.delete(env.tenantId, stored.id);

      if (first === 'pull') await pullCalendar(env.deps, env.tenantId, cal());
      await pushCalendar(env.deps, env.tenantId, cal(), `run-${first}`);
      await pullCalendar(env.deps, env.tenantId, cal());
      assert.equal(env.backend.get(remote, obj.remoteId), undefined, 'deleted at the provider');
      assert.equal((await t().events.list(cal())).find((e) => e.remoteId === obj.remoteId), undefined, 'and not back in the hub');
      const recreated = await env.store.db.query(`SELECT 1 FROM conflicts WHERE calendar_id = $1 AND outcome = 'recreated'`, [cal()]);
      assert.equal(recreated.length, 0, 'no delete-vs-modify conflict recorded');
    });
  }

  for (const first of ['pull', 'push'] as const) {
    it(`an occurrence the hub deleted after access came back from freebusy stays deleted, the restoring ${first} first`, async () => {
      const remote = env.providerIds[0]!;
      const uid = `series-${first}@test`;
      const at = (d: number, h: number) => ({ dateTime: `2027-02-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
      const master = parseEvent({ uid, title: 'Therapy', location: 'Clinic', start: at(1, 9), end: at(1, 10), recurrence: { rrules: ['FREQ=WEEKLY;COUNT=4'], exdates: [], rdates: [] } });
      const moved = parseEvent({ uid, title: 'Therapy', location: 'Clinic', originalStart: at(8, 9), start: at(8, 11), end: at(8, 12) });
      const obj = env.backend.put(remote, null, [master, moved]);
      const accountId = (await t().calendars.get(cal()))!.accountId;
      await pullCalendar(env.deps, env.tenantId, cal());
      await t().transaction((tx) => applyAccessChange(tx, accountId, 'readwrite', 'freebusy'));
      await t().transaction((tx) => applyAccessChange(tx, accountId, 'freebusy', 'readwrite'));
      const rows = (await t().events.byUid(cal(), uid)).map((r) => r.event);
      assert.equal(rows.length, 2);
      await writeUid(env.deps, env.tenantId, cal(), uid, rows.map((e) => (e.originalStart ? { ...e, status: 'cancelled' as const } : e)));

      if (first === 'pull') await pullCalendar(env.deps, env.tenantId, cal());
      await pushCalendar(env.deps, env.tenantId, cal(), `run-series-${first}`);
      await pullCalendar(env.deps, env.tenantId, cal());
      const there = env.backend.get(remote, obj.remoteId)!.events;
      const instance = there.find((e) => e.originalStart);
      assert.ok(!instance || instance.status === 'cancelled', 'the occurrence is deleted at the provider');
      assert.equal(there.find((e) => !e.originalStart)?.title, 'Therapy', 'the series keeps its details');
      const here = (await t().events.byUid(cal(), uid)).map((r) => r.event);
      assert.ok(here.every((e) => !e.originalStart || e.status === 'cancelled'), 'and in the hub');
    });
  }
});
