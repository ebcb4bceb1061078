import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changeOf, inChangeScope } from './write-watch.ts';

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
