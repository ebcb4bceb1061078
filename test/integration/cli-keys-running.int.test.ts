/**
 * `calhub keys rotate` on a PostgreSQL store refuses while a `calhub serve` or `calhub worker` of
 * that database runs whose key ring does not encrypt with the rotation's first key, and rotates
 * once every running process has the new ring. It rotated regardless: serve and worker answer no
 * operations socket, and run on other hosts than the data dir's anyway; what they share is the
 * database, where each now says which ring it holds (migration 0033).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KeyRing } from '../../oauth/index.ts';
import { keyRingHolders, Store } from '../../shared/store/index.ts';
import { listedAccount } from '../../shared/test-support.ts';
import { BIN, calhub, ROOT, startHub, stopHub, withSecretsDir } from '../support/cli.ts';

const PG = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `t_keysrun_${process.pid}_${randomBytes(3).toString('hex')}`;
const OLD = `k1:${randomBytes(32).toString('base64')}`;
const NEW = `k2:${randomBytes(32).toString('base64')}`;
const SLOW = 180_000;

describe('calhub keys rotate under a running serve or worker of the same database', { timeout: 600_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'calhub-keys-run-'));
  const databaseUrl = `${PG}?options=${encodeURIComponent(`-c search_path=${SCHEMA},public`)}`;
  const env = {
    CALHUB_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `{t-keysrun-${randomBytes(3).toString('hex')}}`,
    LOG_LEVEL: 'info', PORT: '0', WORKER_METRICS_PORT: '',
  };
  let store: Store;
  const children: ChildProcess[] = [];
  const credentials = async () => (await store.db.query<{ credentials: string }>('SELECT credentials FROM accounts')).map((r) => r.credentials.split(':')[1]);
  const running = async () => (await keyRingHolders.liveHolders(store.db, 45_000)).map((h) => `${h.role}:${h.ring[0]!.split(':')[0]}`).sort();

  /** A `calhub worker`, up once its row is in the store (it listens on nothing). */
  async function startWorker(keys: string): Promise<ChildProcess> {
    const before = (await running()).length;
    const child = spawn(process.execPath, [BIN, 'worker'], { cwd: ROOT, env: withSecretsDir({ ...process.env, ...env, CALHUB_ENCRYPTION_KEYS: keys }), stdio: 'ignore' });
    children.push(child);
    for (let waited = 0; (await running()).length === before; waited += 200) {
      if (child.exitCode !== null || waited > SLOW) throw new Error(`calhub worker did not come up (exit ${child.exitCode})`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return child;
  }

  before(async () => {
    store = await Store.open({ databaseUrl, schema: SCHEMA });
    await store.migrate();
    const t = (await store.tenants.create('keys-running')).tenant.id;
    // Listed, as a connect leaves it: else the workers' sweep tries to list it (no server) while keys rotate.
    await listedAccount(store.tenant(t), { provider: 'caldav', externalId: 'a', credentials: KeyRing.parse(OLD).encrypt(JSON.stringify({ username: 'a', password: 'pw' })) });
  });
  after(async () => {
    for (const c of children) await stopHub(c);
    await store?.db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses while one runs on the old ring, naming it; rotates once they all encrypt with the new key', async () => {
    // It can read the new key, but encrypts with the old one: what it writes stays on the old key.
    const serve = await startHub({ ...env, CALHUB_ENCRYPTION_KEYS: `${OLD},${NEW}` }, SLOW, [BIN, 'serve']);
    children.push(serve.child);
    const worker = await startWorker(`${NEW},${OLD}`);
    assert.deepEqual(await running(), ['serve:k1', 'worker:k2']);

    const refused = await calhub(['keys', 'rotate'], { ...env, CALHUB_ENCRYPTION_KEYS: `${NEW},${OLD}` }, SLOW);
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /hold another key ring: serve \(pid \d+ on [^,]+, encrypting with key "k1"\); /);
    assert.doesNotMatch(refused.stderr, /worker \(pid/, 'the worker already has the new ring');
    assert.ok(!refused.stderr.includes(NEW.split(':')[1]!) && !refused.stderr.includes(OLD.split(':')[1]!), 'no key in the message');
    assert.deepEqual(await credentials(), ['k1'], 'nothing re-encrypted');

    // A worker on the old ring alone could not read the new key at all: refused as well.
    await stopHub(serve.child);
    const oldWorker = await startWorker(OLD);
    const again = await calhub(['keys', 'rotate'], { ...env, CALHUB_ENCRYPTION_KEYS: `${NEW},${OLD}` }, SLOW);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /worker \(pid \d+ on [^,]+, encrypting with key "k1", without "k2"\)/);
    await stopHub(oldWorker);

    // A stopped process removed its row: only the worker on the new ring runs.
    assert.deepEqual(await running(), ['worker:k2']);
    const rotated = await calhub(['keys', 'rotate', '--json'], { ...env, CALHUB_ENCRYPTION_KEYS: `${NEW},${OLD}` }, SLOW);
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.equal(JSON.parse(rotated.stdout).rotated, 1);
    assert.deepEqual(await credentials(), ['k2']);
    await stopHub(worker);
    assert.deepEqual(await running(), []);
  });
});
