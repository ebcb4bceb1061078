/**
 * `calhub status` finds grants whose OAuth client the hub no longer has from the client columns
 * beside the grants (migration 0059), not by decrypting every grant on every call: grants stored
 * before the columns are read once, and their client recorded. Grants from before client ids were
 * recorded at all are counted as `clientUnknown`: they follow the hub's current client.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { deploymentStatus, openHub, type Hub } from '../../hub/index.ts';
import { KeyRing, type StoredGrant } from '../../oauth/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logger.ts';
import type { Store } from '../../shared/store/index.ts';
import { openTestStore } from '../support/test-store.ts';

describe('calhub status: OAuth clients of the grants, read without decrypting them', () => {
  let store: Store;
  let hub: Hub;
  let keyring: KeyRing;
  let decrypts = 0;
  let tenantId: string;
  before(async () => {
    store = await openTestStore();
    await store.migrate();
    keyring = KeyRing.parse(`k1:${randomBytes(32).toString('base64')}`);
    const decrypt = keyring.decrypt.bind(keyring);
    keyring.decrypt = (envelope: string) => ((decrypts += 1), decrypt(envelope));
    hub = await openHub({ store, config: loadConfig({ GOOGLE_CLIENT_ID: 'hub-new', GOOGLE_CLIENT_SECRET: 'new-secret' }), logger: createLogger({ level: 'silent' }), keyring });
    tenantId = (await store.tenants.create('grant-clients')).tenant.id;
  });
  after(async () => {
    await hub?.close();
    await store?.close();
  });

  const grant = (clientId?: string): StoredGrant => ({ accessToken: `at-${randomBytes(6).toString('hex')}`, refreshToken: 'rt', expiresAt: Date.now() + 3_600_000, scope: '', app: 'default', access: 'read', ...(clientId ? { clientId } : {}) });

  it('reads each grant stored before the columns once, then none; names the stranded ones and counts those of unknown client', async () => {
    const t = store.tenant(tenantId);
    // Stored as before migration 0059 (no client columns): one of the old client, one from before client ids were recorded.
    const old = await t.accounts.upsert({ provider: 'google', externalId: 'old@example.com', credentials: hub.tokens.encrypt(grant('hub-old')) });
    const legacy = await t.accounts.upsert({ provider: 'google', externalId: 'legacy@example.com', credentials: hub.tokens.encrypt(grant()) });
    // Connected since: the client is written with the grant.
    for (let i = 0; i < 5; i++) {
      await t.accounts.upsert({ provider: 'google', externalId: `new${i}@example.com`, credentials: hub.tokens.encrypt(grant('hub-new')), grant: { app: 'default', clientId: 'hub-new' } });
    }
    await t.accounts.upsert({ provider: 'google', externalId: 'old2@example.com', credentials: hub.tokens.encrypt(grant('hub-old')), grant: { app: 'default', clientId: 'hub-old' } });
    const old2 = (await t.accounts.list()).find((a) => a.externalId === 'old2@example.com')!;

    decrypts = 0;
    const first = await deploymentStatus(hub);
    assert.equal(decrypts, 2, 'only the two grants stored before the columns are read');
    assert.deepEqual(first.clientsMissing, [{ provider: 'google', app: 'default', clientId: 'hub-old', n: 2, accountIds: [old.id, old2.id].sort() }]);
    assert.deepEqual(first.clientUnknown, [{ provider: 'google', app: 'default', n: 1, accountIds: [legacy.id] }]);

    decrypts = 0;
    const again = await deploymentStatus(hub);
    assert.equal(decrypts, 0, 'status reads no secret once the clients are recorded');
    assert.deepEqual(again.clientsMissing, first.clientsMissing);
    assert.deepEqual(again.clientUnknown, first.clientUnknown);
    assert.ok(!JSON.stringify(again).includes('new-secret'));
  });

  it('a refreshed grant records its client with it', async () => {
    const t = store.tenant(tenantId);
    const a = (await t.accounts.list()).find((x) => x.externalId === 'legacy@example.com')!;
    assert.ok(await t.accounts.takeRefreshLease(a.id, 'me', 10_000));
    await t.accounts.releaseRefreshLease(a.id, 'me', hub.tokens.encrypt(grant('hub-new')), { app: 'default', clientId: 'hub-new' });
    decrypts = 0;
    const s = await deploymentStatus(hub);
    assert.equal(decrypts, 0);
    assert.deepEqual(s.clientUnknown, []);
  });
});
