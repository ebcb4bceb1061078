/**
 * The test environments store their accounts by hand: each must leave them marked listed, as a
 * connect does, or a running worker's sweep lists them again mid-test (shared/test-support.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestApi } from '../../api/test-support.ts';
import { opsQueries } from '../../shared/store/index.ts';
import { memoryEnv } from '../../sync-engine/test-support/memory-env.ts';

test('the API test environment leaves no account unlisted', async () => {
  const api = await startTestApi();
  try {
    assert.deepEqual(await opsQueries.accountsUnlisted(api.store.db), { n: 0, accountIds: [] });
  } finally {
    await api.close();
  }
});

test('the memory environment leaves no account unlisted', async () => {
  const env = await memoryEnv({ calendars: 2 });
  try {
    assert.deepEqual(await opsQueries.accountsUnlisted(env.store.db), { n: 0, accountIds: [] });
  } finally {
    await env.close();
  }
});
