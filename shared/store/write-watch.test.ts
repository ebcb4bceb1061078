import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Store } from './store.ts';
import { changeOf, changesOfRows, inChangeScope, type StoreChange } from './write-watch.ts';

const job = { tenantId: 'ten_1', calendarId: 'cal_1' };

describe('store write watch', () => {
  it('reads and writes of tables free/busy does not read report nothing', () => {
    assert.equal(changeOf('SELECT id, busy_version FROM calendars WHERE id = $1', ['cal_1']), null);
    assert.equal(changeOf('UPDATE push_channels SET expires_at = now() WHERE id = $1', ['x']), null);
    assert.equal(changeOf('INSERT INTO webhook_deliveries (id, updated_at, delete_after) VALUES ($1, now(), now())', ['x']), null);
  });

  it('outside a job a write is everything\'s', () => {
    assert.deepEqual(changeOf('UPDATE calendars SET sync_stage = $2 WHERE id = $1', ['cal_1', 'failed']), { scope: 'all' });
    assert.deepEqual(changeOf('DELETE FROM accounts WHERE id = $1', ['acc_1']), { scope: 'all' });
  });

  it('in a job, a write naming only its calendar is the calendar\'s', () => {
    inChangeScope(job, () => {
      assert.deepEqual(changeOf('UPDATE calendars SET busy_version = busy_version + 1 WHERE id = $1', ['cal_1']), { scope: 'calendar', ...job });
      assert.deepEqual(changeOf('DELETE FROM quarantine WHERE calendar_id = $2 AND remote_id = ANY($6::text[])', [1, 'cal_1', null, null, null, ['a', 'b']]), { scope: 'calendar', ...job });
    });
  });

  it('in a job, a write naming another calendar, none, or the account is the tenant\'s; tenants are everything\'s', () => {
    inChangeScope(job, () => {
      assert.deepEqual(changeOf('UPDATE calendars SET busy_version = busy_version + 1 WHERE id = ANY($1)', [['cal_1', 'cal_2']]), { scope: 'tenant', tenantId: 'ten_1' });
      assert.deepEqual(changeOf('UPDATE calendars SET sync_stage = $1 WHERE tenant_id = $2', ['failed', 'ten_1']), { scope: 'tenant', tenantId: 'ten_1' });
      assert.deepEqual(changeOf('UPDATE accounts SET status = $3 WHERE id = $1 AND tenant_id = $2', ['acc_1', 'ten_1', 'needs_reauth']), { scope: 'tenant', tenantId: 'ten_1' });
      assert.deepEqual(changeOf('DELETE FROM tenants WHERE id = $1', ['ten_1']), { scope: 'all' });
      assert.equal(changeOf('INSERT INTO tenants (id, name) VALUES ($1, $2) RETURNING id, name, created_at', ['ten_2', 'b']), null, 'a new tenant has no calendars');
      assert.deepEqual(changeOf('INSERT INTO tenants (id, name) SELECT id, name FROM calendars RETURNING id', []), { scope: 'all' });
    });
    inChangeScope({ tenantId: 'ten_1' }, () => {
      assert.deepEqual(changeOf('UPDATE calendars SET busy_version = busy_version + 1 WHERE id = $1', ['cal_1']), { scope: 'tenant', tenantId: 'ten_1' });
    });
  });
});

