/**
 * The ledger keeps no copy of a base that equals the stored rows (migration 0012): these check that
 * the base read back is still the version both sides agreed on, through pulls, local edits and a
 * three-way merge, and that a completed full listing leaves nothing in sync_seen.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { pullCalendar } from './pull.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

const baseColumn = async (e: MemoryEnv, remoteId: string) =>
  (await e.store.db.query<{ base: unknown }>('SELECT base FROM sync_ledger WHERE remote_id = $1', [remoteId]))[0]?.base;

describe('ledger base read from the stored rows', () => {
  it('a pulled object keeps no copy; its base reads back as the rows, and sync_seen is emptied', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const obj = env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'agreed', location: 'Room 1' })]);
    await pullCalendar(env.deps, env.tenantId, cal!, { full: true });
    assert.equal(await baseColumn(env, obj.remoteId), null);
    const [entry] = await env.store.tenant(env.tenantId).ledger.byUid(cal!, obj.events[0]!.uid);
    assert.deepEqual(entry!.base.map((e) => [e.title, e.location]), [['agreed', 'Room 1']]);
    assert.equal(entry!.baseStored, true);
    const seen = await env.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_seen');
    assert.equal(seen[0]!.n, 0);
  });

  it('a local edit pins the agreed base before the rows change, and the merge keeps both edits', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const obj = env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'agreed', location: 'Room 1' })]);
    await settle(env.deps, env.tenantId, [cal!]);
    const t = env.store.tenant(env.tenantId);
    const [row] = await t.events.list(cal!);
    await env.writer.update(env.tenantId, row!.id, { title: 'edited in the hub' });
    const [entry] = await t.ledger.byUid(cal!, row!.event.uid);
    assert.equal(entry!.base[0]!.title, 'agreed', 'the base became the local edit');
    assert.notEqual(await baseColumn(env, obj.remoteId), null);

    // The provider changes another field before the hub's edit is pushed: a three-way merge.
    env.backend.put(env.providerIds[0]!, obj.remoteId, [{ ...obj.events[0]!, location: 'Room 2' }]);
    await pullCalendar(env.deps, env.tenantId, cal!);
    const [merged] = await t.events.list(cal!);
    assert.deepEqual([merged!.event.title, merged!.event.location], ['edited in the hub', 'Room 2']);
    assert.deepEqual((await t.conflicts.list()).map((c) => c.fields), []);
  });

  it('an instance moving to another object keeps the base of the object it left', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const ev = sampleEvent({ title: 'agreed' });
    const a = env.backend.put(env.providerIds[0]!, 'obj-a', [ev]);
    await pullCalendar(env.deps, env.tenantId, cal!);
    // The same UID now arrives under another remote id, before obj-a's deletion is seen.
    env.backend.put(env.providerIds[0]!, 'obj-b', [{ ...ev, title: 'moved' }]);
    const changes = await env.store.db.query<{ remote_id: string }>('SELECT remote_id FROM events');
    assert.deepEqual(changes.map((r) => r.remote_id), ['obj-a']);
    await env.store.tenant(env.tenantId).transaction(async (tx) => {
      await tx.events.applyRemoteChanges(cal!, [{ kind: 'upsert', remoteId: 'obj-b', version: '"x"', events: [{ ...a.events[0]!, title: 'moved' }] }]);
    });
    const [entry] = (await env.store.tenant(env.tenantId).ledger.get(cal!, ['obj-a'])).values();
    assert.equal(entry!.base[0]!.title, 'agreed');
  });
});
