/**
 * Disabling an account pauses it; its calendars and events stay (docs/sync-states.md). The webhook
 * said account.disconnected, which tells a product to drop what it holds of the account, and
 * enabling it again account.connected (found by an outside user). Both are account.updated now.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { KeyRing } from '../../oauth/index.ts';
import { Store } from '../../shared/store/index.ts';

test('disable and enable send account.updated naming the status change; a removal still sends account.disconnected', async () => {
  const store = await Store.open({ dataDir: null });
  try {
    await store.migrate();
    const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
    const { tenant } = await store.tenants.create('status-webhooks');
    const t = store.tenant(tenant.id);
    await t.webhooks.create({ url: 'https://hooks.example.com/', eventTypes: ['*'], encryptedSecret: keyring.encrypt('s') });
    const account = await t.accounts.upsert({ provider: 'caldav', externalId: 'dav@example.com/' });
    const sent = async () => {
      const rows = await store.db.query<{ op: string; data: Record<string, unknown> }>(`SELECT op, data FROM webhook_outbox WHERE kind = 'account' ORDER BY seq`);
      await store.db.query(`DELETE FROM webhook_outbox WHERE kind = 'account'`);
      return rows.map((r) => [r.op, r.data.status, r.data.oldStatus ?? null, r.data.changed ?? null]);
    };
    assert.deepEqual(await sent(), [['connected', 'active', null, null]]);
    await t.accounts.setStatus(account.id, 'disabled', 'disabled by an operator');
    assert.deepEqual(await sent(), [['updated', 'disabled', 'active', ['status']]]);
    await t.accounts.setStatus(account.id, 'active', null);
    assert.deepEqual(await sent(), [['updated', 'active', 'disabled', ['status']]]);
    await t.accounts.setStatus(account.id, 'needs_reauth', 'refresh token revoked');
    assert.deepEqual(await sent(), [['needs_reauth', 'needs_reauth', null, null]]);
    await t.accounts.setStatus(account.id, 'active', null);
    assert.deepEqual(await sent(), [['connected', 'active', null, null]], 'reconnected after needs_reauth');
    await t.accounts.setStatus(account.id, 'disabled', 'disabled by an operator');
    await sent();
    await t.accounts.delete(account.id);
    assert.deepEqual(await sent(), [['disconnected', 'removed', null, null]]);
  } finally {
    await store.close();
  }
});
