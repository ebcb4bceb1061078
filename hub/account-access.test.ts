/**
 * Migration 0027 on a store with accounts from before it: SQL cannot read an OAuth grant, so those
 * rows have no access until calhub first reads one; then the column holds the grant's and no
 * decryption is needed again. CalDAV accounts become readwrite in the migration itself.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { KeyRing, type StoredGrant } from '../oauth/index.ts';
import { Store } from '../shared/store/index.ts';
import { accessOf } from './account-access.ts';

test('accounts from before migration 0027: CalDAV readwrite at once, OAuth filled from the grant on first read', async () => {
  const store = await Store.open({ dataDir: null });
  try {
    await store.migrate({ upTo: 26 });
    const keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
    const { tenant } = await store.tenants.create('before-0027');
    const t = store.tenant(tenant.id);
    const grant = (access: StoredGrant['access']) => keyring.encrypt(JSON.stringify({ accessToken: 'at', refreshToken: 'rt', expiresAt: 0, scope: '', app: 'default', access } satisfies StoredGrant));
    const google = await t.accounts.upsert({ provider: 'google', externalId: 'fb@example.com', credentials: grant('freebusy') });
    const dav = await t.accounts.upsert({ provider: 'caldav', externalId: 'dav@example.com/' });
    assert.deepEqual(await store.migrate({ upTo: 27 }), ['0027_account_access.sql']);

    const column = async (id: string) => (await store.db.query<{ access: string | null }>('SELECT access FROM accounts WHERE id = $1', [id]))[0]!.access;
    assert.equal(await column(dav.id), 'readwrite');
    assert.equal(await column(google.id), null, 'SQL could not read the grant');

    // An endpoint, so account changes are written to the webhook outbox. Plain SQL: the repo's
    // statements name columns of later migrations than this schema's 0027.
    await store.db.query(`INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, secret) VALUES ('whe_before0027', $1, 'https://hooks.example.com/', ARRAY['*'], $2)`, [tenant.id, keyring.encrypt('s')]);
    let decrypted = 0;
    const fromGrant = (c: string) => (decrypted++, (JSON.parse(keyring.decrypt(c)) as StoredGrant).access);
    assert.equal(await accessOf(store, fromGrant, (await t.accounts.get(google.id))!), 'freebusy');
    assert.equal(await column(google.id), 'freebusy', 'stored on first read');
    assert.equal(await accessOf(store, fromGrant, (await t.accounts.get(google.id))!), 'freebusy');
    assert.equal(decrypted, 1, 'read from the column afterwards');
    const updated = async () => (await store.db.query<{ d: string }>(`SELECT data::text AS d FROM webhook_outbox WHERE kind = 'account' AND op = 'updated'`)).map((r) => r.d);
    assert.deepEqual(await updated(), [], 'filling the column is no change of access');
    await t.accounts.upsert({ provider: 'google', externalId: 'fb@example.com', credentials: grant('read'), access: 'read' });
    assert.equal((await updated()).length, 1, 'a change of access is');
    assert.match((await updated())[0]!, /"oldAccess": "freebusy"/);
  } finally {
    await store.close();
  }
});
