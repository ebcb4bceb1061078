/**
 * Migration 0083: a state names the account its sign-in stored. States from before have none (they
 * answer as before); the link goes when the account is deleted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Store } from './store.ts';

describe('migration 0083: the account a sign-in stored', () => {
  let store: Store;
  let tenantId: string;
  const pending = (expiresAt: Date) => ({ tenantId, provider: 'google', verifier: 'v1:enc', redirectUri: 'https://app.example.com/back', access: 'read' as const, accountId: null, loginHint: null, expiresAt });

  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate({ upTo: 82 });
    tenantId = (await store.tenants.create('stored')).tenant.id;
    await store.oauth.savePending('used-before', pending(new Date(Date.now() + 600_000)));
    await store.db.query("UPDATE oauth_states SET used_at = now(), verifier = NULL, claimed_until = now() - interval '1 second' WHERE state_hash = encode(sha256('used-before'), 'hex')");
  });
  after(async () => store?.close());

  it('a state used before names no account; one that stored an account names it until the account is deleted', async () => {
    assert.deepEqual(await store.migrate({ upTo: 83 }), ['0083_oauth_state_stored_account.sql']);
    await store.migrate();
    assert.equal((await store.oauth.usedState('used-before'))?.storedAccountId, null);
    assert.equal(await store.oauth.finishStored('used-before'), false, 'nothing stored: not finished as connected');
    const t = store.tenant(tenantId);
    const account = await t.accounts.upsert({ provider: 'memory', externalId: 'stored@example.com' });
    await t.transaction((tx) => tx.signIns.stored('used-before', account.id, null));
    assert.equal((await store.oauth.usedState('used-before'))?.storedAccountId, account.id);
    await t.purgeAccount(account.id, []);
    assert.equal((await store.oauth.usedState('used-before'))?.storedAccountId, null, 'a deleted account is no longer named');
  });
});
