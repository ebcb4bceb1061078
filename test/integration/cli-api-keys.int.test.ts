/**
 * `calhub tenants api-keys list|create|revoke` against a running hub (issue 18: there was no way
 * to revoke an API key from the CLI): a created key works on the API, a revoked one is refused
 * once the API's key cache (10 s) has passed, the listing never shows a key or its hash.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { calhub, startHub, stopHub } from '../support/cli.ts';

type Key = { id: string; prefix: string; createdAt: string; revokedAt: string | null };

describe('calhub tenants api-keys', () => {
  let dataDir = '';
  let env: Record<string, string> = {};
  let hub: Awaited<ReturnType<typeof startHub>> | null = null;
  const outputs: string[] = [];
  const run = async (args: string[]) => {
    const r = await calhub(args, env, 300_000);
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const ok = async (args: string[]) => {
    const r = await run([...args, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as unknown;
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'calhub-api-keys-'));
    env = { CALHUB_DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'info' };
  });
  after(async () => {
    if (hub) await stopHub(hub.child, dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates, lists and revokes keys; a revoked key stops working on the API', async () => {
    const tenant = (await ok(['tenants', 'create', 'keys'])) as { id: string; apiKey: string };
    const other = (await ok(['tenants', 'create', 'other'])) as { id: string; apiKey: string };
    const second = (await ok(['tenants', 'api-keys', 'create', '--tenant', tenant.id])) as Key & { apiKey: string };
    assert.match(second.apiKey, /^chk_/);
    assert.equal(second.prefix, second.apiKey.slice(0, 8));

    const listed = (await ok(['tenants', 'api-keys', 'list', '--tenant', tenant.id])) as Key[];
    assert.equal(listed.length, 2);
    assert.deepEqual(listed.map((k) => Object.keys(k).sort()), [0, 1].map(() => ['createdAt', 'id', 'prefix', 'revokedAt']));
    assert.ok(listed.every((k) => k.revokedAt === null));
    const first = listed.find((k) => k.id !== second.id)!;
    assert.equal(first.prefix, tenant.apiKey.slice(0, 8));

    hub = await startHub(env, 300_000);
    const calendars = (key: string) => fetch(`${hub!.url}/v1/calendars`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
    assert.equal(await calendars(tenant.apiKey), 200);
    assert.equal(await calendars(second.apiKey), 200);

    // Another tenant's key id, an unknown id, a missing id: exit 2, nothing revoked.
    const foreign = await run(['tenants', 'api-keys', 'revoke', first.id, '--tenant', other.id]);
    assert.equal(foreign.code, 2, foreign.stderr);
    assert.match(foreign.stderr, /not found \[NOT_FOUND\]/);
    assert.equal((await run(['tenants', 'api-keys', 'revoke', 'key_nope', '--tenant', tenant.id])).code, 2);
    assert.equal((await run(['tenants', 'api-keys', 'revoke', '--tenant', tenant.id])).code, 2);

    const revoked = (await ok(['tenants', 'api-keys', 'revoke', first.id, '--tenant', tenant.id])) as Key;
    assert.equal(revoked.id, first.id);
    assert.ok(revoked.revokedAt);
    const again = (await ok(['tenants', 'api-keys', 'revoke', first.id, '--tenant', tenant.id])) as Key;
    assert.equal(again.revokedAt, revoked.revokedAt, 'revoking twice keeps the first time');

    // The API caches a resolved key for 10 s (api/auth.ts): past that, the revoked key is refused.
    const deadline = Date.now() + 30_000;
    while ((await calendars(tenant.apiKey)) !== 401 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await calendars(tenant.apiKey), 401);
    assert.equal(await calendars(second.apiKey), 200, 'the other key still works');
    assert.equal(await calendars(other.apiKey), 200);

    const after = (await ok(['tenants', 'api-keys', 'list', '--tenant', tenant.id])) as Key[];
    assert.deepEqual(after.map((k) => [k.id, k.revokedAt !== null]).sort(), [[first.id, true], [second.id, false]].sort());
  });

  it('never prints a key except when it is created, nor any hash', async () => {
    const text = outputs.join('\n');
    const created = [...text.matchAll(/chk_[A-Za-z0-9_-]{20,}/g)].map((m) => m[0]);
    assert.equal(new Set(created).size, 3, 'the three keys, each shown at its creation only');
    assert.doesNotMatch(text, /[0-9a-f]{64}/, 'no key hash');
    if (hub) assert.ok(!created.some((k) => hub!.log().includes(k)), 'a key reached the hub log');
    assert.ok((await readFile(join(dataDir, 'pgdata', 'PG_VERSION'), 'utf8')).length > 0);
  });
});
