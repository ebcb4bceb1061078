import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Store } from './store.ts';
import { changeOf, inChangeScope, type StoreChange } from './write-watch.ts';

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
    });
    inChangeScope({ tenantId: 'ten_1' }, () => {
      assert.deepEqual(changeOf('UPDATE calendars SET busy_version = busy_version + 1 WHERE id = $1', ['cal_1']), { scope: 'tenant', tenantId: 'ten_1' });
    });
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
      assert.ok(seen.length >= 2, `writes were reported: ${JSON.stringify(seen)}`);
      assert.deepEqual([...new Set(seen.map((c) => JSON.stringify(c)))], [JSON.stringify({ scope: 'tenant', tenantId: a })]);
      // A job's narrower scope wins over the repository's.
      seen.length = 0;
      await inChangeScope({ tenantId: a, calendarId: cal!.id }, () => store.tenant(a).calendars.setCursor(cal!.id, 'c1'));
      assert.deepEqual(seen, [{ scope: 'calendar', tenantId: a, calendarId: cal!.id }]);
    } finally {
      await store.close();
    }
  });
});
