/**
 * `calhub accounts list --json --limit N` printed the first N rows and no count of all: a script
 * could not tell a page from the whole list. `--with-total` wraps the rows as
 * {"items", "total", "truncated"}; without it --json stays the bare array scripts read today.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { withStore } from '../test/support/cli.ts';
import { runCaptured as run } from './run-captured.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'calhub-accounts-total-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

it('--with-total gives the count of all and whether --limit cut the list; plain --json stays an array', async () => {
  const saved = { ...process.env };
  Object.assign(process.env, { CALHUB_DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' });
  try {
    const tenantId = await withStore(dataDir, async (store) => {
      await store.migrate();
      const id = (await store.tenants.create('totals')).tenant.id;
      for (const n of [1, 2, 3]) await store.tenant(id).accounts.upsert({ provider: 'memory', externalId: `user${n}@example.com` });
      return id;
    });
    const json = async (args: string[]) => {
      const r = await run(['accounts', 'list', '--tenant', tenantId, '--json', ...args]);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as unknown;
    };
    const plain = (await json(['--limit', '2'])) as unknown[];
    assert.ok(Array.isArray(plain), 'without --with-total: the bare array, as before');
    assert.equal(plain.length, 2);

    const cut = (await json(['--limit', '2', '--with-total'])) as { items: Array<{ externalId: string }>; total: number; truncated: boolean };
    assert.deepEqual([cut.items.length, cut.total, cut.truncated], [2, 3, true]);
    const whole = (await json(['--with-total'])) as { items: unknown[]; total: number; truncated: boolean };
    assert.deepEqual([whole.items.length, whole.total, whole.truncated], [3, 3, false]);
    const roomy = (await json(['--limit', '5', '--with-total'])) as { items: unknown[]; total: number; truncated: boolean };
    assert.deepEqual([roomy.items.length, roomy.total, roomy.truncated], [3, 3, false]);
  } finally {
    process.env = saved;
  }
});
