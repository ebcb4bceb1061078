import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { quarantineSummary, REFUSALS_BEFORE_PARKING, refusedWrites } from '../shared/store/index.ts';
import { planCalendarSync } from './dry-run.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

// Issue 18: one bad item used to fail its whole calendar with STORE_FAILED (retried forever).
describe('per-item quarantine on pull', () => {
  it('a NUL byte, a lone surrogate and a UID shared by two objects quarantine those items; the rest syncs', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const pid = env.providerIds[0]!;
    env.backend.put(pid, null, [sampleEvent({ title: 'good one' })]);
    const nul = env.backend.put(pid, null, [sampleEvent({ title: 'bad\u0000title' })]);
    const lone = env.backend.put(pid, null, [sampleEvent({ location: 'room \ud800' })]);
    const twin = sampleEvent({ title: 'twin A' });
    const first = env.backend.put(pid, null, [twin]);
    const second = env.backend.put(pid, null, [{ ...twin, title: 'twin B' }]);
    env.backend.put(pid, null, [sampleEvent({ title: 'good two' })]);
    const badId = env.backend.put(pid, 'obj-\u0000-1', [sampleEvent({ title: 'bad id' })]);
    const doubled = sampleEvent({ title: 'doubled' });
    const twice = env.backend.put(pid, null, [doubled, { ...doubled, title: 'doubled again' }]);

    const r = await settle(env.deps, env.tenantId, [cal!]);
    assert.equal(r.failures.size, 0);
    const t = env.store.tenant(env.tenantId);
    const titles = (await t.events.list(cal!)).map((e) => e.event.title ?? '').sort();
    // The listing is ordered by (random) remote id: the twin met first keeps the UID, the other is set aside.
    const kept = titles.find((x) => x.startsWith('twin'));
    assert.deepEqual(titles, ['good one', 'good two', kept]);
    const [keeper, setAside] = kept === 'twin A' ? [first, second] : [second, first];
    const q = await t.events.quarantined(cal!);
    const byId = new Map(q.map((x) => [x.remoteId, x.error]));
    assert.match(byId.get(nul.remoteId) ?? '', /NUL/);
    assert.match(byId.get(lone.remoteId) ?? '', /surrogate/);
    assert.match(byId.get(setAside.remoteId) ?? '', new RegExp(`UID .* also used by ${keeper.remoteId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.equal(byId.has(keeper.remoteId), false);
    assert.match(byId.get(badId.remoteId.replace('\u0000', '\uFFFD')) ?? '', /remote id contains a NUL/);
    assert.match(byId.get(twice.remoteId) ?? '', /same instance twice/);
    // The quarantine's raw copy is storable text: the bad characters are replaced, not kept.
    for (const x of q) assert.doesNotMatch(x.raw ?? '', /\u0000/);

    // The calendar's health names the quarantined items (hub/calendar-health.ts words it).
    const [summary] = await quarantineSummary(env.store.db, [cal!], 10);
    assert.equal(summary?.count, 5);
    assert.ok(summary?.items.some((i) => i.remoteId === nul.remoteId && /NUL/.test(i.error)));

    // Fixed at the provider: the item heals on the next pull.
    env.backend.put(pid, nul.remoteId, [{ ...nul.events[0]!, title: 'fixed' }]);
    await settle(env.deps, env.tenantId, [cal!]);
    assert.ok((await t.events.list(cal!)).some((e) => e.event.title === 'fixed'));
    assert.equal((await t.events.quarantined(cal!)).some((x) => x.remoteId === nul.remoteId), false);
  });

  it('two objects sharing a UID on different pages of one listing: the later one is quarantined and named', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const pid = env.providerIds[0]!;
    // The memory listing is ordered by remote id, 25 per page: 'a-…' on the first page, 'z-…' on the second.
    const twin = sampleEvent({ title: 'twin A' });
    env.backend.put(pid, 'a-first', [twin]);
    for (let i = 0; i < 30; i++) env.backend.put(pid, `m-${String(i).padStart(2, '0')}`, [sampleEvent()]);
    env.backend.put(pid, 'z-second', [{ ...twin, title: 'twin B' }]);
    const r = await settle(env.deps, env.tenantId, [cal!]);
    assert.equal(r.failures.size, 0);
    const t = env.store.tenant(env.tenantId);
    const rows = await t.events.byUid(cal!, twin.uid);
    // It used to be 'twin B' from 'z-second', the first object's row silently replaced.
    assert.deepEqual(rows.map((x) => [x.remoteId, x.event.title]), [['a-first', 'twin A']]);
    const q = await t.events.quarantined(cal!);
    assert.deepEqual(q.map((x) => x.remoteId), ['z-second']);
    assert.match(q[0]!.error, /UID .* is also used by a-first/);
    const [summary] = await quarantineSummary(env.store.db, [cal!], 10);
    assert.ok(summary?.items.some((i) => i.remoteId === 'z-second'), 'the calendar health names the item');
    assert.equal((await t.events.list(cal!)).length, 31);

    // A move between remote ids within one run (delete, then the same UID elsewhere) is no clash.
    env.backend.delete(pid, 'a-first');
    env.backend.put(pid, 'b-moved', [{ ...twin, title: 'moved' }]);
    await settle(env.deps, env.tenantId, [cal!]);
    assert.deepEqual((await t.events.byUid(cal!, twin.uid)).map((x) => [x.remoteId, x.event.title]), [['b-moved', 'moved']]);
  });

  it('a dry run sets aside the object the pull would set aside: a second object with the UID of an unchanged one', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const pid = env.providerIds[0]!;
    const twin = sampleEvent({ title: 'twin A' });
    env.backend.put(pid, 'a-first', [twin]);
    await settle(env.deps, env.tenantId, [cal!]);
    // The incremental listing returns only the newcomer; the store's holder is still at the provider.
    env.backend.put(pid, 'z-second', [{ ...twin, title: 'twin B' }]);
    const plan = await planCalendarSync(env.deps, env.tenantId, cal!);
    // It was planned as an update of 'twin A' to 'twin B', which the pull then refused.
    assert.deepEqual(plan.pull.map((i) => [i.op, i.remoteId]), [['quarantine', 'z-second']]);
    assert.match(plan.pull[0]!.detail ?? '', /also used by a-first/);
    await settle(env.deps, env.tenantId, [cal!]);
    const t = env.store.tenant(env.tenantId);
    assert.deepEqual((await t.events.byUid(cal!, twin.uid)).map((x) => x.event.title), ['twin A']);
    assert.deepEqual((await t.events.quarantined(cal!)).map((x) => x.remoteId), ['z-second']);
  });

  it('an item the provider refuses on write is parked after 3 refusals and named; the others are written', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const pid = env.providerIds[0]!;
    let refusals = 0;
    env.backend.refuse = (events) => (events.some((e) => e.title === 'refused') ? (refusals++, 'invalid calendar data') : null);
    const bad = await env.writer.create(env.tenantId, cal!, sampleEvent({ title: 'refused' }));
    await env.writer.create(env.tenantId, cal!, sampleEvent({ title: 'accepted' }));
    for (let i = 0; i < 6; i++) {
      const r = await settle(env.deps, env.tenantId, [cal!]);
      assert.equal(r.failures.size, 0);
    }
    assert.deepEqual(env.backend.list(pid).flatMap((o) => o.events.map((e) => e.title)), ['accepted']);
    // Parked: offered exactly REFUSALS_BEFORE_PARKING times, however often the calendar syncs (it was retried forever).
    assert.equal(refusals, REFUSALS_BEFORE_PARKING);
    const [refused] = await refusedWrites(env.store.db, [cal!]);
    assert.deepEqual(refused?.items.map((i) => [i.uid, i.parked]), [[bad.event.uid, true]]);
    assert.match(refused?.items[0]?.error ?? '', /refused the calendar data \(invalid calendar data\)/);
    assert.equal(await env.store.tenant(env.tenantId).outbox.any(cal!), false, 'nothing left to push: no push job is asked for');
    // Changing the item again un-parks it.
    env.backend.refuse = null;
    await env.writer.update(env.tenantId, bad.id, { title: 'now fine' });
    await settle(env.deps, env.tenantId, [cal!]);
    assert.deepEqual(env.backend.list(pid).flatMap((o) => o.events.map((e) => e.title)).sort(), ['accepted', 'now fine']);
    assert.deepEqual(await refusedWrites(env.store.db, [cal!]), []);
  });

  it('a failure that is not about the content (a permission) is tried again, never parked', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const pid = env.providerIds[0]!;
    await env.writer.create(env.tenantId, cal!, sampleEvent({ title: 'later' }));
    env.backend.calendars.get(pid)!.readOnly = true;
    for (let i = 0; i < 4; i++) await settle(env.deps, env.tenantId, [cal!]);
    const [refused] = await refusedWrites(env.store.db, [cal!]);
    assert.deepEqual(refused?.items.map((i) => i.parked), [false]);
    env.backend.calendars.get(pid)!.readOnly = false;
    await settle(env.deps, env.tenantId, [cal!]);
    assert.deepEqual(env.backend.list(pid).flatMap((o) => o.events.map((e) => e.title)), ['later']);
  });
});
