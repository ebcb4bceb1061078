/** What `calhub status` reads: a calendar whose sync is off is not "the oldest unsynced" one. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { oldestUnsyncedCalendar } from './ops-queries.ts';
import { Store } from './store.ts';

let store: Store;
before(async () => {
  store = await Store.open({ dataDir: null });
  await store.migrate();
});
after(() => store.close());

test('the oldest unsynced calendar leaves out one whose sync is off', async () => {
  const tenantId = (await store.tenants.create('ops')).tenant.id;
  const t = store.tenant(tenantId);
  const acc = await t.accounts.upsert({ provider: 'memory', externalId: 'ops@example.com' });
  const [never, synced] = await t.calendars.upsertMany(acc.id, ['holidays', 'work'].map((p) => ({ providerCalendarId: p, name: p, timeZone: 'UTC', color: null, readOnly: false })));
  await store.db.query('UPDATE calendars SET last_success_at = now() WHERE id = $1', [synced!.id]);
  assert.equal((await oldestUnsyncedCalendar(store.db))?.id, never!.id);
  assert.equal((await t.setSyncEnabled(never!.id, false))?.done, true);
  assert.equal((await oldestUnsyncedCalendar(store.db))?.id, synced!.id);
});
