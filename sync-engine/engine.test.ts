import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createMetrics } from '../shared/metrics.ts';
import type { CanonicalEvent } from '../shared/model/index.ts';
import { OutboxRepo } from '../shared/store/sync-repo.ts';
import { MassChangeError } from './deps.ts';
import { DEFAULT_GUARD } from './guard.ts';
import { reconcileRule, deleteRule } from './mirror.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

const titles = (env: MemoryEnv, i: number) =>
  env.backend.list(env.providerIds[i]!).flatMap((o) => o.events.map((e) => e.title)).sort();
const storedTitles = async (env: MemoryEnv, i: number) =>
  (await env.store.tenant(env.tenantId).events.list(env.calendars[i]!)).map((r) => r.event.title).sort();

describe('sync engine (memory provider, PGlite)', () => {
  it('pulls provider changes and pushes hub changes; echoes write nothing', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'from provider' })]);
    await settle(env.deps, env.tenantId, [cal!]);
    assert.deepEqual(await storedTitles(env, 0), ['from provider']);

    await env.writer.create(env.tenantId, cal!, sampleEvent({ title: 'from hub' }));
    const r = await settle(env.deps, env.tenantId, [cal!]);
    assert.equal(r.written, 1);
    assert.deepEqual(titles(env, 0), ['from hub', 'from provider']);

    const seq = env.backend.seq;
    const again = await settle(env.deps, env.tenantId, [cal!]);
    assert.equal(env.backend.seq, seq, 'a settled calendar must not be written again');
    assert.equal(again.applied + again.written, 0);
  });

  it('a hub change written to the provider is counted as outbound propagation lag', async () => {
    env = await memoryEnv({ calendars: 1 });
    const metrics = createMetrics();
    env.deps.metrics = metrics;
    const [cal] = env.calendars;
    await env.writer.create(env.tenantId, cal!, sampleEvent({ title: 'from hub' }));
    await new Promise((r) => setTimeout(r, 30));
    await settle(env.deps, env.tenantId, [cal!]);
    const lag = (await metrics.propagationLag.get()).values.filter((v) => v.labels.direction === 'outbound' && v.labels.provider === 'memory');
    const count = lag.find((v) => v.metricName === 'calhub_propagation_lag_seconds_count')?.value;
    const sum = lag.find((v) => v.metricName === 'calhub_propagation_lag_seconds_sum')?.value ?? 0;
    assert.equal(count, 1);
    assert.ok(sum >= 0.03 && sum < 60, `lag ${sum} s`);
  });

  it('a create whose response was lost is not created twice', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    await env.writer.create(env.tenantId, cal!, sampleEvent({ title: 'once' }));
    env.backend.failNext('timeout-after-write');
    await assert.rejects(settle(env.deps, env.tenantId, [cal!]), /response lost/);
    await settle(env.deps, env.tenantId, [cal!]);
    assert.deepEqual(titles(env, 0), ['once']);
    assert.equal(env.backend.list(env.providerIds[0]!).length, 1);
  });

  it('edits to different fields on both sides merge; the same field follows latest-wins', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const pid = env.providerIds[0]!;
    const obj = env.backend.put(pid, null, [sampleEvent({ title: 'T0', location: 'L0' })]);
    await settle(env.deps, env.tenantId, [cal!]);
    const stored = (await env.store.tenant(env.tenantId).events.list(cal!))[0]!;
    await env.writer.update(env.tenantId, stored.id, { title: 'hub title' });
    env.backend.put(pid, obj.remoteId, [{ ...obj.events[0]!, location: 'provider room' }]);
    await settle(env.deps, env.tenantId, [cal!]);
    const remote = env.backend.get(pid, obj.remoteId)!.events[0]!;
    assert.equal(remote.title, 'hub title');
    assert.equal(remote.location, 'provider room');
    assert.equal((await env.store.tenant(env.tenantId).events.get(stored.id))!.event.location, 'provider room');

    await env.writer.update(env.tenantId, stored.id, { title: 'older hub edit' });
    await new Promise((r) => setTimeout(r, 5));
    const now = env.backend.get(pid, obj.remoteId)!;
    env.backend.put(pid, obj.remoteId, [{ ...now.events[0]!, title: 'newer provider edit', providerUpdatedAt: new Date().toISOString() }]);
    await settle(env.deps, env.tenantId, [cal!]);
    assert.equal(env.backend.get(pid, obj.remoteId)!.events[0]!.title, 'newer provider edit');
    const conflicts = await env.store.db.query<{ outcome: string; fields: string[] }>('SELECT outcome, fields FROM conflicts');
    assert.ok(conflicts.some((c) => c.fields.includes(':title')), 'the title conflict is recorded');
  });

  it('a 412 on write refetches, re-merges and retries', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'a' })]);
    await settle(env.deps, env.tenantId, [cal!]);
    const stored = (await env.store.tenant(env.tenantId).events.list(cal!))[0]!;
    await env.writer.update(env.tenantId, stored.id, { title: 'b' });
    env.backend.failNext('precondition-failed');
    await settle(env.deps, env.tenantId, [cal!]);
    assert.deepEqual(titles(env, 0), ['b']);
  });

  it('the mass-change guard stops a run deleting more than 20% and flags the calendar', async () => {
    env = await memoryEnv({ calendars: 1, guard: { maxDeleteShare: 0.2, minObjects: 5, minChanges: 1 } });
    const [cal] = env.calendars;
    const pid = env.providerIds[0]!;
    const ids = Array.from({ length: 10 }, () => env.backend.put(pid, null, [sampleEvent()]).remoteId);
    await settle(env.deps, env.tenantId, [cal!]);
    for (const id of ids.slice(0, 4)) env.backend.delete(pid, id);
    await assert.rejects(settle(env.deps, env.tenantId, [cal!]), MassChangeError);
    assert.equal((await env.store.tenant(env.tenantId).events.list(cal!)).length, 10, 'nothing was deleted');
    assert.match((await env.store.tenant(env.tenantId).sync.settings(cal!))!.flaggedReason!, /delete or cancel 4 of 10/);
    await env.store.tenant(env.tenantId).sync.unflag(cal!);
    await env.store.tenant(env.tenantId).sync.setPolicies(cal!, {});
  });

  it('the guard lets a catch-up of ordinary edits through, and stops cancellations and mass rewrites', async () => {
    env = await memoryEnv({ calendars: 1, guard: { maxDeleteShare: 0.2, maxRewriteShare: 0.5, minObjects: 5, minChanges: 1 } });
    const [cal] = env.calendars;
    const pid = env.providerIds[0]!;
    const objs = Array.from({ length: 10 }, (_, i) => env.backend.put(pid, null, [sampleEvent({ title: `t${i}` })]));
    await settle(env.deps, env.tenantId, [cal!]);
    const edit = (o: (typeof objs)[number], patch: Partial<CanonicalEvent>) => env.backend.put(pid, o.remoteId, o.events.map((e) => ({ ...e, ...patch })));
    const tenant = env.store.tenant(env.tenantId);
    // A backlog: 4 of 10 edited (40 %), more than the delete share but ordinary edits.
    for (const o of objs.slice(0, 4)) edit(o, { title: 'moved on' });
    await settle(env.deps, env.tenantId, [cal!]);
    assert.equal((await tenant.sync.settings(cal!))!.flaggedReason, null);
    assert.equal((await tenant.events.list(cal!)).filter((r) => r.event.title === 'moved on').length, 4);
    // Cancelling 3 of 10 objects removes them as a delete would.
    for (const o of objs.slice(4, 7)) edit(o, { status: 'cancelled' });
    await assert.rejects(settle(env.deps, env.tenantId, [cal!]), MassChangeError);
    assert.match((await tenant.sync.settings(cal!))!.flaggedReason!, /delete or cancel 3 of 10/);
    assert.equal((await tenant.events.list(cal!)).filter((r) => r.event.status === 'cancelled').length, 0, 'nothing was cancelled');
    await tenant.sync.unflag(cal!);
    // Rewriting 7 of 10 in one run (the three cancelled ones restored) is more than the rewrite share.
    for (const o of objs.slice(0, 7)) edit(o, { title: 'all new', status: 'confirmed' });
    await assert.rejects(settle(env.deps, env.tenantId, [cal!]), MassChangeError);
    assert.match((await tenant.sync.settings(cal!))!.flaggedReason!, /rewrite 7 of 10/);
    await tenant.sync.unflag(cal!);
  });

  it('by default a small calendar may lose a few events in one run, but not all of them', async () => {
    env = await memoryEnv({ calendars: 2, guard: DEFAULT_GUARD });
    const [cal] = env.calendars;
    const pid = env.providerIds[0]!;
    const tenant = env.store.tenant(env.tenantId);
    const ids = Array.from({ length: 7 }, () => env.backend.put(pid, null, [sampleEvent()]).remoteId);
    await settle(env.deps, env.tenantId, [cal!]);
    // 2 of 7 (29 %) between two polls is what a person does, not a broken client.
    for (const id of ids.slice(0, 2)) env.backend.delete(pid, id);
    await settle(env.deps, env.tenantId, [cal!]);
    assert.equal((await tenant.sync.settings(cal!))!.flaggedReason, null);
    assert.equal((await tenant.events.list(cal!)).length, 5);
    // Every remaining one in one run is a wipe, whatever the size.
    for (const id of ids.slice(2)) env.backend.delete(pid, id);
    await assert.rejects(settle(env.deps, env.tenantId, [cal!]), MassChangeError);
    assert.match((await tenant.sync.settings(cal!))!.flaggedReason!, /delete or cancel 5 of 5/);
    assert.equal((await tenant.events.list(cal!)).length, 5, 'nothing was deleted');
    // From 10 removals on, the share counts: 12 of 50 (24 %) trips it.
    const [, big] = env.calendars;
    const bigPid = env.providerIds[1]!;
    const many = Array.from({ length: 50 }, () => env.backend.put(bigPid, null, [sampleEvent()]).remoteId);
    await settle(env.deps, env.tenantId, [big!]);
    for (const id of many.slice(0, 12)) env.backend.delete(bigPid, id);
    await assert.rejects(settle(env.deps, env.tenantId, [big!]), MassChangeError);
    assert.match((await tenant.sync.settings(big!))!.flaggedReason!, /delete or cancel 12 of 50/);
  });

  it('by default most of a small calendar, or its last 3 objects, cannot go in one run', async () => {
    env = await memoryEnv({ calendars: 2, guard: DEFAULT_GUARD });
    const tenant = env.store.tenant(env.tenantId);
    const [ten, two] = env.calendars;
    // 8 of 10 (80 %) passed unguarded: fewer than 10 removals never counted.
    const ids = Array.from({ length: 10 }, () => env.backend.put(env.providerIds[0]!, null, [sampleEvent()]).remoteId);
    await settle(env.deps, env.tenantId, [ten!]);
    for (const id of ids.slice(0, 8)) env.backend.delete(env.providerIds[0]!, id);
    await assert.rejects(settle(env.deps, env.tenantId, [ten!]), MassChangeError);
    assert.match((await tenant.sync.settings(ten!))!.flaggedReason!, /delete or cancel 8 of 10/);
    assert.equal((await tenant.events.list(ten!)).length, 10, 'nothing was deleted');
    // A calendar of 3 whose objects all vanish: it was under 5 objects, never guarded.
    const pair = Array.from({ length: 3 }, () => env.backend.put(env.providerIds[1]!, null, [sampleEvent()]).remoteId);
    await settle(env.deps, env.tenantId, [two!]);
    for (const id of pair) env.backend.delete(env.providerIds[1]!, id);
    await assert.rejects(settle(env.deps, env.tenantId, [two!]), MassChangeError);
    assert.equal((await tenant.events.list(two!)).length, 3, 'nothing was deleted');
  });

  it('an empty full listing of a populated calendar is refused', async () => {
    env = await memoryEnv({ calendars: 1, guard: { maxDeleteShare: 0.2, minObjects: 5, minChanges: 1 } });
    const [cal] = env.calendars;
    const pid = env.providerIds[0]!;
    for (let i = 0; i < 6; i++) env.backend.put(pid, null, [sampleEvent()]);
    await settle(env.deps, env.tenantId, [cal!]);
    for (const o of env.backend.list(pid)) env.backend.delete(pid, o.remoteId);
    env.backend.invalidateCursors();
    await assert.rejects(settle(env.deps, env.tenantId, [cal!]), MassChangeError);
    assert.equal((await env.store.tenant(env.tenantId).events.list(cal!)).length, 6);
  });

  it('an invalid cursor becomes a full listing that finds deletions', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const pid = env.providerIds[0]!;
    const a = env.backend.put(pid, null, [sampleEvent({ title: 'a' })]);
    env.backend.put(pid, null, [sampleEvent({ title: 'b' })]);
    await settle(env.deps, env.tenantId, [cal!]);
    env.backend.delete(pid, a.remoteId);
    env.backend.invalidateCursors();
    await settle(env.deps, env.tenantId, [cal!]);
    assert.deepEqual(await storedTitles(env, 0), ['b']);
  });

  it('mirror rules: busy blocks follow their sources, repeat runs write nothing, deleting the rule removes copies', async () => {
    env = await memoryEnv({ calendars: 2 });
    const [a, b] = env.calendars;
    const t = env.store.tenant(env.tenantId);
    const rule = (await t.mirror.create(a!, b!, { mode: 'busy-block', twoWay: true }))!;
    const src = env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'secret meeting', description: 'private notes' })]);
    env.backend.put(env.providerIds[1]!, null, [sampleEvent({ title: 'dentist' })]);
    env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: 'lunch', availability: 'free' })]);
    await settle(env.deps, env.tenantId, [a!, b!]);
    assert.deepEqual(titles(env, 1), ['Busy', 'dentist']);
    assert.deepEqual(titles(env, 0), ['Busy', 'lunch', 'secret meeting']);
    const copy = env.backend.list(env.providerIds[1]!).find((o) => o.events[0]!.title === 'Busy')!.events[0]!;
    assert.equal(copy.description, null);
    assert.equal(copy.provenance?.ruleId, rule.id);

    const seq = env.backend.seq;
    await settle(env.deps, env.tenantId, [a!, b!]);
    assert.equal(env.backend.seq, seq, 'repeated syncs wrote to the provider');

    const moved = { ...src.events[0]!, start: { dateTime: '2026-12-30T10:00:00Z', timeZone: 'UTC' }, end: { dateTime: '2026-12-30T11:00:00Z', timeZone: 'UTC' } };
    env.backend.put(env.providerIds[0]!, src.remoteId, [moved]);
    await settle(env.deps, env.tenantId, [a!, b!]);
    const copyNow = env.backend.list(env.providerIds[1]!).find((o) => o.events[0]!.title === 'Busy')!.events[0]!;
    assert.deepEqual(copyNow.start, moved.start);

    env.backend.delete(env.providerIds[0]!, src.remoteId);
    await settle(env.deps, env.tenantId, [a!, b!]);
    assert.deepEqual(titles(env, 1), ['dentist']);

    await deleteRule(env.deps, env.tenantId, rule.id);
    await settle(env.deps, env.tenantId, [a!, b!]);
    assert.deepEqual(titles(env, 0), ['lunch']);
    // A run queued before the delete finds nothing to do: no failure.
    assert.deepEqual(await reconcileRule(env.deps, env.tenantId, rule.id), { written: 0, updated: 0, removed: 0 });
    await assert.rejects(deleteRule(env.deps, env.tenantId, rule.id), /not found/);
  });

  it('a rule deleted while one of its runs writes copies leaves no copy behind', async () => {
    env = await memoryEnv({ calendars: 2 });
    const [a, b] = env.calendars;
    const t = env.store.tenant(env.tenantId);
    for (let i = 0; i < 8; i++) env.backend.put(env.providerIds[0]!, null, [sampleEvent({ title: `meeting ${i}`, start: { dateTime: `2026-12-1${i}T09:00:00Z`, timeZone: 'UTC' }, end: { dateTime: `2026-12-1${i}T10:00:00Z`, timeZone: 'UTC' } })]);
    await settle(env.deps, env.tenantId, [a!]);
    const rule = (await t.mirror.create(a!, b!, { mode: 'busy-block' }))!;
    // The DELETE begins once the run has written its second copy, as a user's request lands mid-run
    // (a run announces its copies only at its end, so the hook is each copy's outbox entry).
    let copies = 0;
    let deleting: Promise<number> | null = null;
    const upsert = OutboxRepo.prototype.upsert;
    OutboxRepo.prototype.upsert = async function (this: OutboxRepo, ...args: Parameters<typeof upsert>) {
      await upsert.apply(this, args);
      if (++copies === 2) deleting = deleteRule(env.deps, env.tenantId, rule.id);
    };
    let run;
    try {
      run = await reconcileRule(env.deps, env.tenantId, rule.id);
    } finally {
      OutboxRepo.prototype.upsert = upsert;
    }
    await deleting;
    assert.ok(run.written >= 2 && run.written < 8, `the run stopped at the delete: ${run.written} copies written`);
    assert.deepEqual((await t.events.list(b!)).map((r) => r.event.title), [], 'no copy outlived its rule');
    assert.equal((await t.mirror.copyUidsIn(b!)).size, 0, 'no link either');
    assert.equal(await t.mirror.get(rule.id), null);
  });
});

