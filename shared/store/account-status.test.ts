/** An account waiting for its user keeps the reason of the first refusal (it nested once more per failed run). */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Store } from './store.ts';

let store: Store;
before(async () => {
  store = await Store.open({ dataDir: null });
  await store.migrate();
});
after(() => store.close());

test('markNeedsReauth keeps the first reason', async () => {
  const t = store.tenant((await store.tenants.create('reauth')).tenant.id);
  const acc = await t.accounts.upsert({ provider: 'caldav', externalId: 'https://dav.example.com/alice/' });
  await t.accounts.markNeedsReauth(acc.id, 'CalDAV server rejected the credentials (401)');
  await t.accounts.markNeedsReauth(acc.id, `account ${acc.id} needs to be reconnected (CalDAV server rejected the credentials (401))`);
  const now = (await t.accounts.get(acc.id))!;
  assert.deepEqual([now.status, now.statusReason], ['needs_reauth', 'CalDAV server rejected the credentials (401)']);
});
