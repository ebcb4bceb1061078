/**
 * While a `manual` conflict is parked, each side's change that conflicts with nothing stays. The
 * hub changed title and description, the provider title and location: parked, the provider's
 * whole side stood, so the event showed the provider's title and location with no description
 * (GET /v1/events, the event.updated webhook) until the conflict was resolved.
 */
import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { settle } from './settle.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(async () => env?.close());

it('parked: the title is the provider\'s, the hub\'s description stays and reaches the provider', async () => {
  env = await memoryEnv({ calendars: 1 });
  const [cal] = env.calendars;
  const pid = env.providerIds[0]!;
  const t = env.store.tenant(env.tenantId);
  await t.sync.setPolicies(cal!, { conflictPolicy: 'manual' });
  const obj = env.backend.put(pid, null, [sampleEvent({ title: 'Planning', location: 'Room 1', description: null })]);
  await settle(env.deps, env.tenantId, [cal!]);
  const stored = (await t.events.list(cal!))[0]!;

  await env.writer.update(env.tenantId, stored.id, { title: 'Hub title', description: 'the agenda' });
  env.backend.put(pid, obj.remoteId, [{ ...obj.events[0]!, title: 'Provider title', location: 'Room 9' }]);
  await settle(env.deps, env.tenantId, [cal!]);

  const conflicts = await env.store.db.query<{ outcome: string; fields: string[] }>('SELECT outcome, fields FROM conflicts');
  assert.deepEqual(conflicts.map((c) => [c.outcome, c.fields]), [['parked', [':title']]]);
  const now = (await t.events.list(cal!)).map((r) => r.event);
  assert.deepEqual(now.map((e) => [e.title, e.location, e.description]), [['Provider title', 'Room 9', 'the agenda']]);
  const remote = env.backend.get(pid, obj.remoteId)!.events[0]!;
  assert.deepEqual([remote.title, remote.location, remote.description], ['Provider title', 'Room 9', 'the agenda'], 'the change in no conflict was written');
});
