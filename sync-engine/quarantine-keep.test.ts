/**
 * A synced item that becomes unreadable keeps its event: the hub holds its last good copy under the
 * same id (busy time and mirror copies stay, no event.deleted) while the item is quarantined, and
 * refuses writes over it. Readable again, the same event is updated in place; deleted at the
 * provider, it is deleted. An item never readable has no copy to keep. (Memory provider: an item
 * with a NUL character in its title is unstorable, so quarantined as any unreadable item is.)
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Hub } from '../hub/index.ts';
import { listPendingWrites } from '../hub/pending-writes.ts';
import type { CanonicalEvent } from '../shared/model/index.ts';
import { planCalendarSync } from './dry-run.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

const broken = (e: CanonicalEvent): CanonicalEvent => ({ ...e, title: `${e.title}\u0000` });

async function setUp(calendars = 1) {
  env = await memoryEnv({ calendars });
  const t = env.store.tenant(env.tenantId);
  await t.webhooks.create({ url: 'https://example.com/h', eventTypes: ['*'], encryptedSecret: 'x' });
  const sync = async () => {
    const r = await settle(env.deps, env.tenantId, env.calendars, { isolate: true });
    assert.equal(r.failures.size, 0, [...r.failures.values()].map(String).join());
  };
  /** The event webhook rows written since the last call, as `op id`. */
  const messages = async () => {
    const rows = await env.store.db.query<{ op: string; subject_id: string }>("SELECT op, subject_id FROM webhook_outbox WHERE kind = 'event' ORDER BY seq");
    await env.store.db.query('DELETE FROM webhook_outbox');
    return rows.map((r) => `${r.op} ${r.subject_id}`);
  };
  return { t, sync, messages, cal: env.calendars[0]!, pid: env.providerIds[0]! };
}

