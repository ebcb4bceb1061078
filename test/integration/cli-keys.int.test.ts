/**
 * The key rotation drill through `calhub keys rotate`: secrets sealed with the generated
 * key move to a new key while the old one still decrypts; then the new key alone reads every one
 * (0 failed decrypts); a ring missing the key a secret needs is exit 1, naming the row only.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KeyRing } from '../../oauth/index.ts';
import { calhub, startHub, stopHub, withStore } from '../support/cli.ts';

describe('calhub keys rotate', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'calhub-keys-'));
  const secretsDir = mkdtempSync(join(tmpdir(), 'calhub-keys-secrets-'));
  const env = { CALHUB_DATA_DIR: dataDir, CALHUB_SECRETS_DIR: secretsDir, LOG_LEVEL: 'silent', REDIS_URL: '', DATABASE_URL: '' };
  after(() => [dataDir, secretsDir].forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('moves every secret to the newest key; afterwards the new key alone reads them all', async () => {
    const password = `pw-${randomBytes(8).toString('hex')}`;
    await withStore(dataDir, async (s) => {
      await s.migrate();
      const old = KeyRing.load(null, { dataDir, secretsDir });
      const t = (await s.tenants.create('keys')).tenant.id;
      for (const name of ['a', 'b', 'c']) {
        await s.tenant(t).accounts.upsert({ provider: 'caldav', externalId: name, credentials: old.encrypt(JSON.stringify({ username: name, password })) });
      }
    });
    const oldKey = readFileSync(join(secretsDir, 'keys'), 'utf8').trim();
    const newKey = `k2:${randomBytes(32).toString('base64')}`;

    const rotated = await calhub(['keys', 'rotate', '--json'], { ...env, CALHUB_ENCRYPTION_KEYS: `${newKey},${oldKey}` });
    assert.equal(rotated.code, 0, rotated.stderr);
    const r = JSON.parse(rotated.stdout);
    assert.deepEqual([r.checked, r.rotated, r.failed.length, r.remainingStale], [3, 3, 0, 0]);

    const alone = await calhub(['keys', 'rotate', '--json'], { ...env, CALHUB_ENCRYPTION_KEYS: newKey });
    assert.equal(alone.code, 0, alone.stderr);
    const again = JSON.parse(alone.stdout);
    assert.deepEqual([again.checked, again.rotated, again.failed.length], [3, 0, 0], 'the new key alone decrypts every secret');

    const lost = await calhub(['keys', 'rotate'], { ...env, CALHUB_ENCRYPTION_KEYS: oldKey });
    assert.equal(lost.code, 1);
    assert.match(lost.stdout, /cannot decrypt accounts\.credentials acc_/);
    assert.ok(!(lost.stdout + lost.stderr).includes(password));
  });
});

describe('calhub keys rotate on the generated keys file (the embedded default)', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const fresh = async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'calhub-keys-'));
    const secretsDir = mkdtempSync(join(tmpdir(), 'calhub-keys-secrets-'));
    dirs.push(dataDir, secretsDir);
    const password = `pw-${randomBytes(8).toString('hex')}`;
    await withStore(dataDir, async (s) => {
      await s.migrate();
      const ring = KeyRing.load(null, { dataDir, secretsDir });
      const t = (await s.tenants.create('keys')).tenant.id;
      for (const name of ['a', 'b']) {
        await s.tenant(t).accounts.upsert({ provider: 'caldav', externalId: name, credentials: ring.encrypt(JSON.stringify({ username: name, password })) });
      }
    });
    const file = join(secretsDir, 'keys');
    return { dataDir, secretsDir, file, password, env: { CALHUB_DATA_DIR: dataDir, CALHUB_SECRETS_DIR: secretsDir, LOG_LEVEL: 'silent', REDIS_URL: '', DATABASE_URL: '' } };
  };

  it('without CALHUB_ENCRYPTION_KEYS adds a new first key to the file and re-encrypts under it', async () => {
    const { file, env, password } = await fresh();
    const before = readFileSync(file, 'utf8').trim();
    const r = await calhub(['keys', 'rotate'], env);
    assert.equal(r.code, 0, r.stderr);
    const after = readFileSync(file, 'utf8').trim().split(',');
    assert.equal(after.length, 2);
    assert.match(after[0]!, /^k2:/, 'the new key comes first');
    assert.equal(after[1], before, 'the old key stays');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(r.stdout, new RegExp(`added key "k2" first in ${file}`));
    assert.match(r.stdout, /re-encrypted: 2\b/);
    assert.match(r.stdout, new RegExp(`older keys can now be dropped from ${file}`));
    assert.doesNotMatch(r.stdout, /CALHUB_ENCRYPTION_KEYS/);
    assert.ok(!(r.stdout + r.stderr).includes(after[0]!.split(':')[1]!), 'the key is never printed');
    assert.ok(!(r.stdout + r.stderr).includes(password));
    // The new key alone reads every secret: nothing is left on the old one.
    const alone = await calhub(['keys', 'rotate', '--json'], { ...env, CALHUB_ENCRYPTION_KEYS: after[0]! });
    assert.equal(alone.code, 0, alone.stderr);
    const again = JSON.parse(alone.stdout);
    assert.deepEqual([again.checked, again.rotated, again.failed.length], [2, 0, 0]);
  });

  it('refuses while a hub runs on the data dir, with or without CALHUB_ENCRYPTION_KEYS, and changes nothing', async () => {
    const { dataDir, file, env } = await fresh();
    const before = readFileSync(file, 'utf8').trim();
    const hub = await startHub({ ...env, LOG_LEVEL: 'info' }); // it says when it listens
    try {
      const plain = await calhub(['keys', 'rotate'], env);
      assert.equal(plain.code, 2, plain.stdout);
      assert.match(plain.stderr, new RegExp(`a calhub is running on the data dir ${dataDir}.*stop it, run calhub keys rotate, then start it again`));
      const other = await calhub(['keys', 'rotate'], { ...env, CALHUB_ENCRYPTION_KEYS: `k9:${randomBytes(32).toString('base64')},${before}` });
      assert.equal(other.code, 2, other.stdout);
      assert.match(other.stderr, /has another key ring/);
      assert.equal(readFileSync(file, 'utf8').trim(), before, 'the key file is untouched');
    } finally {
      await stopHub(hub.child, dataDir);
    }
    // Every secret is still under the hub's own key: the old ring alone reads them all.
    const check = await calhub(['keys', 'rotate', '--json'], { ...env, CALHUB_ENCRYPTION_KEYS: before });
    assert.equal(check.code, 0, check.stderr);
    assert.deepEqual([JSON.parse(check.stdout).rotated, JSON.parse(check.stdout).failed.length], [0, 0]);
  });
});

describe('calhub tenants oauth-app --retired-client-id: a replaced client kept for its accounts gets a new secret, encrypted, and `keys rotate` moves it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'calhub-retired-'));
  const secretsDir = mkdtempSync(join(tmpdir(), 'calhub-retired-secrets-'));
  const k1 = `k1:${randomBytes(32).toString('base64')}`;
  const env = { CALHUB_DATA_DIR: dataDir, CALHUB_SECRETS_DIR: secretsDir, LOG_LEVEL: 'silent', REDIS_URL: '', DATABASE_URL: '', CALHUB_ENCRYPTION_KEYS: k1 };
  after(() => [dataDir, secretsDir].forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('rotates the kept client only, never shows the secret, and refuses what is not a kept client', async () => {
    const ring = KeyRing.parse(k1);
    const OLD = `old-${randomBytes(8).toString('hex')}`;
    const NEW = `new-${randomBytes(8).toString('hex')}`;
    const tenantId = await withStore(dataDir, async (s) => {
      await s.migrate();
      const t = (await s.tenants.create('retired')).tenant.id;
      await s.oauth.setApp(t, { provider: 'microsoft', clientId: 'app-two', clientSecret: ring.encrypt('current-secret') });
      await s.oauth.keepRetiredApp(t, { provider: 'microsoft', clientId: 'app-one', clientSecret: ring.encrypt(OLD) });
      const grant = { accessToken: 'at', refreshToken: 'rt', expiresAt: Date.now() + 3_600_000, scope: '', access: 'read', app: 'tenant', clientId: 'app-one' };
      await s.tenant(t).accounts.upsert({ provider: 'microsoft', externalId: 'user-1', credentials: ring.encrypt(JSON.stringify(grant)) });
      return t;
    });

    const set = await calhub(['tenants', 'oauth-app', tenantId, 'microsoft', '--retired-client-id', 'app-one', '--client-secret-stdin', '--json'], env, 120_000, `${NEW}\n`);
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(JSON.parse(set.stdout).retiredClients, [{ clientId: 'app-one', hasSecret: true, accounts: 1 }]);
    assert.ok(!(set.stdout + set.stderr).includes(NEW));
    const table = await calhub(['tenants', 'oauth-app', tenantId, 'microsoft'], env);
    assert.match(table.stdout, /app-one \(replaced, kept for its accounts\)\s+kept \(encrypted\)\s+1/);

    const stored = await withStore(dataDir, async (s) => ({ current: (await s.oauth.app(tenantId, 'microsoft'))!, kept: (await s.oauth.retiredApp(tenantId, 'microsoft', 'app-one'))! }));
    assert.equal(ring.decrypt(stored.kept.clientSecret!), NEW);
    assert.ok(!stored.kept.clientSecret!.includes(NEW));
    assert.equal(ring.decrypt(stored.current.clientSecret!), 'current-secret', "the current client's secret is untouched");

    const noSecret = await calhub(['tenants', 'oauth-app', tenantId, 'microsoft', '--retired-client-id', 'app-one'], env);
    assert.notEqual(noSecret.code, 0);
    assert.match(noSecret.stderr, /--retired-client-id needs the new secret/);
    const current = await calhub(['tenants', 'oauth-app', tenantId, 'microsoft', '--retired-client-id', 'app-two', '--client-secret-stdin'], env, 120_000, 'x');
    assert.notEqual(current.code, 0);
    assert.match(current.stderr, /app-two is the app's current client/);
    const unknown = await calhub(['tenants', 'oauth-app', tenantId, 'microsoft', '--retired-client-id', 'app-zero', '--client-secret-stdin'], env, 120_000, 'x');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no replaced OAuth client app-zero/);

    const k2 = `k2:${randomBytes(32).toString('base64')}`;
    const rotated = await calhub(['keys', 'rotate', '--json'], { ...env, CALHUB_ENCRYPTION_KEYS: `${k2},${k1}` });
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.deepEqual([JSON.parse(rotated.stdout).rotated, JSON.parse(rotated.stdout).failed.length], [3, 0], 'the account, the app and the kept client');
    const kept = await withStore(dataDir, (s) => s.oauth.retiredApp(tenantId, 'microsoft', 'app-one'));
    assert.equal(KeyRing.parse(k2).decrypt(kept!.clientSecret!), NEW, 'the new key alone reads it');
  });
});
