import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, test } from 'node:test';
import { loadConfig } from '../shared/config/index.ts';
import { defaultSecretsDir } from '../shared/secrets-dir.ts';
import { addKeyToFile, DecryptError, KeyRing, keyFileOf } from './keyring.ts';

const key = () => randomBytes(32).toString('base64');

test('round trip; the envelope does not contain the secret', () => {
  const ring = KeyRing.parse(`k1:${key()}`);
  const env = ring.encrypt('hunter2-password');
  assert.ok(!env.includes('hunter2'));
  assert.equal(ring.decrypt(env), 'hunter2-password');
  assert.notEqual(ring.encrypt('x'), ring.encrypt('x'), 'a fresh IV every time');
});

test('rotation: a new current key still reads old envelopes (dual read)', () => {
  const old = key();
  const before = KeyRing.parse(`k1:${old}`).encrypt('token');
  const ring = KeyRing.parse(`k2:${key()},k1:${old}`);
  assert.equal(ring.decrypt(before), 'token');
  assert.equal(ring.isStale(before), true);
  assert.equal(ring.isStale(ring.encrypt('token')), false);
});

test('fingerprints: one per key, the encrypting key first; equal for the same key, never the key itself', () => {
  const [a, b] = [key(), key()];
  const ring = KeyRing.parse(`k2:${b},k1:${a}`);
  const fp = ring.fingerprints();
  assert.deepEqual(fp.map((f) => f.split(':')[0]), ['k2', 'k1']);
  assert.equal(fp[1], KeyRing.parse(`k1:${a}`).fingerprints()[0], 'the same key gives the same fingerprint');
  assert.notEqual(KeyRing.parse(`k1:${b}`).fingerprints()[0], fp[1], 'another key under the same id does not');
  for (const k of [a, b]) assert.ok(!fp.join().includes(k) && !fp.join().includes(Buffer.from(k, 'base64').toString('hex')));
});

test('tampering and unknown keys fail with a clear error', () => {
  const ring = KeyRing.parse(`k1:${key()}`);
  const env = ring.encrypt('secret');
  const parts = env.split(':');
  parts[4] = Buffer.from('forged').toString('base64url');
  assert.throws(() => ring.decrypt(parts.join(':')), DecryptError);
  assert.throws(() => KeyRing.parse(`k9:${key()}`).decrypt(env), /key "k1", which is not in the key ring/);
});

