import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { COMMANDS } from '../../cli/index.ts';
import { calhub, startHub } from '../support/cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'calhub-cli-'));
const env = { CALHUB_DATA_DIR: dataDir, LOG_LEVEL: 'info', REDIS_URL: '', DATABASE_URL: '' };
after(() => rmSync(dataDir, { recursive: true, force: true }));

describe('calhub command', () => {
  it('start serves healthz, readyz and metrics; tenants work while it runs and after it stops', async () => {
    const hub = await startHub(env);
    try {
      assert.deepEqual(await (await fetch(`${hub.url}/healthz`)).json(), { status: 'ok' });
      const ready = await fetch(`${hub.url}/readyz`);
      assert.equal(ready.status, 200, await ready.clone().text());
      assert.deepEqual(((await ready.json()) as { checks: object }).checks, { store: 'ok', redis: 'ok' });
      assert.match(await (await fetch(`${hub.url}/metrics`)).text(), /calhub_http_requests_total/);

      const made = await calhub(['tenants', 'create', 'acme', '--json'], env);
      assert.equal(made.code, 0, made.stderr);
      const t = JSON.parse(made.stdout) as { id: string; apiKey: string };
      assert.match(t.id, /^ten_/);
      assert.match(t.apiKey, /^chk_/);
      const listed = await calhub(['tenants', 'list', '--json'], env);
      assert.ok((JSON.parse(listed.stdout) as Array<{ id: string }>).some((x) => x.id === t.id));
      assert.ok(!hub.log().includes(t.apiKey), 'the API key reached the hub log');
    } finally {
      hub.child.kill('SIGTERM');
    }
    const code = await new Promise((r) => hub.child.once('exit', r));
    assert.equal(code, 0, hub.log());
    // The managed redis-server (on a unix socket since issue 18, no TCP port) stopped with calhub.
    assert.equal(existsSync(join(dataDir, 'run', 'redis.socket')), false, 'the managed redis-server outlived calhub');
    assert.equal(existsSync(join(dataDir, 'run', 'redis', 'redis.sock')), false, 'the managed redis-server outlived calhub');
    assert.equal(existsSync(join(dataDir, 'pglite.lock')), false);
    assert.ok(existsSync(join(dataDir, 'redis', 'appendonlydir')), 'AOF is on for the managed redis');

    const offline = await calhub(['tenants', 'create', 'beta', '--json'], env);
    assert.equal(offline.code, 0, offline.stderr);
    const all = JSON.parse((await calhub(['tenants', 'list', '--json'], env)).stdout) as Array<{ name: string }>;
    assert.deepEqual(all.map((x) => x.name).sort(), ['acme', 'beta']);
  });

  it('every command answers --help', async () => {
    for (const c of COMMANDS) {
      const r = await calhub([...c.name.split(' '), '--help'], env);
      assert.equal(r.code, 0, `${c.name}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`Usage: calhub ${c.name}`));
    }
    assert.equal((await calhub(['--help'], env)).code, 0);
  });

  it('bad configuration exits 2 with one line naming the variable', async () => {
    const r = await calhub(['migrate'], { ...env, CALHUB_HORIZON_PAST_DAYS: 'lots' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /CALHUB_HORIZON_PAST_DAYS: expected an integer/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  it('a missing redis-server is one clear line naming the fix', async () => {
    const r = await calhub(['start'], { ...env, REDIS_SERVER_BIN: '/nonexistent/redis-server', PORT: '0' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /apt-get install -y redis-server/);
    assert.equal(r.stderr.trim().split('\n').filter((l) => l.startsWith('calhub')).length, 1);
  });

  it('migrate reports the schema version', async () => {
    const r = await calhub(['migrate', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok((JSON.parse(r.stdout) as { applied: string[] }).applied.includes('0001_init.sql'));
    assert.ok(readFileSync(join(dataDir, 'pgdata', 'PG_VERSION'), 'utf8').trim().length > 0);
  });
});
