/** What `calhub resync --wait` shows per calendar while it waits (hub/sync-progress.ts). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Store } from '../shared/store/index.ts';
import type { Hub } from './open-hub.ts';
import { syncProgress } from './sync-progress.ts';

describe('sync progress', () => {
  let store: Store;
  let tenantId: string;
  let calIds: string[];
  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate();
    tenantId = (await store.tenants.create('progress')).tenant.id;
    const t = store.tenant(tenantId);
    const accountId = (await t.accounts.upsert({ provider: 'memory', externalId: 'p@example.com' })).id;
    calIds = (await t.calendars.upsertMany(accountId, [
      { providerCalendarId: 'a', name: 'A', timeZone: 'UTC', color: null, readOnly: false },
      { providerCalendarId: 'b', name: 'B', timeZone: 'UTC', color: null, readOnly: false },
    ])).map((c) => c.id);
  });
  after(async () => store?.close());

  it('a calendar the mass-change guard flagged shows as flagged with the way out, not as waiting for a sync that will not come', async () => {
    const [flagged, other] = calIds as [string, string];
    await store.tenant(tenantId).sync.flag(flagged, 'one run would delete or cancel 40 of 50 objects');
    const rows = await syncProgress({ store } as unknown as Hub, calIds, new Date());
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.equal(byId.get(flagged)!.state, 'flagged');
    assert.match(byId.get(flagged)!.error!, /40 of 50 objects/);
    assert.ok(byId.get(flagged)!.error!.includes(`calhub calendars unflag ${flagged} --tenant ${tenantId}`), byId.get(flagged)!.error!);
    assert.deepEqual([byId.get(other)!.state, byId.get(other)!.error], ['waiting', null]);
  });
});
