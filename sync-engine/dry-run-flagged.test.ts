/**
 * A calendar the mass-change guard flagged refuses every sync until it is unflagged; its dry run
 * still shows what the sync after the unflag would do (the unflag approves the change that was
 * stopped), and whether the guard would stop it again.
 * It answered only CALENDAR_FLAGGED, so the operator unflagged blind.
 */
import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { planCalendarSync } from './dry-run.ts';
import { DEFAULT_GUARD } from './guard.ts';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

it('a flagged calendar is planned: the deletes the guard stops are listed, with the flag and the verdict after an unflag', async () => {
  env = await memoryEnv({ calendars: 1, guard: DEFAULT_GUARD });
  const [cal] = env.calendars;
  const pid = env.providerIds[0]!;
  const objects = Array.from({ length: 20 }, (_, i) => env.backend.put(pid, null, [sampleEvent({ title: `meeting ${i}` })]));
  await settle(env.deps, env.tenantId, [cal!]);
  for (const o of objects.slice(0, 12)) env.backend.delete(pid, o.remoteId);
  await assert.rejects(settle(env.deps, env.tenantId, [cal!]), /mass-change guard/);
  const t = env.store.tenant(env.tenantId);
  const reason = (await t.sync.settings(cal!))?.flaggedReason;
  assert.equal(reason, 'one run would delete or cancel 12 of 20 objects');

  const plan = await planCalendarSync(env.deps, env.tenantId, cal!);
  assert.equal(plan.flagged, reason);
  // The sync after the unflag, which approves the change the guard stopped: it would go through.
  assert.equal(plan.guard, null);
  assert.deepEqual(plan.pull.map((i) => i.op), Array(12).fill('delete'));
  assert.equal((await t.events.list(cal!)).length, 20, 'the dry run wrote nothing');
  assert.equal((await t.sync.settings(cal!))?.flaggedReason, reason, 'and left the flag');
  // Everything else gone since: more than the unflag would approve, so the guard would stop it again.
  for (const o of objects.slice(12)) env.backend.delete(pid, o.remoteId);
  assert.match((await planCalendarSync(env.deps, env.tenantId, cal!)).guard ?? '', /delete or cancel 20 of 20 objects \(12 removals and 0 rewrites were approved by an unflag\)/);
});

it('an unflagged calendar plans with no flag', async () => {
  env = await memoryEnv({ calendars: 1, guard: DEFAULT_GUARD });
  const [cal] = env.calendars;
  env.backend.put(env.providerIds[0]!, null, [sampleEvent()]);
  const plan = await planCalendarSync(env.deps, env.tenantId, cal!);
  assert.equal(plan.flagged, null);
  assert.deepEqual(plan.pull.map((i) => i.op), ['create']);
});
