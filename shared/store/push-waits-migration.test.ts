/** Migration 0080 adds push_waits to a store migrated before it (the note round-trips in sync-engine/delay-view.int.test.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Store } from './index.ts';

test('migration 0080 adds push_waits to an older store', async () => {
  const store = await Store.open({ dataDir: null });
  try {
    await store.migrate({ upTo: 79 });
    assert.deepEqual(await store.migrate({ upTo: 80 }), ['0080_push_waits.sql']);
    assert.deepEqual(await store.db.query('SELECT calendar_id, tenant_id, reason, next_try_at, noted_at FROM push_waits'), []);
  } finally {
    await store.close();
  }
});
