/**
 * A conflict's resolution is made from the event's stored rows. A pull of the provider's later edit
 * between that read and the write (held here right after the read) must not be written over: the
 * resolution merged from the older rows put the provider's old fields back, and the push wrote them
 * over its edit. And of two resolutions of one conflict at once, only one may write.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseEvent, type CanonicalEvent } from '../shared/model/index.ts';
import { Store } from '../shared/store/index.ts';
import { EventRepo } from '../shared/store/events.ts';
import { pullCalendar, settle } from '../sync-engine/index.ts';
import { memoryModelEnv } from '../sync-engine/test-support/model.ts';
import { apiOver } from '../test/support/api-over.ts';
import { resolveConflict } from './index.ts';

let store: Store;
before(async () => {
  store = await Store.open({ dataDir: null });
  await store.migrate();
});
after(() => store.close());

/**
 * An event whose title the hub and the provider both changed, parked as a conflict (the provider's
 * title stands), and whose location the provider then changed again (not pulled yet).
 */
async function parked() {
  const env = await memoryModelEnv(store);
  const cal = env.calendars[0]!;
  const t = store.tenant(env.tenantId);
  const base = parseEvent({
    uid: `talk-${Math.random().toString(36).slice(2, 8)}@test`,
    title: 'Talk',
    location: 'Room 1',
    start: { dateTime: '2027-01-04T09:00:00Z', timeZone: 'UTC' },
    end: { dateTime: '2027-01-04T09:30:00Z', timeZone: 'UTC' },
  });
  const remote = { ...base, title: 'Provider talk' };
  await env.driver.put(0, null, [remote]);
  await settle(env.deps, env.tenantId, [cal]);
  const [object] = await env.driver.list(0);
  await t.conflicts.record(cal, [{ uid: base.uid, remoteId: object!.remoteId, policy: 'manual', fields: [':title'], base: [base], local: [{ ...base, title: 'Hub talk' }], remote: [remote], outcome: 'parked' }]);
  const [conflict] = await t.conflicts.list({ unresolvedOnly: true });
  await env.driver.put(0, object!.remoteId, [{ ...remote, location: 'Provider room' }]);
  const { hub } = await apiOver(env);
  const show = async () => {
    await settle(env.deps, env.tenantId, [cal]);
    const line = (events: CanonicalEvent[]) => events.map((e) => `${e.title} @ ${e.location}`);
    return { provider: line((await env.driver.list(0)).flatMap((o) => o.events)), store: line((await t.events.list(cal)).map((r) => r.event)) };
  };
  return { env, cal, hub, conflict: conflict!, show };
}

/** Runs `meanwhile` once, right after the first read of stored rows that `fn` makes. */
async function afterFirstRead<T>(meanwhile: () => Promise<unknown>, fn: () => Promise<T>): Promise<T> {
  const byUid = EventRepo.prototype.byUid;
  let done = false;
  EventRepo.prototype.byUid = async function (this: EventRepo, ...args: Parameters<typeof byUid>) {
    const rows = await byUid.apply(this, args);
    if (!done) {
      done = true;
      await meanwhile();
    }
    return rows;
  };
  try {
    return await fn();
  } finally {
    EventRepo.prototype.byUid = byUid;
  }
}

describe('a conflict resolution that meets a pull or another resolution', () => {
  it("taking the hub's title keeps the location the provider set meanwhile", async () => {
    const { env, cal, hub, conflict, show } = await parked();
    let pulled = 0;
    const r = await afterFirstRead(
      async () => (pulled = (await pullCalendar(env.deps, env.tenantId, cal)).rewritten),
      () => resolveConflict(hub, env.tenantId, conflict.id, 'local'),
    );
    assert.equal(pulled, 1, "the pull stored the provider's change");
    assert.equal(r.conflict.outcome, 'local');
    assert.deepEqual(await show(), { provider: ['Hub talk @ Provider room'], store: ['Hub talk @ Provider room'] });
  });

  for (const [first, second] of [['local', 'remote'], ['remote', 'local']] as const) {
    it(`resolved as ${second} while a resolution as ${first} was under way: the first is refused and writes nothing`, async () => {
      const { env, hub, conflict, show } = await parked();
      let other: Awaited<ReturnType<typeof resolveConflict>> | undefined;
      await assert.rejects(
        afterFirstRead(
          async () => (other = await resolveConflict(hub, env.tenantId, conflict.id, second)),
          () => resolveConflict(hub, env.tenantId, conflict.id, first),
        ),
        (e) => (e as { code?: string }).code === 'CONFLICT_ALREADY_RESOLVED' && /already resolved \(/.test((e as Error).message),
      );
      assert.equal(other?.conflict.outcome, second);
      const title = second === 'local' ? 'Hub talk' : 'Provider talk';
      assert.equal((await hub.store.tenant(env.tenantId).conflicts.get(conflict.id))?.outcome, second);
      const s = await show();
      assert.deepEqual(s.provider.map((l) => l.split(' @ ')[0]), [title]);
      assert.deepEqual(s.store.map((l) => l.split(' @ ')[0]), [title]);
    });
  }
});
