/** `calhub tenants create` with a name another tenant has (in any case) is refused: exit 2, TENANT_NAME_TAKEN, no second tenant. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { calhub } from '../support/cli.ts';
import { EXIT } from '../../cli/exit-codes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'calhub-tenant-name-'));
const env = { CALHUB_DATA_DIR: dataDir, LOG_LEVEL: 'silent', REDIS_URL: '', DATABASE_URL: '' };
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('a tenant name taken is exit 2 TENANT_NAME_TAKEN naming the tenant, and makes no tenant', async () => {
  const first = await calhub(['tenants', 'create', 't1', '--json'], env, 180_000);
  assert.equal(first.code, EXIT.OK, first.stderr);
  const id = (JSON.parse(first.stdout) as { id: string }).id;
  const again = await calhub(['tenants', 'create', 'T1', '--json'], env, 180_000);
  assert.equal(again.code, EXIT.USAGE, again.stderr);
  const err = (JSON.parse(again.stderr) as { error: { code: string; message: string; exitCode: number } }).error;
  assert.equal(err.code, 'TENANT_NAME_TAKEN');
  assert.match(err.message, new RegExp(`"T1" exists already: ${id}`));
  assert.doesNotMatch(again.stdout + again.stderr, /API key/, 'no key printed');
  const list = await calhub(['tenants', 'list', '--json'], env, 180_000);
  assert.deepEqual((JSON.parse(list.stdout) as Array<{ name: string }>).map((t) => t.name), ['t1']);
});
