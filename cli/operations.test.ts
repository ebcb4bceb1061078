import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../shared/config/index.ts';
import { identityDiff, identityOf, settingsThatMatter } from './operations.ts';

describe('operations identity', () => {
  const base = { CALHUB_DATA_DIR: '/tmp/calhub-ops-test', CALHUB_SECRETS_DIR: '/tmp/calhub-ops-secrets' };
  it('names the settings that differ, and only those', () => {
    const hub = identityOf(loadConfig(base));
    assert.deepEqual(identityDiff(hub, identityOf(loadConfig(base))), []);
    assert.deepEqual(identityDiff(hub, identityOf(loadConfig({ ...base, CALDAV_ALLOW_PRIVATE_NETWORKS: 'true', REDIS_PREFIX: '{other}' }))), ['REDIS_PREFIX', 'CALDAV_ALLOW_PRIVATE_NETWORKS']);
    assert.deepEqual(identityDiff(hub, identityOf(loadConfig({ ...base, WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' }))), ['WEBHOOKS_ALLOW_PRIVATE_NETWORKS']);
    assert.deepEqual(identityDiff(hub, 'a digest from an older calhub'), ['its version']);
  });
  it('declines only for the settings the work depends on: the store always, a network policy where the command checks addresses by its own', () => {
    const differ = ['REDIS_PREFIX', 'CALDAV_ALLOW_PRIVATE_NETWORKS', 'WEBHOOKS_ALLOW_PRIVATE_NETWORKS'];
    const command = (name: string) => ({ op: 'command', args: { name, args: [] } });
    // A resync, a channel renewal, a disconnect reach the providers with the hub's settings when it does them.
    for (const req of [{ op: 'resync', args: {} }, command('channels renew'), command('accounts disconnect')]) {
      assert.deepEqual(settingsThatMatter(req, ['CALDAV_ALLOW_PRIVATE_NETWORKS', 'WEBHOOKS_ALLOW_PRIVATE_NETWORKS']), [], JSON.stringify(req));
      assert.deepEqual(settingsThatMatter(req, differ), ['REDIS_PREFIX']);
    }
    assert.deepEqual(settingsThatMatter({ op: 'accounts connect caldav', args: {} }, differ), ['REDIS_PREFIX', 'CALDAV_ALLOW_PRIVATE_NETWORKS']);
    assert.deepEqual(settingsThatMatter(command('webhooks create'), differ), ['REDIS_PREFIX', 'WEBHOOKS_ALLOW_PRIVATE_NETWORKS']);
    assert.deepEqual(settingsThatMatter({ op: 'settings', args: null }, differ), differ, '`keys rotate` asks about every one');
    assert.deepEqual(settingsThatMatter(command('accounts list'), ['its version']), ['its version']);
  });
  it('carries digests, never the values', () => {
    const keys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    const text = JSON.stringify(identityOf(loadConfig({ ...base, CALHUB_ENCRYPTION_KEYS: keys, DATABASE_URL: 'postgres://u:secret-pw@db/x' })));
    for (const secret of [keys, 'secret-pw', '/tmp/calhub-ops-test']) assert.ok(!text.includes(secret), `${secret} is in the identity`);
  });
});
