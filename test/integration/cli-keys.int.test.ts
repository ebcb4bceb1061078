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
