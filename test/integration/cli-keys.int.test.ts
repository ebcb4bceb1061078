/**
 * The key rotation drill through `calhub keys rotate`: secrets sealed with the generated
 * key move to a new key while the old one still decrypts; then the new key alone reads every one
 * (0 failed decrypts); a ring missing the key a secret needs is exit 1, naming the row only.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KeyRing } from '../../oauth/index.ts';
import { calhub, withStore } from '../support/cli.ts';

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
