/**
 * `accounts disable` then `accounts enable` turned a needs_reauth account active (found by an
 * outside user): enable of a needs_reauth account is refused, but disabling it first got around
 * that; webhooks said needs_reauth -> disabled -> active and free/busy dropped
 * ACCOUNT_NEEDS_REAUTH until a sync failed again. And enabling queued no sync: the calendars kept
 * ACCOUNT_DISABLED until the next poll, and a notification that came while disabled was lost.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { KeyRing } from '../../oauth/index.ts';
import { Store } from '../../shared/store/index.ts';
import type { Hub } from '../open-hub.ts';
import { setAccountStatus } from './status.ts';

async function setUp() {
  const store = await Store.open({ dataDir: null });
  await store.migrate();
  const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
  const { tenant } = await store.tenants.create('enable');
  const t = store.tenant(tenant.id);
  await t.webhooks.create({ url: 'https://hooks.example.com/', eventTypes: ['*'], encryptedSecret: keyring.encrypt('s') });
  const account = await t.accounts.upsert({ provider: 'caldav', externalId: 'dav@example.com/' });
  const cals = await t.calendars.upsertMany(account.id, [
    { providerCalendarId: '/dav/work/', name: 'Work', timeZone: 'UTC', color: null, readOnly: false },
    { providerCalendarId: '/dav/home/', name: 'Home', timeZone: 'UTC', color: null, readOnly: false },
  ]);
  const pulls: string[] = [];
  const hub = { store, engine: {}, requestPull: async (_t: string, id: string) => void pulls.push(id) } as unknown as Hub;
  const sent = async () => {
    const rows = await store.db.query<{ op: string; data: Record<string, unknown> }>(`SELECT op, data FROM webhook_outbox WHERE kind = 'account' ORDER BY seq`);
    await store.db.query(`DELETE FROM webhook_outbox WHERE kind = 'account'`);
    return rows.map((r) => [r.op, r.data.status]);
  };
  await sent();
  return { store, t, account, cals, hub, pulls, sent, tenantId: tenant.id };
}

test('an account disabled while it needed reauth is enabled back to needs_reauth, with its reason, and nothing is pulled', async () => {
  const { store, t, account, hub, pulls, sent, tenantId } = await setUp();
  try {
    await t.accounts.markNeedsReauth(account.id, 'CalDAV server rejected the credentials (401)');
    await sent();
    assert.deepEqual(await setAccountStatus(hub, tenantId, account.id, 'disable'), { id: account.id, status: 'disabled', statusReason: 'disabled by an operator', pullsQueued: 0 });
    assert.deepEqual(await setAccountStatus(hub, tenantId, account.id, 'enable'), { id: account.id, status: 'needs_reauth', statusReason: 'CalDAV server rejected the credentials (401)', pullsQueued: 0 });
    const now = (await t.accounts.get(account.id))!;
    assert.deepEqual([now.status, now.statusReason], ['needs_reauth', 'CalDAV server rejected the credentials (401)']);
    assert.deepEqual(await sent(), [['updated', 'disabled'], ['needs_reauth', 'needs_reauth']], 'never active');
    assert.deepEqual(pulls, [], 'its grant is dead: nothing to pull with');
    await assert.rejects(setAccountStatus(hub, tenantId, account.id, 'enable'), /reconnected/);
    // Disabled twice: the second does not forget what the first remembered.
    await setAccountStatus(hub, tenantId, account.id, 'disable');
    await setAccountStatus(hub, tenantId, account.id, 'disable');
    assert.equal((await setAccountStatus(hub, tenantId, account.id, 'enable')).status, 'needs_reauth');
    // Reconnected (a good grant, active again), then disabled: enabled, it is active.
    await setAccountStatus(hub, tenantId, account.id, 'disable');
    await t.accounts.upsert({ provider: 'caldav', externalId: 'dav@example.com/' });
    assert.equal((await t.accounts.get(account.id))!.status, 'active');
    await setAccountStatus(hub, tenantId, account.id, 'disable');
    assert.equal((await setAccountStatus(hub, tenantId, account.id, 'enable')).status, 'active');
  } finally {
    await store.close();
  }
});

test('enabling an active-when-disabled account makes it active and queues a pull of each synced calendar', async () => {
  const { store, account, cals, hub, pulls, tenantId } = await setUp();
  try {
    await setAccountStatus(hub, tenantId, account.id, 'disable');
    assert.deepEqual(pulls, []);
    assert.deepEqual(await setAccountStatus(hub, tenantId, account.id, 'enable'), { id: account.id, status: 'active', statusReason: null, pullsQueued: cals.length });
    assert.deepEqual(pulls.sort(), cals.map((c) => c.id).sort());
  } finally {
    await store.close();
  }
});
