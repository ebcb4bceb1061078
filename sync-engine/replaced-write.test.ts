/**
 * A write replaced while its push runs (the user deletes an event whose create is on its way to
 * the provider) shows its own state in `calhub calendars writes`: the create's failure, answered
 * after the delete replaced it, was recorded on the delete (refusals 1, the create's message).
 * And a push that failed before a write was made did not try it: that write names no last push.
 */
import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import type { CalendarConnector } from '../connectors/index.ts';
import type { Hub } from '../hub/index.ts';
import { listPendingWrites } from '../hub/pending-writes.ts';
import { notePushWait } from '../shared/store/index.ts';
import { pushCalendar } from './push.ts';
import { memoryEnv, sampleEvent, type MemoryEnv } from './test-support/memory-env.ts';

let env: MemoryEnv;
afterEach(() => env?.close());

it('a delete that replaced a create during its failing push keeps no refusal and no message of the create', async () => {
  env = await memoryEnv({ calendars: 1 });
  const cal = env.calendars[0]!;
  const created = await env.writer.create(env.tenantId, cal, sampleEvent({ title: 'made, then deleted at once' }));
  const inner = env.deps.connect;
  env.deps.connect = async (a, c) => {
    const got = await inner(a, c);
    const connector: CalendarConnector = Object.create(got.connector);
    connector.putObject = async () => {
      // The user deletes the event while the provider is still answering the create.
      await env.writer.delete(env.tenantId, created.id);
      throw new Error('the provider refused the event: 400 invalid start');
    };
    return { ...got, connector };
  };
  const result = await pushCalendar(env.deps, env.tenantId, cal, 'run-replaced');
  assert.equal(result.failed, 1, 'the create failed');
  const hub = { store: env.store } as unknown as Hub;
  const [write] = await listPendingWrites(hub, env.tenantId, cal);
  assert.deepEqual([write?.op, write?.state, write?.refusals, write?.message], ['delete', 'pending', 0, null]);
});

it('a write made after the calendar\'s last push failed names no last push: that push did not try it', async () => {
  env = await memoryEnv({ calendars: 1 });
  const cal = env.calendars[0]!;
  const created = await env.writer.create(env.tenantId, cal, sampleEvent({ title: 'waits out an outage' }));
  // As the engine notes a failed push (job-delay.ts notePushFailure): the create waits out an outage.
  await notePushWait(env.store.db, env.tenantId, cal, 'PROVIDER_UNAVAILABLE: the provider answered 503', null);
  const hub = { store: env.store } as unknown as Hub;
  const [create] = await listPendingWrites(hub, env.tenantId, cal);
  assert.match(create?.lastAttempt ?? '', /^PROVIDER_UNAVAILABLE/, 'the create was in that push');
  // Seconds apart in use; a few milliseconds here, past the store clock's tick (PGlite's can repeat within one).
  await new Promise((r) => setTimeout(r, 5));
  await env.writer.delete(env.tenantId, created.id);
  const [write] = await listPendingWrites(hub, env.tenantId, cal);
  assert.deepEqual([write?.op, write?.state, write?.message, write?.lastAttempt], ['delete', 'pending', null, null]);
});
