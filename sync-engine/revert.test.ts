/**
 * A revert undoes only what the run wrote, where it still stands (revert.ts): per field, a run's
 * new event, a run's deletion; what it leaves is reported, and a second revert queues nothing.
 * test/integration/runs-revert.int.test.ts runs the user's report against Radicale and Google.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { revertRun } from './revert.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

async function setUp(events: Array<Parameters<typeof sampleEvent>[0]>) {
  env = await memoryEnv({ calendars: 1 });
  const cal = env.calendars[0]!;
  const pid = env.providerIds[0]!;
  const t = env.store.tenant(env.tenantId);
  for (const e of events) env.backend.put(pid, null, [sampleEvent(e)]);
  await settle(env.deps, env.tenantId, [cal]);
  const row = async (title: string) => (await t.events.list(cal)).find((r) => r.event.title === title)!;
  const provider = () => env.backend.list(pid).flatMap((o) => o.events).map((e) => `${e.title} @ ${e.location ?? ''}`).sort();
  return { cal, pid, t, row, provider, sync: () => settle(env.deps, env.tenantId, [cal]) };
}

describe('reverting a run', () => {
  it('puts back each field the run changed that still holds its value, and reports the ones changed since', async () => {
    const s = await setUp([{ title: 'standup', location: 'Room 1' }]);
    await env.writer.update(env.tenantId, (await s.row('standup')).id, { title: 'BAD', location: 'Nowhere' });
    await settle(env.deps, env.tenantId, [s.cal], { runId: 'run-bad' });
    await env.writer.update(env.tenantId, (await s.row('BAD')).id, { location: 'Room 7' });
    await s.sync();

    const r = await revertRun(env.deps, env.tenantId, 'run-bad');
    assert.deepEqual(r.queued.map((q) => [q.action, q.fields]), [['update', ['title']]]);
    assert.deepEqual(r.skipped.map((q) => [q.title, q.reason, q.fields]), [['BAD', 'changed-since', ['location']]]);
    await s.sync();
    assert.deepEqual(s.provider(), ['standup @ Room 7']);

    const again = await revertRun(env.deps, env.tenantId, 'run-bad');
    assert.deepEqual(again.queued, [], 'nothing left to undo');
    assert.deepEqual(again.skipped.map((q) => q.fields), [['location']], 'the field changed since is still reported');
  });

  it('recreates an event the run deleted, once; not one that exists again since', async () => {
    const s = await setUp([{ title: 'keep' }, { title: 'back again' }]);
    await env.writer.delete(env.tenantId, (await s.row('keep')).id);
    const again = (await s.row('back again')).event;
    await env.writer.delete(env.tenantId, (await s.row('back again')).id);
    await settle(env.deps, env.tenantId, [s.cal], { runId: 'run-bad' });
    assert.deepEqual(s.provider(), []);
    // Someone makes the second one again, with the same UID, at the provider.
    env.backend.put(s.pid, null, [{ ...again, title: 'back again (made again)', providerEventId: null }]);
    await s.sync();

    const r = await revertRun(env.deps, env.tenantId, 'run-bad');
    assert.deepEqual(r.queued.map((q) => `${q.action} ${q.title}`), ['recreate keep']);
    assert.deepEqual(r.skipped.map((q) => `${q.reason} ${q.title}`), ['recreated-since back again (made again)']);
    await s.sync();
    assert.deepEqual(s.provider(), ['back again (made again) @ ', 'keep @ ']);

    const second = await revertRun(env.deps, env.tenantId, 'run-bad');
    assert.deepEqual(second.queued, []);
    assert.equal(second.alreadyUndone, 1);
    assert.equal((await s.sync()).written, 0);
  });

  it("deletes the run's new event only while it is unchanged", async () => {
    const s = await setUp([]);
    await env.writer.create(env.tenantId, s.cal, sampleEvent({ title: 'new, untouched' }));
    await env.writer.create(env.tenantId, s.cal, sampleEvent({ title: 'new, then edited' }));
    await settle(env.deps, env.tenantId, [s.cal], { runId: 'run-bad' });
    const [object] = env.backend.list(s.pid).filter((o) => o.events[0]!.title === 'new, then edited');
    env.backend.put(s.pid, object!.remoteId, [{ ...object!.events[0]!, location: 'Room 3' }]);
    await s.sync();

    const r = await revertRun(env.deps, env.tenantId, 'run-bad');
    assert.deepEqual(r.queued.map((q) => `${q.action} ${q.title}`), ['delete new, untouched']);
    assert.deepEqual(r.skipped.map((q) => `${q.reason} ${q.fields.join(',')} ${q.title}`), ['changed-since location new, then edited']);
    await s.sync();
    assert.deepEqual(s.provider(), ['new, then edited @ Room 3']);
  });

  it('moves an event back only while neither its start nor its end changed since', async () => {
    const at = (h: number) => ({ dateTime: `2026-12-10T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
    const s = await setUp([{ title: 'moved', start: at(9), end: at(10) }, { title: 'moved, then longer', start: at(11), end: at(12) }]);
    await env.writer.update(env.tenantId, (await s.row('moved')).id, { start: at(13), end: at(14) });
    await env.writer.update(env.tenantId, (await s.row('moved, then longer')).id, { start: at(15), end: at(16) });
    await settle(env.deps, env.tenantId, [s.cal], { runId: 'run-bad' });
    await env.writer.update(env.tenantId, (await s.row('moved, then longer')).id, { end: at(17) });
    await s.sync();

    const r = await revertRun(env.deps, env.tenantId, 'run-bad');
    assert.deepEqual(r.queued.map((q) => `${q.title}: ${q.fields.join(',')}`), ['moved: start,end']);
    // Only the end changed since: it alone is named (both were); the run's start stays with it.
    assert.deepEqual(r.skipped.map((q) => [q.title, q.reason, q.fields, q.keptWith]), [['moved, then longer', 'changed-since', ['end'], ['start']]]);
    await s.sync();
    const spans = env.backend.list(s.pid).flatMap((o) => o.events).map((e) => `${e.title} ${'dateTime' in e.start ? e.start.dateTime : ''}-${'dateTime' in e.end ? e.end.dateTime : ''}`).sort();
    assert.deepEqual(spans.map((x) => x.replace(/2026-12-10T|:00:00(\.000)?Z/g, '')), ['moved 09-10', 'moved, then longer 15-17']);
  });
  it('leaves an event whose item at the provider is quarantined, says so, and reverts the rest', async () => {
    const s = await setUp([{ title: 'standup' }, { title: 'retro' }]);
    for (const title of ['standup', 'retro']) await env.writer.update(env.tenantId, (await s.row(title)).id, { title: `${title} BAD` });
    await settle(env.deps, env.tenantId, [s.cal], { runId: 'run-bad' });
    // Another client leaves the first item unreadable (a NUL character: unstorable).
    const object = env.backend.list(s.pid).find((o) => o.events[0]!.title === 'standup BAD')!;
    env.backend.put(s.pid, object.remoteId, [{ ...object.events[0]!, description: 'x\u0000' }]);
    await s.sync();

    const r = await revertRun(env.deps, env.tenantId, 'run-bad');
    assert.deepEqual(r.queued.map((q) => [q.title, q.fields]), [['retro BAD', ['title']]]);
    assert.deepEqual(r.skipped.map((q) => [q.title, q.reason, q.fields]), [['standup BAD', 'quarantined', ['title']]]);
    await s.sync();
    assert.deepEqual(env.backend.list(s.pid).flatMap((o) => o.events).map((e) => e.title).sort(), ['retro', 'standup BAD']);
  });
});