describe('store write watch, narrowed by the rows a calendars statement returns', () => {
  const tenant: StoreChange = { scope: 'tenant', tenantId: 'ten_1' };
  const upsert = 'INSERT INTO calendars (id, tenant_id) SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $3) ON CONFLICT (account_id) DO UPDATE SET name = EXCLUDED.name RETURNING *';

  it('an insert, update or delete of calendars alone changed the calendars it returned, and none when it returned none', () => {
    assert.deepEqual(changesOfRows(upsert, [{ id: 'cal_2', tenant_id: 'ten_1' }], tenant), [{ scope: 'calendar', tenantId: 'ten_1', calendarId: 'cal_2' }]);
    assert.deepEqual(changesOfRows('UPDATE calendars SET name = $2 WHERE account_id = $1 RETURNING id', [{ id: 'cal_2' }, { id: 'cal_3' }], tenant), [
      { scope: 'calendar', tenantId: 'ten_1', calendarId: 'cal_2' },
      { scope: 'calendar', tenantId: 'ten_1', calendarId: 'cal_3' },
    ]);
    assert.deepEqual(changesOfRows('DELETE FROM calendars WHERE account_id = $1 RETURNING id, tenant_id', [{ id: 'cal_2', tenant_id: 'ten_9' }], { scope: 'all' }), [{ scope: 'calendar', tenantId: 'ten_9', calendarId: 'cal_2' }]);
    assert.deepEqual(changesOfRows(upsert, [], tenant), []);
  });

  it('rows that do not say which calendars, other tables, CTEs and statements without RETURNING keep the broad change', () => {
    assert.equal(changesOfRows('UPDATE calendars SET name = $2 WHERE account_id = $1 RETURNING name', [{ name: 'x' }], tenant), null);
    assert.equal(changesOfRows('UPDATE calendars SET name = $2 WHERE account_id = $1', [], tenant), null);
    assert.equal(changesOfRows('UPDATE accounts SET status = $2 WHERE id = $1 RETURNING id', [{ id: 'acc_1' }], tenant), null);
    assert.equal(changesOfRows('WITH a AS (UPDATE accounts SET status = $2 RETURNING id) UPDATE calendars SET name = $1 RETURNING id', [{ id: 'cal_2' }], tenant), null);
    // Outside any scope, rows without their tenant cannot be narrowed.
    assert.equal(changesOfRows('UPDATE calendars SET name = $2 WHERE account_id = $1 RETURNING id', [{ id: 'cal_2' }], { scope: 'all' }), null);
  });
});

describe('store write watch through a Store', () => {
  it('a write through store.tenant(id) outside a job is that tenant\'s, not everything\'s', async () => {
    const seen: StoreChange[] = [];
    const store = await Store.open({ dataDir: null, onChange: (c) => seen.push(c) });
    try {
      await store.migrate();
      const a = (await store.tenants.create('a')).tenant.id;
      await store.tenants.create('b');
      seen.length = 0;
      const account = await store.tenant(a).accounts.upsert({ provider: 'caldav', externalId: 'x', config: {}, credentials: 'c' });
      const [cal] = await store.tenant(a).calendars.upsertMany(account.id, [{ providerCalendarId: 'https://dav.example/c/', name: 'c', timeZone: 'UTC', color: null, readOnly: false }]);
      await store.tenant(a).transaction((t) => t.calendars.get(cal!.id));
      // The account is the tenant's change; the calendar upsert changed that calendar alone.
      assert.deepEqual(seen, [{ scope: 'tenant', tenantId: a }, { scope: 'calendar', tenantId: a, calendarId: cal!.id }]);
      seen.length = 0;
      await store.tenant(a).transaction((t) => t.calendars.upsertMany(account.id, [{ providerCalendarId: 'https://dav.example/c/', name: 'renamed', timeZone: 'UTC', color: null, readOnly: false }]));
      assert.deepEqual(seen, [{ scope: 'calendar', tenantId: a, calendarId: cal!.id }], 'an upsert in a transaction, reported when it ends');
      seen.length = 0;
      await store.tenant(a).calendars.upsertMany('acc_missing', [{ providerCalendarId: 'https://dav.example/d/', name: 'd', timeZone: 'UTC', color: null, readOnly: false }]);
      assert.deepEqual(seen, [], 'an upsert that wrote no row changed nothing');
      // A job's narrower scope wins over the repository's.
      seen.length = 0;
      await inChangeScope({ tenantId: a, calendarId: cal!.id }, () => store.tenant(a).calendars.setCursor(cal!.id, 'c1'));
      assert.deepEqual(seen, [{ scope: 'calendar', tenantId: a, calendarId: cal!.id }]);
    } finally {
      await store.close();
    }
  });
});
