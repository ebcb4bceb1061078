import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { listSecretCells, Store } from '../shared/store/index.ts';
import { KeyRing } from './keyring.ts';
import { rotateKeys } from './rotate-keys.ts';

const key = () => randomBytes(32).toString('base64');

/** Every text cell of every table of the store that holds an envelope of key `kid` (table.column). */
async function cellsOnKey(store: Store, kid: string): Promise<string[]> {
  const cols = await store.db.query<{ t: string; c: string }>(
    `SELECT table_name AS t, column_name AS c FROM information_schema.columns
      WHERE table_schema = current_schema() AND data_type = 'text' ORDER BY 1, 2`,
  );
  const out: string[] = [];
  for (const { t, c } of cols) {
    const [r] = await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t}" WHERE "${c}" LIKE $1`, [`v1:${kid}:%`]);
    if (r!.n > 0) out.push(`${t}.${c}`);
  }
  return out;
}

test('key rotation drill: every secret moves to the new key; afterwards the new key alone reads all of them (0 failed decrypts)', async () => {
  const store = await Store.open({ dataDir: null });
  await store.migrate();
  const k1 = `k1:${key()}`;
  const k2 = `k2:${key()}`;
  const old = KeyRing.parse(k1);
  const plain = new Map<string, string>();
  for (let t = 0; t < 3; t++) {
    const tenantId = (await store.tenants.create(`t${t}`)).tenant.id;
    for (let a = 0; a < 4; a++) {
      const secret = JSON.stringify({ username: `u${a}`, password: `pw-${t}-${a}` });
      const row = await store.tenant(tenantId).accounts.upsert({ provider: 'caldav', externalId: `u${a}@t${t}`, credentials: old.encrypt(secret) });
      plain.set(row.id, secret);
    }
    await store.oauth.setApp(tenantId, { provider: 'google', clientId: 'own', clientSecret: old.encrypt(`app-secret-${t}`) });
    // One endpoint whose secret was rotated (both columns hold an envelope), one with its first secret.
    const hooks = store.tenant(tenantId).webhooks;
    const rotated = await hooks.create({ url: 'https://example.com/a', eventTypes: ['event.created'], encryptedSecret: old.encrypt(`whsec-a-${t}`) });
    await hooks.rotateSecret(rotated.id, old.encrypt(`whsec-a2-${t}`), new Date(), new Date(Date.now() + 86_400_000));
    await hooks.create({ url: 'https://example.com/b', eventTypes: ['event.created'], encryptedSecret: old.encrypt(`whsec-b-${t}`) });
    await store.oauth.savePending(`state-${t}`, { tenantId, provider: 'google', verifier: old.encrypt(`verifier-${t}`), redirectUri: 'https://x/cb', access: 'read', accountId: null, loginHint: null, expiresAt: new Date(Date.now() + 60_000) });
  }
  const ring = KeyRing.parse(`${k2},${k1}`);
  const report = await rotateKeys(store, ring);
  assert.deepEqual({ checked: report.checked, rotated: report.rotated, failed: report.failed.length, remainingStale: report.remainingStale }, { checked: 27, rotated: 27, failed: 0, remainingStale: 0 });
  const newOnly = KeyRing.parse(k2);
  let failed = 0;
  for (const cell of await listSecretCells(store.db)) {
    try {
      const text = newOnly.decrypt(cell.envelope);
      if (cell.table === 'accounts') assert.equal(text, plain.get(cell.key));
    } catch {
      failed += 1;
    }
  }
  assert.equal(failed, 0);
  // Every envelope in the database, wherever it is, not only in the columns rotation knows of:
  // the old key must be droppable, so none may still name it.
  assert.deepEqual(await cellsOnKey(store, 'k1'), [], 'envelopes still on the old key after rotation');
  assert.equal((await rotateKeys(store, ring)).rotated, 0, 'a second pass has nothing left to do');
  await store.close();
});

test('an envelope no key can read is reported by table and row, without its content', async () => {
  const store = await Store.open({ dataDir: null });
  await store.migrate();
  const tenantId = (await store.tenants.create('t')).tenant.id;
  const lost = KeyRing.parse(`k0:${key()}`);
  const row = await store.tenant(tenantId).accounts.upsert({ provider: 'caldav', externalId: 'x', credentials: lost.encrypt('hunter2') });
  const report = await rotateKeys(store, KeyRing.parse(`k2:${key()}`));
  assert.equal(report.failed.length, 1);
  assert.deepEqual([report.failed[0]!.table, report.failed[0]!.key], ['accounts', row.id]);
  assert.ok(!JSON.stringify(report).includes('hunter2'));
  assert.equal(report.remainingStale, 1);
  await store.close();
});
