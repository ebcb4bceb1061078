/**
 * Migration 0076: a state's claim is a lease (claimed_until). States used before it (no lease,
 * verifier already dropped) stay used; pending ones are claimed as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Store } from './store.ts';

describe('migration 0076: oauth state claim lease', () => {
  let store: Store;
  let tenantId: string;
  const pending = (expiresAt: Date) => ({ tenantId, provider: 'google', verifier: 'v1:enc', redirectUri: 'https://app.example.com/back', access: 'read' as const, accountId: null, loginHint: null, expiresAt });

  before(async () => {
    store = await Store.open({ dataDir: null });
    await store.migrate({ upTo: 75 });
    tenantId = (await store.tenants.create('claim')).tenant.id;
    const soon = new Date(Date.now() + 600_000);
    await store.oauth.savePending('used-before', pending(soon));
    await store.oauth.savePending('pending-before', pending(soon));
    await store.db.query("UPDATE oauth_states SET used_at = now(), verifier = NULL WHERE state_hash = encode(sha256('used-before'), 'hex')");
  });
  after(async () => store?.close());

  it('a state used before stays used (no lease to take over); a pending one is claimed with its verifier', async () => {
    assert.deepEqual(await store.migrate({ upTo: 76 }), ['0076_oauth_state_claim_lease.sql']);
    // The rows as 0076 left them, read by today's repository (it reads columns added later).
    await store.migrate();
    assert.equal(await store.oauth.consumePending('used-before', 60_000), null);
    const used = await store.oauth.usedState('used-before');
    assert.deepEqual([used?.claimedUntil, used?.claimLive, used?.exchangeable], [null, false, false]);
    const claimed = await store.oauth.consumePending('pending-before', 60_000);
    assert.deepEqual([claimed?.verifier, claimed?.retried], ['v1:enc', false]);
    assert.equal((await store.oauth.usedState('pending-before'))?.claimLive, true);
  });
});
