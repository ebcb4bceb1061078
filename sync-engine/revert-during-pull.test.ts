/**
 * A run's revert plans each UID from its stored rows (a field goes back only where it still holds
 * what the run wrote), so a pull of a provider change between that read and the revert's write
 * (held here right after the read) must not be written over: the write checks the rows are still
 * the ones it read and plans again from what the pull stored. The result is the same as the
 * revert made after the pull: the run's title goes back, the provider's new location stays, and an
 * object deleted at the provider after the run is not made again.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { CanonicalEvent } from '../shared/model/index.ts';
import { EventRepo } from '../shared/store/events.ts';
import { pullCalendar } from './pull.ts';
import { revertRun } from './revert.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

/**
 * A bad run's edit of one event, which the provider then changes (`change`: a new location, or the
 * object deleted); the run is reverted with the pull of that change right after the revert's read
 * (`race`) or before the revert. Returns what the provider and the store hold once synced.
 */
async function revertAfter(change: 'edit' | 'delete', race: boolean) {
  env = await memoryEnv({ calendars: 1 });
  const [cal] = env.calendars;
  const pid = env.providerIds[0]!;
  const t = env.store.tenant(env.tenantId);
  env.backend.put(pid, null, [sampleEvent({ title: 'original', location: 'Room 1' })]);
  await settle(env.deps, env.tenantId, [cal!]);
  const [row] = await t.events.list(cal!);
  await env.writer.update(env.tenantId, row!.id, { title: 'bad bulk edit' });
  await settle(env.deps, env.tenantId, [cal!], { runId: 'run-bad' });
  const [object] = env.backend.list(pid);
  if (change === 'edit') env.backend.put(pid, object!.remoteId, [{ ...object!.events[0]!, location: 'Provider room' }]);
  else env.backend.delete(pid, object!.remoteId);
  const pull = async () => {
    const r = await pullCalendar(env.deps, env.tenantId, cal!);
    assert.equal(change === 'edit' ? r.rewritten : r.deleted, 1, "the pull stored the provider's change");
  };
  if (race) {
    const byUid = EventRepo.prototype.byUid;
    EventRepo.prototype.byUid = async function (this: EventRepo, ...args: Parameters<typeof byUid>) {
      EventRepo.prototype.byUid = byUid;
      const rows = await byUid.apply(this, args);
      await pull();
      return rows;
    };
    try {
      await revertRun(env.deps, env.tenantId, 'run-bad');
    } finally {
      EventRepo.prototype.byUid = byUid;
    }
  } else {
    await pull();
    await revertRun(env.deps, env.tenantId, 'run-bad');
  }
  await settle(env.deps, env.tenantId, [cal!]);
  const show = (events: Array<Pick<CanonicalEvent, 'title' | 'location'>>) => events.map((e) => `${e.title} @ ${e.location}`);
  return {
    provider: show(env.backend.list(pid).flatMap((o) => o.events)),
    store: show((await t.events.list(cal!)).map((r) => r.event)),
    objects: env.backend.list(pid).length,
  };
}

describe('a revert that meets a pull of the same UID', () => {
  for (const change of ['edit', 'delete'] as const) {
    it(`a provider ${change} pulled between the revert's read and write: the same as the revert after the pull`, async () => {
      const after = await revertAfter(change, false);
      await env.close();
      const during = await revertAfter(change, true);
      assert.deepEqual(during, after);
      const want = change === 'edit' ? ['original @ Provider room'] : [];
      assert.deepEqual(during, { provider: want, store: want, objects: want.length });
    });
  }
});