// Issue 18: the generated key sat in the data dir, so a copy of the directory decrypted every stored password.
describe('the generated key lives outside the data dir', () => {
  const root = mkdtempSync(join(tmpdir(), 'calhub-keys-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  const dirs = () => {
    n += 1;
    return { dataDir: join(root, `data-${n}`), secretsDir: join(root, `config-${n}`, 'calhub') };
  };

  it('is generated once into the secrets dir (0700, the file 0600), nothing in the data dir, no warning', () => {
    const where = dirs();
    const warnings: string[] = [];
    const a = KeyRing.load(null, { ...where, warn: (m) => warnings.push(m) });
    const b = KeyRing.load(null, { ...where, warn: (m) => warnings.push(m) });
    assert.equal(b.decrypt(a.encrypt('same key')), 'same key');
    assert.equal(statSync(join(where.secretsDir, 'keys')).mode & 0o777, 0o600);
    assert.equal(statSync(where.secretsDir).mode & 0o777, 0o700);
    assert.equal(existsSync(join(where.dataDir, 'keys')), false);
    assert.deepEqual(warnings, []);
  });

  it('the default secrets dir is $XDG_CONFIG_HOME/calhub, else ~/.config/calhub; CALHUB_SECRETS_DIR overrides it', () => {
    assert.equal(defaultSecretsDir({ XDG_CONFIG_HOME: '/x/cfg' }), '/x/cfg/calhub');
    assert.equal(defaultSecretsDir({}), join(homedir(), '.config', 'calhub'));
    assert.equal(loadConfig({ CALHUB_SECRETS_DIR: '/srv/calhub-secrets' }).secretsDir, '/srv/calhub-secrets');
    assert.equal(loadConfig({ XDG_CONFIG_HOME: '/x/cfg' }).secretsDir, '/x/cfg/calhub');
  });

  it('an installation whose key is in the data dir keeps reading it there, with a loud warning naming the way out', () => {
    const where = dirs();
    mkdirSync(where.dataDir, { recursive: true });
    const legacy = `k1:${key()}`;
    writeFileSync(join(where.dataDir, 'keys'), `${legacy}\n`, { mode: 0o644 });
    chmodSync(join(where.dataDir, 'keys'), 0o644);
    const sealed = KeyRing.parse(legacy).encrypt('old password');
    const warnings: string[] = [];
    const ring = KeyRing.load(null, { ...where, warn: (m) => warnings.push(m) });
    assert.equal(ring.decrypt(sealed), 'old password');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^SECURITY WARNING: the encryption key .*\/data-\d+\/keys is inside the data dir .*: anyone with a copy or backup of the data dir can decrypt every stored password and token; move it out: mkdir -p -m 700 .*config-\d+\/calhub && mv /);
    assert.ok(!warnings[0]!.includes(legacy.slice(3)), 'the warning names the file, never the key');
    assert.equal(statSync(join(where.dataDir, 'keys')).mode & 0o777, 0o600, 'a readable key file is tightened');
    assert.equal(existsSync(join(where.secretsDir, 'keys')), false, 'no second key is made');
    // Moved as the warning says: read from the secrets dir, no warning.
    mkdirSync(where.secretsDir, { recursive: true, mode: 0o700 });
    renameSync(join(where.dataDir, 'keys'), join(where.secretsDir, 'keys'));
    assert.equal(KeyRing.load(null, { ...where, warn: (m) => warnings.push(m) }).decrypt(sealed), 'old password');
    assert.equal(warnings.length, 1);
  });

  it('a secrets dir inside the data dir is warned about too', () => {
    const where = dirs();
    const inside = { dataDir: where.dataDir, secretsDir: join(where.dataDir, 'secrets') };
    const warnings: string[] = [];
    KeyRing.load(null, { ...inside, warn: (m) => warnings.push(m) });
    assert.match(warnings[0] ?? '', /SECURITY WARNING: .* is inside the data dir .*point CALHUB_SECRETS_DIR outside the data dir/);
    assert.equal(keyFileOf(where.dataDir, join(root, 'elsewhere')).warning, null);
  });

  it('a configured ring reads no file and warns about nothing', () => {
    const where = dirs();
    const warnings: string[] = [];
    KeyRing.load(`k1:${key()}`, { ...where, warn: (m) => warnings.push(m) });
    assert.equal(existsSync(where.secretsDir), false);
    assert.deepEqual(warnings, []);
  });
});

test('addKeyToFile puts a new key first in the file, keeps the others, and leaves only the file (0600)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'calhub-addkey-data-'));
  const secretsDir = mkdtempSync(join(tmpdir(), 'calhub-addkey-secrets-'));
  try {
    const file = join(secretsDir, 'keys');
    const k7 = `k7:${randomBytes(32).toString('base64')}`;
    const old = `old:${randomBytes(32).toString('base64')}`;
    writeFileSync(file, `${k7},${old}\n`, { mode: 0o644 });
    const sealed = KeyRing.load(null, { dataDir, secretsDir }).encrypt('s3cret');
    const added = addKeyToFile({ dataDir, secretsDir });
    assert.deepEqual(added, { file, kid: 'k8' }, 'the next number after the highest kN');
    const entries = readFileSync(file, 'utf8').trim().split(',');
    assert.deepEqual(entries.slice(1), [k7, old]);
    assert.match(entries[0]!, /^k8:/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(secretsDir), ['keys'], 'no temporary file left');
    const ring = KeyRing.load(null, { dataDir, secretsDir });
    assert.equal(ring.decrypt(sealed), 's3cret', 'the old keys still decrypt');
    assert.equal(ring.encrypt('x').split(':')[1], 'k8', 'the new key encrypts');
  } finally {
    [dataDir, secretsDir].forEach((d) => rmSync(d, { recursive: true, force: true }));
  }
});
