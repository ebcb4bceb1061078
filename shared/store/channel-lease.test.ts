/**
 * A connect's own channel pass and the maintenance sweep: the connect tracks the account (bringing
 * its rows forward), which also undid the lease of a pass the sweep had under way on a new row, so
 * both passes opened a watch (two events/watch 80 ms apart, both live; push_channels named one).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { memoryEnv, type MemoryEnv } from '../../sync-engine/test-support/memory-env.ts';

let env: MemoryEnv;
after(() => env?.close());

test('tracking an account again leaves a row another pass holds under lease', async () => {
  env = await memoryEnv({ calendars: 1 });
  const t = env.store.tenant(env.tenantId);
  const [account] = await t.accounts.list();
  const cal = env.calendars[0]!;
  const now = new Date();
  await t.channels.trackAccount(account!.id, now);
  const first = await t.channels.claim(cal, now, new Date(now.getTime() + 120_000));
  assert.ok(first, 'the sweep takes the new row');
  await t.channels.trackAccount(account!.id, new Date(now.getTime() + 50));
  assert.equal(await t.channels.claim(cal, new Date(now.getTime() + 80), new Date(now.getTime() + 120_000)), null, 'the connect does not take it too');
  // A row that failed and waits for its retry is still brought forward by a new connect.
  await t.channels.recordFailure(cal, { error: 'x', nextCheckAt: new Date(now.getTime() + 600_000), status: 'polling' });
  await t.channels.trackAccount(account!.id, new Date(now.getTime() + 100));
  assert.ok(await t.channels.claim(cal, new Date(now.getTime() + 150), new Date(now.getTime() + 120_000)));
});
