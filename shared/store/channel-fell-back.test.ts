/**
 * A channel that fell back to polling during a provider outage is created again as soon as a pull
 * of its calendar goes through (retryFellBackSoon), but never one a supervisor pass holds under
 * its lease (a second pass would open a second channel), nor one the provider refused for good.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { memoryEnv, type MemoryEnv } from '../../sync-engine/test-support/memory-env.ts';
import { CHANNEL_LEASE_MS } from './index.ts';

let env: MemoryEnv;
after(() => env?.close());

test('a fell-back channel is tried again after a successful pull, unless held or refused for good', async () => {
  env = await memoryEnv({ calendars: 1 });
  const t = env.store.tenant(env.tenantId);
  const [account] = await t.accounts.list();
  const cal = env.calendars[0]!;
  const now = new Date();
  await t.channels.trackAccount(account!.id, now);
  // Held by a pass: left alone.
  assert.ok(await t.channels.claim(cal, now, new Date(now.getTime() + CHANNEL_LEASE_MS)));
  assert.equal(await t.channels.retryFellBackSoon(cal, now), false, 'a row under a lease was moved');
  // Failed for the outage, next try 16 minutes away: brought forward.
  await t.channels.recordFailure(cal, { error: 'CONNECTOR_TRANSIENT: Microsoft Graph answered 503: Injected failure.', nextCheckAt: new Date(now.getTime() + 16 * 60_000), status: 'polling' });
  assert.equal(await t.channels.retryFellBackSoon(cal, now), true);
  assert.ok(await t.channels.claim(cal, new Date(now.getTime() + 1), new Date(now.getTime() + CHANNEL_LEASE_MS)), 'not due after the pull');
  // Refused for good (not an outage): its backoff stands.
  await t.channels.recordFailure(cal, { error: 'CONNECTOR_UNSUPPORTED: push is not available for this calendar', nextCheckAt: new Date(now.getTime() + 16 * 60_000), status: 'polling' });
  assert.equal(await t.channels.retryFellBackSoon(cal, now), false);
});
