/**
 * `calendars unflag` approves the change the mass-change guard stopped. It only cleared the flag,
 * so the next run met the same deletions and was flagged again (a CalDAV calendar of 25 with 15
 * deleted at the server could never be synced), and the dry run said the guard would stop it.
 */
import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { planCalendarSync } from './dry-run.ts';
import { DEFAULT_GUARD } from './guard.ts';
import { MassChangeError } from './deps.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

it('an unflag lets the stopped deletions through once, and the dry run says so; then the guard is whole again', async () => {
  env = await memoryEnv({ calendars: 1, guard: DEFAULT_GUARD });
  const [cal] = env.calendars;
  const pid = env.providerIds[0]!;
  const t = env.store.tenant(env.tenantId);
  const ids = Array.from({ length: 25 }, (_, i) => env.backend.put(pid, null, [sampleEvent({ title: `e${i}` })]).remoteId);
  await settle(env.deps, env.tenantId, [cal!]);
  for (const id of ids.slice(0, 15)) env.backend.delete(pid, id);
  await assert.rejects(settle(env.deps, env.tenantId, [cal!]), MassChangeError);
  assert.equal((await t.sync.settings(cal!))!.flaggedReason, 'one run would delete or cancel 15 of 25 objects');
  assert.deepEqual((await t.sync.settings(cal!))!.guardTripped, { removed: 15, rewritten: 0 });
  // The dry run of the flagged calendar plans the sync after the unflag: it would go through.
  assert.equal((await planCalendarSync(env.deps, env.tenantId, cal!)).guard, null);

  assert.deepEqual(await t.sync.unflag(cal!), { allowance: { removed: 15, rewritten: 0 } });
  const plan = await planCalendarSync(env.deps, env.tenantId, cal!);
  assert.equal(plan.guard, null, 'the dry run after the unflag says the sync goes through');
  assert.equal(plan.pull.filter((p) => p.op === 'delete').length, 15);

  await settle(env.deps, env.tenantId, [cal!]);
  assert.equal((await t.events.list(cal!)).length, 10, 'the approved deletions were applied');
  const after = (await t.sync.settings(cal!))!;
  assert.equal(after.flaggedReason, null);
  assert.equal(after.guardAllowance, null, 'the approval is spent');

  // Re-armed: wiping the remaining 10 trips it again.
  for (const id of ids.slice(15)) env.backend.delete(pid, id);
  await assert.rejects(settle(env.deps, env.tenantId, [cal!]), MassChangeError);
  assert.equal((await t.events.list(cal!)).length, 10);
});

it('a run much larger than the approved change still trips; a few more removals made meanwhile do not', async () => {
  env = await memoryEnv({ calendars: 2, guard: DEFAULT_GUARD });
  const t = env.store.tenant(env.tenantId);
  const seed = async (i: number) => {
    const ids = Array.from({ length: 50 }, () => env.backend.put(env.providerIds[i]!, null, [sampleEvent()]).remoteId);
    await settle(env.deps, env.tenantId, [env.calendars[i]!]);
    for (const id of ids.slice(0, 12)) env.backend.delete(env.providerIds[i]!, id);
    await assert.rejects(settle(env.deps, env.tenantId, [env.calendars[i]!]), MassChangeError);
    await t.sync.unflag(env.calendars[i]!);
    return ids;
  };
  // Approved 12 of 50; 40 gone by the next run: 28 beyond the approval, of the 38 left.
  const big = await seed(0);
  for (const id of big.slice(12, 40)) env.backend.delete(env.providerIds[0]!, id);
  assert.match((await planCalendarSync(env.deps, env.tenantId, env.calendars[0]!)).guard ?? '', /delete or cancel \d+ of 50 objects \(12 removals and 0 rewrites were approved by an unflag\)/);
  await assert.rejects(settle(env.deps, env.tenantId, [env.calendars[0]!]), MassChangeError);
  assert.equal((await t.events.list(env.calendars[0]!)).length, 50, 'nothing was deleted');
  assert.deepEqual((await t.sync.settings(env.calendars[0]!))!.guardAllowance, null, 'the approval went with the new flag');
  // Approved 12 of 50; 2 more deleted meanwhile: what a person does, it goes through.
  const small = await seed(1);
  for (const id of small.slice(12, 14)) env.backend.delete(env.providerIds[1]!, id);
  await settle(env.deps, env.tenantId, [env.calendars[1]!]);
  assert.equal((await t.events.list(env.calendars[1]!)).length, 36);
});

it('unflagging a calendar that is not flagged approves nothing', async () => {
  env = await memoryEnv({ calendars: 1, guard: DEFAULT_GUARD });
  const t = env.store.tenant(env.tenantId);
  assert.deepEqual(await t.sync.unflag(env.calendars[0]!), { allowance: null });
  assert.equal(await t.sync.unflag('cal_missing'), false);
});
