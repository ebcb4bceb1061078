/** Tenant names are unique regardless of case; a store with duplicates from before keeps its tenants, renamed apart. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Store } from './index.ts';

test('a second tenant with the same name, in any case, is refused with TENANT_NAME_TAKEN', async () => {
  const store = await Store.open({ dataDir: null });
  try {
    await store.migrate();
    const { tenant } = await store.tenants.create('Acme');
    for (const name of ['Acme', 'acme', 'ACME']) {
      await assert.rejects(store.tenants.create(name), (e: { code?: string; message?: string }) => {
        assert.equal(e.code, 'TENANT_NAME_TAKEN');
        assert.match(e.message!, new RegExp(`"${name}".*${tenant.id}`));
        return true;
      });
    }
    assert.deepEqual((await store.tenants.list()).map((t) => t.name), ['Acme'], 'no second tenant was made');
    assert.equal((await store.tenants.create('Acme Two')).tenant.name, 'Acme Two');
  } finally {
    await store.close();
  }
});

test('tenants that share a name from before migration 0070 keep it on the oldest; the others get their id appended', async () => {
  const store = await Store.open({ dataDir: null });
  try {
    await store.migrate({ upTo: 69 });
    const ids: string[] = [];
    // As an older calhub stored them (today's create refuses the second).
    for (const [i, name] of ['t1', 'T1', 't1', 'other'].entries()) {
      ids.push(`ten_dup${i}`);
      await store.db.query(`INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)`, [ids[i], name, new Date(Date.UTC(2026, 0, 1 + i))]);
    }
    await store.migrate();
    const names = new Map((await store.tenants.list()).map((t) => [t.id, t.name]));
    assert.deepEqual([...names.entries()].sort(), [[ids[0], 't1'], [ids[1], `T1 (${ids[1]})`], [ids[2], `t1 (${ids[2]})`], [ids[3], 'other']].sort());
    await assert.rejects(store.tenants.create('t1'), { code: 'TENANT_NAME_TAKEN' });
  } finally {
    await store.close();
  }
});
