import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DecryptError, KeyRing } from './keyring.ts';

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

test('tampering and unknown keys fail with a clear error', () => {
  const ring = KeyRing.parse(`k1:${key()}`);
  const env = ring.encrypt('secret');
  const parts = env.split(':');
  parts[4] = Buffer.from('forged').toString('base64url');
  assert.throws(() => ring.decrypt(parts.join(':')), DecryptError);
  assert.throws(() => KeyRing.parse(`k9:${key()}`).decrypt(env), /key "k1", which is not in the key ring/);
});

test('without configuration a key is generated once, readable only by its owner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calhub-keys-'));
  const a = KeyRing.load(null, dir);
  const b = KeyRing.load(null, dir);
  assert.equal(b.decrypt(a.encrypt('same key')), 'same key');
  assert.equal(statSync(join(dir, 'keys')).mode & 0o077, 0);
});
