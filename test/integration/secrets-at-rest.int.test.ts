/**
 * Issue 18, secrets at rest, through the `calhub` command as a user runs it: the generated key and
 * the managed Redis password live in CALHUB_SECRETS_DIR (0700, files 0600), not in the data dir;
 * the managed Redis answers no client without the password and the password is in no log; other
 * commands of the same data dir still reach it; an installation whose key is in the data dir keeps
 * working and is warned about at every start.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { calhub, startHub, stopHub } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'calhub-secrets-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** RESP on the socket without a password: what any other local process would get. */
function unauthenticatedPing(socket: string): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const c = net.connect({ path: socket }, () => c.write('PING\r\n'));
    c.on('data', (d) => ((out += d), c.end()));
    c.on('close', () => resolve(out));
    c.on('error', (e) => resolve(`error: ${e.message}`));
  });
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

describe('secrets at rest', () => {
  it('key and Redis password outside the data dir, Redis on a private socket that refuses strangers, no password in any log', async () => {
    const dataDir = join(root, 'fresh');
    const secretsDir = join(root, 'config', 'calhub');
    const env = { CALHUB_DATA_DIR: dataDir, CALHUB_SECRETS_DIR: secretsDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'debug' };
    const hub = await startHub(env);
    const outputs: string[] = [];
    let password = '';
    try {
      password = readFileSync(join(secretsDir, 'redis-password'), 'utf8').trim();
      assert.equal(statSync(join(secretsDir, 'redis-password')).mode & 0o777, 0o600);
      assert.equal(statSync(secretsDir).mode & 0o777, 0o700);
      assert.equal(statSync(dataDir).mode & 0o777, 0o700);
      const socket = readFileSync(join(dataDir, 'run', 'redis.socket'), 'utf8').split('\n')[0]!; // its data dir on the next line (shared/run-records.ts)
      assert.equal(statSync(join(dataDir, 'run', 'redis')).mode & 0o777, 0o700);
      assert.match(await unauthenticatedPing(socket), /^-NOAUTH/);

      // Another command of the same data dir finds the socket and the password, and a key is made outside the data dir.
      const queue = await calhub(['queue', 'list', '--json'], env);
      assert.equal(queue.code, 0, queue.stderr);
      // The running hub holds its ring: a rotation of the key file waits until it stops.
      const refused = await calhub(['keys', 'rotate', '--json'], env);
      assert.equal(refused.code, 2, refused.stdout);
      assert.match(refused.stderr, /"code":"KEY_RING_IN_USE"/);
      outputs.push(hub.log(), queue.stdout, queue.stderr, refused.stdout, refused.stderr);
    } finally {
      assert.equal(await stopHub(hub.child, dataDir), 0, hub.log());
    }
    const keys = await calhub(['keys', 'rotate', '--json'], env);
    assert.equal(keys.code, 0, keys.stderr);
    assert.equal(statSync(join(secretsDir, 'keys')).mode & 0o777, 0o600);
    assert.equal(existsSync(join(dataDir, 'keys')), false);
    for (const entry of readFileSync(join(secretsDir, 'keys'), 'utf8').trim().split(',')) {
      for (const out of [...outputs, hub.log(), keys.stdout, keys.stderr]) {
        assert.ok(!out.includes(password), 'the Redis password is in calhub output');
        assert.ok(!out.includes(entry.split(':')[1]!), 'the encryption key is in calhub output');
        assert.doesNotMatch(out, /SECURITY WARNING/);
      }
    }
    // Nothing in the data dir holds either secret (redis.log, the AOF, PGlite's files).
    const key = readFileSync(join(secretsDir, 'keys'), 'utf8').trim();
    for (const f of files(dataDir)) {
      const body = readFileSync(f);
      assert.ok(!body.includes(password) && !body.includes(key), `a secret is in ${f}`);
    }
  });

  it('an installation whose key is in the data dir keeps reading it, with a warning at every start', async () => {
    const dataDir = join(root, 'legacy');
    const secretsDir = join(root, 'legacy-config');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const legacyKey = `k1:${randomBytes(32).toString('base64')}`;
    writeFileSync(join(dataDir, 'keys'), `${legacyKey}\n`, { mode: 0o600 });
    const env = { CALHUB_DATA_DIR: dataDir, CALHUB_SECRETS_DIR: secretsDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'info' };
    // keys rotate reads (and so needs) the ring: it still works with the data dir's key.
    const r = await calhub(['keys', 'rotate', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr + r.stdout, /SECURITY WARNING: the encryption key \S+\/legacy\/keys is inside the data dir \S+\/legacy: anyone with a copy or backup of the data dir can decrypt every stored password and token; move it out: mkdir -p -m 700 \S+legacy-config && mv /);
    assert.ok(!(r.stderr + r.stdout).includes(legacyKey.slice(3)), 'the warning names the file, never the key');
    assert.equal(existsSync(join(secretsDir, 'keys')), false, 'no second key was made');
    const hub = await startHub(env);
    try {
      assert.match(hub.log(), /SECURITY WARNING: the encryption key \S+\/legacy\/keys is inside the data dir/);
    } finally {
      assert.equal(await stopHub(hub.child, dataDir), 0, hub.log());
    }
    // Once per start, though the sync thread opens a hub of its own.
    assert.equal(hub.log().match(/SECURITY WARNING/g)?.length, 1, hub.log());
  });
});