describe('write journal', () => {
  it('reverting a run restores what the provider held before it', async () => {
    env = await memoryEnv({ calendars: 1 });
    const [cal] = env.calendars;
    const pid = env.providerIds[0]!;
    const keep = env.backend.put(pid, null, [sampleEvent({ title: 'original' })]);
    await settle(env.deps, env.tenantId, [cal!]);
    const rows = await env.store.tenant(env.tenantId).events.list(cal!);
    await env.writer.update(env.tenantId, rows[0]!.id, { title: 'bad bulk edit' });
    await env.writer.create(env.tenantId, cal!, sampleEvent({ title: 'bad bulk create' }));
    await settle(env.deps, env.tenantId, [cal!], { runId: 'run-bad' });
    assert.deepEqual(titles(env, 0), ['bad bulk create', 'bad bulk edit']);
    const { revertRun } = await import('./revert.ts');
    assert.deepEqual((await revertRun(env.deps, env.tenantId, 'run-bad')).queued.map((q) => `${q.action} ${q.title}`).sort(), ['delete bad bulk create', 'update bad bulk edit']);
    await settle(env.deps, env.tenantId, [cal!]);
    assert.deepEqual(titles(env, 0), ['original']);
    assert.equal(env.backend.list(pid)[0]!.remoteId, keep.remoteId, 'the original object is updated, not re-created');
  });
});
