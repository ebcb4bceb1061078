import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../shared/config/index.ts';
import { identityDiff, identityOf } from './operations.ts';

describe('operations identity', () => {
  const base = { CALHUB_DATA_DIR: '/tmp/calhub-ops-test', CALHUB_SECRETS_DIR: '/tmp/calhub-ops-secrets' };
  it('names the settings that differ, and only those', () => {
    const hub = identityOf(loadConfig(base));
    assert.deepEqual(identityDiff(hub, identityOf(loadConfig(base))), []);
    assert.deepEqual(identityDiff(hub, identityOf(loadConfig({ ...base, CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', REDIS_PREFIX: '{other}' }))), ['REDIS_PREFIX', 'CALDAV_ALLOW_PRIVATE_NETWORKS']);
    assert.deepEqual(identityDiff(hub, identityOf(loadConfig({ ...base, WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' }))), ['WEBHOOKS_ALLOW_PRIVATE_NETWORKS']);
    assert.deepEqual(identityDiff(hub, 'a digest from an older calhub'), ['its version']);
  });
  it('carries digests, never the values', () => {
    const keys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    const text = JSON.stringify(identityOf(loadConfig({ ...base, CALHUB_ENCRYPTION_KEYS: keys, DATABASE_URL: 'postgres://u:secret-pw@db/x' })));
    for (const secret of [keys, 'secret-pw', '/tmp/calhub-ops-test']) assert.ok(!text.includes(secret), `${secret} is in the identity`);
  });
});