describe('a quarantined item keeps its event', () => {
  it('keeps the last good copy under its id, refuses writes, heals in place, and is deleted with its item', async () => {
    const { t, sync, messages, cal, pid } = await setUp();
    const ev = sampleEvent({ title: 'Review' });
    const { remoteId } = env.backend.put(pid, null, [ev]);
    await sync();
    const [was] = await t.events.byUid(cal, ev.uid);
    const busy = await t.events.rowBusy(cal, ev.uid);
    assert.equal(busy.length, 1);
    await messages();

    env.backend.put(pid, remoteId, [broken(ev)]);
    const dry = await planCalendarSync(env.deps, env.tenantId, cal);
    assert.deepEqual(dry.pull.map((i) => [i.op, i.remoteId, i.uid, i.title]), [['quarantine', remoteId, ev.uid, 'Review']]);
    assert.match(dry.pull[0]!.detail ?? '', /NUL.*; the hub keeps its last good copy$/);
    await sync();
    const kept = await t.events.byUid(cal, ev.uid);
    assert.deepEqual(kept.map((r) => [r.id, r.contentHash, r.event.title]), [[was!.id, was!.contentHash, 'Review']], 'the last good copy stays as it was');
    assert.deepEqual(await t.events.rowBusy(cal, ev.uid), busy, 'its busy time stays');
    assert.deepEqual(await messages(), [], 'no event.deleted');
    assert.deepEqual((await t.events.quarantined(cal)).map((q) => q.remoteId), [remoteId]);
    assert.deepEqual([...(await t.events.unreadable(cal))], [remoteId]);

    // Nothing is written over an item calhub could not read.
    await assert.rejects(env.writer.update(env.tenantId, was!.id, { title: 'mine' }), (e: Error & { code?: string }) => e.code === 'EVENT_QUARANTINED' && /quarantined/.test(e.message));
    await assert.rejects(env.writer.delete(env.tenantId, was!.id), { code: 'EVENT_QUARANTINED' });
    // A second run over the same unreadable item changes nothing.
    await sync();
    assert.deepEqual((await t.events.byUid(cal, ev.uid)).map((r) => r.id), [was!.id]);
    assert.deepEqual(await messages(), []);

    env.backend.put(pid, remoteId, [{ ...ev, title: 'Review (room 2)' }]);
    await sync();
    assert.deepEqual((await t.events.byUid(cal, ev.uid)).map((r) => [r.id, r.event.title]), [[was!.id, 'Review (room 2)']], 'healed in place');
    assert.deepEqual(await messages(), [`updated ${was!.id}`]);
    assert.deepEqual(await t.events.quarantined(cal), []);
    await env.writer.update(env.tenantId, was!.id, { location: 'Room 2' });
    await sync();
    assert.equal(env.backend.list(pid).find((o) => o.remoteId === remoteId)?.events[0]?.location, 'Room 2', 'writable again');
    await messages();

    env.backend.put(pid, remoteId, [broken(ev)]);
    await sync();
    env.backend.delete(pid, remoteId);
    await sync();
    assert.deepEqual(await t.events.byUid(cal, ev.uid), [], 'deleted at the provider while quarantined: deleted');
    assert.deepEqual(await messages(), [`deleted ${was!.id}`]);
    assert.deepEqual(await t.events.quarantined(cal), []);
  });

  it('put back exactly as it was: the same event, no webhook; never readable: quarantined with no event', async () => {
    const { t, sync, messages, cal, pid } = await setUp();
    const ev = sampleEvent({ title: 'Standup' });
    const { remoteId } = env.backend.put(pid, null, [ev]);
    await sync();
    const [was] = await t.events.byUid(cal, ev.uid);
    await messages();
    env.backend.put(pid, remoteId, [broken(ev)]);
    await sync();
    env.backend.put(pid, remoteId, [ev]);
    await sync();
    assert.deepEqual((await t.events.byUid(cal, ev.uid)).map((r) => [r.id, r.contentHash]), [[was!.id, was!.contentHash]]);
    assert.deepEqual(await messages(), [], 'nothing changed: no event.updated');
    assert.deepEqual(await t.events.quarantined(cal), []);

    const bad = sampleEvent({ title: 'born broken' });
    const fresh = env.backend.put(pid, null, [broken(bad)]);
    await sync();
    assert.deepEqual(await t.events.byUid(cal, bad.uid), []);
    assert.deepEqual((await t.events.quarantined(cal)).map((q) => q.remoteId), [fresh.remoteId]);
    assert.deepEqual(await messages(), []);
  });

  it('a local change queued before the item became unreadable waits, and is merged with the item once it heals', async () => {
    const { t, sync, cal, pid } = await setUp();
    const ev = sampleEvent({ title: 'Planning' });
    const { remoteId } = env.backend.put(pid, null, [ev]);
    await sync();
    const [was] = await t.events.byUid(cal, ev.uid);
    await env.writer.update(env.tenantId, was!.id, { title: 'Planning (hub)' });
    env.backend.put(pid, remoteId, [broken(ev)]);
    await sync();
    const atProvider = () => env.backend.list(pid).find((o) => o.remoteId === remoteId)!.events[0]!;
    assert.equal(atProvider().title, broken(ev).title, 'the unreadable item was not written over');
    assert.equal(await t.outbox.any(cal), true, 'the change waits in the outbox');
    const [waiting] = await listPendingWrites({ store: env.store } as Hub, env.tenantId, cal);
    assert.deepEqual([waiting?.state, waiting?.message], ['pending', `waits: its item at the provider (${remoteId}) is quarantined; merged and written once it is readable again`]);
    const plan = await planCalendarSync(env.deps, env.tenantId, cal);
    assert.deepEqual(plan.pull, []);
    assert.deepEqual(plan.push.map((i) => [i.op, i.remoteId, i.detail]), [['quarantine', remoteId, 'waits: its item at the provider is quarantined; nothing is written over it']], 'a dry run says the change waits');

    env.backend.put(pid, remoteId, [{ ...ev, location: 'Room 7' }]);
    await sync();
    assert.deepEqual([atProvider().title, atProvider().location], ['Planning (hub)', 'Room 7'], 'merged and written once readable');
    assert.deepEqual((await t.events.byUid(cal, ev.uid)).map((r) => [r.id, r.event.title, r.event.location]), [[was!.id, 'Planning (hub)', 'Room 7']]);
    assert.equal(await t.outbox.any(cal), false);
  });

  it("a mirror copy of a quarantined source stays; a copy whose own item is unreadable is calhub's to write over", async () => {
    const { t, sync, cal: a, pid } = await setUp(2);
    const b = env.calendars[1]!;
    await t.mirror.create(a, b, { mode: 'full-copy' });
    const ev = sampleEvent({ title: 'Offsite' });
    const { remoteId } = env.backend.put(pid, null, [ev]);
    await sync();
    const copies = () => env.backend.list(env.providerIds[1]!).flatMap((o) => o.events.map((e) => e.title));
    assert.deepEqual(copies(), ['Offsite']);
    env.backend.put(pid, remoteId, [broken(ev)]);
    await sync();
    assert.deepEqual(copies(), ['Offsite'], 'the copy stays while its source is quarantined');
    assert.equal((await t.events.list(b)).length, 1);

    // Another client breaks the copy itself: the source's next change is written over it.
    const copy = env.backend.list(env.providerIds[1]!)[0]!;
    env.backend.put(env.providerIds[1]!, copy.remoteId, copy.events.map(broken));
    await sync();
    env.backend.put(pid, remoteId, [{ ...ev, title: 'Offsite (Friday)' }]);
    await sync();
    assert.deepEqual(copies(), ['Offsite (Friday)']);
    assert.deepEqual(await t.events.quarantined(b), []);
  });
});
